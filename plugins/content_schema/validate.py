"""Checks of one content file: its header against the schema, then its body.

Functions here return :class:`Finding` objects and never print or raise for a
content problem; the plugin hands them to ``diagnostics.report``. Keeping
them free of Pelican makes them callable from tests and tools directly.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from .header import ParsedFile
from .schema import KIND_LABELS, Field, Invalid, fields_of

ERROR = "error"
WARNING = "warning"

#: Elements that run code, load other hosts or collect input: rejected in
#: content (the build stops) rather than silently removed, so an editor
#: learns at once why an embed does not appear.
FORBIDDEN_ELEMENTS = {
    "script": "scripts",
    "noscript": "scripts",
    "style": "style sheets",
    "iframe": "embedded frames",
    "frame": "embedded frames",
    "frameset": "embedded frames",
    "object": "embedded objects",
    "embed": "embedded objects",
    "applet": "embedded objects",
    "form": "forms",
    "input": "forms",
    "button": "forms",
    "textarea": "forms",
    "select": "forms",
    "link": "external resources",
    "meta": "page settings",
    "base": "page settings",
    "svg": "inline graphics",
}
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "poster",
    "xlink:href",
}
_CODE_SCHEMES = ("javascript:", "vbscript:", "data:")
_LINK_TOKEN = re.compile(
    r"\{(?P<kind>filename|static|attach)\}(?P<target>[^\s)\"'>#?]+)"
)
_ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:\s+(?P<text>.*?))?\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


#: Without these Pelican cannot make a page of the file, so it is skipped
#: (and the build stops). Other missing fields are reported, and the file is
#: still read so that every other check (links, partners …) runs on it too.
_CANNOT_READ_WITHOUT = {"title", "date"}


@dataclass(frozen=True)
class Finding:
    line: int
    message: str
    fix: str = ""
    severity: str = ERROR


@dataclass
class HeaderResult:
    findings: list[Finding]
    #: The file cannot become a page (no title, unreadable date …): skip it.
    fatal: bool
    #: ``{lowercase name: value}`` of the fields as written.
    values: dict[str, str]
    lines: dict[str, int]


# --- header ---------------------------------------------------------------


def check_header(parsed: ParsedFile, kind: str, path: str) -> HeaderResult:
    """Validate header entries against the schema of ``kind``.

    Empty optional fields (``Image:`` with nothing after it) count as absent
    and are dropped from the text Pelican reads, so a half-filled template
    still builds.
    """
    findings = [Finding(line, message, fix) for line, message, fix in parsed.problems]
    schema = fields_of(kind)
    label = KIND_LABELS.get(kind, kind)
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    fatal = parsed.fatal
    if fatal:
        return HeaderResult(findings, True, values, lines)

    for entry in parsed.entries:
        key = entry.name.lower()
        spec = schema.get(key)
        if schema and spec is None:
            findings.append(_unknown_field(entry.name, entry.line, kind))
            continue
        if key in lines:
            findings.append(
                Finding(
                    entry.line,
                    f"{_name(spec, entry.name)} appears twice (lines {lines[key]} and {entry.line})",
                    "keep only one of the two lines",
                )
            )
            continue
        if not entry.value:
            if spec is not None and spec.required:
                findings.append(
                    Finding(
                        entry.line,
                        f"{spec.name} is empty",
                        f'write it after the colon, e.g. "{spec.name}: {spec.example}"',
                    )
                )
                fatal = fatal or spec.key in _CANNOT_READ_WITHOUT
            parsed.dropped.add(entry.line)
            continue
        values[key] = entry.value
        lines[key] = entry.line
        if spec is None:
            continue
        try:
            spec.check(entry.value)
        except Invalid as problem:
            findings.append(Finding(entry.line, problem.message, problem.fix))
            if spec.type == "date":
                # Pelican cannot read the file with this value at all.
                fatal = True

    for spec in schema.values():
        if (
            spec.required
            and spec.key not in values
            and spec.key not in {e.name.lower() for e in parsed.entries}
        ):
            findings.append(
                Finding(1, f"{spec.name} is missing", _missing_fix(spec, path, label))
            )
            fatal = fatal or spec.key in _CANNOT_READ_WITHOUT
        for needed in spec.requires:
            if spec.key in values and not values.get(needed.lower()):
                findings.append(
                    _missing_partner_field(
                        spec, schema[needed.lower()], lines[spec.key]
                    )
                )
    return HeaderResult(findings, fatal, values, lines)


def _name(spec: Field | None, written: str) -> str:
    return spec.name if spec else written


def _unknown_field(name: str, line: int, kind: str) -> Finding:
    names = [f.name for f in fields_of(kind).values()]
    close = difflib.get_close_matches(
        name, names, n=1, cutoff=0.6
    ) or difflib.get_close_matches(
        name.lower(), [n.lower() for n in names], n=1, cutoff=0.6
    )
    label = KIND_LABELS.get(kind, kind)
    if close:
        suggestion = next(n for n in names if n.lower() == close[0].lower())
        return Finding(line, f'Unknown field "{name}"', f'did you mean "{suggestion}"?')
    return Finding(
        line,
        f'Unknown field "{name}"',
        f"remove it; a {label} takes: {', '.join(names)}",
    )


def _missing_fix(spec: Field, path: str, label: str) -> str:
    example = spec.example
    if spec.type == "date":
        found = re.match(r"(\d{4}-\d{2}-\d{2})", os.path.basename(path))
        if found:
            example = found.group(1)
    if spec.name == "Title":
        return f'add a line like "Title: {label}stitel" at the top'
    if spec.choices:
        return f'add a line "{spec.name}: …" with one of: {", ".join(spec.choices)}'
    return f'add a line like "{spec.name}: {example}" at the top'


def _missing_partner_field(spec: Field, needed: Field, line: int) -> Finding:
    if needed.name == "Image_alt":
        return Finding(
            line,
            f"{spec.name} has no {needed.name} (the text read to people who cannot see the picture)",
            f'add a line "{needed.name}: what the picture shows" below it',
        )
    return Finding(
        line,
        f"{spec.name} needs {needed.name} as well",
        f'add a line like "{needed.name}: {needed.example}"',
    )


# --- body -----------------------------------------------------------------


class _BodyScanner(HTMLParser):
    """Collects what the body checks need from the rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forbidden: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.code_links: list[str] = []
        self.images_without_alt: list[str] = []
        self.site_links: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self.forbidden.append(tag)
        for name in attributes:
            if name.startswith("on"):
                self.handlers.append((tag, name))
        for name in _URL_ATTRIBUTES & attributes.keys():
            value = attributes[name]
            compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if compact.startswith(_CODE_SCHEMES):
                self.code_links.append(value)
            elif (
                name in {"href", "src"}
                and value.startswith("/")
                and not value.startswith("//")
            ):
                self.site_links.append(value)
        if tag == "img" and not attributes.get("alt", "").strip():
            self.images_without_alt.append(attributes.get("src", ""))

    handle_startendtag = handle_starttag


