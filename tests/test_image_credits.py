"""Image credits and responsive images, built with real Pelican and real files.

One fixture site (built once per module) shows every credit source next to
each other; the bad-input cases each build a small site of their own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.images import EXIF_ARTIST, EXIF_COPYRIGHT, GPS_IFD, bomb_png, logo, photo
from tests.support import MINIMAL_SITE, build_site, write_files

ARTICLE = "/aktuelles/jahresauftakt-der-zukunftsregion/"
SECOND = "/aktuelles/zweite-meldung/"
PAGE = "/ueber-uns/"
INITIATIVE = "/initiativen/zukunftsregion-hannover-hildesheim/"
CAMPAIGN = "/kampagnen/tech-me-home/"

CREDITS_YML = """
# Bildnachweise, die nicht im Foto stehen
news/registry.jpg:
  credit: "Foto: Rita Register"
  licence: CC BY-SA 4.0
  source: https://commons.example.org/wiki/File:Registry.jpg
news/title.jpg: "Foto: Registry Loses"
"""


def credit_site(base: Path) -> Path:
    """Every credit source once, and every precedence conflict once."""
    files = dict(MINIMAL_SITE)
    files["news/2024-03-12-jahresauftakt.md"] = """
        Title: Jahresauftakt der Zukunftsregion
        Date: 2024-03-12
        Category: Regionalentwicklung
        Image: images/news/hero.jpg
        Image_alt: Publikum im Saal
        Image_caption: Der Saal war voll.

        ## Bilder

        ![Ein Podium]({static}/images/news/title.jpg "Das Podium | Foto: Tina Titel | CC BY 4.0")

        ![Ein Registerfoto]({static}/images/news/registry.jpg "Aus dem Register")

        ![Ein Kamerafoto]({static}/images/news/exif.jpg "Nur EXIF")

        ![Ein Rechtefoto]({static}/images/news/copyright.jpg)

        ![Ein Agenturfoto]({static}/images/news/iptc.jpg "IPTC vor EXIF")
        """
    files["news/2024-03-13-zweite.md"] = """
        Title: Zweite Meldung
        Date: 2024-03-13
        Category: Innovation

        ![Noch einmal das Registerfoto]({static}/images/news/registry.jpg "Wieder da")
        """
    files["pages/ueber-uns.md"] = """
        Title: Über uns
        Summary: Wer wir sind.

        ![Das Team](/images/news/small.jpg "Unser Team | © 2024 Carla Copyright")

        ![Noch ein Bild](/images/news/exif.jpg "Zweites Bild")
        """
    files["initiatives/zukunftsregion.md"] = """
        Title: Zukunftsregion Hannover-Hildesheim
        Summary: Vier kommunale Partner, ein Zukunftskonzept.
        Region: Hannover-Hildesheim
        Logo: images/logos/zukunftsregion.png

        Text.
        """
    files["campaigns/tech-me-home.md"] = """
        Title: Tech me home
        Claim: Deine Region. Deine Zukunft.
        Summary: Die Standortkampagne.
        Image: images/campaigns/kampagne.jpg
        Image_alt: Junge Menschen vor der Stadt
        Image_caption: Die Kampagne.
        Image_credit: Foto: Kai Kampagne
        Featured: true

        ## Warum die Region

        Text.
        """
    files["images/credits.yml"] = CREDITS_YML
    files["images/news/hero.jpg"] = photo(
        2000,
        1300,
        by_line="Marek Kruszewski",
        credit="RegioVerbund",
        copyright_notice="© 2024 Zukunftsregion",
        artist="Exif Loses",
    )
    files["images/news/title.jpg"] = photo(900, 600, artist="Exif Loses Too")
    files["images/news/registry.jpg"] = photo(900, 600, artist="Exif Loses Three")
    files["images/news/exif.jpg"] = photo(900, 600, artist="Erik Exif")
    files["images/news/copyright.jpg"] = photo(900, 600, copyright="© Rainer Weisflog")
    files["images/news/iptc.jpg"] = photo(
        900, 600, by_line="Ida Iptc", artist="Exif Loses"
    )
    files["images/news/small.jpg"] = photo(700, 500, gps=False)
    files["images/campaigns/kampagne.jpg"] = photo(1800, 900, artist="Exif Loses")
    files["images/logos/zukunftsregion.png"] = logo()
    write_files(base / "content", files)
    return base


@pytest.fixture(scope="module")
def credits_build(tmp_path_factory):
    base = credit_site(tmp_path_factory.mktemp("credits"))
    result = build_site(base / "content", base / "output")
    assert result.ok, result.log
    return result


def figures(soup):
    return soup.select(".prose figure")


def credit_of(figure) -> str:
    return figure.figcaption.select_one(".credit").get_text()


# --- credits -------------------------------------------------------------------


def test_credit_in_markdown_title_beats_registry_and_embedded(credits_build):
    figure = figures(credits_build.html(ARTICLE))[0]
    assert credit_of(figure) == "Foto: Tina Titel"
    assert figure.figcaption.get_text(" ", strip=True) == "Das Podium Foto: Tina Titel"


def test_registry_beats_embedded_credit(credits_build):
    figure = figures(credits_build.html(ARTICLE))[1]
    assert credit_of(figure) == "Foto: Rita Register"


def test_embedded_exif_artist_and_copyright(credits_build):
    exif, copyright_ = figures(credits_build.html(ARTICLE))[2:4]
    assert credit_of(exif) == "Foto: Erik Exif"
    assert credit_of(copyright_) == "© Rainer Weisflog"
    assert copyright_.figcaption.get_text(strip=True) == "© Rainer Weisflog"


def test_embedded_iptc_beats_exif(credits_build):
    figure = figures(credits_build.html(ARTICLE))[4]
    assert credit_of(figure) == "Foto: Ida Iptc"
    hero = credits_build.html(ARTICLE).select_one("figure.hero")
    assert credit_of(hero) == "Foto: Marek Kruszewski / RegioVerbund"
    assert hero.figcaption.get_text(" ", strip=True).startswith("Der Saal war voll.")


def test_template_images_are_credited_figures(credits_build):
    campaign = credits_build.html(CAMPAIGN).select_one("figure.hero")
    assert (
        campaign.picture
        and campaign.picture.img["alt"] == "Junge Menschen vor der Stadt"
    )
    assert credit_of(campaign) == "Foto: Kai Kampagne"  # Image_credit: beats EXIF


def test_every_content_image_is_a_figure_with_credit(credits_build):
    for url in (ARTICLE, SECOND, PAGE, CAMPAIGN):
        page = credits_build.html(url)
        for img in page.select("main img"):
            if "teaser__image" in img.get("class", []):
                continue
            figure = img.find_parent("figure")
            assert figure is not None, f"{url}: {img['src']} is not in a figure"
            assert img.parent.name == "picture"
            assert figure.figcaption.select_one(".credit").get_text().strip()


def test_logo_is_exempt_from_credit(credits_build):
    page = credits_build.html(INITIATIVE)
    img = page.select_one("img.initiative__logo")
    assert img["alt"] == "Logo Zukunftsregion Hannover-Hildesheim"
    assert img.parent.name == "picture" and img.find_parent("figure") is None
    assert "has no credit" not in credits_build.log


def test_bildnachweis_lists_every_image_with_every_page(credits_build):
    page = credits_build.html("/bildnachweis/")
    rows = {}
    for item in page.select(".credit-item"):
        name = item.select_one(".credit-item__file").get_text(strip=True).strip("()")
        rows[name] = item
    assert set(rows) == {
        "news/hero.jpg",
        "news/title.jpg",
        "news/registry.jpg",
        "news/exif.jpg",
        "news/copyright.jpg",
        "news/iptc.jpg",
        "news/small.jpg",
        "campaigns/kampagne.jpg",
        "logos/zukunftsregion.png",
    }
    links = {
        name: sorted(a["href"] for a in item.select(".credit-item__pages a"))
        for name, item in rows.items()
    }
    assert links["news/registry.jpg"] == sorted([ARTICLE, SECOND])
    assert links["news/exif.jpg"] == sorted([ARTICLE, PAGE])
    assert links["campaigns/kampagne.jpg"] == [CAMPAIGN]
    assert links["logos/zukunftsregion.png"] == [INITIATIVE]
    registry = rows["news/registry.jpg"].get_text(" ", strip=True)
    assert "Foto: Rita Register" in registry and "CC BY-SA 4.0" in registry
    source = rows["news/registry.jpg"].select_one("a[rel=external]")
    assert source["href"] == "https://commons.example.org/wiki/File:Registry.jpg"
    assert "CC BY 4.0" in rows["news/title.jpg"].get_text()
    for item in rows.values():
        thumb = item.select_one("img")
        assert thumb["loading"] == "lazy" and credits_build.file(thumb["src"]).exists()
    footer = [a["href"] for a in credits_build.html("/").select(".site-footer a")]
    assert "/bildnachweis/" in footer


def test_json_ld_image_object_for_article_hero(credits_build):
    page = credits_build.html(ARTICLE)
    blocks = [
        json.loads(s.string)
        for s in page.find_all("script", type="application/ld+json")
    ]
    image = next(b for b in blocks if b["@type"] == "ImageObject")
    assert image["creditText"] == "Foto: Marek Kruszewski / RegioVerbund"
    assert image["creator"] == {"@type": "Person", "name": "Marek Kruszewski"}
    assert image["copyrightNotice"] == "© 2024 Zukunftsregion"
    assert image["contentUrl"].endswith(page.select_one("figure.hero img")["src"])


# --- responsive images -----------------------------------------------------------


def test_srcset_widths_formats_and_no_upscaling(credits_build):
    hero = credits_build.html(ARTICLE).select_one("figure.hero picture")
    img = hero.img
    widths = [int(c.split()[1][:-1]) for c in img["srcset"].split(", ")]
    assert widths == [480, 960, 1600]
    assert (img["width"], img["height"]) == ("1600", "1040")
    types = [s["type"] for s in hero.find_all("source")]
    assert "image/webp" in types and types[-1] == "image/webp"
    assert all(s["sizes"] and s["srcset"] for s in hero.find_all("source"))
    for candidate in [img["src"], *(c.split()[0] for c in img["srcset"].split(", "))]:
        with Image.open(credits_build.file(candidate)) as file:
            assert file.format == "JPEG"
            assert file.width in widths
    small = credits_build.html(PAGE).select_one(".prose picture img")
    assert [c.split()[1] for c in small["srcset"].split(", ")] == ["480w", "700w"]
    assert (small["width"], small["height"]) == ("700", "500")


def test_first_large_image_is_eager_the_rest_lazy(credits_build):
    article = credits_build.html(ARTICLE)
    hero = article.select_one("figure.hero img")
    assert hero["fetchpriority"] == "high" and not hero.has_attr("loading")
    for img in article.select(".prose img"):
        assert img["loading"] == "lazy" and not img.has_attr("fetchpriority")
    page = credits_build.html(PAGE)  # no hero: its first content image is the big one
    first, second = page.select(".prose img")
    assert first["fetchpriority"] == "high" and not first.has_attr("loading")
    assert second["loading"] == "lazy"
    teaser = credits_build.html("/aktuelles/").select_one("img.teaser__image")
    assert teaser["loading"] == "lazy" and teaser["alt"] == ""


def test_published_images_drop_gps_and_camera_but_keep_credit(credits_build):
    img = credits_build.html(ARTICLE).select_one("figure.hero img")
    published = [img["src"], *(c.split()[0] for c in img["srcset"].split(", "))]
    published.append("/images/news/hero.jpg")  # the original's URL, now a safe copy
    for url in published:
        with Image.open(credits_build.file(url)) as file:
            exif = file.getexif()
            assert not exif.get_ifd(GPS_IFD), url
            assert GPS_IFD not in exif and 0x010F not in exif, url  # no camera make
            assert exif[EXIF_ARTIST] == "Marek Kruszewski", url
            assert (
                exif[EXIF_COPYRIGHT].encode("latin-1").decode()
                == "© 2024 Zukunftsregion"
            )
    webp = credits_build.html(ARTICLE).select_one(
        "figure.hero source[type='image/webp']"
    )
    with Image.open(credits_build.file(webp["srcset"].split()[0])) as file:
        assert file.format == "WEBP" and not file.getexif().get_ifd(GPS_IFD)
    assert not (credits_build.output / "images" / "credits.yml").exists()


# --- warnings, strict mode, cache ------------------------------------------------


UNCREDITED = {
    "news/ohne.md": """
        Title: Ohne Bildnachweis
        Date: 2024-05-01
        Category: Innovation

        Einleitung.

        ![Eine Halle]({static}/images/news/anonym.jpg "Eine Halle")
        """,
}


def _uncredited_site(base: Path) -> Path:
    write_files(base / "content", {**MINIMAL_SITE, **UNCREDITED})
    write_files(base / "content", {"images/news/anonym.jpg": photo(600, 400)})
    return base


def test_missing_credit_is_a_warning_in_dev_and_an_error_when_publishing(site_dir):
    _uncredited_site(site_dir)
    dev = build_site(site_dir / "content", site_dir / "output", env={"COLUMNS": "1000"})
    assert dev.ok, dev.log
    message = re.search(
        r"news/ohne\.md:(\d+): the image images/news/anonym\.jpg has no credit", dev.log
    )
    assert message and message.group(1) == "7", dev.log
    assert "warning" in dev.log.lower()

    publish = build_site(
        site_dir / "content",
        site_dir / "published",
        settings="publishconf.py",
        env={"COLUMNS": "1000"},
    )
    assert publish.returncode == 1
    assert (
        "news/ohne.md:7: the image images/news/anonym.jpg has no credit" in publish.log
    )
    assert "Traceback" not in publish.log
    assert not (site_dir / "published").exists()


def test_required_setting_makes_missing_credit_an_error_in_dev(site_dir):
    _uncredited_site(site_dir)
    result = build_site(
        site_dir / "content",
        site_dir / "output",
        overrides={"IMAGE_CREDITS_REQUIRED": True},
    )
    assert result.returncode == 1
    assert "anonym.jpg has no credit" in result.log


def test_second_build_processes_no_image(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    write_files(
        site_dir / "content",
        {
            "pages/bilder.md": """
                Title: Bilder
                Summary: Bilder.

                ![Eins](/images/a.jpg "| Foto: A")

                ![Zwei](/images/b.jpg "| Foto: B")
                """,
            "images/a.jpg": photo(1000, 700, color="navy"),
            "images/b.jpg": photo(1000, 700, color="olive"),
        },
    )
    cache = {"IMAGE_CREDITS_CACHE_PATH": str(site_dir / "cache")}
    first = build_site(site_dir / "content", site_dir / "output", overrides=cache)
    assert first.ok, first.log
    assert "Bilder: 2 verwendet, 2 neu berechnet" in first.log
    # Change a text, not an image: with nothing changed at all the incremental
    # plugin would skip the build before any plugin runs.
    write_files(
        site_dir / "content", {"pages/impressum.md": "Title: Impressum\n\nNeu."}
    )
    second = build_site(site_dir / "content", site_dir / "output", overrides=cache)
    assert "Bilder: 2 verwendet, 0 neu berechnet" in second.log
    assert (
        first.html("/bilder/").select("img") and second.file("/images/a.jpg").exists()
    )
    # A changed setting is part of the cache key: everything is rendered again.
    changed = build_site(
        site_dir / "content",
        site_dir / "output",
        overrides={
            **cache,
            "IMAGE_CREDITS_QUALITY": {"avif": 50, "webp": 70, "jpeg": 70},
        },
    )
    assert "Bilder: 2 verwendet, 2 neu berechnet" in changed.log


# --- bad input ---------------------------------------------------------------------


def _bad_site(base: Path, markdown_image: str, files: dict) -> Path:
    write_files(base / "content", MINIMAL_SITE)
    write_files(
        base / "content",
        {
            "pages/kaputt.md": f"""
                Title: Kaputt
                Summary: Ein Bild mit Problemen.

                Text davor.

                {markdown_image}
                """,
            **files,
        },
    )
    return base


def _build(site: Path):
    # Wide log lines: the messages name long temporary paths.
    return build_site(site / "content", site / "output", env={"COLUMNS": "1000"})


def _fails_cleanly(result, site: Path, *needles: str) -> None:
    assert result.returncode == 1, result.log
    for needle in needles:
        assert needle in result.log, result.log
    assert "Traceback" not in result.log
    assert not (site / "output" / "index.html").exists(), "nothing may be written"


def test_missing_image_names_content_file_and_line(site_dir):
    _bad_site(site_dir, '![Ein Bild]({static}/images/fehlt.jpg "| Foto: X")', {})
    result = _build(site_dir)
    _fails_cleanly(
        result,
        site_dir,
        "pages/kaputt.md:6: the image {static}/images/fehlt.jpg does not exist",
    )


def test_missing_alt_text_names_content_file_and_line(site_dir):
    _bad_site(
        site_dir,
        '![]({static}/images/ok.jpg "| Foto: X")',
        {"images/ok.jpg": photo(300, 200)},
    )
    result = _build(site_dir)
    _fails_cleanly(
        result,
        site_dir,
        "pages/kaputt.md:6: the image {static}/images/ok.jpg has no alt text",
    )


def test_a_photo_used_twice_is_reported_at_the_use_that_lacks_alt_text(site_dir):
    write_files(site_dir / "content", MINIMAL_SITE)
    image = '({static}/images/ok.jpg "| Foto: X")'
    lines = ["Title: Zweimal", "Summary: Ein Bild, zweimal.", "", "Text.", ""]
    lines += ["![Gut]" + image, "", "![]" + image]  # lines 6 and 8
    text = "\n".join(lines) + "\n"
    write_files(
        site_dir / "content",
        {"pages/zweimal.md": text, "images/ok.jpg": photo(300, 200)},
    )
    result = _build(site_dir)
    _fails_cleanly(
        result,
        site_dir,
        "pages/zweimal.md:8: the image {static}/images/ok.jpg has no alt text",
    )


def _hero_site(site_dir: Path, image_lines: str) -> Path:
    """A news item whose hero photo is given by ``image_lines`` (header lines 4-)."""
    write_files(site_dir / "content", MINIMAL_SITE)
    header = "\n".join(
        ["Title: Held", "Date: 2024-01-01", "Category: Innovation", image_lines]
    )
    write_files(
        site_dir / "content",
        {
            "news/held.md": f"{header}\n\nText.\n",
            "images/news/held.jpg": photo(300, 200, artist="A"),
        },
    )
    return site_dir


def test_missing_hero_alt_text_names_the_field(site_dir):
    result = _build(_hero_site(site_dir, "Image: images/news/held.jpg"))
    _fails_cleanly(
        result,
        site_dir,
        "news/held.md:4: the image images/news/held.jpg has no alt text",
    )


def test_missing_hero_image_names_the_field_and_where_it_points(site_dir):
    lines = "Image: images/news/hld.jpg\nImage_alt: Ein Held"
    result = _build(_hero_site(site_dir, lines))
    _fails_cleanly(
        result,
        site_dir,
        "news/held.md:4: the image images/news/hld.jpg does not exist",
        "points to content/images/news/hld.jpg",
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "text.jpg",
            b"Das ist kein Bild, sondern Text.\n",
            "is not an image Pillow can read",
        ),
        ("cut.jpg", photo(800, 600)[:3000], "damaged or cut off"),
        (
            "bomb.png",
            bomb_png(),
            "more than 50 megapixels; it may be a decompression bomb",
        ),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "decompression-bomb"],
)
def test_broken_image_names_the_image_file(site_dir, name, data, message):
    _bad_site(
        site_dir,
        f'![Ein Bild]({{static}}/images/{name} "| Foto: X")',
        {f"images/{name}": data},
    )
    result = _build(site_dir)
    _fails_cleanly(result, site_dir, f"images/{name}: ", message)


def test_image_over_size_limit_asks_to_resize(site_dir):
    _bad_site(site_dir, '![Riesig]({static}/images/riesig.jpg "| Foto: X")', {})
    path = site_dir / "content" / "images" / "riesig.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(photo(400, 300))
        handle.truncate(41 * 1024 * 1024)  # sparse: 41 MB without writing them
    result = _build(site_dir)
    _fails_cleanly(
        result,
        site_dir,
        "images/riesig.jpg: the image file is 41.0 MB, more than the limit of 40 MB",
        "resize it",
    )


# --- the demo site ---------------------------------------------------------------


def test_demo_photos_carry_iptc_credits():
    from image_credits.iptc import read_iptc

    from tests.support import DEMO_CONTENT

    photos = sorted((DEMO_CONTENT / "images").rglob("*.jpg"))
    assert photos
    for path in photos:
        with Image.open(path) as image:
            iptc = read_iptc(image)
        assert iptc["by_line"] and iptc["copyright_notice"].startswith("©"), path


def test_demo_every_photo_is_credited_and_on_the_bildnachweis(demo_site):
    used: set[str] = set()
    for path in demo_site.pages():
        url = "/" + path.relative_to(demo_site.output).as_posix()
        page = demo_site.html(url)
        for img in page.select("main img"):
            assert img.parent.name == "picture", f"{url}: {img}"
            assert img.has_attr("width") and img.has_attr("height"), f"{url}: {img}"
            classes = img.get("class", [])
            if {"teaser__image", "initiative__logo", "credit-item__thumb"} & set(
                classes
            ):
                continue
            figure = img.find_parent("figure")
            assert figure and figure.select_one("figcaption .credit"), f"{url}: {img}"
            used.add(img["src"])
    listed = demo_site.html("/bildnachweis/")
    thumbs = {img["src"] for img in listed.select(".credit-item img")}
    assert used <= thumbs
    assert len(listed.select(".credit-item")) == len(
        list(
            p
            for p in (Path(__file__).parent.parent / "content" / "images").rglob("*")
            if p.suffix in {".jpg", ".png"}
        )
    )
    for link in listed.select(".credit-item__pages a"):
        assert demo_site.file(link["href"]).exists(), link["href"]
    text = listed.get_text(" ", strip=True)
    assert "Foto: Marek Kruszewski" in text and "CC0 1.0" in text


def test_bildnachweis_complete_with_parallel_and_cached_reading(site_dir):
    """plugins/incremental reads in forked workers and replays cached reads:
    every usage must still reach the Bildnachweis."""
    files = dict(MINIMAL_SITE)
    for number in range(4):
        files[f"pages/p{number}.md"] = (
            f"Title: Seite {number}\nSummary: S.\n\n"
            f'![Bild {number}](/images/b{number}.jpg "Motiv | Foto: F{number}")\n'
        )
        files[f"images/b{number}.jpg"] = photo(300, 200, gps=False)
    write_files(site_dir / "content", files)
    overrides = {
        "INCREMENTAL_PARALLEL_MIN_FILES": 2,
        "CACHE_PATH": str(site_dir / "cache"),
    }
    for _ in range(2):  # cold (forked readers), then cached reads after one edit
        result = build_site(
            site_dir / "content", site_dir / "output", overrides=overrides
        )
        assert result.ok, result.log
        page = result.html("/bildnachweis/")
        links = sorted(a["href"] for a in page.select(".credit-item__pages a"))
        assert links == [f"/seite-{n}/" for n in range(4)], links
        edited = site_dir / "content" / "pages" / "p0.md"
        edited.write_text(edited.read_text("utf-8") + "\nMehr.\n", "utf-8")
