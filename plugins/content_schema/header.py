"""Reading a Markdown file's header ourselves, keeping line numbers.

Python-Markdown's meta extension (which Pelican uses) forgets where a field
was written and stops silently at a line it does not understand; Pelican
then fails on a value without naming the line. We parse the same syntax
first, so every problem can be reported with ``path:line``.

Syntax (as Python-Markdown's meta extension): ``Key: value`` lines from the
first line up to the first blank line; a line indented by four spaces
continues the previous value. Our addition: header lines starting with ``#``
are comments (``invoke new`` uses them to explain every field); they are
removed before Markdown sees the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The key syntax of Python-Markdown's meta extension.
_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
# "# note" (one hash) is a comment; "## Heading" never is.
_COMMENT = re.compile(r"^#(?:\s|$)")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
# Something that looks like a field but cannot be one (umlaut, space in name).
_ALMOST_KEY = re.compile(r"^(?P<key>[^\s:#][^:]{0,30}?):\s+\S")


@dataclass
class Entry:
    """One header field as written: name, value, line number."""

    name: str
    value: str
    line: int


@dataclass
class ParsedFile:
    """A content file as text, its header entries and where the body starts."""

    text: str = ""
    entries: list[Entry] = field(default_factory=list)
    #: Lines removed from the text Markdown sees (comments, empty fields).
    dropped: set[int] = field(default_factory=set)
    body_start: int = 1
    #: (line, message, fix) problems of the file as a whole.
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    fatal: bool = False

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def markdown_text(self) -> str:
        """The text for Markdown: header comments and empty fields removed."""
        return "\n".join(
            line
            for number, line in enumerate(self.lines, start=1)
            if number not in self.dropped
        )

    def body_lines(self) -> list[tuple[int, str]]:
        return [
            (n, line)
            for n, line in enumerate(self.lines, start=1)
            if n >= self.body_start
        ]


def decode(raw: bytes) -> tuple[str, tuple[int, int] | None]:
    """Text of a file (BOM removed, line endings normalised) or the bad spot.

    Returns ``(text, None)`` or ``("", (line, column))`` of the first byte that
    is not UTF-8.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return "", (line, column)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse(raw: bytes) -> ParsedFile:
    """Split a Markdown file into header entries and body, with line numbers."""
    text, bad = decode(raw)
    parsed = ParsedFile(text=text)
    if bad:
        line, column = bad
        parsed.problems.append(
            (
                line,
                f"the file is not saved as UTF-8 (unreadable character in column {column})",
                'save it again as "UTF-8" (in most editors: Save as → Encoding → UTF-8)',
            )
        )
        parsed.fatal = True
        return parsed
    if not text.strip():
        parsed.problems.append(
            (
                0,
                "the file is empty",
                'write a header such as "Title: …" and the text, or delete the file (invoke new creates a filled-in file)',
            )
        )
        parsed.fatal = True
        return parsed

    lines = text.split("\n")
    number = 0
    if lines and re.match(r"^-{3}\s*$", lines[0]):
        # YAML-style "---" fence, which the meta extension accepts as well.
        parsed.dropped.add(1)
        number = 1
    while number < len(lines):
        line = lines[number]
        current = number + 1
        if not line.strip():
            break
        if re.match(r"^(-{3}|\.{3})\s*$", line) and parsed.entries:
            parsed.dropped.add(current)
            number += 1
            break
        if _COMMENT.match(line) and (
            parsed.entries or _looks_like_header_follows(lines, number)
        ):
            parsed.dropped.add(current)
            number += 1
            continue
        key = _KEY.match(line)
        if key:
            parsed.entries.append(
                Entry(key.group("key"), key.group("value").strip(), current)
            )
            number += 1
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and parsed.entries:
            last = parsed.entries[-1]
            last.value = f"{last.value} {continuation.group('value').strip()}".strip()
            number += 1
            continue
        # The header ends here without a blank line. If the line looks like a
        # field, the editor meant it as one: Markdown would silently make it
        # (and everything after it) body text.
        almost = _ALMOST_KEY.match(line)
        if almost and (parsed.entries or number == 0):
            name = almost.group("key")
            parsed.problems.append(
                (
                    current,
                    f'"{name}:" is not a valid field name, so the header ends here and the rest becomes text',
                    "field names use only letters A–Z, digits, _ and - (no umlauts or spaces), e.g. Image_alt",
                )
            )
        break
    parsed.body_start = number + 1
    return parsed


def _looks_like_header_follows(lines: list[str], index: int) -> bool:
    """A ``#`` line at the very top is a comment only if fields follow it."""
    for line in lines[index:]:
        if not line.strip():
            return False
        if _KEY.match(line):
            return True
        if not _COMMENT.match(line):
            return False
    return False