def check_body(
    parsed: ParsedFile, html: str, path: str, content_root: str
) -> tuple[list[Finding], list[tuple[str, str, int]]]:
    """Rendered-HTML and source checks of the text below the header.

    Returns the findings and the links to check once the whole site is known,
    as ``(kind, target, line)``: kind ``filename``/``static``/``attach`` for
    Pelican's ``{filename}…`` links, ``site`` for root-relative paths. They are
    resolved per build (see site.py), never here: a reader result may come
    from a cache while the linked file has gone since.
    """
    findings: list[Finding] = []
    scanner = _BodyScanner()
    scanner.feed(html or "")
    body = parsed.body_lines()

    def line_with(*needles: str) -> int:
        for needle in needles:
            lowered = needle.lower()
            for number, text in body:
                if lowered and lowered in text.lower():
                    return number
        return parsed.body_start

    # Checked against what the editor wrote: our own Markdown extensions may
    # add markup (an <svg> icon, image variants) that is not the editor's.
    written = "\n".join(text for _, text in body).lower()
    for tag in dict.fromkeys(scanner.forbidden):
        if f"<{tag}" not in written:
            continue
        findings.append(
            Finding(
                line_with(f"<{tag}"),
                f"<{tag}> is not allowed in content ({FORBIDDEN_ELEMENTS[tag]} could run code or load other sites)",
                "remove it; features like embeds or forms belong in the theme (ask the web team)",
            )
        )
    for tag, attribute in dict.fromkeys(scanner.handlers):
        if attribute not in written:
            continue
        findings.append(
            Finding(
                line_with(f"{attribute}="),
                f'<{tag} {attribute}="…"> runs code, which is not allowed in content',
                f"remove the {attribute} attribute",
            )
        )
    for link in dict.fromkeys(scanner.code_links):
        scheme = link.strip().split(":", 1)[0]
        findings.append(
            Finding(
                line_with(link, f"{scheme}:"),
                f'Link "{_short(link)}" runs code or embeds data, which is not allowed in content',
                "link to a page (/…/) or a web address (https://…) instead",
            )
        )
    for source in dict.fromkeys(scanner.images_without_alt):
        findings.append(
            Finding(
                line_with(f"]({source}", source) if source else parsed.body_start,
                f'Image "{_short(source)}" has no alt text',
                f"describe what it shows in the brackets: ![Was auf dem Bild zu sehen ist]({source})",
            )
        )
    findings.extend(_heading_findings(body))
    filename_links = [
        (match.group("kind"), match.group("target"), number)
        for number, text in body
        for match in _LINK_TOKEN.finditer(text)
    ]
    # Only links the editor wrote: Markdown extensions (e.g. responsive image
    # variants) add addresses of files they generate themselves.
    source = "\n".join(text for _, text in body)
    links = filename_links + [
        ("site", link, line_with(f"({link}", f'"{link}"', link))
        for link in dict.fromkeys(scanner.site_links)
        if link in source
    ]
    return findings, links


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _heading_findings(body: list[tuple[int, str]]) -> list[Finding]:
    """Warnings for skipped heading levels: screen readers navigate by them."""
    findings: list[Finding] = []
    previous = 1  # the page title is the h1
    in_fence = False
    last_text = ""
    for number, text in body:
        if _FENCE.match(text):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        level = 0
        title = ""
        atx = _ATX.match(text)
        if atx:
            level, title = len(atx.group("hashes")), (atx.group("text") or "").strip()
        elif last_text.strip() and re.match(r"^ {0,3}=+\s*$", text):
            level, title = 1, last_text.strip()
        elif (
            last_text.strip()
            and re.match(r"^ {0,3}-+\s*$", text)
            and not last_text.lstrip().startswith(("-", "*", "+"))
        ):
            level, title = 2, last_text.strip()
        last_text = text
        if not level:
            continue
        if level == 1:
            findings.append(
                Finding(
                    number,
                    f'Heading "{_short(title)}" is a top-level heading like the page title',
                    "start sections with ## (two hashes)",
                    WARNING,
                )
            )
        elif level > previous + 1:
            findings.append(
                Finding(
                    number,
                    f'Heading "{_short(title)}" skips from level {previous} to level {level}',
                    f"use {'#' * (previous + 1)} here (one # more than the heading above)",
                    WARNING,
                )
            )
        previous = level
    return findings


