"""Accessibility content required of public bodies (§ 4 BITV 2.0, § 12b BGG).

A page in Leichte Sprache linked from the home page; a
Barrierefreiheitserklärung that names its status, the known gaps, a feedback
contact (reachable from every page) and the Schlichtungsstelle.
"""

from __future__ import annotations

import re

FEEDBACK = "mailto:barrierefreiheit@example.org"
STATEMENT = "/barrierefreiheit/"


def test_home_page_links_to_leichte_sprache(demo_site):
    home = demo_site.html("/")
    links = home.select("main a[href='/leichte-sprache/']")
    assert links, "the home page must link the Leichte-Sprache page in its content"
    assert "Leichte" in links[0].get_text()
    page = demo_site.html("/leichte-sprache/")
    assert page.h1.get_text(strip=True) == "Leichte Sprache"


def test_statement_names_its_conformance_status(demo_site):
    text = demo_site.html(STATEMENT).select_one("main").get_text(" ")
    assert re.search(r"\b(vollständig|teilweise|nicht) vereinbar\b", text), (
        "the status must be one of the three BITV wordings"
    )


def test_statement_lists_the_known_gaps(demo_site):
    page = demo_site.html(STATEMENT)
    heading = next(
        h
        for h in page.select("main h2")
        if "nicht barrierefrei" in h.get_text().lower()
    )
    gaps = heading.find_next_sibling("ul").find_all("li")
    assert len(gaps) >= 1


def test_statement_names_feedback_contact_and_schlichtungsstelle(demo_site):
    page = demo_site.html(STATEMENT)
    assert page.select_one(f"main a[href='{FEEDBACK}']"), "feedback contact missing"
    text = page.select_one("main").get_text(" ")
    assert "Schlichtungsstelle" in text and "§ 16 BGG" in text


def test_feedback_contact_and_statement_are_reachable_from_every_page(demo_site):
    for path in demo_site.pages():
        url = "/" + path.relative_to(demo_site.output).as_posix()
        footer = demo_site.html(url).select_one("footer.site-footer")
        assert footer.select_one(f"a[href='{FEEDBACK}']"), url
        assert footer.select_one(f"a[href='{STATEMENT}']"), url
