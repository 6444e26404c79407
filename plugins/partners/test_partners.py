"""The partners plugin, built for real: fixture sites through Pelican's CLI.

One good site (module fixture) serves the rendering tests; two broken sites
collect many errors in one build each (diagnostics reports all problems of
a build at once), and each error case is its own parametrized test.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tests.support import MINIMAL_SITE, Build, build_site, write_files

from .references import Reference, parse_references

#: Long enough that Rich never wraps a diagnostics line in the log.
WIDE = {"COLUMNS": "2000"}


def png(width: int = 120, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 74, 134)).save(buffer, "PNG")
    return buffer.getvalue()


REGISTRY = """
    # Partnerregister der Testseite
    - id: allianz-fuer-die-region
      name: Allianz für die Region GmbH
      type: netzwerk
      region: Braunschweig-Wolfsburg
      website: https://www.allianz-fuer-die-region.de
      logo: images/logos/allianz.png

    - id: ihk-lueneburg-wolfsburg
      name: IHK Lüneburg-Wolfsburg
      type: kammer
      region: Nordostniedersachsen
      website: https://www.ihk-lueneburg.de

    - id: aerztekammer-musterland
      name: Ärztekammer Musterland
      type: kammer
      region: Musterland

    - id: landkreis-harburg
      name: Landkreis Harburg
      type: kommune
      region: Nordostniedersachsen

    - id: stadt-musterstadt
      name: Stadt Musterstadt
      type: kommune
      region: Südostniedersachsen

    - id: mueller-soehne
      name: "Müller & Söhne </script> GmbH"
      type: unternehmen
      region: Südostniedersachsen

    - id: hochschule-beispielfeld
      name: Hochschule Beispielfeld
      type: hochschule
      region: Beispielfeld
    """

GOOD_SITE = {
    **MINIMAL_SITE,
    "partners.yml": REGISTRY,
    "images/logos/allianz.png": png(),
    # Read before the initiatives: lists of an initiative come from its header.
    "news/2024-05-01-partner.md": """
        Title: Partner im Überblick
        Date: 2024-05-01
        Category: Fachkräfte

        Die Partner des Bündnisses:

        [partner: buendnis-sued]

        Alle Kammern:

        [partner: type=kammer]
        Dieser Satz folgt direkt auf die Liste.

        Die Kammern der Allianz Nordost:

        [partner: allianz-nordost type=kammer]

        So sieht die Syntax aus:

            [partner: gibt-es-nicht]

        ~~~
        [partner: auch-nicht]
        ~~~

        Im Fließtext bleibt [partner: type=kammer] einfach Text.
        """,
    "initiatives/buendnis-sued.md": """
        Title: Fachkräftebündnis Süd
        Summary: Ein Bündnis mit <em>vier</em> Partnern.
        Region: Südostniedersachsen
        Partners: allianz-fuer-die-region (koordiniert), stadt-musterstadt,
            ihk-lueneburg-wolfsburg (Gründungspartner, seit 2015), mueller-soehne

        Text.
        """,
    "initiatives/allianz-nordost.md": """
        Title: Allianz Nordost
        Summary: Drei Partner im Nordosten.
        Region: Nordostniedersachsen
        Partners: ihk-lueneburg-wolfsburg (Initiator), landkreis-harburg, aerztekammer-musterland

        Text.
        """,
    "pages/netzwerk.md": """
        Title: Netzwerk
        Slug: netzwerk

        Über den Slug statt den Dateinamen, und einzelne Partner:

        [partner: fachkraeftebuendnis-sued]

        [partner: landkreis-harburg, stadt-musterstadt]
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Build:
    base = tmp_path_factory.mktemp("partners-site")
    write_files(base / "content", GOOD_SITE)
    result = build_site(base / "content", base / "output", env=WIDE)
    assert result.ok, result.log
    return result


def texts(tags) -> list[str]:
    return [" ".join(tag.get_text(" ", strip=True).split()) for tag in tags]


# --- the initiative page -----------------------------------------------------


