"""Editors' mistakes: each bad input gives one exact, plain message with file and line.

One fixture site holds every case in its own file; ``invoke check`` runs on
it once (and a real build once), and each case is a test of its own line.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import MINIMAL_SITE, ROOT, build_site, write_files

NEWS = "Date: 2024-03-12\nCategory: Innovation\n"

#: (file below content/, its text, the exact line `invoke check` prints)
BAD_INPUT = [
    (
        "news/ohne-titel.md",
        f"{NEWS}\nText.\n",
        'content/news/ohne-titel.md:1: Title is missing — add a line like "Title: Meldungstitel" at the top',
    ),
    (
        "news/2024-05-06-ohne-datum.md",
        "Title: Ohne Datum\nCategory: Innovation\n\nText.\n",
        'content/news/2024-05-06-ohne-datum.md:1: Date is missing — add a line like "Date: 2024-05-06" at the top',
    ),
    (
        "news/leerer-titel.md",
        f"Title:\n{NEWS}\nText.\n",
        'content/news/leerer-titel.md:1: Title is empty — write it after the colon, e.g. "Title: Titel"',
    ),
    (
        "news/datum-unsinn.md",
        "Title: A\nDate: nächste Woche\nCategory: Innovation\n\nText.\n",
        'content/news/datum-unsinn.md:2: Date "nächste Woche" is not a date — write it as year-month-day, e.g. 2024-03-12',
    ),
    (
        "news/datum-31-februar.md",
        "Title: A\nCategory: Innovation\nDate: 31.02.2024\n\nText.\n",
        'content/news/datum-31-februar.md:3: Date "31.02.2024" is not a date (February 2024 has 29 days) — write an existing day as year-month-day, e.g. 2024-02-29',
    ),
    (
        "news/datum-deutsch.md",
        "Title: A\nDate: 12.03.2024\nCategory: Innovation\n\nText.\n",
        'content/news/datum-deutsch.md:2: Date "12.03.2024" is written the German way — write it as year-month-day: 2024-03-12',
    ),
    (
        "news/modified-kaputt.md",
        f"Title: A\n{NEWS}Modified: 2024-02-30\n\nText.\n",
        'content/news/modified-kaputt.md:4: Modified "2024-02-30" is not a date (February 2024 has 29 days) — write an existing day as year-month-day, e.g. 2024-02-29',
    ),
    (
        "news/kategorie.md",
        "Title: A\nDate: 2024-03-12\nCategory: Fachkraft\n\nText.\n",
        'content/news/kategorie.md:3: Category "Fachkraft" is not allowed — use one of: Fachkräfte, Standortmarketing, Innovation, Strukturwandel, Regionalentwicklung (did you mean "Fachkräfte"?)',
    ),
    (
        "news/kategorie-klein.md",
        "Title: A\nDate: 2024-03-12\nCategory: innovation\n\nText.\n",
        'content/news/kategorie-klein.md:3: Category "innovation" is written differently — write it exactly as "Innovation"',
    ),
    (
        "news/tippfehler-feld.md",
        f"Title: A\n{NEWS}Sumary: Kurz.\n\nText.\n",
        'content/news/tippfehler-feld.md:4: Unknown field "Sumary" — did you mean "Summary"?',
    ),
    (
        "news/fremdes-feld.md",
        f"Title: A\n{NEWS}Farbe: blau\n\nText.\n",
        'content/news/fremdes-feld.md:4: Unknown field "Farbe" — remove it; a Meldung takes: Title, Date, Category, Tags, Summary, Author, Image, Image_alt, Image_caption, Image_credit, Image_licence, Modified, Slug, Status, Aliases',
    ),
    (
        "news/doppelt.md",
        f"Title: A\n{NEWS}Title: B\n\nText.\n",
        "content/news/doppelt.md:4: Title appears twice (lines 1 and 4) — keep only one of the two lines",
    ),
    (
        "news/feldname-umlaut.md",
        f"Title: A\n{NEWS}Bildunterschrift für Foto: Text\nSummary: S\n\nText.\n",
        'content/news/feldname-umlaut.md:4: "Bildunterschrift für Foto:" is not a valid field name, so the header ends here and the rest becomes text — field names use only letters A–Z, digits, _ and - (no umlauts or spaces), e.g. Image_alt',
    ),
    (
        "news/leer.md",
        "",
        'content/news/leer.md: the file is empty — write a header such as "Title: …" and the text, or delete the file (invoke new creates a filled-in file)',
    ),
    (
        "news/nur-leerzeilen.md",
        "\n\n  \n",
        'content/news/nur-leerzeilen.md: the file is empty — write a header such as "Title: …" and the text, or delete the file (invoke new creates a filled-in file)',
    ),
    (
        "news/latin1.md",
        "Title: Köln\nDate: 2024-03-12\nCategory: Innovation\n\nText.\n".encode(
            "latin-1"
        ),
        'content/news/latin1.md:1: the file is not saved as UTF-8 (unreadable character in column 9) — save it again as "UTF-8" (in most editors: Save as → Encoding → UTF-8)',
    ),
    (
        "news/summary-lang.md",
        f"Title: A\n{NEWS}Summary: {'Sehr lange Zusammenfassung. ' * 8}\n\nText.\n",
        "content/news/summary-lang.md:4: Summary is 223 characters long, at most 200 fit — shorten it by 23 characters",
    ),
    (
        "news/status.md",
        f"Title: A\n{NEWS}Status: entwurf\n\nText.\n",
        'content/news/status.md:4: Status "entwurf" is not allowed — use one of: published, draft',
    ),
    (
        "news/bild-ohne-alt.md",
        f"Title: A\n{NEWS}Image: images/news/foto.jpg\n\nText.\n",
        'content/news/bild-ohne-alt.md:4: Image has no Image_alt (the text read to people who cannot see the picture) — add a line "Image_alt: what the picture shows" below it',
    ),
    (
        "news/bild-url.md",
        f"Title: A\n{NEWS}Image: https://cdn.example.org/foto.jpg\nImage_alt: Foto\n\nText.\n",
        'content/news/bild-url.md:4: Image "https://cdn.example.org/foto.jpg" is a web address — images must live in the site: put the file under content/images/ and write e.g. images/news/foto.jpg',
    ),
    (
        "news/textbild-ohne-alt.md",
        f"Title: A\n{NEWS}\nEinleitung.\n\n![](images/news/foto.jpg)\n",
        'content/news/textbild-ohne-alt.md:7: Image "images/news/foto.jpg" has no alt text — describe what it shows in the brackets: ![Was auf dem Bild zu sehen ist](images/news/foto.jpg)',
    ),
    (
        "news/script.md",
        f"Title: A\n{NEWS}\nText.\n\n<script>alert('hallo')</script>\n",
        "content/news/script.md:7: <script> is not allowed in content (scripts could run code or load other sites) — remove it; features like embeds or forms belong in the theme (ask the web team)",
    ),
    (
        "news/javascript-link.md",
        f"Title: A\n{NEWS}\nText mit [Link](javascript:alert(1)).\n",
        'content/news/javascript-link.md:5: Link "javascript:alert(1)" runs code or embeds data, which is not allowed in content — link to a page (/…/) or a web address (https://…) instead',
    ),
    (
        "news/iframe.md",
        f'Title: A\n{NEWS}\n<iframe src="https://video.example.com/embed/1"></iframe>\n',
        "content/news/iframe.md:5: <iframe> is not allowed in content (embedded frames could run code or load other sites) — remove it; features like embeds or forms belong in the theme (ask the web team)",
    ),
    (
        "news/onclick.md",
        f'Title: A\n{NEWS}\n<a href="/" onclick="steal()">Start</a>\n',
        'content/news/onclick.md:5: <a onclick="…"> runs code, which is not allowed in content — remove the onclick attribute',
    ),
    (
        "news/ueberschriften.md",
        f"Title: A\n{NEWS}\n## Abschnitt\n\nText.\n\n#### Zu tief\n\nText.\n",
        'content/news/ueberschriften.md:9: warning: Heading "Zu tief" skips from level 2 to level 4 — use ### here (one # more than the heading above)',
    ),
    (
        "news/h1-im-text.md",
        f"Title: A\n{NEWS}\n# Noch ein Titel\n\nText.\n",
        'content/news/h1-im-text.md:5: warning: Heading "Noch ein Titel" is a top-level heading like the page title — start sections with ## (two hashes)',
    ),
    (
        "news/link-datei-fehlt.md",
        f"Title: A\n{NEWS}\nSiehe [Initiative]({{filename}}/initiatives/zukunftsregon.md).\n",
        'content/news/link-datei-fehlt.md:5: Link target "{filename}/initiatives/zukunftsregon.md" does not exist — did you mean "{filename}/initiatives/zukunftsregion.md"?',
    ),
    (
        "news/link-pfad-fehlt.md",
        f"Title: A\n{NEWS}\nAlle [Initiativen](/initiativen/).\n\nDie [Zukunftsregion](/initiativen/zukunftsregion-hannover/).\n",
        'content/news/link-pfad-fehlt.md:7: Link "/initiativen/zukunftsregion-hannover/" points to no page of this site — did you mean "/initiativen/zukunftsregion-hannover-hildesheim/"?',
    ),
    (
        "initiatives/website.md",
        "Title: Website\nRegion: Hannover-Hildesheim\nField: Fachkräfte\nWebsite: www.example.org\n\nText.\n",
        'content/initiatives/website.md:4: Website "www.example.org" is not a web address — write the full address, e.g. https://www.example.org',
    ),
    (
        "initiatives/email.md",
        "Title: E-Mail\nRegion: Hannover-Hildesheim\nField: Fachkräfte\nContact_email: info(at)example.org\n\nText.\n",
        'content/initiatives/email.md:4: Contact_email "info(at)example.org" is not an e-mail address — write it like name@example.org',
    ),
    (
        "initiatives/region.md",
        "Title: Region\nRegion: Hannover\nField: Fachkräfte\n\nText.\n",
        'content/initiatives/region.md:2: Region "Hannover" is not allowed — use one of: Braunschweig-Wolfsburg, Südostniedersachsen, Nordostniedersachsen, Hannover-Hildesheim, Ostwestfalen-Lippe, Sachsen-Anhalt Süd',
    ),
    (
        "campaigns/featured.md",
        "Title: Kampagne\nFeatured: vielleicht\n\nText.\n",
        'content/campaigns/featured.md:2: Featured "vielleicht" is neither true nor false — write true or false',
    ),
    (
        "campaigns/cta.md",
        "Title: CTA\nCta_text: Los\nCta_url: /kampagnen/gibt-es-nicht/\n\nText.\n",
        'content/campaigns/cta.md:3: Link "/kampagnen/gibt-es-nicht/" points to no page of this site — check the address, or link the file itself, e.g. ({filename}/initiatives/retrason.md)',
    ),
    (
        "pages/impressum-kopie.md",
        "Title: Impressum\n\nNoch ein Impressum.\n",
        'content/pages/impressum-kopie.md:1: Slug "impressum" is also used by content/pages/impressum.md, so they would be written to the same address /impressum/ — give one of them another Title or a line "Slug: another-name"',
    ),
]

#: Files that look unusual but must just work.
GOOD_INPUT = {
    "news/bom.md": "\ufeffTitle: Mit BOM\nDate: 2024-03-13\nCategory: Innovation\n\nText mit BOM.\n".encode(),
    "news/crlf.md": b"Title: Windows-Zeilenenden\r\nDate: 2024-03-14\r\nCategory: Innovation\r\nSummary: Zeile eins\r\n\r\nText mit CRLF.\r\n",
    "news/mit-kommentaren.md": "# Kommentar im Kopf\nTitle: Mit Kommentaren\n# Summary: auskommentiert\nDate: 2024-03-15\nCategory: Innovation\nImage:\n\n## Abschnitt\n\nText.\n",
}


def _own_title(path: str, text: str | bytes) -> str | bytes:
    """Each case gets its own title, so cases never share a slug by accident."""
    if isinstance(text, bytes):
        return text
    return text.replace("Title: A\n", f"Title: {path.rsplit('/', 1)[-1][:-3]}\n", 1)


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    write_files(base / "content", MINIMAL_SITE)
    write_files(
        base / "content", {path: _own_title(path, text) for path, text, _ in BAD_INPUT}
    )
    write_files(base / "content", GOOD_INPUT)
    return base


def invoke_check(content) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "60"},
    )


@pytest.fixture(scope="module")
def bad_check(bad_site):
    return invoke_check(bad_site / "content")


@pytest.mark.parametrize(
    ("path", "text", "line"), BAD_INPUT, ids=[p for p, _, _ in BAD_INPUT]
)
def test_bad_input_gives_its_exact_message(bad_check, path, text, line):
    assert line in bad_check.stdout.splitlines(), bad_check.stdout


def test_check_lists_every_problem_plainly_once_and_a_summary(bad_check):
    lines = bad_check.stdout.splitlines()
    # One plain line per problem: no log prefixes, no wrapping (COLUMNS=60).
    for line in lines[:-1]:
        assert line.startswith("content/"), line
    assert len(lines) == len(set(lines))
    # The duplicate slug is reported for both files.
    assert (
        'content/pages/impressum.md:1: Slug "impressum" is also used by content/pages/impressum-kopie.md, so they would be written to the same address /impressum/ — give one of them another Title or a line "Slug: another-name"'
        in lines
    )
    errors = sum(1 for line in lines[:-1] if ": warning: " not in line)
    files = len(BAD_INPUT) + len(GOOD_INPUT) + len(MINIMAL_SITE)
    assert lines[-1] == f"check: {files} files, {errors} errors, 2 warnings"
    assert errors >= len(BAD_INPUT) - 2
    assert bad_check.returncode == 1
    assert "Traceback" not in bad_check.stdout + bad_check.stderr


def test_bom_crlf_and_comments_just_work(bad_check):
    for path in GOOD_INPUT:
        assert f"content/{path}" not in bad_check.stdout


def test_a_build_of_the_bad_site_stops_before_writing_and_names_every_file(bad_site):
    output = bad_site / "output"
    result = build_site(bad_site / "content", output)
    assert result.returncode == 1
    assert "Traceback" not in result.log
    assert "Could not process" not in result.log
    log = "".join(result.log.split())  # rich may wrap long lines anywhere
    for path, _, _ in BAD_INPUT:
        assert f"content/{path}" in log, path
    assert not output.exists()


def test_warnings_alone_do_not_fail_check_or_a_dev_build_but_a_publish_build(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    write_files(
        site_dir / "content", {"news/tief.md": f"Title: Tief\n{NEWS}\n## A\n\n#### B\n"}
    )
    result = invoke_check(site_dir / "content")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        'content/news/tief.md:7: warning: Heading "B" skips from level 2 to level 4 — use ### here (one # more than the heading above)',
        "check: 5 files, 0 errors, 1 warning",
    ]
    assert build_site(site_dir / "content", site_dir / "dev").ok
    published = build_site(
        site_dir / "content", site_dir / "pub", settings="publishconf.py"
    )
    assert published.returncode == 1
    assert not (site_dir / "pub").exists()


def test_check_on_the_demo_content_prints_only_the_summary():
    result = invoke_check(ROOT / "content")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("check: ") and lines[0].endswith(" files, no problems")
    assert result.stderr == ""


def test_check_writes_no_site(tmp_path):
    write_files(tmp_path / "content", MINIMAL_SITE)
    before = set(tmp_path.rglob("*"))
    assert invoke_check(tmp_path / "content").returncode == 0
    assert set(tmp_path.rglob("*")) == before


def test_bom_crlf_and_header_comments_build_into_normal_pages(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    write_files(site_dir / "content", GOOD_INPUT)
    result = build_site(site_dir / "content", site_dir / "output")
    assert result.ok, result.log
    bom = result.html("/aktuelles/mit-bom/")
    assert bom.h1.get_text(strip=True) == "Mit BOM"
    crlf = result.html("/aktuelles/windows-zeilenenden/")
    assert crlf.find("meta", attrs={"name": "description"})["content"] == "Zeile eins"
    assert "Text mit CRLF." in crlf.get_text()
    commented = result.html("/aktuelles/mit-kommentaren/")
    assert "Kommentar im Kopf" not in str(commented)
    assert "auskommentiert" not in str(commented)
    assert commented.find("h2", string="Abschnitt")