def resolve_file_link(target: str, path: str, content_root: str) -> str:
    """The file a ``{filename}`` link means: from content/ with a leading
    slash, else from the linking file's folder (as Pelican resolves it).

    Plain strings: every link of every page comes through here on every
    build (10,000 at 5,000 news items).
    """
    relative = unquote(target)
    if relative.startswith("/"):
        return os.path.join(content_root, relative.lstrip("/"))
    return os.path.join(os.path.dirname(path), relative)


def missing_file_link(
    kind: str, target: str, line: int, path: str, content_root: str
) -> Finding | None:
    """A ``{filename}`` link Pelican cannot resolve (it would only warn and
    leave a broken link in the page)."""
    if os.path.isfile(resolve_file_link(target, path, content_root)):
        return None
    return Finding(
        line,
        f'Link target "{{{kind}}}{target}" does not exist',
        _filename_fix(kind, unquote(target), Path(content_root)),
    )


def _filename_fix(kind: str, target: str, root: Path) -> str:
    candidates = [
        "/" + p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and (p.suffix == ".md") == (kind == "filename")
    ]
    close = difflib.get_close_matches(
        "/" + target.lstrip("/"), candidates, n=1, cutoff=0.8
    )
    if close:
        return f'did you mean "{{{kind}}}{close[0]}"?'
    return (
        f"check the file name below content/, e.g. {{{kind}}}/initiatives/retrason.md"
    )