def test_initiative_lists_partners_grouped_by_type_with_counts(site):
    page = site.html("/initiativen/fachkraeftebuendnis-sued/")
    section = page.select_one("section.partners")
    assert texts([section.h2]) == ["Partner (4)"]
    # Groups follow the vocabulary's order; partners keep the editor's order.
    assert texts(section.select("h3")) == [
        "Kommunen und Landkreise (1)",
        "Kammern (1)",
        "Netzwerke und Initiativen (1)",
        "Unternehmen (1)",
    ]
    assert len(section.select(".partner-card")) == 4
    names = texts(section.select(".partner-card__name"))
    assert names == [
        "Stadt Musterstadt",
        "IHK Lüneburg-Wolfsburg",
        "Allianz für die Region GmbH",
        "Müller & Söhne </script> GmbH",
    ]


def test_initiative_partner_cards_have_links_roles_and_logos(site):
    section = site.html("/initiativen/fachkraeftebuendnis-sued/").select_one(
        "section.partners"
    )
    cards = {
        card.select_one(".partner-card__name").get_text(strip=True): card
        for card in section.select(".partner-card")
    }
    allianz = cards["Allianz für die Region GmbH"]
    link = allianz.select_one("a")
    assert link["href"] == "https://www.allianz-fuer-die-region.de"
    assert "external" in link["rel"]
    assert allianz.select_one(".partner-card__role").get_text() == "koordiniert"
    logo = allianz.select_one("img")
    assert logo["src"] == "/images/logos/allianz.png"
    assert (logo["width"], logo["height"]) == ("120", "60")
    assert site.file("/images/logos/allianz.png").exists()
    # A role may contain a comma; the field may wrap onto an indented line.
    ihk = cards["IHK Lüneburg-Wolfsburg"]
    assert ihk.select_one(".partner-card__role").get_text() == (
        "Gründungspartner, seit 2015"
    )
    # No website: the name is plain text, no logo: no image.
    stadt = cards["Stadt Musterstadt"]
    assert stadt.select_one("a") is None and stadt.select_one("img") is None
    assert section.select_one("p.more a")["href"] == "/partner/"


def test_initiative_json_ld_is_an_organization_with_members(site):
    page = site.html("/initiativen/fachkraeftebuendnis-sued/")
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    raw = scripts[0].string
    assert "</script" not in raw.lower()  # the name cannot end the element
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Fachkräftebündnis Süd"
    assert data["url"] == "http://127.0.0.1:8000/initiativen/fachkraeftebuendnis-sued/"
    assert data["description"] == "Ein Bündnis mit vier Partnern."
    members = data["member"]
    assert len(members) == 4
    coordinator = members[0]
    assert coordinator["@type"] == "OrganizationRole"
    assert coordinator["roleName"] == "koordiniert"
    assert coordinator["member"]["name"] == "Allianz für die Region GmbH"
    assert coordinator["member"]["url"] == "https://www.allianz-fuer-die-region.de"
    assert coordinator["member"]["logo"].endswith("/images/logos/allianz.png")
    assert members[1] == {
        "@type": "Organization",
        "name": "Stadt Musterstadt",
        "@id": "http://127.0.0.1:8000/partner/#partner-stadt-musterstadt",
        "areaServed": "Südostniedersachsen",
    }
    assert members[3]["name"] == "Müller & Söhne </script> GmbH"


# --- the directory -----------------------------------------------------------


def test_directory_groups_all_partners_by_type_with_counts(site):
    page = site.html("/partner/")
    assert page.h1.get_text() == "Partner"
    assert "(7)" in page.select_one(".lead").get_text()
    headings = texts(page.select("main h2"))
    assert headings == [
        "Kommunen und Landkreise (2)",
        "Kammern (2)",
        "Hochschulen und Forschung (1)",
        "Netzwerke und Initiativen (1)",
        "Unternehmen (1)",
    ]
    kammern = page.select_one("#typ-kammer").find_parent("section")
    # Alphabetical in German: "Ä" sorts with "A".
    assert texts(kammern.select(".partner-entry__name")) == [
        "Ärztekammer Musterland",
        "IHK Lüneburg-Wolfsburg",
    ]


def test_directory_jump_links_lead_to_each_type(site):
    page = site.html("/partner/")
    links = page.select("nav.jump-links a")
    assert texts(links)[1] == "Kammern (2)"
    for link in links:
        target = page.find(id=link["href"].removeprefix("#"))
        assert target is not None and target.name == "h2"
        assert target.get_text(" ", strip=True) == link.get_text(strip=True)


