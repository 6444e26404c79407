"""Search engines and sharing: titles, descriptions, canonical URLs, Open
Graph and JSON-LD, checked on every HTML page of the demo site."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from tests.support import Build

SITE = "https://www.example.org"


def _url_of(site: Build, path) -> str:
    url = "/" + path.relative_to(site.output).as_posix()
    return url.removesuffix("index.html")


@pytest.fixture(scope="module")
def pages(demo_site) -> dict:
    """URL → parsed HTML of every page; the 404 page is not for search engines."""
    return {
        _url_of(demo_site, path): demo_site.html(_url_of(demo_site, path))
        for path in demo_site.pages()
        if path.name != "404.html"
    }


def _json_ld(soup) -> list[dict]:
    blocks = soup.find_all("script", type="application/ld+json")
    return [json.loads(block.string) for block in blocks]


def _of_type(soup, kind: str) -> list[dict]:
    return [block for block in _json_ld(soup) if block.get("@type") == kind]


def test_titles_are_unique(pages):
    titles = Counter(page.title.string.strip() for page in pages.values())
    repeated = {title: n for title, n in titles.items() if n > 1}
    assert not repeated, repeated


def test_descriptions_exist_and_are_unique(pages):
    descriptions = {}
    for url, page in pages.items():
        meta = page.find("meta", attrs={"name": "description"})
        assert meta and len(meta["content"]) >= 30, f"{url}: description too short"
        descriptions[url] = meta["content"]
    counts = Counter(descriptions.values())
    repeated = {u: d for u, d in descriptions.items() if counts[d] > 1}
    assert not repeated, repeated


def test_canonical_url_and_open_graph(pages):
    for url, page in pages.items():
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical == SITE + url, url

        def og(name, page=page):
            tag = page.find("meta", property=f"og:{name}")
            return tag["content"] if tag else None

        assert og("url") == canonical, url
        assert og("title") and og("title") in page.title.string, url
        assert og("description"), url
        assert og("type") in ("website", "article"), url
        assert og("locale") == "de_DE"
        image = og("image")
        if image:
            assert image.startswith(SITE + "/"), url


def test_every_json_ld_block_is_valid_json(pages):
    for url, page in pages.items():
        for block in _json_ld(page):  # json.loads raises on broken blocks
            assert block["@context"] == "https://schema.org", url


def test_articles_carry_news_article(demo_site, pages):
    articles = [
        (url, page)
        for url, page in pages.items()
        if page.find("meta", property="og:type", content="article")
    ]
    assert len(articles) >= 5
    for url, page in articles:
        (news,) = _of_type(page, "NewsArticle")
        assert news["headline"] == page.h1.get_text(strip=True), url
        published = dt.datetime.fromisoformat(news["datePublished"])
        assert published.date().isoformat() == page.find("time")["datetime"], url
        assert news["author"]["name"], url
        assert news["author"]["@type"] in ("Person", "Organization")
        assert news["mainEntityOfPage"] == SITE + url
        assert news["publisher"]["name"] == "RegioVerbund"
        assert news["image"], f"{url}: NewsArticle without image"
        for image in news["image"]:
            assert image.startswith(SITE + "/"), image
            assert demo_site.file(image.removeprefix(SITE)).exists(), image


def test_home_page_carries_organization(pages):
    (organization,) = _of_type(pages["/"], "Organization")
    assert organization["name"] == "RegioVerbund"
    assert organization["url"] == SITE + "/"
    assert organization["logo"].startswith(SITE + "/")
    assert "@" in organization["email"]


def test_breadcrumb_list_matches_the_visible_trail(pages):
    checked = 0
    for url, page in pages.items():
        trail = page.select(".breadcrumb li")
        lists = _of_type(page, "BreadcrumbList")
        if not trail:
            assert not lists, url
            continue
        (crumbs,) = lists
        elements = crumbs["itemListElement"]
        assert [e["name"] for e in elements] == [
            li.get_text(strip=True) for li in trail
        ], url
        assert [e["position"] for e in elements] == list(range(1, len(trail) + 1))
        for element, li in zip(elements[:-1], trail[:-1], strict=True):
            assert element["item"] == SITE + li.a["href"], url
        checked += 1
    assert checked >= 10
