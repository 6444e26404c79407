"""The editors' workflow: drafts and scheduling, ``invoke new``, ``invoke livereload``."""

from __future__ import annotations

import ast
import datetime as dt
import gzip
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.support import (
    MINIMAL_SITE,
    ROOT,
    build_site,
    project_settings,
    run_script,
    write_files,
)

# A week ahead, not tomorrow: Pelican compares in the site's TIMEZONE
# (Europe/Berlin), where "tomorrow" in UTC may already have begun.
SCHEDULED = dt.date.today() + dt.timedelta(days=7)

SCHEDULING_SITE = {
    **MINIMAL_SITE,
    "news/entwurf.md": """
        Title: Geheimer Entwurf
        Date: 2024-03-20
        Category: Innovation
        Status: draft

        Noch nicht fertig.
        """,
    "news/geplant.md": f"""
        Title: Geplante Meldung
        Date: {SCHEDULED:%Y-%m-%d}
        Category: Innovation

        Erscheint in einer Woche.
        """,
    "pages/entwurfsseite.md": """
        Title: Entwurfsseite
        Status: draft

        Noch nicht fertig.
        """,
}


@pytest.fixture(scope="module")
def scheduling_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("scheduling")
    write_files(base / "content", SCHEDULING_SITE)
    dev = build_site(base / "content", base / "dev")
    publish = build_site(base / "content", base / "publish", settings="publishconf.py")
    assert dev.ok, dev.log
    assert publish.ok, publish.log
    return dev, publish


def _all_text(build) -> str:
    return "\n".join(
        p.read_text("utf-8")
        for p in build.output.rglob("*")
        if p.suffix in {".html", ".xml", ".txt"}
    )


def test_drafts_and_future_news_never_reach_a_publish_build(scheduling_builds):
    _, publish = scheduling_builds
    text = _all_text(publish)
    for title in ("Geheimer Entwurf", "Geplante Meldung", "Entwurfsseite"):
        assert title not in text
    assert not (publish.output / "entwuerfe").exists()
    assert not publish.file("/aktuelles/geplante-meldung/").exists()
    sitemap = ET.parse(publish.output / "sitemap.xml").getroot()
    locations = " ".join(e.text or "" for e in sitemap.iter() if e.tag.endswith("loc"))
    assert "entwurf" not in locations and "geplant" not in locations
    assert publish.file("/aktuelles/jahresauftakt-der-zukunftsregion/").exists()


def test_dev_build_previews_drafts_under_entwuerfe(scheduling_builds):
    dev, _ = scheduling_builds
    assert (
        dev.html("/entwuerfe/geheimer-entwurf/").h1.get_text(strip=True)
        == "Geheimer Entwurf"
    )
    assert dev.file("/entwuerfe/seiten/entwurfsseite/").exists()
    # Drafts are previewed, never listed.
    assert "Geheimer Entwurf" not in dev.file("/aktuelles/").read_text("utf-8")
    # The dev build shows scheduled news already, so editors can check them.
    assert dev.file("/aktuelles/geplante-meldung/").exists()


def test_scheduled_news_appears_once_its_date_has_come(site_dir):
    files = dict(SCHEDULING_SITE)
    files["news/geplant.md"] = files["news/geplant.md"].replace(
        f"{SCHEDULED:%Y-%m-%d}", f"{dt.date.today():%Y-%m-%d}"
    )
    write_files(site_dir / "content", files)
    publish = build_site(
        site_dir / "content", site_dir / "output", settings="publishconf.py"
    )
    assert publish.ok, publish.log
    assert publish.file("/aktuelles/geplante-meldung/").exists()


# --- invoke new ------------------------------------------------------------