def test_directory_links_back_to_the_initiatives_of_each_partner(site):
    page = site.html("/partner/")
    ihk = page.select_one("#partner-ihk-lueneburg-wolfsburg")
    backlinks = ihk.select(".partner-entry__initiatives a")
    assert [(a.get_text(), a["href"]) for a in backlinks] == [
        ("Allianz Nordost", "/initiativen/allianz-nordost/"),
        ("Fachkräftebündnis Süd", "/initiativen/fachkraeftebuendnis-sued/"),
    ]
    line = " ".join(ihk.select_one(".partner-entry__initiatives").get_text().split())
    assert "Allianz Nordost (Initiator)" in line
    assert "Fachkräftebündnis Süd (Gründungspartner, seit 2015)" in line
    for link in backlinks:
        assert site.file(link["href"]).exists()
    lonely = page.select_one("#partner-hochschule-beispielfeld")
    assert lonely.select_one(".partner-entry__initiatives") is None


def test_directory_is_in_menu_and_sitemap(site):
    nav = site.html("/partner/").select_one("nav.site-nav")
    current = nav.select_one("a[aria-current=page]")
    assert (current.get_text(), current["href"]) == ("Partner", "/partner/")
    root = ET.parse(site.output / "sitemap.xml").getroot()
    locs = {
        e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert any(loc.endswith("/partner/") for loc in locs)


# --- [partner: …] in texts -----------------------------------------------------


def _lists(page):
    return page.select(".prose ul.partner-list, article ul.partner-list")


def test_markdown_lists_the_partners_of_an_initiative_grouped(site):
    article = site.html("/aktuelles/partner-im-ueberblick/")
    first = _lists(article)[0]
    assert texts(first.select(".partner-list__type")) == [
        "Kommunen und Landkreise (1)",
        "Kammern (1)",
        "Netzwerke und Initiativen (1)",
        "Unternehmen (1)",
    ]
    entries = texts(first.select(".partner-list__partner"))
    assert "Allianz für die Region GmbH (koordiniert)" in entries
    assert "Müller & Söhne </script> GmbH" in entries
    link = first.select_one("a[href='https://www.ihk-lueneburg.de']")
    assert link.get_text() == "IHK Lüneburg-Wolfsburg"


def test_markdown_lists_all_partners_of_a_type_and_filters(site):
    article = site.html("/aktuelles/partner-im-ueberblick/")
    lists = _lists(article)
    assert len(lists) == 3
    by_type = lists[1]
    assert texts(by_type.select(".partner-list__type")) == ["Kammern (2)"]
    assert texts(by_type.select(".partner-list__partner")) == [
        "Ärztekammer Musterland",
        "IHK Lüneburg-Wolfsburg",
    ]
    # The line right below the marker stays a paragraph of its own.
    following = by_type.find_next_sibling("p")
    assert following.get_text() == "Dieser Satz folgt direkt auf die Liste."
    filtered = lists[2]
    assert texts(filtered.select(".partner-list__partner")) == [
        "IHK Lüneburg-Wolfsburg (Initiator)",
        "Ärztekammer Musterland",
    ]


def test_markdown_leaves_code_and_running_text_alone(site):
    article = site.html("/aktuelles/partner-im-ueberblick/")
    code = texts(article.select("pre code"))
    assert code == ["[partner: gibt-es-nicht]", "[partner: auch-nicht]"]
    assert any(
        p == "Im Fließtext bleibt [partner: type=kammer] einfach Text."
        for p in texts(article.select("p"))
    )


def test_markdown_accepts_initiative_slug_and_partner_ids(site):
    page = site.html("/netzwerk/")
    by_slug, by_ids = _lists(page)
    assert len(by_slug.select(".partner-list__partner")) == 4
    assert texts(by_ids.select(".partner-list__type")) == [
        "Kommunen und Landkreise (2)"
    ]
    assert texts(by_ids.select(".partner-list__partner")) == [
        "Landkreis Harburg",
        "Stadt Musterstadt",
    ]


# --- errors: the registry ------------------------------------------------------

BROKEN_REGISTRY = """\
- id: ihk-lueneburg-wolfsburg
  name: IHK Lüneburg-Wolfsburg
  type: kammer
  region: Nordost
  website: https://www.ihk.de

- id: ihk-lueneburg-wolfsburg
  name: IHK doppelt
  type: kammer
  region: Nordost

- id: landkreis-ohne-typ
  name: Landkreis ohne Typ
  region: Nord

- id: stadt-kamer
  name: Stadt Kamer
  type: kamer
  region: Nord

- id: verband-url
  name: Verband mit kaputter Adresse
  type: verband
  region: Nord
  website: www.verband example.de

- id: hochschule-logo
  name: Hochschule ohne Logo
  type: hochschule
  region: Nord
  logo: images/logos/fehlt.png

- name: Namenlos ohne Kennung
  type: verband
  region: Nord

- id: ohne-name
  type: verband
  region: Nord
  webseite: https://www.example.org

- id: Falsche_Kennung
  name: Falsche Kennung
  type: verband
  region: Nord

- id: logo-ausserhalb
  name: Logo außerhalb
  type: verband
  region: Nord
  logo: logos/ausserhalb.png
"""


@pytest.fixture(scope="module")
def broken_registry(tmp_path_factory) -> Build:
    base = tmp_path_factory.mktemp("partners-broken-registry")
    files = {
        **MINIMAL_SITE,
        "partners.yml": BROKEN_REGISTRY,
        "logos/ausserhalb.png": png(),
        "initiatives/buendnis.md": """
            Title: Bündnis
            Partners: ihk-lueneburg-wolfsburg, stadt-kamer, verband-url

            Text.
            """,
    }
    write_files(base / "content", files)
    return build_site(base / "content", base / "output", env=WIDE)


def problem_lines(result: Build) -> list[str]:
    return [
        line for line in result.log.splitlines() if re.search(r"\.(yml|md):\d+", line)
    ]


def assert_reported(result: Build, location: str, *parts: str) -> None:
    lines = [line for line in problem_lines(result) if location in line]
    assert any(all(p in line for p in parts) for line in lines), (
        f"no line with {location} and {parts}:\n" + "\n".join(problem_lines(result))
    )


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        pytest.param(
            7,
            ['partner "ihk-lueneburg-wolfsburg"', "duplicate id", "entry at line 1"],
            id="duplicate-id",
        ),
        pytest.param(
            12,
            ['partner "landkreis-ohne-typ"', "required field 'type' is missing"],
            id="missing-type",
        ),
        pytest.param(
            33, ["entry 7 (line 33)", "required field 'id' is missing"], id="missing-id"
        ),
        pytest.param(
            37,
            ['partner "ohne-name"', "required field 'name' is missing"],
            id="missing-name",
        ),
        pytest.param(
            18,
            [
                'partner "stadt-kamer"',
                'type "kamer" is not in the vocabulary',
                '"kammer"',
            ],
            id="type-outside-vocabulary",
        ),
        pytest.param(
            25,
            ['partner "verband-url"', 'website "www.verband example.de"', "https://"],
            id="malformed-url",
        ),
        pytest.param(
            31,
            [
                'partner "hochschule-logo"',
                'logo file "images/logos/fehlt.png" does not exist',
            ],
            id="missing-logo",
        ),
        pytest.param(
            42,
            ['partner "Falsche_Kennung"', "may only contain a-z, 0-9 and hyphens"],
            id="malformed-id",
        ),
        pytest.param(
            51,
            ['partner "logo-ausserhalb"', "outside the folders copied", "images"],
            id="logo-not-published",
        ),
        pytest.param(
            40,
            ["warning", 'unknown field "webseite"', 'did you mean "website"'],
            id="unknown-field-warning",
        ),
    ],
)
def test_registry_error_names_entry_and_line(broken_registry, line, parts):
    assert broken_registry.returncode == 1
    assert_reported(broken_registry, f"partners.yml:{line}:", *parts)


