"""Partner references: the ``Partners:`` field of initiatives.

``Partners: allianz-fuer-die-region (koordiniert), ihk-lueneburg-wolfsburg``
names registry ids, separated by commas, each optionally followed by a role
in parentheses. One parser serves both places that read this field: the
initiative page itself and the header scan that lets a text anywhere on the
site show "the partners of initiative X" before that initiative is read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from pelican.utils import slugify

_ITEM = re.compile(r"^(?P<id>[^\s()]+)\s*(?:\((?P<role>[^()]*)\))?$")

#: Files the header scan reads, as Pelican's Markdown reader does.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


@dataclass(frozen=True, slots=True)
class Reference:
    """One partner named by an initiative, with its role there (may be empty)."""

    id: str
    role: str = ""


def parse_references(
    value: str | Iterable[str] | None,
) -> tuple[list[Reference], list[str]]:
    """References in a ``Partners:`` value, and the items that could not be read.

    A value continued on indented lines arrives as a list of lines; they are
    joined, so editors may wrap long partner lists.
    """
    if value is None:
        return [], []
    text = value if isinstance(value, str) else ", ".join(value)
    references: list[Reference] = []
    unreadable: list[str] = []
    for item in _split_outside_parentheses(text):
        item = item.strip()
        if not item:
            continue
        match = _ITEM.match(item)
        if match is None:
            unreadable.append(item)
            continue
        references.append(
            Reference(match["id"], " ".join((match["role"] or "").split()))
        )
    return references, unreadable


def _split_outside_parentheses(text: str) -> list[str]:
    """Split at commas, except inside a role: "(Vereinbarung 2020, verlängert)"."""
    items, current, depth = [], [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char in ",;\n" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def line_of_reference(
    path: str | os.PathLike[str], field_line: int, partner_id: str
) -> int:
    """Line of ``partner_id`` inside a (possibly wrapped) ``Partners:`` field."""
    if not field_line:
        return 0
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return field_line
    pattern = re.compile(rf"(?<![\w-]){re.escape(partner_id)}(?![\w-])")
    for number in range(field_line, len(lines) + 1):
        line = lines[number - 1]
        if number > field_line and not line.startswith((" ", "\t")):
            break
        if pattern.search(line):
            return number
    return field_line


@dataclass(frozen=True)
class ScannedInitiative:
    """What the header scan knows about one initiative file."""

    source_path: str
    title: str
    keys: tuple[str, ...]
    references: tuple[Reference, ...] = ()


@dataclass
class InitiativeIndex:
    """Initiatives by file name and by slug, from their headers only."""

    by_key: dict[str, ScannedInitiative] = field(default_factory=dict)

    def get(self, key: str) -> ScannedInitiative | None:
        return self.by_key.get(key)

    def keys(self) -> list[str]:
        return list(self.by_key)


def scan_initiatives(
    folders: Iterable[str | os.PathLike[str]], settings: dict
) -> InitiativeIndex:
    """Read only the header of every initiative file, once per build.

    A news item is read before the initiatives; to show "the partners of the
    Fachkräftebündnis" in it, the plugin needs the ``Partners:`` field of every
    initiative up front. The header is parsed with Python-Markdown's ``meta``
    extension, the same parser Pelican uses, so both agree on every value.
    """
    index = InitiativeIndex()
    parser = markdown.Markdown(extensions=["meta"])
    for folder in folders:
        for file in sorted(Path(folder).rglob("*")):
            if file.suffix.lower() not in MARKDOWN_SUFFIXES or not file.is_file():
                continue
            meta = _header_metadata(parser, file)
            if meta is None or _first(meta, "status") in ("draft", "skip"):
                continue
            title = _first(meta, "title") or file.stem
            slug = _first(meta, "slug") or _slug(title, file.stem, settings)
            references, _ = parse_references(meta.get("partners"))
            item = ScannedInitiative(
                str(file),
                title,
                tuple(dict.fromkeys((file.stem, slug))),
                tuple(references),
            )
            for key in item.keys:
                index.by_key.setdefault(key, item)
    return index


def _header_metadata(parser: markdown.Markdown, file: Path) -> dict | None:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # Pelican's reader reports unreadable files itself
    header = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"), maxsplit=1)[0]
    parser.reset()
    parser.convert(header)
    return getattr(parser, "Meta", {})


def _first(meta: dict, key: str) -> str:
    values = meta.get(key) or [""]
    return values[0].strip()


def _slug(title: str, stem: str, settings: dict) -> str:
    source = stem if settings.get("SLUGIFY_SOURCE") == "basename" else title
    return slugify(
        source,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