def _invoke(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("kind", "folder", "name", "url"),
    [
        (
            "news",
            "news",
            f"{dt.date.today():%Y-%m-%d}-fachkraefte-fuer-suedniedersachsen.md",
            "/aktuelles/fachkraefte-fuer-suedniedersachsen/",
        ),
        (
            "initiative",
            "initiatives",
            "fachkraefte-fuer-suedniedersachsen.md",
            "/initiativen/fachkraefte-fuer-suedniedersachsen/",
        ),
        (
            "campaign",
            "campaigns",
            "fachkraefte-fuer-suedniedersachsen.md",
            "/kampagnen/fachkraefte-fuer-suedniedersachsen/",
        ),
    ],
)
def test_invoke_new_creates_a_file_that_validates_and_builds(
    site_dir, kind, folder, name, url
):
    content = site_dir / "content"
    write_files(content, MINIMAL_SITE)
    created = _invoke(
        "new", kind, "Fachkräfte für Südniedersachsen", "--content", str(content)
    )
    assert created.returncode == 0, created.stderr
    path = content / folder / name
    assert path.exists(), created.stdout
    text = path.read_text("utf-8")
    assert "Title: Fachkräfte für Südniedersachsen\n" in text
    if kind == "news":
        assert f"Date: {dt.date.today():%Y-%m-%d}\n" in text
    # Every field is explained in a comment line.
    assert (
        sum(1 for line in text.splitlines() if line.startswith("# ") and " – " in line)
        >= 6
    )

    check = _invoke("check", "--content", str(content))
    assert check.returncode == 0, check.stdout
    assert check.stdout.splitlines() == ["check: 5 files, no problems"]
    built = build_site(content, site_dir / "output")
    assert built.ok, built.log
    assert (
        built.html(url)
        .h1.get_text(" ", strip=True)
        .startswith("Fachkräfte für Südniedersachsen")
    )


def test_invoke_new_refuses_what_would_not_validate(site_dir):
    result = _invoke(
        "new",
        "news",
        "Titel",
        "--category",
        "Sport",
        "--content",
        str(site_dir / "content"),
    )
    assert result.returncode == 1
    assert 'Category "Sport" is not allowed' in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((site_dir / "content").rglob("*.md"))


# --- invoke livereload -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _wait_for(condition, timeout: float = 60.0, what: str = ""):
    """Poll ``condition`` until it returns something truthy (bounded, no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = condition()
        except OSError as error:  # server not up yet
            last = error
        if last and not isinstance(last, Exception):
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: {last!r}")


def test_livereload_rebuilds_on_save_and_survives_content_errors(tmp_path):
    content = tmp_path / "content"
    output = tmp_path / "output"
    write_files(content, MINIMAL_SITE)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "invoke",
            "livereload",
            "--port",
            str(port),
            "--content",
            str(content),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    base = f"http://127.0.0.1:{port}"
    article = content / "news" / "2024-03-12-jahresauftakt.md"
    marker = tmp_path / ".output.build"
    try:
        status, page = _wait_for(
            lambda: _get(f"{base}/aktuelles/jahresauftakt-der-zukunftsregion/"),
            what="first page",
        )
        assert status == 200
        assert "Die Zukunftsregion startet ins Jahr." in page
        assert "livereload.js" in page  # the browser refresh client, served pages only
        assert "livereload" not in (
            output / "aktuelles" / "jahresauftakt-der-zukunftsregion" / "index.html"
        ).read_text("utf-8")

        article.write_text(
            article.read_text("utf-8").replace(
                "startet ins Jahr", "startet mit Schwung ins Jahr"
            ),
            "utf-8",
        )
        _wait_for(
            lambda: (
                "startet mit Schwung ins Jahr"
                in _get(f"{base}/aktuelles/jahresauftakt-der-zukunftsregion/")[1]
            ),
            what="the edited text",
        )
        # The search index follows after the page is served (SEARCH_DEFER).
        _wait_for(
            lambda: b"Schwung" in _indexed_text(output), what="the edit in the index"
        )

        builds = int(marker.read_text().split()[0])
        article.write_text(
            article.read_text("utf-8").replace("Date: 2024-03-12", "Date: 12.03.2024"),
            "utf-8",
        )
        _wait_for(
            lambda: int(marker.read_text().split()[0]) > builds,
            what="the rebuild after the error",
        )
        status, page = _get(f"{base}/aktuelles/jahresauftakt-der-zukunftsregion/")
        assert status == 200, "the last good page is still served"
        box = BeautifulSoup(page, "html.parser").find(id="vorschau-fehler")
        assert box is not None and box["role"] == "alert"
        assert 'Date "12.03.2024" is written the German way' in box.get_text()
        assert server.poll() is None, "the server is still running"

        article.write_text(
            article.read_text("utf-8").replace("Date: 12.03.2024", "Date: 2024-03-12"),
            "utf-8",
        )
        _wait_for(
            lambda: (
                "vorschau-fehler"
                not in _get(f"{base}/aktuelles/jahresauftakt-der-zukunftsregion/")[1]
            ),
            what="the error box to go away",
        )
    finally:
        server.terminate()
        try:
            log, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            log, _ = server.communicate()
    assert "Traceback" not in log, log
    assert "12.03.2024" in log, "the problem is shown in the terminal too"
    # Each index update starts after its build is done (the browser has
    # reloaded by then): never before the first build or between two.
    events = [
        "build" if "Rebuilt in" in line else "index"
        for line in log.splitlines()
        if "Rebuilt in" in line or "Suche aktualisiert" in line
    ]
    assert events[:2] == ["build", "index"], log
    assert "index" in events[2:], log


REPEATED_PREVIEW_BUILDS = """
import gc, sys, weakref
from pathlib import Path
sys.path.insert(0, {root!r})
from pelican import signals
from tools.preview import build_once