def test_broken_registry_stops_the_build_cleanly(broken_registry):
    assert broken_registry.returncode == 1
    assert "Traceback" not in broken_registry.log
    assert "Build stopped" in broken_registry.log
    assert not broken_registry.output.exists(), "nothing half-written"
    # Partners with a bad field are still known: no follow-up "unknown id".
    assert "unknown partner id" not in broken_registry.log


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    files = {
        **MINIMAL_SITE,
        "partners.yml": (
            "- id: ihk-lueneburg-wolfsburg\n"
            "  name: IHK Lüneburg-Wolfsburg\n"
            "  type: kammer\n"
            "  region: Nordost\n"
            "- id: netzwerk\n"
            "  name: Netzwerk: Region Süd\n"
            "  type: netzwerk\n"
        ),
        "initiatives/buendnis.md": """
            Title: Bündnis
            Partners: ihk-lueneburg-wolfsburg, netzwerk

            Text.
            """,
    }
    write_files(tmp_path / "content", files)
    result = build_site(tmp_path / "content", tmp_path / "output", env=WIDE)
    assert result.returncode == 1
    assert_reported(result, "partners.yml:6:", "YAML syntax error (line 6, column 17)")
    assert "in quotes" in result.log
    assert "Traceback" not in result.log
    # One mistake, one message: references are not checked against a broken file.
    assert "unknown partner id" not in result.log
    assert not (tmp_path / "output").exists()


