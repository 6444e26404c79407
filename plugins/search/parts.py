"""Splitting the search index into parts that pagefind builds separately.

Why: pagefind holds a whole index in memory while it builds it, about 120 MB
per 1,000 news pages (600 MB for 5,000), and it reads every page again when
one of them changed. A large site is therefore split into parts of at most
``SEARCH_PART_PAGES`` pages. Each part is an index of its own, built by its
own pagefind process; only the parts with a changed page are built again. In
the browser, pagefind's ``mergeIndex`` searches all parts as one: merged
parts share the WebAssembly of the first, so a visitor downloads it once.

A top-level folder with more than ``SEARCH_PART_PAGES`` pages (the news) is
split among parts of its own; the other pages share the first part(s), so an
edit to an initiative or the partner registry, which also changes the home
page and the directory, re-indexes one small part. Within its group, which
part a page belongs to depends on its own path only (a hash), so adding or
editing a page never moves another page to a different part. The parts
change only when a group crosses a multiple of ``SEARCH_PART_PAGES`` or a
folder crosses ``SEARCH_PART_PAGES``; then the parts are built again.

The first part lives in the bundle folder itself (``pagefind/``, next to
pagefind's JavaScript, which loads it as its primary index); the others in
``pagefind/teil-1/`` and so on, listed in ``pagefind/parts.json`` for
``theme/static/js/search.js``.

What was indexed is remembered in ``<CACHE_PATH>/search/parts.json``: each
part's pages with their modification time and size, and a hash of the part's
``pagefind-entry.json``. A part is current when its pages, the pagefind
options and the entry file on disk are exactly those remembered. Pages are
never rewritten with the same bytes (the incremental plugin's writer), so an
unchanged page keeps its time.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from incremental.outputs import write_if_changed

#: Pagefind indexes only the pages with an element that has this attribute
#: (``base.html`` sets it on ``<main>`` of content pages). A page that merely
#: mentions the word in its text counts too; pagefind then skips it.
MARKER = b"data-pagefind-body"
#: Name of the part folders below the bundle, and of the list for the browser.
PART_FOLDER = "teil-{}"
PARTS_FILE = "parts.json"
MANIFEST_VERSION = 2


@dataclass(frozen=True)
class Page:
    """An HTML file below the output folder, as pagefind will see it."""

    path: str  # relative to the output folder, with "/"
    mtime_ns: int
    size: int
    marked: bool

    @property
    def stamp(self) -> list:
        return [self.path, self.mtime_ns, self.size]


@dataclass(frozen=True)
class Part:
    """One index: its folder relative to the bundle ("" for the first) and pages."""

    folder: str
    pages: tuple[Page, ...]

    @property
    def primary(self) -> bool:
        return self.folder == ""


def scan(
    output: Path, pattern: str, bundle: Path, known: dict[str, list]
) -> list[Page]:
    """Every file matching ``pattern`` outside the bundle, with its marker.

    A file is read only when its time or size differs from ``known`` (the
    previous scan), so a rebuild opens just the pages it wrote. Plain strings
    and ``glob.glob`` rather than ``Path.glob``: 7,000 pages cost about 0.3 s
    instead of 0.65 s.
    """
    skip = bundle.relative_to(output).as_posix() + "/"
    pages = []
    for relative in _matching(output, pattern):
        if os.sep != "/":
            relative = relative.replace(os.sep, "/")
        if relative.startswith(skip):
            continue
        path = os.path.join(output, relative)
        try:
            stat = os.stat(path)
        except OSError:  # a dangling link: nothing pagefind could read
            continue
        if not S_ISREG(stat.st_mode):
            continue
        previous = known.get(relative)
        if previous and previous[:2] == [stat.st_mtime_ns, stat.st_size]:
            marked = bool(previous[2])
        else:
            with open(path, "rb") as handle:
                marked = MARKER in handle.read()
        pages.append(Page(relative, stat.st_mtime_ns, stat.st_size, marked))
    return pages


def _matching(output: Path, pattern: str) -> list[str]:
    """``glob.glob(pattern, root_dir=output, recursive=True)``, faster.

    For the usual ``**/*.html`` a walk with ``os.scandir`` that looks at
    names only: the output also holds tens of thousands of image variants,
    and glob matched each name against the pattern (0.2-0.3 s against
    0.1 s at 5,000 news items).
    """
    suffix = pattern.removeprefix("**/*")
    if not pattern.startswith("**/*") or not suffix or any(c in suffix for c in "*?[/"):
        return glob.glob(pattern, root_dir=output, recursive=True)
    return [name for name in files_below(output) if name.endswith(suffix)]


def files_below(root: Path) -> list[str]:
    """Every file below ``root`` as a relative path with "/", like glob's.

    Hidden names are skipped and links to folders followed, as glob does;
    a missing ``root`` has no files.
    """
    found = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(os.path.join(root, folder))
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    folders.append(folder + entry.name + "/")
                else:
                    found.append(folder + entry.name)
    return found


