"""The search plugin on fixture sites: index built, only main content, failures loud.

The browser tests (tests/test_browser.py) search the demo site for real.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.bundle import cbor_strings
from search.indexer import _executable, _sync_pages, pagefind_options
from search.parts import Page, _matching, split
from search.plugin import DEFAULTS
from search.trim import trimmed
from tests.support import MINIMAL_SITE, build_site, write_files


def _build(tmp_path, **kwargs):
    write_files(tmp_path / "content", MINIMAL_SITE)
    return build_site(tmp_path / "content", tmp_path / "output", **kwargs)


def test_build_writes_a_german_index_of_content_pages_only(tmp_path):
    result = _build(tmp_path)
    assert result.ok, result.log
    bundle = result.output / "pagefind"
    assert (bundle / "pagefind.js").exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    marked = [
        page
        for page in result.pages()
        if "data-pagefind-body" in page.read_text("utf-8")
    ]
    # article, initiative, campaign, Impressum and the partner directory (its
    # names are worth finding) — no news lists, no search page
    assert len(marked) == 5
    assert entry["languages"]["de"]["page_count"] == len(marked)
    assert "data-pagefind-body" not in result.file("/aktuelles/").read_text()
    assert re.search(
        r"Suche: 5 Seiten, 1 von 1 Teilindizes neu indexiert in [\d.]+ s", result.log
    )
    assert "data-pagefind-body" not in result.file("/suche/").read_text()


def test_search_page_and_menu_entry(tmp_path):
    result = _build(tmp_path)
    page = result.html("/suche/")
    assert page.select_one("form[role=search] input[name=q]")
    script = page.select_one("script[type=module]")["src"]
    assert re.fullmatch(r"/theme/js/search\.[0-9a-f]{8,}\.js", script), script
    assert result.file(script).exists()
    assert not page.select("script:not([src]):not([type='application/ld+json'])")
    assert page.select_one(".site-nav a[href='/suche/']").get_text() == "Suche"


def test_search_can_be_switched_off(tmp_path):
    result = _build(tmp_path, overrides={"SEARCH_ENABLED": False})
    assert result.ok, result.log
    assert not (result.output / "pagefind").exists()


def test_a_broken_pagefind_fails_the_build_with_a_message(tmp_path):
    result = _build(tmp_path, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert result.returncode != 0
    assert "search: pagefind failed" in result.log
    assert "Traceback" not in result.log


def test_an_index_folder_outside_the_output_fails_the_build_with_a_message(tmp_path):
    """Found while scanning, before pagefind runs: reported the same way."""
    result = _build(tmp_path, overrides={"SEARCH_OUTPUT_SUBDIR": "../pagefind"})
    assert result.returncode != 0
    assert "search: SEARCH_OUTPUT_SUBDIR must lie inside" in result.log
    assert "Traceback" not in result.log
    assert not (tmp_path / "pagefind").exists()


def _bundle_files(output: Path) -> dict[str, int]:
    bundle = output / "pagefind"
    return {
        p.relative_to(bundle).as_posix(): p.stat().st_mtime_ns
        for p in bundle.rglob("*")
        if p.is_file()
    }


def test_rebuild_reuses_the_index_and_leaves_no_stale_files(tmp_path):
    """After an edit the bundle is exactly a clean build's, and index files
    of unchanged pages are not written again (deploys upload only changes)."""
    first = _build(tmp_path)
    assert first.ok, first.log
    before = _bundle_files(first.output)
    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(
        article.read_text("utf-8") + "\nNeu: Wasserstoffzentrum eröffnet.\n", "utf-8"
    )
    (tmp_path / "content" / "pages" / "impressum.md").unlink()
    again = build_site(tmp_path / "content", tmp_path / "output")
    assert again.ok, again.log
    after = _bundle_files(again.output)

    clean = build_site(tmp_path / "content", tmp_path / "clean")
    assert clean.ok, clean.log
    assert set(after) == set(_bundle_files(clean.output))
    kept = [name for name in after if name in before and name.startswith("fragment/")]
    assert kept, "fragments of unchanged pages should survive"
    assert all(after[name] == before[name] for name in kept)
    assert set(before) - set(after), "the edited and deleted pages' files are gone"


def test_a_deleted_index_is_built_again_though_nothing_else_changed(tmp_path):
    first = _build(tmp_path)
    assert first.ok, first.log
    shutil.rmtree(first.output / "pagefind")

    again = build_site(tmp_path / "content", tmp_path / "output")

    assert again.ok, again.log
    assert (again.output / "pagefind" / "pagefind.js").exists()
    entry = json.loads((again.output / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["de"]["page_count"] == 5


def test_a_deferred_index_is_left_to_the_caller_and_keeps_the_caches(tmp_path):
    """``SEARCH_DEFER`` (the live preview) changes when, not what: no full rebuild."""
    first = _build(tmp_path)
    assert first.ok, first.log
    entry = first.output / "pagefind" / "pagefind-entry.json"
    written = entry.stat().st_mtime_ns
    article = next((tmp_path / "content" / "news").glob("*.md"))
    article.write_text(article.read_text("utf-8") + "\nNachtrag.\n", "utf-8")

    deferred = build_site(
        tmp_path / "content", tmp_path / "output", overrides={"SEARCH_DEFER": True}
    )

    assert deferred.ok, deferred.log
    assert "Suche:" not in deferred.log
    assert entry.stat().st_mtime_ns == written, "the caller builds the index"
    stats = json.loads(
        next(
            (tmp_path / ".build-cache" / "incremental").glob("*/stats.json")
        ).read_text()
    )
    assert 0 < len(stats["rendered"]) < stats["pages"], "only what shows the edit"


def test_an_unreadable_index_is_rebuilt_from_scratch(tmp_path):
    first = _build(tmp_path)
    assert first.ok, first.log
    for meta in (first.output / "pagefind").glob("pagefind.*.pf_meta"):
        meta.write_bytes(b"kaputt")
    stray = first.output / "pagefind" / "fragment" / "de_stray.pf_fragment"
    stray.write_bytes(b"x")
    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(article.read_text("utf-8") + "\nNachtrag.\n", "utf-8")
    again = build_site(tmp_path / "content", tmp_path / "output")
    assert again.ok, again.log
    clean = build_site(tmp_path / "content", tmp_path / "clean")
    assert set(_bundle_files(again.output)) == set(_bundle_files(clean.output))


# --- an index in parts ---------------------------------------------------------

PARTS = {"SEARCH_PART_PAGES": 2}  # 5 indexed pages: three parts


def test_a_large_index_is_built_in_parts_that_share_one_bundle(tmp_path):
    # One pagefind at a time: the pages of the second and third part are
    # linked only when their turn comes (IndexPlan.run).
    result = _build(tmp_path, overrides={**PARTS, "SEARCH_PROCESSES": 1})
    assert result.ok, result.log
    assert re.search(r"Suche: 5 Seiten, 3 von 3 Teilindizes neu indexiert", result.log)
    parts = result.search_parts()
    assert list(parts) == ["", "teil-1/", "teil-2/"]
    urls = [url for part in parts.values() for url in part]
    assert len(urls) == len(set(urls)) == 5, parts  # every page in exactly one part
    assert "/impressum/" in urls and all(parts.values())
    bundle = result.output / "pagefind"
    for folder in ("teil-1", "teil-2"):
        # an index only: the browser loads JavaScript and WebAssembly once
        names = {path.name for path in (bundle / folder).iterdir()}
        assert "pagefind-entry.json" in names and "fragment" in names
        assert not any(name.endswith((".js", ".css", ".pagefind")) for name in names)
    assert (bundle / "pagefind.js").exists() and (bundle / "wasm.de.pagefind").exists()


def test_parts_indexed_at_once_keep_to_cores_of_their_own(tmp_path):
    # Two pagefind processes at a time, each on its own core; an edit's one
    # part (one process) may use every core.
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    if len(cores) < 2:
        pytest.skip("needs a machine with two cores")
    log = tmp_path / "affinity.log"
    real = _executable()
    wrapper = tmp_path / "pagefind-logging-its-cores"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        f"with open({str(log)!r}, 'a') as log:\n"
        "    print(*sorted(os.sched_getaffinity(0)), file=log)\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    wrapper.chmod(0o755)
    env = {"PAGEFIND_BINARY_PATH": str(wrapper)}
    settings = {**PARTS, "SEARCH_PROCESSES": 2}

    first = _build(tmp_path, overrides=settings, env=env)

    assert first.ok, first.log
    assert re.search(r"Suche: 5 Seiten, 3 von 3 Teilindizes neu indexiert", first.log)
    masks = [frozenset(map(int, line.split())) for line in log.read_text().splitlines()]
    assert len(masks) == 3
    shares = set(masks)
    assert len(shares) == 2, masks  # one share per process slot
    one, other = shares
    assert one and other and not one & other and one | other <= cores

    log.unlink()
    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(article.read_text("utf-8") + "\nNeu: ein Absatz.\n", "utf-8")
    again = build_site(
        tmp_path / "content", tmp_path / "output", overrides=settings, env=env
    )
    assert again.ok, again.log
    assert re.search(r"Suche: 5 Seiten, 1 von 3 Teilindizes neu indexiert", again.log)
    assert [set(map(int, line.split())) for line in log.read_text().splitlines()] == [
        cores
    ]


def test_an_edit_builds_only_the_part_of_the_edited_page_again(tmp_path):
    first = _build(tmp_path, overrides=PARTS)
    assert first.ok, first.log
    before = _bundle_files(first.output)
    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(
        article.read_text("utf-8") + "\nNeu: Wasserstoffzentrum eröffnet.\n", "utf-8"
    )

    again = build_site(tmp_path / "content", tmp_path / "output", overrides=PARTS)

    assert again.ok, again.log
    assert re.search(r"Suche: 5 Seiten, 1 von 3 Teilindizes neu indexiert", again.log)
    after = _bundle_files(again.output)
    edited = next(
        folder
        for folder, urls in again.search_parts().items()
        if "/aktuelles/jahresauftakt-der-zukunftsregion/" in urls
    )
    untouched = [
        name
        for name in before
        if name.startswith("teil-") and not name.startswith(edited or "-")
    ]
    assert untouched and all(after[name] == before[name] for name in untouched)
    clean = build_site(tmp_path / "content", tmp_path / "clean", overrides=PARTS)
    assert set(after) == set(_bundle_files(clean.output))


def test_a_deleted_part_or_fewer_parts_are_built_again(tmp_path):
    first = _build(tmp_path, overrides=PARTS)
    assert first.ok, first.log
    shutil.rmtree(first.output / "pagefind" / "teil-2")
    again = build_site(tmp_path / "content", tmp_path / "output", overrides=PARTS)
    assert re.search(r"1 von 3 Teilindizes neu", again.log), again.log
    assert "teil-2/" in again.search_parts()
    # Builds that keep their output store no copies (SEARCH_STORE_PARTS).
    assert not (tmp_path / ".build-cache" / "search" / "bundles").exists()

    whole = build_site(
        tmp_path / "content", tmp_path / "output", overrides={"SEARCH_PART_PAGES": 10}
    )

    assert whole.ok, whole.log
    assert re.search(r"1 von 1 Teilindizes neu", whole.log), whole.log
    assert not list((whole.output / "pagefind").glob("teil-*"))
    assert list(whole.search_parts()) == [""]
    assert len(whole.search_parts()[""]) == 5
    # The removed parts are no longer part of the build's record: the next
    # build finds everything in place and takes the "nothing changed" path.
    same = build_site(
        tmp_path / "content", tmp_path / "output", overrides={"SEARCH_PART_PAGES": 10}
    )
    assert same.ok and "Suche:" not in same.log, same.log


def test_the_folder_pagefind_reads_follows_the_output(tmp_path):
    # A part's pages are cut or linked into a folder that is kept between
    # builds; it must always hold exactly the part's pages as they are now.
    output, farm = tmp_path / "output", tmp_path / "cache" / "pages" / "teil-1"
    pages = ["aktuelles/eins/index.html", "aktuelles/zwei/index.html", "x.html"]
    marked = "aktuelles/vier/index.html"
    for page in [*pages, marked]:
        (output / page).parent.mkdir(parents=True, exist_ok=True)
        (output / page).write_text(f"<main>{page}</main>", "utf-8")
    (output / marked).write_text(
        "<html lang=de><header>Menü</header><main data-pagefind-body>vier</main>"
    )
    time.sleep(0.05)  # the copies are made later than the pages (change time)

    def held() -> dict[str, bytes]:
        return {
            str(p.relative_to(farm)): p.read_bytes()
            for p in farm.rglob("*")
            if p.is_file()
        }

    def expected(listed) -> dict[str, bytes]:
        whole = {page: (output / page).read_bytes() for page in listed}
        return {page: trimmed(data) or data for page, data in whole.items()}

    _sync_pages(output, farm, [*pages, marked])
    assert held() == expected([*pages, marked])
    assert b"Men" not in held()[marked]  # cut down to <main>
    cut_before = (farm / marked).stat()

    (output / pages[0]).write_text("<main>neu, an Ort und Stelle</main>", "utf-8")
    replacement = output / "neu.tmp"
    replacement.write_text("<main>ersetzt</main>", "utf-8")
    replacement.replace(output / pages[1])  # a new file under the old name
    (output / "drei.html").write_text("<main>drei</main>", "utf-8")
    now = [pages[0], pages[1], "drei.html", marked]  # x.html left the part
    _sync_pages(output, farm, now)

    assert held() == expected(now)
    assert (farm / marked).stat().st_ino == cut_before.st_ino  # not cut again
    (output / marked).write_text("<main data-pagefind-body>fünf</main>", "utf-8")
    # The reproducible plugin gives every page of a build the same time.
    same = cut_before.st_mtime_ns
    os.utime(output / marked, ns=(same, same))
    _sync_pages(output, farm, [pages[0], marked])
    assert held() == expected([pages[0], marked])
    assert "fünf" in (farm / marked).read_text("utf-8")
    assert not (farm / "aktuelles" / "zwei").exists()  # emptied folders go


def test_pages_are_cut_for_pagefind_and_index_as_whole_ones(tmp_path):
    # The folder pagefind reads holds each page cut down to its <main>
    # (search.trim); the index must be byte for byte the one pagefind makes
    # from the whole pages of the output.
    result = _build(tmp_path)
    assert result.ok, result.log
    farm = tmp_path / ".build-cache" / "search" / "pages" / "teil-0"
    cut = (farm / "impressum" / "index.html").read_text("utf-8")
    assert cut.startswith('<!doctype html>\n<html lang="de"><head><title>')
    assert "<main" in cut and "data-pagefind-body" in cut
    assert "site-header" not in cut and "application/ld+json" not in cut
    whole = tmp_path / "whole"
    settings = DEFAULTS  # pelicanconf.py keeps the plugin's search options
    subprocess.run(
        [
            _executable(),
            "--site",
            str(result.output),
            *pagefind_options(settings),
            "--output-path",
            str(whole),
        ],
        check=True,
        capture_output=True,
    )
    built = {
        path: data
        for path, data in _bundle_bytes(result.output).items()
        if path != "parts.json"
    }
    assert built == {
        p.relative_to(whole).as_posix(): p.read_bytes()
        for p in whole.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("page", "why"),
    [
        (b"<html lang='de'><body><main>x</main></body></html>", "no marker"),
        (
            b"<html><body><main data-pagefind-body>a</main>"
            b"<main data-pagefind-body>b</main></body></html>",
            "two <main>",
        ),
        (
            b'<html><head><meta data-pagefind-filter="typ[content]" content="x">'
            b"</head><body><main data-pagefind-body>a</main></body></html>",
            "a filter outside <main>",
        ),
        (
            b"<html><body><main-nav data-pagefind-body>a</main-nav></body></html>",
            "another element",
        ),
        (b"<html><body><main data-pagefind-body>a</body></html>", "not closed"),
    ],
)
def test_a_page_that_cutting_could_change_is_given_whole(page, why):
    assert trimmed(page) is None, why


def test_a_cut_page_keeps_language_title_and_main():
    page = (
        b'<!doctype html>\n<html lang="de" dir="ltr">\n<head><meta charset="utf-8">'
        b"<title>Fachkr\xc3\xa4fte \xe2\x80\x93 Site</title><script>x</script></head>"
        b'<body><header>Men\xc3\xbc</header><main id="inhalt" data-pagefind-body>'
        b"<h1>Fachkr\xc3\xa4fte</h1></main><footer>Impressum</footer></body></html>"
    )
    assert trimmed(page) == (
        b'<!doctype html>\n<html lang="de" dir="ltr"><head>'
        b"<title>Fachkr\xc3\xa4fte \xe2\x80\x93 Site</title></head><body>"
        b'<main id="inhalt" data-pagefind-body><h1>Fachkr\xc3\xa4fte</h1></main>'
        b"</body></html>\n"
    )


def test_the_page_walk_finds_what_glob_finds(tmp_path):
    # The scan walks the output itself for "**/*.html" (faster than glob
    # among thousands of image variants); it must find the same files.
    for name in [
        "index.html",
        "aktuelles/eins/index.html",
        "aktuelles/eins/bild.webp",
        "aktuelles/zwei/tief/index.html",
        ".versteckt/index.html",
        "aktuelles/.entwurf.html",
        "feeds/alle.atom.xml",
        "seite.htm",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html></html>", "utf-8")
    (tmp_path / "verlinkt").symlink_to(tmp_path / "aktuelles" / "zwei")
    for pattern in [
        "**/*.html",
        "**/*.xml",
        "aktuelles/**/*.html",
        "**/index.*",
        "**/*",
    ]:
        expected = sorted(glob.glob(pattern, root_dir=tmp_path, recursive=True))
        assert sorted(_matching(tmp_path, pattern)) == expected, pattern
    assert "verlinkt/tief/index.html" in _matching(tmp_path, "**/*.html")


def test_a_page_keeps_its_part_when_others_are_added():
    def pages(names):
        return [Page(f"aktuelles/{name}/index.html", 1, 1, True) for name in names]

    names = [f"meldung-{number}" for number in range(36)]  # 4 parts, and with 2 more
    before = {
        page.path: part.folder
        for part in split(pages(names), 10)
        for page in part.pages
    }
    after = {
        page.path: part.folder
        for part in split(pages([*names, "neu-1", "neu-2"]), 10)
        for page in part.pages
    }
    assert len(set(before.values())) == 4
    assert all(after[path] == folder for path, folder in before.items())
    assert all(part.pages for part in split(pages(names[:3]), 1))  # never empty


def test_the_news_get_parts_of_their_own_and_the_other_pages_share_one():
    # An initiative or registry edit changes the home page, the overview and
    # the directory: they are re-indexed together, in one small part.
    news = [Page(f"aktuelles/meldung-{n}/index.html", 1, 1, True) for n in range(30)]
    others = [
        Page(path, 1, 1, True)
        for path in [
            "index.html",
            "partner/index.html",
            "impressum/index.html",
            *(f"initiativen/initiative-{n}/index.html" for n in range(5)),
        ]
    ]
    parts = split([*news, *others], 10)
    assert [part.folder for part in parts] == ["", "teil-1", "teil-2", "teil-3"]
    assert sorted(page.path for page in parts[0].pages) == sorted(
        page.path for page in others
    )
    assert sorted(page.path for part in parts[1:] for page in part.pages) == sorted(
        page.path for page in news
    )
    # A small site stays one part: no folder has more pages than a part.
    assert len(split([*news[:5], *others], 20)) == 1


def test_cbor_strings_finds_text_at_any_depth():
    # [ "1.5.2", [ ["de_a1", 54], ["de_b2", 56] ], {"k": "de_c3"}, h'00', 1.5 ]
    def text(value: str) -> str:
        return f"{0x60 + len(value):02x}" + value.encode().hex()

    data = bytes.fromhex(
        "85"
        + text("1.5.2")
        + "82"
        + ("82" + text("de_a1") + "1836")
        + ("82" + text("de_b2") + "1838")
        + ("a1" + text("k") + text("de_c3"))
        + "4100"  # a byte string
        + "f93e00"  # 1.5 as a half-precision float
    )
    assert cbor_strings(data) == {"1.5.2", "de_a1", "de_b2", "k", "de_c3"}


def _bundle_bytes(output: Path) -> dict[str, bytes]:
    bundle = output / "pagefind"
    return {
        p.relative_to(bundle).as_posix(): p.read_bytes()
        for p in bundle.rglob("*")
        if p.is_file()
    }


STORED = {**PARTS, "SEARCH_STORE_PARTS": True}


def _clean_bundle(tmp_path: Path) -> dict[str, bytes]:
    """The index of a build of the same content with a cache of its own."""
    clean = build_site(
        tmp_path / "content",
        tmp_path / "clean",
        overrides={**PARTS, "CACHE_PATH": str(tmp_path / "other-cache")},
    )
    assert clean.ok, clean.log
    return _bundle_bytes(clean.output)


def test_a_new_output_folder_takes_unchanged_parts_from_the_cache(tmp_path):
    """``invoke publish`` and CI build into new folders: parts whose pages have
    the same bytes are taken from the cache, and equal pagefind's own."""
    first = _build(tmp_path, overrides=STORED)
    assert first.ok, first.log

    second = build_site(tmp_path / "content", tmp_path / "second", overrides=STORED)

    assert second.ok, second.log
    assert "0 von 3 Teilindizes neu indexiert, 3 aus dem Cache übernommen" in second.log
    assert _bundle_bytes(second.output) == _bundle_bytes(first.output)

    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(
        article.read_text("utf-8") + "\nNeu: Wasserstoffzentrum eröffnet.\n", "utf-8"
    )
    third = build_site(tmp_path / "content", tmp_path / "third", overrides=STORED)

    assert third.ok, third.log
    assert "1 von 3 Teilindizes neu indexiert, 2 aus dem Cache übernommen" in third.log
    assert _bundle_bytes(third.output) == _clean_bundle(tmp_path)
    # The cache keeps the parts of the last build only.
    assert len(list((tmp_path / ".build-cache" / "search" / "bundles").iterdir())) == 3


