"""Block processors that cannot take a block are not asked.

Python-Markdown's ``BlockParser.parseBlocks`` offers each block to the block
processors in turn (17 with ``extra``) until one takes it. A paragraph of
prose is searched by the expressions of headings, rules, definition lists,
quotes and tables, and run through the footnote, abbreviation and reference
processors (their ``test`` says yes to every block; their ``run`` searches
it and hands it back), before the paragraph processor takes it; and the
sorted list of processors is built again for every block. That was a third
of the Markdown time left after the inline patterns.

The quick ``parseBlocks`` builds the list once per call and skips a
processor whose :data:`NEEDS` test says the block cannot be its: a heading
needs a ``#``, a quote a ``>``, a table a ``|``, a footnote ``[^``, a rule
three of ``-``, ``_`` or ``*``, and so on. Each test was read off the
processor's own ``test`` and ``run`` (Python-Markdown 3.11): it is False only
for a block that ``test`` rejects or that ``run`` hands back untouched, so
the skipped calls are exactly ones that would have changed nothing, and the
HTML is the same, byte for byte (``test_blocks``). Processors are matched by
exact class: a subclass (another extension's) may decide differently and is
always asked, as is every processor not listed.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown, blockprocessors
from markdown.blockparser import BlockParser
from markdown.extensions import abbr, def_list, footnotes, tables

from .inline import contains


def _three_of(*characters: str) -> Callable[[str], bool]:
    return lambda block: any(block.count(c) >= 3 for c in characters)


#: Exact class → False only for a block the processor would not take.
NEEDS: dict[type, Callable[[str], bool]] = {
    # "#{1,6}" at a line's start.
    blockprocessors.HashHeaderProcessor: contains("#"),
    # A first line, then a line of "=" or "-" (``match`` at the block's start).
    blockprocessors.SetextHeaderProcessor: contains("\n=", "\n-"),
    # At least three of the same "-", "_" or "*" on one line.
    blockprocessors.HRProcessor: _three_of("-", "_", "*"),
    # ":" and one to three spaces at a line's start.
    def_list.DefListProcessor: contains(": "),
    # ">" at a line's start.
    blockprocessors.BlockQuoteProcessor: contains(">"),
    # A header row of two cells, or of one with a border: a "|" either way.
    tables.TableProcessor: contains("|"),
    # ``run`` hands back a block without "[^…]:" and returns False.
    footnotes.FootnoteBlockProcessor: contains("[^"),
    # ``run`` hands back a block without "*[…]:".
    abbr.AbbrBlockprocessor: contains("*["),
    # ``run`` hands back a block without "[…]:".
    blockprocessors.ReferenceProcessor: contains("]:"),
}


class QuickParseBlocks:
    """``BlockParser.parseBlocks``, skipping processors that cannot take a block.

    Installed as the parser's ``parseBlocks`` attribute, so the processors'
    own nested calls (lists, quotes, footnotes) come here too.
    """

    def __init__(self, parser: BlockParser) -> None:
        self.parser = parser
        self._seen: list | None = None
        self._steps: list[tuple[object, Callable[[str], bool] | None]] = []

    def __call__(self, parent: etree.Element, blocks: list[str]) -> None:
        # One list per call, not per block; a processor registered since the
        # last call is seen (the stock loop would see one registered by a
        # processor's ``run`` within the call, which none does).
        processors = list(self.parser.blockprocessors)
        if processors != self._seen:
            self._seen = processors
            self._steps = [(p, NEEDS.get(type(p))) for p in processors]
        steps = self._steps
        while blocks:
            for processor, can_take in steps:
                if can_take is not None and not can_take(blocks[0]):
                    continue
                # ``run`` returns None or True when it took the block.
                if (
                    processor.test(parent, blocks[0])
                    and processor.run(parent, blocks) is not False
                ):
                    break


def install(md: Markdown) -> None:
    """Give ``md``'s block parser the quick ``parseBlocks``."""
    parser = md.parser
    if type(parser) is not BlockParser or "parseBlocks" in vars(parser):
        return  # another extension's parser or loop: leave it alone
    parser.parseBlocks = QuickParseBlocks(parser)