def indexed(pages: list[Page]) -> list[Page]:
    """The pages pagefind indexes: the marked ones, or all if none is marked."""
    marked = [page for page in pages if page.marked]
    return marked or pages


def split(pages: list[Page], part_pages: int) -> list[Part]:
    """The parts for ``pages``: as few as allow ``part_pages`` each, none empty.

    A top-level folder with more than ``part_pages`` pages (the news, on an
    agency's site) gets parts of its own; all other pages (home page,
    initiatives, campaigns, the partner directory, legal pages) share parts,
    the first of them. Editing an initiative or the partner registry changes
    the home page, the initiative overview and the directory: with the pages
    hashed over all parts, that re-indexed three of four parts of 1,300 pages
    each (2.5 s at 5,000 news items); now it is one part of about a hundred.
    """
    limit = max(1, part_pages)
    ordered = sorted(pages, key=lambda page: page.path)
    sizes = Counter(_top_folder(page.path) for page in ordered)
    groups: dict[str, list[Page]] = {}
    for page in ordered:
        folder = _top_folder(page.path)
        groups.setdefault(folder if sizes[folder] > limit else "", []).append(page)
    buckets = [
        bucket for name in sorted(groups) for bucket in _hashed(groups[name], limit)
    ]
    if not buckets:
        return [Part("", ())]
    return [
        Part("" if number == 0 else PART_FOLDER.format(number), tuple(bucket))
        for number, bucket in enumerate(buckets)
    ]


def _top_folder(path: str) -> str:
    """``aktuelles`` for ``aktuelles/x/index.html``; ``""`` for ``index.html``."""
    folder, slash, _rest = path.partition("/")
    return folder if slash else ""


def _hashed(pages: list[Page], limit: int) -> list[list[Page]]:
    """``pages`` in as few buckets as allow ``limit`` each, none empty.

    A page's bucket is the CRC-32 of its path modulo the number of buckets,
    so adding or editing a page never moves another. With hundreds of pages
    per bucket an empty one does not happen; with very few pages it can, and
    then fewer buckets are used.
    """
    count = max(1, math.ceil(len(pages) / limit))
    while count > 1:
        buckets: list[list[Page]] = [[] for _ in range(count)]
        for page in pages:
            buckets[zlib.crc32(page.path.encode("utf-8")) % count].append(page)
        if all(buckets):
            return buckets
        count -= 1
    return [pages] if pages else []


def entry_hash(bundle: Path, part: Part) -> str | None:
    """Hash of the part's ``pagefind-entry.json``; None if it is missing."""
    try:
        data = (bundle / part.folder / "pagefind-entry.json").read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()


class Manifest:
    """What the last successful indexing wrote, kept in the cache folder."""

    def __init__(self, path: Path, options: list[str]) -> None:
        self.path = path
        self.options = options
        self.pages: dict[str, list] = {}
        self.parts: dict[str, dict] = {}
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return
        # Pages' markers are worth keeping across option changes; parts not.
        self.pages = data.get("pages") or {}
        if data.get("options") == options:
            self.parts = data.get("parts") or {}

    def current(self, bundle: Path, part: Part) -> bool:
        """Whether ``part`` on disk is exactly what was indexed for these pages."""
        previous = self.parts.get(part.folder)
        if not previous:
            return False
        return previous.get("pages") == [
            page.stamp for page in part.pages
        ] and previous.get("entry") == entry_hash(bundle, part)

    def stored(self, part: Part) -> str | None:
        """The key under which ``part`` was stored (``stored.py``) when indexed."""
        return (self.parts.get(part.folder) or {}).get("stored")

    def save(
        self,
        bundle: Path,
        pages: list[Page],
        parts: list[Part],
        keys: dict[str, str | None],
    ) -> None:
        data = {
            "version": MANIFEST_VERSION,
            "options": self.options,
            "pages": {
                page.path: [page.mtime_ns, page.size, page.marked] for page in pages
            },
            "parts": {
                part.folder: {
                    "pages": [page.stamp for page in part.pages],
                    "entry": entry_hash(bundle, part),
                    "stored": keys.get(part.folder),
                }
                for part in parts
            },
        }
        write_if_changed(
            os.fspath(self.path), json.dumps(data, separators=(",", ":")).encode()
        )


def browser_list(parts: list[Part]) -> str:
    """``parts.json``: the folders ``search.js`` merges into the first part."""
    merge = [f"{part.folder}/" for part in parts if not part.primary]
    return json.dumps({"merge": merge}, ensure_ascii=False) + "\n"


def entry_files(bundle: Path) -> list[Path]:
    """``parts.json`` and every part's ``pagefind-entry.json`` as it lists them."""
    files = [bundle / "pagefind-entry.json", bundle / PARTS_FILE]
    try:
        merge = json.loads((bundle / PARTS_FILE).read_text("utf-8"))["merge"]
    except (OSError, ValueError, KeyError, TypeError):
        return files
    return files + [bundle / folder / "pagefind-entry.json" for folder in merge]
