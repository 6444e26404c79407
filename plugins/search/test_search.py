"""The search plugin on fixture sites: index built, only main content, failures loud.

The browser tests (tests/test_browser.py) search the demo site for real.
"""

from __future__ import annotations

import json
import re

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