def test_a_stored_part_changed_in_place_is_indexed_again_not_linked(tmp_path):
    """Stored parts are hard-linked into the output (not copied), so a file
    rewritten in place there changes the stored one: that part is indexed
    again, and the new output equals a clean build's."""
    first = _build(tmp_path, overrides=STORED)
    assert first.ok, first.log
    second = build_site(tmp_path / "content", tmp_path / "second", overrides=STORED)
    assert second.ok, second.log
    files = [p for p in (second.output / "pagefind").rglob("*") if p.is_file()]
    linked = [p for p in files if p.stat().st_nlink >= 2]
    assert len(linked) >= len(files) - 1  # all but parts.json
    changed = sorted((second.output / "pagefind" / "teil-1").rglob("*.pf_*"))[0]
    with changed.open("r+b") as handle:  # same size, other bytes
        data = handle.read()
        handle.seek(0)
        handle.write(bytes(b ^ 0xFF for b in data))

    third = build_site(tmp_path / "content", tmp_path / "third", overrides=STORED)

    assert third.ok, third.log
    assert "1 von 3 Teilindizes neu indexiert, 2 aus dem Cache übernommen" in third.log
    assert _bundle_bytes(third.output) == _clean_bundle(tmp_path)


def test_indexing_into_an_output_with_linked_parts_leaves_other_outputs_alone(
    tmp_path,
):
    """A development build into a published output (``output/`` points to the
    last publish): pagefind rewrites files of a part it indexes into in place,
    and must not write through the links into the store and other outputs."""
    first = _build(tmp_path, overrides=STORED)
    assert first.ok, first.log
    published = build_site(
        tmp_path / "content", tmp_path / "published", overrides=STORED
    )
    assert published.ok, published.log
    before = _bundle_bytes(first.output)
    article = tmp_path / "content" / "news" / "2024-03-12-jahresauftakt.md"
    article.write_text(
        article.read_text("utf-8") + "\nNeu: Wasserstoffzentrum eröffnet.\n", "utf-8"
    )

    again = build_site(tmp_path / "content", published.output, overrides=PARTS)

    assert again.ok, again.log
    assert re.search(r"1 von 3 Teilindizes neu", again.log), again.log
    assert _bundle_bytes(first.output) == before
    fresh = build_site(tmp_path / "content", tmp_path / "fresh", overrides=STORED)
    assert fresh.ok, fresh.log
    assert _bundle_bytes(fresh.output) == _bundle_bytes(again.output)


def test_an_unreadable_first_part_is_rebuilt_without_losing_the_others(tmp_path):
    """Rebuilding the first part from scratch empties its folder, ``pagefind/``,
    which also holds the other parts: those must stay."""
    first = _build(tmp_path, overrides=PARTS)
    assert first.ok, first.log
    bundle = first.output / "pagefind"
    # pagefind keeps an existing file of the same name: the broken metadata
    # stays, and only the entry file, deleted here, is written again.
    for meta in bundle.glob("pagefind.*.pf_meta"):
        meta.write_bytes(b"kaputt")
    (bundle / "pagefind-entry.json").unlink()

    again = build_site(tmp_path / "content", tmp_path / "output", overrides=PARTS)

    assert again.ok, again.log
    assert re.search(r"1 von 3 Teilindizes neu", again.log), again.log
    assert _bundle_bytes(again.output) == _clean_bundle(tmp_path)