builds = []

def finalized(generator):
    builds.append([weakref.ref(article) for article in generator.articles])

signals.article_generator_finalized.connect(finalized, weak=False)
article = Path({article!r})
for _ in range(3):
    article.write_text(article.read_text("utf-8") + "\\nNachtrag.\\n", "utf-8")
    problems = build_once(Path({settings!r}), Path({content!r}), Path({output!r}))
    assert not problems, problems
gc.unfreeze()
gc.collect()
print([(len(build), sum(ref() is not None for ref in build)) for build in builds])
"""


def test_preview_builds_let_the_earlier_builds_content_go(tmp_path):
    """``invoke livereload`` builds again and again in one process: the
    articles of an earlier build must not stay in memory (Pelican's memoized
    ``get_content`` held every one of them, 16 MB per save at 1,000 news)."""
    content = write_files(tmp_path / "content", MINIMAL_SITE)
    article = next(content.glob("news/*.md"))
    script = REPEATED_PREVIEW_BUILDS.format(
        root=str(ROOT),
        article=str(article),
        settings=str(project_settings(tmp_path)),
        content=str(content),
        output=str(tmp_path / "output"),
    )
    result = run_script(script)
    assert result.returncode == 0, result.stderr[-3000:]
    made_and_alive = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    # Each build made the article again; none of them is still in memory.
    assert made_and_alive == [(1, 0), (1, 0), (1, 0)], made_and_alive


def _indexed_text(output: Path) -> bytes:
    """The text of every page in pagefind's fragments (gzip, then JSON)."""
    return b"".join(
        gzip.decompress(fragment.read_bytes())
        for fragment in (output / "pagefind" / "fragment").glob("*.pf_fragment")
    )


def test_a_link_to_a_draft_warns_in_preview_and_stops_publishing(site_dir):
    files = dict(SCHEDULING_SITE)
    files["news/verweis.md"] = """
        Title: Verweis auf den Entwurf
        Date: 2024-03-21
        Category: Innovation

        Siehe [Entwurf]({filename}/news/entwurf.md).
        """
    write_files(site_dir / "content", files)
    check = _invoke("check", "--content", str(site_dir / "content"))
    assert check.returncode == 0, check.stdout
    assert (
        'content/news/verweis.md:5: warning: Link target "{filename}/news/entwurf.md" is a draft, '
        "so the link leads nowhere on the published site — publish the target first or remove the link"
    ) in check.stdout.splitlines()
    publish = build_site(
        site_dir / "content", site_dir / "output", settings="publishconf.py"
    )
    assert publish.returncode == 1
    assert "news/verweis.md" in publish.log
    assert not (site_dir / "output").exists()


def test_a_link_to_scheduled_news_warns_unless_the_linking_text_waits_too(site_dir):
    files = dict(SCHEDULING_SITE)
    files["news/frueher.md"] = """
        Title: Früher Verweis
        Date: 2024-03-21
        Category: Innovation

        Siehe [morgen]({filename}/news/geplant.md).
        """
    files["news/spaeter.md"] = f"""
        Title: Späterer Verweis
        Date: {SCHEDULED:%Y-%m-%d}
        Category: Innovation

        Siehe [morgen]({{filename}}/news/geplant.md).
        """
    write_files(site_dir / "content", files)
    check = _invoke("check", "--content", str(site_dir / "content"))
    assert check.returncode == 0, check.stdout
    assert check.stdout.splitlines() == [
        f'content/news/frueher.md:5: warning: Link target "{{filename}}/news/geplant.md" is scheduled for {SCHEDULED:%Y-%m-%d}, '
        "so the link leads nowhere on the published site until then — give this text the same date or a later one, or remove the link",
        "check: 9 files, 0 errors, 1 warning",
    ]
