"""incremental: rebuilds redo only what changed and never serve stale output.

Every case builds a fixture site twice (or more) into the same output with
real Pelican, then compares the result byte for byte with a fresh build of
the same sources without the plugin: the cache may only ever save work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.support import MINIMAL_SITE, ROOT, build_site, snapshot, write_files

NEWS = {
    "news/2024-05-02-ausbildung.md": """
        Title: Ausbildungsmesse in Wolfsburg
        Date: 2024-05-02
        Category: Fachkräfte
        Tags: Ausbildung
        Summary: Betriebe stellen Ausbildungsberufe vor.

        Über 80 Betriebe stellen sich vor.
        """,
    "news/2024-06-10-wasserstoff.md": """
        Title: Wasserstoff für den Hafen
        Date: 2024-06-10
        Category: Innovation
        Tags: Wasserstoff
        Summary: Ein Elektrolyseur für den Binnenhafen.

        Der Hafen bekommt einen Elektrolyseur.
        """,
    "news/2024-07-01-gruendung.md": """
        Title: Gründerpreis vergeben
        Date: 2024-07-01
        Category: Innovation
        Tags: Gründung
        Summary: Drei Start-ups ausgezeichnet.

        Mehr bei [der Initiative]({filename}/initiatives/zukunftsregion.md).
        """,
    "partners.yml": """
        - id: stadt-musterstadt
          name: Stadt Musterstadt
          type: kommune
          region: Südostniedersachsen
        """,
}

EDITED = "news/2024-05-02-ausbildung.md"
EDITED_PAGE = "aktuelles/ausbildungsmesse-in-wolfsburg/index.html"
OTHER_PAGE = "aktuelles/wasserstoff-fuer-den-hafen/index.html"
OTHER_TAG = "aktuelles/schlagwort/wasserstoff/index.html"


class Site:
    """A fixture site with one output folder that is rebuilt in place."""

    def __init__(self, base: Path, **overrides) -> None:
        self.base = base
        self.content = write_files(base / "content", {**MINIMAL_SITE, **NEWS})
        self.output = base / "output"
        self.cache = base / "cache"
        self.overrides = {"CACHE_PATH": str(self.cache), **overrides}

    def build(self, **overrides):
        result = build_site(
            self.content, self.output, overrides={**self.overrides, **overrides}
        )
        assert result.ok, result.log
        return result

    def stats(self) -> dict:
        (found,) = self.cache.glob("incremental/*/stats.json")
        return json.loads(found.read_text("utf-8"))

    def mtimes(self) -> dict[str, int]:
        return {
            str(p.relative_to(self.output)): p.stat().st_mtime_ns
            for p in self.output.rglob("*")
            if p.is_file()
        }

    def assert_same_as_fresh_build(self, **overrides) -> None:
        """The incremental output equals a clean build without the plugin."""
        fresh = self.base / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        result = build_site(
            self.content,
            fresh,
            overrides={
                **self.overrides,
                **overrides,
                "INCREMENTAL_ENABLED": False,
                "CACHE_PATH": str(self.base / "fresh-cache"),
            },
        )
        assert result.ok, result.log
        assert_same_files(fresh, self.output)


def comparable(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "sitemap.xml":  # lastmod of index pages is the build time
        data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
    return data


def assert_same_files(expected: Path, actual: Path) -> None:
    expected_files = sorted(
        str(p.relative_to(expected)) for p in expected.rglob("*") if p.is_file()
    )
    actual_files = sorted(
        str(p.relative_to(actual)) for p in actual.rglob("*") if p.is_file()
    )
    assert actual_files == expected_files
    different = [
        name
        for name in expected_files
        if comparable(expected / name) != comparable(actual / name)
    ]
    assert different == []


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_nothing_changed_rewrites_no_file(site):
    site.build()
    assert site.stats()["rendered"], "the first build renders every page"
    before = site.mtimes()

    site.build()

    assert site.stats()["skipped"] is True
    assert site.stats()["rendered"] == []
    assert site.mtimes() == before


#: Worker processes for reading, keys and rendering even on a small site.
PARALLEL = {"INCREMENTAL_PARALLEL_MIN_FILES": 1, "INCREMENTAL_PARALLEL_MIN_PAGES": 1}


@pytest.mark.parametrize("workers", ["serial", "parallel"])
def test_edited_article_rerenders_only_pages_that_show_it(tmp_path, workers):
    # In parallel, keys are computed in worker processes: they must be the
    # same as the previous build's for every page that does not show the edit.
    site = Site(tmp_path, **(PARALLEL if workers == "parallel" else {}))
    site.build()
    before = site.mtimes()
    path = site.content / EDITED
    path.write_text(
        path.read_text("utf-8") + "\nNeu: Anmeldung ab sofort.\n", encoding="utf-8"
    )

    site.build()

    stats = site.stats()
    rendered = set(stats["rendered"])
    for expected in (
        EDITED_PAGE,
        "aktuelles/index.html",
        "aktuelles/thema/fachkraefte/index.html",
        "aktuelles/schlagwort/ausbildung/index.html",
        "feeds/aktuelles.atom.xml",
        "feeds/thema/fachkraefte.atom.xml",
    ):
        assert expected in rendered
    for untouched in (
        OTHER_PAGE,
        OTHER_TAG,
        "aktuelles/thema/innovation/index.html",
        "initiativen/zukunftsregion-hannover-hildesheim/index.html",
        "impressum/index.html",
    ):
        assert untouched not in rendered
        assert site.mtimes()[untouched] == before[untouched]
    assert stats["reused"] > len(rendered)
    assert "Anmeldung ab sofort" in (site.output / EDITED_PAGE).read_text("utf-8")
    # Re-rendered pages whose bytes are unchanged keep their modification time.
    assert set(stats["written"]) < rendered
    after = site.mtimes()
    for name in rendered - set(stats["written"]):
        assert after[name] == before[name], name
    # The pages this build kept are recorded as found: another edit again
    # renders only the pages that show it.
    path.write_text(path.read_text("utf-8") + "\nNoch ein Nachtrag.\n", "utf-8")
    site.build()
    assert set(site.stats()["rendered"]) == rendered
    site.assert_same_as_fresh_build()


def test_renamed_and_deleted_articles_disappear(site):
    site.build()
    old = site.content / EDITED
    text = old.read_text("utf-8").replace(
        "Title: Ausbildungsmesse in Wolfsburg", "Title: Berufemesse in Wolfsburg"
    )
    old.unlink()
    (site.content / "news/2024-05-02-berufemesse.md").write_text(text, "utf-8")
    (site.content / "news/2024-06-10-wasserstoff.md").unlink()

    site.build()

    assert not (site.output / EDITED_PAGE).exists()
    assert not (site.output / EDITED_PAGE).parent.exists()
    assert not (site.output / OTHER_PAGE).exists()
    assert not (site.output / OTHER_TAG).exists()
    assert (site.output / "aktuelles/berufemesse-in-wolfsburg/index.html").exists()
    news_list = (site.output / "aktuelles/index.html").read_text("utf-8")
    assert "/aktuelles/berufemesse-in-wolfsburg/" in news_list
    assert "wasserstoff-fuer-den-hafen" not in news_list
    assert set(site.stats()["removed"]) >= {EDITED_PAGE, OTHER_PAGE, OTHER_TAG}
    site.assert_same_as_fresh_build()


def test_changed_template_rerenders_everything(site):
    theme = site.base / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site.overrides["THEME"] = str(theme)
    site.build()
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text("utf-8").replace("<body", "<body data-version=2"), "utf-8"
    )

    site.build()

    stats = site.stats()
    assert stats["reused"] == 0
    assert len(stats["rendered"]) == stats["pages"]
    assert "data-version=2" in (site.output / OTHER_PAGE).read_text("utf-8")
    site.assert_same_as_fresh_build()


def test_changed_setting_rerenders_everything(site):
    site.build()

    site.build(SITESUBTITLE="Ein neuer Untertitel")

    stats = site.stats()
    assert stats["reused"] == 0
    assert len(stats["rendered"]) == stats["pages"]
    assert "Ein neuer Untertitel" in (site.output / OTHER_PAGE).read_text("utf-8")
    site.assert_same_as_fresh_build(SITESUBTITLE="Ein neuer Untertitel")


def test_changed_plugin_code_rerenders_everything_but_a_changed_test_does_not(
    site,
):
    extra = site.base / "more-plugins"
    write_files(extra, {"helper.py": "LIMIT = 1\n", "test_helper.py": "X = 1\n"})
    site.overrides["PLUGIN_PATHS"] = [str(ROOT / "plugins"), str(extra)]
    site.build()

    (extra / "test_helper.py").write_text("X = 2\n", "utf-8")
    site.build()
    assert site.stats()["skipped"] is True

    (extra / "helper.py").write_text("LIMIT = 2\n", "utf-8")
    site.build()
    stats = site.stats()
    assert stats["reused"] == 0
    assert len(stats["rendered"]) == stats["pages"]


def test_changed_jinja_options_do_not_reuse_compiled_templates(site):
    """Jinja's bytecode cache is keyed by template source only: templates
    compiled with other options (``trim_blocks``) must not be reused."""
    site.build()
    assert list(site.cache.glob("incremental/jinja-*/*.cache"))
    page = (site.output / OTHER_PAGE).read_text("utf-8")
    options = {"trim_blocks": False, "lstrip_blocks": False, "autoescape": True}

    site.build(JINJA_ENVIRONMENT=options)

    assert (site.output / OTHER_PAGE).read_text("utf-8") != page
    site.assert_same_as_fresh_build(JINJA_ENVIRONMENT=options)


def test_a_changed_site_address_reaches_what_templates_compiled_in(site):
    """Jinja works out a filter with constant arguments when it compiles a
    template (``"/" | absolute_url`` in the structured data): templates kept
    from a build with another ``SITEURL`` carried the old address."""
    site.build(SITEURL="https://eins.example.org")

    site.build(SITEURL="https://zwei.example.org")

    home = (site.output / "index.html").read_text("utf-8")
    assert '"url":"https://zwei.example.org/"' in home
    assert "eins.example.org" not in home
    site.assert_same_as_fresh_build(SITEURL="https://zwei.example.org")


def test_changing_the_number_of_processes_keeps_the_cache(site):
    # How the work is split never changes the output, so it must not cost a
    # full rebuild (an editor who sets INCREMENTAL_PROCESSES=1 to debug).
    site.build()
    before = site.mtimes()

    site.build(INCREMENTAL_PROCESSES=1, **PARALLEL)

    assert site.stats()["skipped"] is True
    assert site.mtimes() == before


IN_PARALLEL = {"INCREMENTAL_PROCESSES": 2, **PARALLEL}
SERIALLY = {"INCREMENTAL_PROCESSES": 1}


@pytest.mark.parametrize(
    ("first", "then"),
    [(IN_PARALLEL, SERIALLY), (SERIALLY, IN_PARALLEL)],
    ids=["parallel-then-serial", "serial-then-parallel"],
)
def test_keys_are_the_same_in_parallel_and_serial(site, first, then):
    # A parallel build digests the content objects in workers first and
    # hands the digests to the key workers; a serial build digests them
    # while keying pages. Both must give every page the same key.
    site.build(**first)
    before = site.mtimes()
    source = site.content / EDITED
    source.write_bytes(source.read_bytes())  # a newer time, the same bytes

    site.build(**then)

    stats = site.stats()
    assert stats["skipped"] is False
    assert stats["rendered"] == []
    assert stats["reused"] == stats["pages"]
    assert site.mtimes() == before


def test_debug_logging_keeps_the_cache(site):
    # `pelican -D` sets DEBUG: more log lines, the same pages. Before, a run
    # with -D and the next one without each rebuilt everything.
    site.build()
    before = site.mtimes()

    site.build(DEBUG=True)

    assert site.stats()["skipped"] is True
    assert site.mtimes() == before


def test_changed_data_file_rerenders_everything(site):
    # A data file no plugin tracks: some extension might render it anywhere.
    data = site.content / "termine.yml"
    data.write_text("- datum: 2024-09-01\n", "utf-8")
    site.build()
    data.write_text("- datum: 2024-09-02\n", "utf-8")

    site.build()

    assert site.stats()["reused"] == 0
    site.assert_same_as_fresh_build()


def test_changed_partner_registry_rerenders_only_pages_showing_partners(site):
    """The partners plugin tracks its registry (INCREMENTAL_TRACKED_DATA_FILES)."""
    initiative = site.content / "initiatives" / "zukunftsregion.md"
    initiative.write_text(
        initiative.read_text("utf-8").replace(
            "Field: Regionalentwicklung",
            "Field: Regionalentwicklung\nPartners: stadt-musterstadt",
        ),
        "utf-8",
    )
    edited = site.content / EDITED
    edited.write_text(
        edited.read_text("utf-8") + "\n[partner: stadt-musterstadt]\n", "utf-8"
    )
    site.build()
    registry = site.content / "partners.yml"
    registry.write_text(
        registry.read_text("utf-8").replace("Stadt Musterstadt", "Stadt Neustadt"),
        "utf-8",
    )

    site.build()

    rendered = set(site.stats()["rendered"])
    assert {
        "initiativen/zukunftsregion-hannover-hildesheim/index.html",  # partner list
        "partner/index.html",  # the directory
        EDITED_PAGE,  # the [partner: …] list in its text
    } <= rendered
    assert OTHER_PAGE not in rendered
    assert site.stats()["reused"] > 0
    site.assert_same_as_fresh_build()
    assert "Stadt Neustadt" in (site.output / EDITED_PAGE).read_text("utf-8")


def test_output_file_removed_by_hand_is_written_again(site):
    site.build()
    (site.output / OTHER_PAGE).unlink()

    site.build()

    assert site.stats()["rendered"] == [OTHER_PAGE]
    assert (site.output / OTHER_PAGE).exists()
    site.assert_same_as_fresh_build()


def test_parallel_build_equals_serial_build(tmp_path):
    many = {
        f"news/2023-01-{day:02d}-meldung-{day}.md": f"""
            Title: Meldung Nummer {day} über Ausbildung
            Date: 2023-01-{day:02d}
            Category: {"Fachkräfte" if day % 2 else "Innovation"}
            Tags: Tag{day % 5}, Ausbildung
            Summary: Kurzfassung {day}.

            ## Abschnitt {day}

            - Punkt eins
            - Punkt zwei

            Siehe [Meldung 1]({{filename}}/news/2023-01-01-meldung-1.md).
            """
        for day in range(1, 29)
    }
    parallel = Site(tmp_path / "parallel")
    write_files(parallel.content, many)
    parallel_result = parallel.build(
        INCREMENTAL_PROCESSES=2,
        INCREMENTAL_PARALLEL_MIN_FILES=1,
        INCREMENTAL_PARALLEL_MIN_PAGES=1,
    )
    serial = Site(tmp_path / "serial")
    write_files(serial.content, many)
    serial.build(INCREMENTAL_PROCESSES=1)

    assert "Traceback" not in parallel_result.log
    assert_same_files(serial.output, parallel.output)
    parallel.assert_same_as_fresh_build()

    # A rebuild in parallel after an edit equals a serial one, too.
    for site in (parallel, serial):
        path = site.content / "news/2023-01-01-meldung-1.md"
        path.write_text(path.read_text("utf-8").replace("Punkt eins", "Punkt 1"))
    parallel.build(
        INCREMENTAL_PROCESSES=2,
        INCREMENTAL_PARALLEL_MIN_FILES=1,
        INCREMENTAL_PARALLEL_MIN_PAGES=1,
    )
    serial.build(INCREMENTAL_PROCESSES=1)
    assert 0 < len(parallel.stats()["rendered"]) < parallel.stats()["pages"]
    assert_same_files(serial.output, parallel.output)


def test_the_pages_are_read_by_the_news_items_workers(tmp_path):
    """One pool of workers reads the news items and then the pages, rather
    than a second pool forked for a few dozen pages after the news."""
    site = Site(tmp_path)
    news = len(list((site.content / "news").rglob("*.md")))
    files = len(list(site.content.rglob("*.md")))
    assert 0 < news < files
    # Enough files for workers only when the pages count with the news.
    site.build(INCREMENTAL_PROCESSES=2, INCREMENTAL_PARALLEL_MIN_FILES=files)
    # Every text came from the workers: Pelican read none itself.
    assert site.stats()["reads"] == {"cached": files, "read": 0}
    site.assert_same_as_fresh_build()


# --- reader calls: what Markdown extensions consult is checked on cache hits --


def test_replaced_inline_photo_and_changed_partner_list_are_not_served_from_cache(
    tmp_path,
):
    from tests.images import photo

    site = Site(tmp_path, IMAGE_CREDITS_CACHE_PATH=str(tmp_path / "images-cache"))
    write_files(
        site.content,
        {
            "images/a.jpg": photo(900, 600, color="navy", artist="Anna Alt"),
            "pages/bilder.md": """
                Title: Bilder
                Summary: Ein Foto im Text.

                ![Zwei Personen am Messestand](/images/a.jpg)
                """,
            "news/2024-08-01-partner.md": """
                Title: Unsere Partner
                Date: 2024-08-01
                Category: Fachkräfte
                Summary: Die Partner der Zukunftsregion.

                [partner: zukunftsregion]
                """,
            "initiatives/zukunftsregion.md": """
                Title: Zukunftsregion Hannover-Hildesheim
                Summary: Vier kommunale Partner, ein Zukunftskonzept.
                Region: Hannover-Hildesheim
                Field: Regionalentwicklung
                Partners: stadt-musterstadt

                Text.
                """,
        },
    )
    site.build()
    assert "Anna Alt" in (site.output / "bilder/index.html").read_text("utf-8")

    # An unrelated edit: the Markdown image is read from the cache, and its
    # usage still reaches the Bildnachweis.
    impressum = site.content / "pages/impressum.md"
    impressum.write_text(impressum.read_text("utf-8") + "\nNeu.\n", "utf-8")
    site.build()
    assert site.stats()["reads"]["read"] == 1
    credits = (site.output / "bildnachweis/index.html").read_text("utf-8")
    assert "Anna Alt" in credits and "/bilder/" in credits

    # The photo is replaced (other size, other photographer): the page that
    # shows it in its text is read and rendered again.
    (site.content / "images/a.jpg").write_bytes(
        photo(1200, 500, color="olive", artist="Bernd Neu")
    )
    site.build()
    page = (site.output / "bilder/index.html").read_text("utf-8")
    assert "Bernd Neu" in page and "Anna Alt" not in page
    site.assert_same_as_fresh_build()

    # The initiative's partners change: the news item listing them follows.
    initiative = site.content / "initiatives/zukunftsregion.md"
    initiative.write_text(
        initiative.read_text("utf-8").replace(
            "Partners: stadt-musterstadt", "Partners:"
        ),
        "utf-8",
    )
    site.build()
    assert "Stadt Musterstadt" not in (
        site.output / "aktuelles/unsere-partner/index.html"
    ).read_text("utf-8")
    site.assert_same_as_fresh_build()


def test_files_other_plugins_write_are_kept_and_removed_like_pages(site):
    path = site.content / EDITED
    text = path.read_text("utf-8")
    path.write_text(text.replace("Date:", "Aliases: /alte-messe/\nDate:"), "utf-8")
    site.build()
    assert (site.output / "alte-messe/index.html").exists()

    impressum = site.content / "pages/impressum.md"
    impressum.write_text(impressum.read_text("utf-8") + "\nNeu.\n", "utf-8")
    site.build()  # the redirect page from the last build is no clash
    assert (site.output / "alte-messe/index.html").exists()

    path.write_text(text, "utf-8")
    site.build()
    assert not (site.output / "alte-messe/index.html").exists()
    site.assert_same_as_fresh_build()


# --- the page store (INCREMENTAL_STORE_PAGES: builds into an empty folder) ---

STORE = {"INCREMENTAL_STORE_PAGES": True}


def _set_aside(site: Site, name: str) -> Path:
    """Move the output away: the next build starts from an empty folder at the
    same path, as ``invoke publish`` does with ``.publish/staging``."""
    aside = site.base / name
    site.output.rename(aside)
    return aside


def _edit(site: Site) -> None:
    path = site.content / EDITED
    path.write_text(path.read_text("utf-8") + "\nNeu: Anmeldung ab Mai.\n", "utf-8")


def test_an_empty_folder_gets_the_stored_pages_linked_not_rendered(tmp_path):
    site = Site(tmp_path, **STORE)
    site.build()
    first = _set_aside(site, "first")

    site.build()

    stats = site.stats()
    assert stats["rendered"] == [] and stats["reused"] == stats["pages"] > 10
    assert_same_files(first, site.output)
    # One file, linked from the store into both folders.
    page = site.output / OTHER_PAGE
    assert os.path.samestat(page.stat(), (first / OTHER_PAGE).stat())


def test_an_edit_renders_its_pages_into_the_empty_folder_and_links_the_rest(
    tmp_path,
):
    site = Site(tmp_path, **STORE)
    site.build()
    _set_aside(site, "first")
    _edit(site)

    site.build()

    rendered = set(site.stats()["rendered"])
    assert EDITED_PAGE in rendered and OTHER_PAGE not in rendered
    assert "Anmeldung ab Mai" in (site.output / EDITED_PAGE).read_text("utf-8")
    site.assert_same_as_fresh_build()


def test_a_stored_page_changed_in_place_is_rendered_again(tmp_path):
    site = Site(tmp_path, **STORE)
    site.build()
    # Same length, other bytes, written through the link into the store.
    page = site.output / OTHER_PAGE
    with page.open("r+b") as handle:
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace(b"Hafen", b"HAFEN"))
    shutil.rmtree(site.output)

    site.build()

    assert OTHER_PAGE in site.stats()["rendered"]
    site.assert_same_as_fresh_build()


def test_a_build_into_linked_pages_replaces_them_and_leaves_other_folders_alone(
    tmp_path,
):
    """A development build into a published folder (its pages linked from the
    store, as are an older release's) must not write through the links."""
    site = Site(tmp_path, **STORE)
    site.build()
    release = _set_aside(site, "release")
    site.build()
    before = snapshot(release)
    _edit(site)

    site.build(INCREMENTAL_STORE_PAGES=False)

    assert snapshot(release) == before
    assert "Anmeldung ab Mai" in (site.output / EDITED_PAGE).read_text("utf-8")
    site.assert_same_as_fresh_build()