# --- errors: references --------------------------------------------------------


@pytest.fixture(scope="module")
def broken_references(tmp_path_factory) -> Build:
    base = tmp_path_factory.mktemp("partners-broken-references")
    files = {
        **MINIMAL_SITE,
        "partners.yml": REGISTRY,
        "images/logos/allianz.png": png(),
        "initiatives/buendnis.md": """
            Title: Bündnis
            Region: Süd
            Partners: allianz-fuer-die-region (koordiniert), stadt-musterstadt,
                ihk-lueneburg (Gründungspartner), stadt-musterstadt

            Text.
            """,
        "initiatives/kaputt.md": """
            Title: Kaputt
            Partners: landkreis-harburg (koordiniert

            Text.
            """,
        "news/2024-06-01-text.md": """
            Title: Meldung mit Partnerliste
            Date: 2024-06-01
            Category: Fachkräfte

            Einleitung.

            [partner: bundnis]

            [partner: type=kammern]

            [partner: buendnis farbe=blau]
            """,
    }
    write_files(base / "content", files)
    return build_site(base / "content", base / "output", env=WIDE)


def test_unknown_partner_on_initiative_names_file_id_and_closest(broken_references):
    assert broken_references.returncode == 1
    assert_reported(
        broken_references,
        "initiatives/buendnis.md:4:",
        'unknown partner id "ihk-lueneburg"',
        "closest known ids: ihk-lueneburg-wolfsburg",
    )


def test_partner_listed_twice_is_a_warning(broken_references):
    assert_reported(
        broken_references,
        "initiatives/buendnis.md:3:",
        "warning",
        'partner "stadt-musterstadt" is listed twice',
    )


def test_unreadable_reference_names_the_file(broken_references):
    assert_reported(
        broken_references,
        "initiatives/kaputt.md:2:",
        'cannot read the partner reference "landkreis-harburg (koordiniert"',
    )


def test_unknown_id_in_text_names_file_line_and_closest(broken_references):
    assert_reported(
        broken_references,
        "news/2024-06-01-text.md:7:",
        'names unknown id "bundnis"',
        "closest known ids: buendnis",
    )


def test_unknown_type_in_text_names_file_and_closest_type(broken_references):
    assert_reported(
        broken_references,
        "news/2024-06-01-text.md:9:",
        'unknown partner type "kammern"',
        'did you mean "kammer"',
    )


def test_unknown_filter_in_text_is_an_error(broken_references):
    assert_reported(
        broken_references, "news/2024-06-01-text.md:11:", 'unknown filter "farbe"'
    )
    assert "Traceback" not in broken_references.log
    assert not broken_references.output.exists()


def test_reference_without_registry_says_to_create_it(tmp_path):
    files = {
        **MINIMAL_SITE,
        "initiatives/buendnis.md": """
            Title: Bündnis
            Partners: ihk-lueneburg-wolfsburg

            Text.
            """,
    }
    write_files(tmp_path / "content", files)
    result = build_site(tmp_path / "content", tmp_path / "output", env=WIDE)
    assert result.returncode == 1
    assert_reported(
        result,
        "initiatives/buendnis.md:2:",
        'unknown partner id "ihk-lueneburg-wolfsburg"',
        "create",
    )


