"""The foundation: every content kind at its German URL, links, feeds, sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from tests.support import MINIMAL_SITE, build_site, links_in, write_files

SITE_HOST = "www.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- the demo site -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/aktuelles/",
        "/aktuelles/themen/",
        "/aktuelles/thema/fachkraefte/",
        "/aktuelles/schlagwoerter/",
        "/initiativen/",
        "/initiativen/fachkraeftebuendnis-suedostniedersachsen/",
        "/initiativen/allianz-fuer-fachkraefte-nordostniedersachsen/",
        "/initiativen/zukunftsregion-hannover-hildesheim/",
        "/initiativen/retrason/",
        "/kampagnen/tech-me-home/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
        "/404.html",
    ],
)
def test_every_kind_is_at_its_url(demo_site, url):
    page = demo_site.html(url)
    assert page.html["lang"] == "de"
    assert page.find("h1"), f"{url} has no h1"
    assert page.find("main", id="inhalt")
    assert page.title.string.strip().endswith("RegioVerbund")


def test_news_articles_live_under_aktuelles(demo_site):
    articles = sorted((demo_site.output / "aktuelles").glob("*/index.html"))
    slugs = {p.parent.name for p in articles} - {"themen", "schlagwoerter", "seite"}
    assert len(slugs) >= 5
    for slug in slugs:
        assert slug.isascii() and slug == slug.lower(), slug


def test_a_news_item_has_one_teaser_on_every_list(demo_site):
    """The news list, topics and tags show each item with the same teaser,
    linking to it under its own title (the theme keeps a teaser's markup per
    render process: ``once`` in index.html, from ``incremental``)."""
    seen: dict[str, str] = {}
    shown = 0
    for path in sorted((demo_site.output / "aktuelles").rglob("index.html")):
        url = "/" + path.relative_to(demo_site.output).parent.as_posix() + "/"
        teasers = demo_site.html(url).select("article.teaser")
        links = [teaser.select_one(".teaser__title a")["href"] for teaser in teasers]
        assert len(links) == len(set(links)), url
        for link, teaser in zip(links, teasers, strict=True):
            shown += 1
            if link not in seen:
                title = demo_site.html(link).h1.get_text(strip=True)
                assert teaser.select_one(".teaser__title").get_text(strip=True) == title
                seen[link] = str(teaser)
            assert str(teaser) == seen[link], (url, link)
    assert len(seen) >= 5
    assert shown >= 3 * len(seen)  # each item on several lists


def test_ten_owl_initiatives_and_overview_grouped_by_region(demo_site):
    overview = demo_site.html("/initiativen/")
    headings = [h.get_text(strip=True) for h in overview.select("main h2")]
    assert "Ostwestfalen-Lippe" in headings
    owl = next(
        h for h in overview.select("main h2") if h.get_text() == "Ostwestfalen-Lippe"
    )
    cards = owl.find_parent("section").select(".card")
    assert len(cards) == 10
    for card in cards:
        link = card.find("a")["href"]
        assert link.startswith("/initiativen/")
        assert demo_site.file(link).exists()


def test_initiative_profile_shows_structured_facts(demo_site):
    page = demo_site.html("/initiativen/allianz-fuer-fachkraefte-nordostniedersachsen/")
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in page.select(".facts dt")
    }
    assert facts["Region"] == "Nordostniedersachsen"
    assert "2,34" in facts["Förderung"]


def test_home_features_campaign_latest_news_and_initiatives(demo_site):
    home = demo_site.html("/")
    campaign = home.select_one(".campaign-teaser")
    assert campaign and "Tech me home" in campaign.get_text()
    assert campaign.select_one("a.button")["href"]
    assert len(home.select(".teaser")) >= 3
    assert len(home.select(".card")) >= 3


def test_campaign_landing_page(demo_site):
    page = demo_site.html("/kampagnen/tech-me-home/")
    assert "Deine Region. Deine Zukunft." in page.h1.get_text()
    assert page.select("a.button")
    assert len(page.select(".campaign__sections h2")) >= 3


def test_dates_are_german(demo_site):
    page = demo_site.html("/aktuelles/")
    dates = [t.get_text() for t in page.select("time")]
    assert dates
    months = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
    for text in dates:
        day, month, year = text.split(" ")
        assert day.endswith(".") and month in months.split() and year.isdigit(), text


def test_every_internal_link_and_image_resolves(demo_site):
    missing = []
    for path in demo_site.pages():
        soup = demo_site.html("/" + path.relative_to(demo_site.output).as_posix())
        for link in links_in(soup):
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel") or link.startswith("#"):
                continue
            if parts.netloc and parts.netloc != SITE_HOST:
                continue  # outbound, checked in the next test
            target = unquote(parts.path)
            if not target:
                continue
            if not demo_site.file(target).exists():
                missing.append(f"{path.relative_to(demo_site.output)} → {link}")
    assert not missing, "\n".join(missing)


def test_no_resource_or_link_to_another_host_outside_content(demo_site):
    offenders = []
    for path in demo_site.pages():
        soup = demo_site.html("/" + path.relative_to(demo_site.output).as_posix())
        for tag in soup.find_all(["link", "script", "img", "source", "iframe", "a"]):
            for attribute in ("href", "src", "srcset"):
                value = tag.get(attribute)
                if not value:
                    continue
                host = urlsplit(value.split()[0]).netloc
                if not host or host == SITE_HOST:
                    continue
                # Outbound links written by editors are allowed, never resources.
                in_content = tag.name == "a" and (
                    tag.find_parent(class_="prose") or "external" in tag.get("rel", [])
                )
                if not in_content:
                    offenders.append(f"{path.name}: <{tag.name} {attribute}={value}>")
    assert not offenders, "\n".join(offenders)


def test_feed_is_valid_atom_with_all_news(demo_site):
    root = ET.parse(demo_site.output / "feeds" / "aktuelles.atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    articles = [
        p
        for p in (demo_site.output / "aktuelles").glob("*/index.html")
        if p.parent.name not in {"themen", "schlagwoerter", "seite"}
    ]
    assert len(links) == len(articles)
    for link in links:
        assert link.startswith(f"https://{SITE_HOST}/aktuelles/")


def test_sitemap_lists_every_page_but_404(demo_site):
    root = ET.parse(demo_site.output / "sitemap.xml").getroot()
    locs = {e.find(f"{SITEMAP}loc").text for e in root.findall(f"{SITEMAP}url")}
    assert f"https://{SITE_HOST}/initiativen/retrason/" in locs
    assert f"https://{SITE_HOST}/kampagnen/tech-me-home/" in locs
    assert f"https://{SITE_HOST}/impressum/" in locs
    assert not any("404" in loc for loc in locs)
    robots = (demo_site.output / "robots.txt").read_text()
    assert f"Sitemap: https://{SITE_HOST}/sitemap.xml" in robots


def test_pages_have_canonical_url_and_description(demo_site):
    page = demo_site.html("/initiativen/retrason/")
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"https://{SITE_HOST}/initiativen/retrason/"
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert len(description) > 20
    assert (demo_site.output / "favicon.ico").exists()


def test_skip_link_comes_first(demo_site):
    page = demo_site.html("/")
    first_link = page.body.find("a")
    assert first_link["href"] == "#inhalt"


# --- fixture sites -----------------------------------------------------------


def test_umlaut_slugs_and_german_dates_without_german_locale(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    write_files(
        site_dir / "content",
        {
            "news/b.md": """
            Title: Fachkräftebündnis: Größer & stärker – „Äußerst“ gut
            Date: 2024-03-01
            Category: Fachkräfte
            Tags: Übergänge

            Text.
            """
        },
    )
    result = build_site(
        site_dir / "content", site_dir / "output", env={"LC_ALL": "C", "LANG": "C"}
    )
    assert result.ok, result.log
    page = result.html(
        "/aktuelles/fachkraeftebuendnis-groesser-staerker-aeusserst-gut/"
    )
    assert page.find("time").get_text() == "1. März 2024"
    assert result.file("/aktuelles/thema/fachkraefte/").exists()
    assert result.file("/aktuelles/schlagwort/uebergaenge/").exists()
    assert result.file("/initiativen/zukunftsregion-hannover-hildesheim/").exists()


def test_news_list_is_paginated(site_dir):
    files = dict(MINIMAL_SITE)
    for number in range(1, 13):
        files[f"news/n{number}.md"] = f"""
            Title: Meldung {number}
            Date: 2024-01-{number:02d}
            Category: Innovation

            Text.
            """
    write_files(site_dir / "content", files)
    result = build_site(site_dir / "content", site_dir / "output")
    assert result.ok, result.log
    first = result.html("/aktuelles/")
    assert len(first.select(".list .teaser")) == 10
    second = result.html("/aktuelles/seite/2/")
    assert len(second.select(".list .teaser")) == 3
    assert first.select_one("a[rel=next]")["href"] == "/aktuelles/seite/2/"


def test_each_file_is_converted_on_its_own(site_dir):
    """Nothing of one file's Markdown carries over into the next one's
    (heading ids, footnote numbers, metadata), however the reader reuses
    its Markdown converter."""
    files = dict(MINIMAL_SITE)
    for number in (1, 2, 3):
        tags = "Tags: Nur Eins\n" if number == 1 else ""
        files[f"news/f{number}.md"] = (
            f"Title: Folge {number}\nDate: 2024-02-0{number}\n"
            f"Category: Innovation\n{tags}Summary: Kurz *{number}*.\n\n"
            f"## Hintergrund\n\nText mit Fußnote.[^q{number}]\n\n"
            f"[^q{number}]: Quelle {number}.\n"
        )
    write_files(site_dir / "content", files)
    result = build_site(site_dir / "content", site_dir / "output")
    assert result.ok, result.log
    for number in (1, 2, 3):
        page = result.html(f"/aktuelles/folge-{number}/")
        body = page.select_one(".prose")
        assert body.select_one("h2")["id"] == "hintergrund"
        assert len(body.select(".footnote li")) == 1
        back = body.select_one(".footnote-backref")
        assert back["title"] == "Zurück zur Fußnote 1 im Text"
        assert page.select_one(".lead").get_text(strip=True) == f"Kurz {number}."
        tags = [a.get_text() for a in page.select(".tag-list a")]
        assert tags == (["Nur Eins"] if number == 1 else [])


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Date: 2024-03-12\nCategory: Fachkräfte\n", "Title"),
        ("Title: Ohne Datum\nCategory: Fachkräfte\n", "Date"),
    ],
)
def test_article_without_title_or_date_fails_naming_the_file(site_dir, header, field):
    write_files(site_dir / "content", MINIMAL_SITE)
    (site_dir / "content" / "news" / "kaputt.md").write_text(
        header + "\nText.\n", "utf-8"
    )
    result = build_site(site_dir / "content", site_dir / "output")
    assert result.returncode == 1
    assert "news/kaputt.md" in result.log
    assert f"{field} is missing" in result.log
    assert "Traceback" not in result.log
    assert not (site_dir / "output").exists(), "a failed build must not write output"


def test_template_values_are_escaped(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    write_files(
        site_dir / "content",
        {
            "news/escape.md": """
            Title: Regeln für <b>Bündnisse</b> & Netzwerke
            Date: 2024-03-02
            Category: Fachkräfte
            Summary: Wenn a < b gilt & c > d.

            Text.
            """
        },
    )
    result = build_site(site_dir / "content", site_dir / "output")
    assert result.ok, result.log
    raw = result.file("/aktuelles/regeln-fuer-buendnisse-netzwerke/").read_text("utf-8")
    assert "<b>Bündnisse</b>" not in raw
    assert "Regeln für &lt;b&gt;Bündnisse&lt;/b&gt; &amp; Netzwerke" in raw
    page = result.html("/aktuelles/regeln-fuer-buendnisse-netzwerke/")
    assert page.h1.get_text() == "Regeln für <b>Bündnisse</b> & Netzwerke"


def test_preview_server_serves_clean_urls_and_the_404_page(demo_site):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    from tests.support import serve_site

    with serve_site(demo_site.output) as base:
        with urlopen(f"{base}/initiativen/retrason/", timeout=10) as response:
            assert response.status == 200
        with pytest.raises(HTTPError) as missing:
            urlopen(f"{base}/gibt-es-nicht/", timeout=10)
        assert missing.value.code == 404
        assert "Seite nicht gefunden" in missing.value.read().decode("utf-8")
