"""Every page type a visitor can reach, with one example URL each.

The browser tests and the web benchmark (bench/web.py) visit this list. URLs
of content pages are taken from the built site (the first article in the news
list, the first initiative card, …) so the list follows the demo content.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.support import Build


def _first_link(selector: str, on: str) -> Callable[[Build], str | None]:
    def find(site: Build) -> str | None:
        if not site.file(on).exists():
            return None
        link = site.html(on).select_one(selector)
        return link["href"] if link else None

    return find


def _fixed(url: str) -> Callable[[Build], str | None]:
    def find(site: Build) -> str | None:
        return url if site.file(url).exists() else None

    return find


#: name → how to find the page's URL in a built site.
PAGE_TYPES: dict[str, Callable[[Build], str | None]] = {
    "home": _fixed("/"),
    "news list": _fixed("/aktuelles/"),
    "article": _first_link(".list .teaser__title a", "/aktuelles/"),
    "category": _first_link(".term-list a", "/aktuelles/themen/"),
    "tag": _first_link(".term-list a", "/aktuelles/schlagwoerter/"),
    "initiative overview": _fixed("/initiativen/"),
    "initiative": _first_link(".card__title a", "/initiativen/"),
    "campaign": _first_link(".campaign-teaser h2 a", "/"),
    "partner directory": _fixed("/partner/"),
    "Bildnachweis": _fixed("/bildnachweis/"),
    "search": _fixed("/suche/"),
    "Impressum": _fixed("/impressum/"),
    "Datenschutz": _fixed("/datenschutz/"),
    "Barrierefreiheit": _fixed("/barrierefreiheit/"),
    "Leichte Sprache": _fixed("/leichte-sprache/"),
    "404": lambda site: (
        "/diese-seite-gibt-es-nicht/" if site.file("/404.html").exists() else None
    ),
}

#: The page type whose document answers with status 404 on purpose.
NOT_FOUND = "404"


def url_of(site: Build, page_type: str) -> str | None:
    """The example URL of ``page_type`` in ``site``, or None if not built."""
    return PAGE_TYPES[page_type](site)
