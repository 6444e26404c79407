"""The demo registry on the demo site: complete initiatives, directory, texts."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.support import DEMO_CONTENT

SUEDOST = "/initiativen/fachkraeftebuendnis-suedostniedersachsen/"
NORDOST = "/initiativen/allianz-fuer-fachkraefte-nordostniedersachsen/"


@pytest.mark.parametrize(("url", "expected"), [(SUEDOST, 28), (NORDOST, 14)])
def test_demo_initiatives_show_all_their_partners(demo_site, url, expected):
    page = demo_site.html(url)
    section = page.select_one("section.partners")
    assert section.h2.get_text(" ", strip=True) == f"Partner ({expected})"
    assert len(section.select(".partner-card")) == expected
    counts = [
        int(h3.select_one(".count").get_text().strip("()"))
        for h3 in section.select("h3")
    ]
    assert sum(counts) == expected
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert len(data["member"]) == expected


def test_nordost_has_six_landkreise_and_its_initiator(demo_site):
    section = demo_site.html(NORDOST).select_one("section.partners")
    kommunen = section.select_one("#partner-kommune").find_next_sibling("ul")
    assert len(kommunen.select(".partner-card")) == 6
    roles = [r.get_text() for r in section.select(".partner-card__role")]
    assert "Initiator" in roles


def test_demo_directory_lists_every_registry_entry_with_backlinks(demo_site):
    registry = yaml.safe_load((DEMO_CONTENT / "partners.yml").read_text("utf-8"))
    page = demo_site.html("/partner/")
    entries = page.select(".partner-entry")
    assert len(entries) == len(registry)
    assert {e["id"] for e in entries} == {f"partner-{p['id']}" for p in registry}
    ihk = page.select_one("#partner-ihk-lueneburg-wolfsburg")
    targets = {a["href"] for a in ihk.select(".partner-entry__initiatives a")}
    assert {SUEDOST, NORDOST} <= targets


def test_demo_news_lists_the_partners_of_the_alliance(demo_site):
    article = demo_site.html(
        "/aktuelles/28-partner-ein-ziel-das-fachkraeftebuendnis-suedostniedersachsen/"
    )
    listing = article.select_one(".prose ul.partner-list")
    assert len(listing.select(".partner-list__partner")) == 28
