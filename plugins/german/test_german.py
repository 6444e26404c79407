"""Unit tests of the german plugin's two functions."""

import datetime as dt

import pytest

from german import format_date, slugify_de


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
