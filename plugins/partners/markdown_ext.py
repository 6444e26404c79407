"""``[partner: …]`` in any Markdown text: a Python-Markdown block processor.

A line of its own such as ``[partner: fachkraeftebuendnis-suedostniedersachsen]``
or ``[partner: type=kammer]`` becomes a partner list grouped by type. Working
on Markdown blocks (not on the finished HTML) means code blocks that *show*
the syntax stay untouched and the list is part of the content Pelican caches,
summarises and indexes.

What cannot be resolved (an unknown id) is not kept in any module state: it
goes into the document's metadata (``md.Meta``, key :data:`PROBLEMS_KEY`),
which Pelican returns with the content. So the problem travels with the file
through reader caches and worker processes, and the plugin reports it with
the file's path once the content object exists.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import AtomicString

from .listing import Group
from .selection import Selection

#: One line ``[partner: selector]``, up to three spaces of indentation as for
#: any Markdown block; anything else in the same paragraph stays text.
MARKER = re.compile(r"^ {0,3}\[partner:(?P<selector>[^\[\]\n]*)\]\s*$", re.IGNORECASE)

#: Metadata key of unresolved markers: JSON ``[marker, message, fix]`` each.
PROBLEMS_KEY = "partners_unresolved"

Selector = Callable[[str], Selection]


class PartnerListProcessor(BlockProcessor):
    """Replaces a ``[partner: …]`` line by the list it selects."""

    def __init__(self, parser, select: Selector) -> None:
        super().__init__(parser)
        self.select = select

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(MARKER.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        first, _, rest = blocks.pop(0).partition("\n")
        if rest.strip():
            blocks.insert(0, rest)  # text right below the marker stays a paragraph
        marker = first.strip()
        selection = self.select(MARKER.match(first)["selector"])
        if selection.problems:
            md = self.parser.md
            if not hasattr(md, "Meta"):
                md.Meta = {}
            md.Meta.setdefault(PROBLEMS_KEY, []).extend(
                json.dumps([marker, message, fix], ensure_ascii=False)
                for message, fix in selection.problems
            )
        if not selection.problems and selection.groups:
            render_groups(parent, selection.groups)


def render_groups(parent: etree.Element, groups: list[Group]) -> etree.Element:
    """``<ul class="partner-list">`` of types, each with its partners.

    Nested lists rather than headings: the list sits inside running text
    whose heading level the extension cannot know.
    """
    outer = etree.SubElement(parent, "ul", {"class": "partner-list"})
    for group in groups:
        item = etree.SubElement(outer, "li", {"class": "partner-list__group"})
        heading = etree.SubElement(item, "span", {"class": "partner-list__type"})
        heading.text = AtomicString(f"{group.label} ({group.count})")
        inner = etree.SubElement(item, "ul")
        for listing in group.items:
            entry = etree.SubElement(inner, "li", {"class": "partner-list__partner"})
            partner = listing.partner
            if partner.website:
                name = etree.SubElement(
                    entry, "a", {"href": partner.website, "rel": "external"}
                )
            else:
                name = etree.SubElement(entry, "span")
            # Atomic: names like "Muster_Werke" or "*Beispiel*" are not Markdown.
            name.text = AtomicString(partner.name)
            if listing.role:
                name.tail = AtomicString(f" ({listing.role})")
    return outer


class PartnerListExtension(Extension):
    """Registers :class:`PartnerListProcessor`.

    ``select`` resolves a selector against the current build's registry.
    """

    def __init__(self, select: Selector, **kwargs) -> None:
        super().__init__(**kwargs)
        self.select = select

    def extendMarkdown(self, md: Markdown) -> None:
        # After indented code (80), before headings (70) and paragraphs (10).
        md.parser.blockprocessors.register(
            PartnerListProcessor(md.parser, self.select),
            "partner_list",
            75,
        )