def test_unknown_id_in_text_read_by_worker_processes_is_reported(tmp_path):
    """Cold builds read in forked workers (plugins/incremental): no state is lost."""
    files = {
        **MINIMAL_SITE,
        "partners.yml": REGISTRY,
        "images/logos/allianz.png": png(),
    }
    for number in range(6):
        files[f"news/2024-06-0{number + 1}-n.md"] = f"""
            Title: Meldung {number}
            Date: 2024-06-0{number + 1}
            Category: Fachkräfte

            [partner: {"type=kammer" if number else "ihk-lueneburg-wolfsbrug"}]
            """
    write_files(tmp_path / "content", files)
    result = build_site(
        tmp_path / "content",
        tmp_path / "output",
        overrides={"INCREMENTAL_PARALLEL_MIN_FILES": 1, "INCREMENTAL_PROCESSES": 2},
        env=WIDE,
    )
    assert result.returncode == 1
    assert_reported(
        result,
        "news/2024-06-01-n.md:5:",
        'names unknown id "ihk-lueneburg-wolfsbrug"',
        "ihk-lueneburg-wolfsburg",
    )


# --- rebuilds --------------------------------------------------------------------


def test_lists_in_texts_follow_registry_and_initiative_edits(tmp_path):
    """A rebuild into the same folder (reader cache warm) shows the new data."""
    write_files(tmp_path / "content", GOOD_SITE)
    first = build_site(tmp_path / "content", tmp_path / "output", env=WIDE)
    assert first.ok, first.log
    registry = tmp_path / "content" / "partners.yml"
    registry.write_text(
        registry.read_text("utf-8").replace("IHK Lüneburg-Wolfsburg", "IHK Neu"),
        "utf-8",
    )
    initiative = tmp_path / "content" / "initiatives" / "allianz-nordost.md"
    initiative.write_text(
        initiative.read_text("utf-8").replace(", aerztekammer-musterland", ""), "utf-8"
    )
    second = build_site(tmp_path / "content", tmp_path / "output", env=WIDE)
    assert second.ok, second.log
    lists = _lists(second.html("/aktuelles/partner-im-ueberblick/"))
    assert "IHK Neu (Gründungspartner, seit 2015)" in texts(
        lists[0].select(".partner-list__partner")
    )
    assert texts(lists[2].select(".partner-list__partner")) == ["IHK Neu (Initiator)"]
    directory = second.html("/partner/")
    assert directory.select_one("#partner-ihk-lueneburg-wolfsburg h3").get_text() == (
        "IHK Neu"
    )


# --- once per build ------------------------------------------------------------


def test_registry_is_loaded_and_initiatives_scanned_once_per_build(
    tmp_path, monkeypatch
):
    """In process, to count calls: one load for a build with many lookups."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from tests.support import ROOT

    from . import plugin

    calls = {"load": 0, "scan": 0}
    load, scan = plugin.load_registry, plugin.scan_initiatives

    def counting_load(*args, **kwargs):
        calls["load"] += 1
        return load(*args, **kwargs)

    def counting_scan(*args, **kwargs):
        calls["scan"] += 1
        return scan(*args, **kwargs)

    monkeypatch.setattr(plugin, "load_registry", counting_load)
    monkeypatch.setattr(plugin, "scan_initiatives", counting_scan)
    write_files(tmp_path / "content", GOOD_SITE)
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "output"),
        },
    )
    Pelican(settings).run()
    assert calls == {"load": 1, "scan": 1}
    assert (tmp_path / "output" / "partner" / "index.html").exists()


# --- the reference parser ------------------------------------------------------


def test_parse_references_reads_roles_wrapped_lines_and_bad_items():
    value = [
        "allianz-fuer-die-region (koordiniert), ihk (Vereinbarung 2020, verlängert),",
        "landkreis-harburg,, stadt  ( Gast )",
        "kaputt (ohne ende, zweites",
    ]
    references, unreadable = parse_references(value)
    assert references == [
        Reference("allianz-fuer-die-region", "koordiniert"),
        Reference("ihk", "Vereinbarung 2020, verlängert"),
        Reference("landkreis-harburg"),
        Reference("stadt", "Gast"),
    ]
    assert unreadable == ["kaputt (ohne ende, zweites"]
