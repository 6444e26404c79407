"""quick_markdown: Python-Markdown's loops, minus the calls that find nothing.

Python-Markdown tries each of its inline patterns (links, emphasis, code,
entities, …) on every piece of text and offers every block to each block
processor (headings, lists, quotes, tables, footnotes, …), one Python call
each; most prose is taken by none of them. This plugin adds a Markdown
extension that skips a pattern or processor where it cannot match: the same
HTML, less than half the Markdown time (README.md).
"""

from .blocks import QuickParseBlocks
from .extension import QuickMarkdownExtension
from .inline import QuickInlineProcessor
from .plugin import register

__all__ = [
    "QuickInlineProcessor",
    "QuickMarkdownExtension",
    "QuickParseBlocks",
    "register",
]
