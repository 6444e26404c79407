"""The Markdown extension: Python-Markdown's loops, minus the calls that find nothing.

Python-Markdown offers every piece of text to each inline pattern and every
block to each block processor, one Python call each, and most prose is taken
by none of them. The extension installs two exact shortcuts (``inline.py``,
``blocks.py``) that skip only calls which could not have matched: the HTML
is the same, byte for byte.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

from . import blocks, inline


class QuickMarkdownExtension(Extension):
    """Installs the quick inline processor and the quick block loop."""

    def __init__(self, **kwargs) -> None:
        self.config = {
            "inline": [True, "skip inline patterns that cannot match"],
            "blocks": [True, "skip block processors that cannot take a block"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        if self.getConfig("inline"):
            inline.install(md)
        if self.getConfig("blocks"):
            blocks.install(md)


def makeExtension(**kwargs) -> QuickMarkdownExtension:
    """Lets Markdown load the extension by name: ``"quick_markdown.extension"``."""
    return QuickMarkdownExtension(**kwargs)
