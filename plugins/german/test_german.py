"""Unit tests of the german plugin's functions: slugs, heading ids and dates."""

import copy
import datetime as dt

import markdown
import pytest

import pelicanconf
from german import format_date, slugify_de
from german.slugs import apply_to_settings


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Fachkräfte", "fachkraefte"),
        (
            "Fachkräftebündnis Südostniedersachsen",
            "fachkraeftebuendnis-suedostniedersachsen",
        ),
        ("Größe & Maß", "groesse-mass"),
        ("ÄÖÜ äöü ß", "aeoeue-aeoeue-ss"),
        ("Café Crème – „Zitat“", "cafe-creme-zitat"),
        ("  Tech me home!  ", "tech-me-home"),
    ],
)
def test_slugs_transliterate_umlauts(text, slug):
    assert slugify_de(text) == slug


def test_dates_are_german_in_every_style():
    day = dt.date(2024, 3, 12)
    assert format_date(day) == "12. März 2024"
    assert format_date(day, "short") == "12.03.2024"
    assert format_date(day, "month") == "März 2024"
    assert format_date(day, "iso") == "2024-03-12"
    assert format_date(None) == ""


def test_heading_ids_are_german_slugs_too():
    """Markdown's toc extension names headings like every other slug."""
    settings = {"MARKDOWN": copy.deepcopy(pelicanconf.MARKDOWN)}
    apply_to_settings(settings)
    config = settings["MARKDOWN"]["extension_configs"]
    html = markdown.markdown(
        "## Fachkräfte für Südostniedersachsen\n\n## Fachkräfte für Südostniedersachsen",
        extensions=list(config),
        extension_configs=config,
    )
    assert '<h2 id="fachkraefte-fuer-suedostniedersachsen">' in html
    assert '<h2 id="fachkraefte-fuer-suedostniedersachsen_1">' in html
