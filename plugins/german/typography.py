"""German typography for Markdown: „…“ and ‚…‘ quotes, ’ apostrophes, – — and ….

Python-Markdown's ``smarty`` extension does this with a second inline
processor of about seventeen regular expressions applied to every text node,
which doubled our Markdown time per article, and it can only produce English
apostrophes (or, configured for German quotes, a wrong ‘ in "geht's").

This extension instead walks the finished element tree once, after the
inline processor has made emphasis and links elements, and rewrites each
text node with one combined regular expression. Whether a quote opens or
closes is decided by the character before it in document order, across
inline element boundaries (``"*Fachkräfte*"`` → „<em>Fachkräfte</em>“).

Left alone: code, pre, kbd, samp, script and style, every attribute value
except an image's ``title`` (the photo caption), raw HTML (it stays in
Python-Markdown's stash), text the inline processor marked atomic
(autolinks, code), and characters that are already typographic. An escaped ``\\"`` or ``\\'`` stays a straight quote.

The treeprocessor keeps no state between runs, so one ``Markdown`` instance
can convert many documents with ``md.reset()`` in between.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

# The characters themselves (not entities): feeds, search and JSON-LD read
# the text, and UTF-8 is the output encoding everywhere.
DOUBLE_OPEN = "\u201e"  # „
DOUBLE_CLOSE = "\u201c"  # “
SINGLE_OPEN = "\u201a"  # ‚
SINGLE_CLOSE = "\u2018"  # ‘
APOSTROPHE = "\u2019"  # ’
EN_DASH = "\u2013"  # –
EM_DASH = "\u2014"  # —
ELLIPSIS = "\u2026"  # …

#: Everything the extension replaces, in one pass per text node.
PATTERN = re.compile(r"---?|\.\.\.|[\"']")
DASHES = {"---": EM_DASH, "--": EN_DASH, "...": ELLIPSIS}

#: Elements whose text is never changed (their text still counts as the
#: character before a following quote).
UNTOUCHED = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
#: Elements inside running text. Any other element starts and ends a block:
#: a quote right after its start opens, quote nesting starts afresh.
INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "ins",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
    | UNTOUCHED
)
#: After these characters a quote opens (besides whitespace).
OPENERS = frozenset("([{/-\u2013\u2014\u201e\u201a\u00ab\u2039")
#: At the start of a word and before one of these, ' is an elision: ’s, ’n,
#: ’ne, and a year cut to two digits (’90er); before '1984' it opens a quote.
ELISION = re.compile(r"(?:s|n|ne|nen|nem|ner)\b|\d\d(?!\d)")
#: A placeholder of Python-Markdown at the end of a text: ``STX … ETX``.
_PLACEHOLDER = re.compile("\x02([^\x02\x03]*)\x03$")
_HTML_PLACEHOLDER_PREFIX = "wzxhzdk:"
#: Inline raw HTML: Python-Markdown stashes each tag on its own and leaves the
#: text between ``<kbd>`` and ``</kbd>`` in the tree, so we track such tags.
_RAW_UNTOUCHED_TAG = re.compile(
    r"\s*<(/?)(?:" + "|".join(sorted(UNTOUCHED)) + r")\b", re.IGNORECASE
)
_SPACE_ENTITIES = frozenset({"&nbsp;", "&#160;", "&#xa0;", "&#xA0;"})


class _Walk:
    """The state of one run over one document: character before, open ‚."""

    __slots__ = ("md", "prev", "raw_untouched", "singles")

    def __init__(self, md: Markdown | None) -> None:
        self.md = md
        self.prev = " "  # the start of a document is a block start
        self.singles = 0  # ‚ opened and not yet closed in this block
        self.raw_untouched = 0  # inside raw inline <code>, <kbd>, … tags

    def element(self, el: ET.Element) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in UNTOUCHED:
            # Code and comments: untouched, but "`x`" still closes after it.
            text = "".join(el.itertext()) if isinstance(tag, str) else ""
            if text:
                self.prev = self.last_char(text)
            return
        if tag == "br":
            self.prev = " "
            return
        if tag == "img" and el.get("title"):
            # An image title is the photo's visible caption (image_credits
            # turns it into the <figcaption>); other attributes stay as typed.
            el.set("title", smarten(el.get("title")))
        block = tag not in INLINE
        if block:
            self.block_boundary()
        if el.text:
            el.text = self.convert(el.text)
        for child in el:
            self.element(child)
            if child.tail:
                child.tail = self.convert(child.tail)
        if block:
            self.block_boundary()

    def convert(self, value: str) -> str:
        """A text or tail, converted unless Markdown marked it atomic (code)."""
        if isinstance(value, AtomicString):
            self.prev = self.last_char(value)
            return value
        return self.text(value)

    def block_boundary(self) -> None:
        self.prev = " "
        self.singles = 0
        self.raw_untouched = 0  # an unclosed raw <kbd> ends with its block

    def text(self, text: str) -> str:
        """``text`` with quotes, dashes and dots replaced; updates the state."""
        if _HTML_PLACEHOLDER_PREFIX in text:
            return self.text_with_raw_html(text)
        if self.raw_untouched:
            self.prev = self.last_char(text)
            return text
        return self.plain_text(text)

    def text_with_raw_html(self, text: str) -> str:
        """Converts the text between raw HTML tags, except inside raw <kbd> etc."""
        parts: list[str] = []
        start = 0
        for placeholder in HTML_PLACEHOLDER_RE.finditer(text):
            if placeholder.start() > start:
                parts.append(self.text(text[start : placeholder.start()]))
            parts.append(placeholder.group())
            start = placeholder.end()
            raw = self.stashed(placeholder.group(1))
            self.prev = " " if raw is None else _html_char(raw)
            tag = _RAW_UNTOUCHED_TAG.match(raw) if raw else None
            if tag:
                step = -1 if tag.group(1) else 1
                self.raw_untouched = max(0, self.raw_untouched + step)
        if start < len(text):
            parts.append(self.text(text[start:]))
        return "".join(parts)

    def plain_text(self, text: str) -> str:
        parts: list[str] = []
        start = 0
        if _replaceable(text):
            for match in PATTERN.finditer(text):
                begin = match.start()
                if begin > start:
                    parts.append(text[start:begin])
                    self.prev = self.last_char(text, begin)
                found = match.group()
                start = match.end()
                replacement = DASHES.get(found) or self.quote(found, text, start)
                parts.append(replacement)
                self.prev = replacement
        if start == 0:  # most text nodes: nothing to replace
            self.prev = self.last_char(text)
            return text
        if start < len(text):
            parts.append(text[start:])
            self.prev = self.last_char(text)
        return "".join(parts)

    def quote(self, quote: str, text: str, after: int) -> str:
        prev = self.prev
        following = text[after] if after < len(text) else ""
        opening_context = prev.isspace() or prev in OPENERS
        if quote == '"':
            if opening_context:
                # A lone quote between spaces is no quotation mark: keep it.
                return quote if following.isspace() else DOUBLE_OPEN
            return DOUBLE_CLOSE
        if prev.isalnum():
            if following.isalnum():
                return APOSTROPHE  # geht’s, Ku’damm
            if self.singles:
                self.singles -= 1
                return SINGLE_CLOSE
            return APOSTROPHE  # Andreas’ Buch
        if opening_context:
            if following.isspace():
                return quote
            if ELISION.match(text, after):
                return APOSTROPHE  # die ’90er, so ’n Ding
            self.singles += 1
            return SINGLE_OPEN
        if self.singles:  # after punctuation: ‚Halt!‘
            self.singles -= 1
            return SINGLE_CLOSE
        return APOSTROPHE

    def last_char(self, text: str, end: int = -1) -> str:
        """The character before ``end`` as a reader sees it (placeholders resolved)."""
        if end < 0:
            end = len(text)
        last = text[end - 1]
        if last != "\x03":
            return last
        placeholder = _PLACEHOLDER.search(text, 0, end)
        if placeholder is None:
            return last
        return self.placeholder_char(placeholder.group(1))

    def placeholder_char(self, inner: str) -> str:
        if inner.isdigit():  # an escaped character, e.g. \"
            return chr(int(inner))
        if inner.startswith(_HTML_PLACEHOLDER_PREFIX):
            raw = self.stashed(inner[len(_HTML_PLACEHOLDER_PREFIX) :])
            if raw is not None:
                return _html_char(raw)
        if inner == "amp":
            return "&"
        return " "

    def stashed(self, number: str) -> str | None:
        """The raw HTML behind a placeholder (None: not text, e.g. an element)."""
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(number) if number.isdigit() else -1
        raw = blocks[index] if 0 <= index < len(blocks) else None
        return raw if isinstance(raw, str) else None


def smarten(text: str) -> str:
    """One line of plain text (a title, a caption) with German typography."""
    if not _replaceable(text):
        return text
    return _Walk(None).plain_text(text)


def _replaceable(text: str) -> bool:
    """Whether ``PATTERN`` can match: four substring searches, cheaper than it."""
    return '"' in text or "'" in text or "--" in text or "..." in text


def _html_char(raw: str) -> str:
    """What inline HTML or an entity counts as before a quote."""
    raw = raw.strip()
    if raw.startswith("&"):
        if raw in _SPACE_ENTITIES:
            return " "
        return html.unescape(raw)[-1:] or "a"
    if raw.startswith("</"):
        return "a"  # "<b>Zitat</b>" – a closing tag ends a word
    return " "  # an opening tag or <br>: what follows starts afresh


class TypographyTreeprocessor(Treeprocessor):
    """Rewrites the text of the element tree; see the module docstring."""

    def run(self, root: ET.Element) -> None:
        # Many documents have nothing to replace: a few substring scans of
        # all their text (fast, unlike a regular expression) skip the walk.
        if _replaceable("".join(root.itertext())):
            _Walk(self.md).element(root)


class TypographyExtension(Extension):
    """German quotes, apostrophes, dashes and ellipses for Python-Markdown."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Priority 6: after "inline" (20), "attr_list" (8, its {: …} text must
        # still be straight) and "abbr" (7); before "toc" (5), so headings in
        # the table of contents read the same as in the text.
        md.treeprocessors.register(TypographyTreeprocessor(md), "german_typography", 6)
        for char in "\"'":
            # \" and \' keep a straight quote.
            if char not in md.ESCAPED_CHARS:
                md.ESCAPED_CHARS.append(char)


def makeExtension(**kwargs) -> TypographyExtension:
    """Lets Markdown load the extension by name: ``"german.typography"``."""
    return TypographyExtension(**kwargs)
