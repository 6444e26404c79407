"""Checks that need the whole site: duplicate addresses and links to nowhere."""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from .validate import ERROR, Finding

_PAGINATION = re.compile(r"^(?P<base>.*/)seite/\d+/$")


def duplicate_addresses(
    contents: Iterable, display_root: str
) -> list[tuple[str, Finding]]:
    """Two files that would be written to the same address.

    Pelican would quietly treat one as a translation of the other, or
    overwrite it; for editors it is a duplicate slug.
    """
    by_target: dict[str, list] = defaultdict(list)
    for content in contents:
        save_as = getattr(content, "save_as", "")
        if save_as and getattr(content, "source_path", None):
            by_target[save_as].append(content)
    found: list[tuple[str, Finding]] = []
    for save_as, items in by_target.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(
                _display(o.source_path, display_root) for o in items if o is not item
            )
            slug = getattr(item, "slug", "") or save_as
            found.append(
                (
                    item.source_path,
                    Finding(
                        _line_of_slug(item.source_path),
                        f'Slug "{slug}" is also used by {others}, so they would be written to the same address /{save_as.removesuffix("index.html")}',
                        'give one of them another Title or a line "Slug: another-name"',
                    ),
                )
            )
    return found


def _line_of_slug(path: str) -> int:
    from diagnostics import line_of

    return line_of(path, "Slug") or line_of(path, "Title") or 1


def _display(path: str, root: str) -> str:
    relative = os.path.relpath(path, root)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def known_paths(context: dict, settings: dict, extra: Iterable[str]) -> set[str]:
    """Every root-relative address the build will write (pages, lists, files)."""
    paths: set[str] = {"/"}

    def add(url: str | None) -> None:
        if url is None:
            return
        if url.startswith(("http://", "https://")):
            url = urlsplit(url).path
        paths.add("/" + url.lstrip("/"))

    for content in context.get("generated_content", {}).values():
        if content is None:
            continue
        if getattr(content, "status", "published") in (
            "published",
            "hidden",
        ) and getattr(content, "save_as", ""):
            add(content.url)
        for alias in _aliases(getattr(content, "metadata", {}).get("aliases")):
            add(alias)
    for static in context.get("staticfiles", []):
        add(static.url)
    for key in ("categories", "tags"):
        for entry in context.get(key, []) or []:
            item = entry[0] if isinstance(entry, tuple) else entry
            add(getattr(item, "url", None))
    for name in settings.get("DIRECT_TEMPLATES", []):
        upper = name.upper()
        save_as = settings.get(f"{upper}_SAVE_AS", f"{name}.html")
        if save_as:
            add(settings.get(f"{upper}_URL") or save_as)
            add(save_as)
    for source, target in (settings.get("TEMPLATE_PAGES") or {}).items():
        add(target or source)
    for name, value in settings.items():
        if (
            name.startswith(("FEED_", "CATEGORY_FEED", "TAG_FEED"))
            and isinstance(value, str)
            and value.endswith(".xml")
            and "{" not in value
        ):
            add(value)
    # Pages of plugins and direct templates follow Pelican's NAME_SAVE_AS
    # convention (e.g. PARTNERS_SAVE_AS = "partner/index.html").
    for name, value in settings.items():
        if (
            name.endswith("_SAVE_AS")
            and isinstance(value, str)
            and value
            and "{" not in value
        ):
            add(value)
    for meta in (settings.get("EXTRA_PATH_METADATA") or {}).values():
        add(meta.get("path"))
    for url in extra:
        add(url)
    return {_normalise(p) for p in paths}


def _aliases(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _normalise(path: str) -> str:
    path = unquote(path)
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def missing_link(
    link: str, known: set[str], prefixes: Iterable[str] = ()
) -> Finding | None:
    """A finding if the site path ``link`` points to no page of the site."""
    path = _normalise(urlsplit(link).path)
    if not path or path in known or (not path.endswith("/") and path + "/" in known):
        return None
    page = _PAGINATION.match(path)
    if page and page.group("base") in known:
        return None
    if any(path.startswith(prefix) for prefix in prefixes):
        return None
    close = difflib.get_close_matches(path, sorted(known), n=1, cutoff=0.8)
    fix = (
        f'did you mean "{close[0]}"?'
        if close
        else "check the address, or link the file itself, e.g. ({filename}/initiatives/retrason.md)"
    )
    return Finding(0, f'Link "{link}" points to no page of this site', fix, ERROR)
