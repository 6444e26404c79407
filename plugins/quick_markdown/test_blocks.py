"""quick_markdown's block loop: the same HTML as ``BlockParser.parseBlocks``.

The helpers of ``test_inline`` build Markdown the way Pelican's reader does
from our settings, with and without the extension.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.blockprocessors import BlockProcessor, BlockQuoteProcessor

from quick_markdown.blocks import NEEDS, QuickParseBlocks
from quick_markdown.test_inline import both, differing, random_texts, site_markdown

#: Every block syntax of core Markdown, ``extra`` and ``toc``, alone and nested.
SYNTAX = [
    "Ein Absatz.\nMit zweiter Zeile: und einem Doppelpunkt.",
    "# Eins\n## Zwei ##\n###### Sechs\n####### Sieben",
    "Text davor\n# Überschrift mitten im Block\nText danach",
    "Setext eins\n===========\n\nSetext zwei\n---",
    "Kein Setext\nsondern - Strich im Text",
    "---\n\n- - -\n\n***\n\n_ _ _\n\n-- -\n\n* * *\n\nText\n\n__",
    "Zeile\n---\nnoch eine",
    "1. eins\n2. zwei\n    1. verschachtelt\n\n3. drei",
    "- a\n- b\n\n    Absatz im Punkt\n\n    > Zitat im Punkt\n\n- c",
    "* Stern\n+ Plus\n- Minus",
    "> Zitat\n> > verschachtelt\n>\n> # Überschrift im Zitat\n\nnach dem Zitat",
    "Text\n> Zitat mitten im Block",
    "    Code eingerückt\n    # kein Titel\n\nText",
    "```\n# kein Titel\n> kein Zitat\n```",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2",
    "| einspaltig |\n| --- |\n| x |",
    "| kein | Trenner |\n| x | y |",
    "Fußnote[^1] und[^2].\n\n[^1]: Erste\n[^2]: Zweite\n    mit Fortsetzung\n\n    und Absatz",
    "Text davor\n[^3]: im Block\n\nText[^3]",
    "Die HWK und die IHK.\n\n*[HWK]: Handwerkskammer\n*[IHK]: Industrie- und Handelskammer",
    "*[]: leer\n*[X]:",
    '[r]: https://example.org/r "Titel"\n[s]: <https://example.org/s>\n  (Titel)\n\n[r] und [s]',
    "Text\n[t]: /t/\nmehr",
    "Begriff\n:   Definition\n:   zweite\n\nNoch ein Begriff\n\n:   mit Abstand",
    "Kein: Begriff\n:kein Abstand",
    '<div markdown="1">\n# Innen\n\n> Zitat\n</div>',
    "[TOC]\n\n## Mit Inhaltsverzeichnis {: #eigen }",
    "\n\n\n   \n",
    "Ende ohne Zeilenumbruch #",
]


def test_every_block_syntax_gives_the_same_html():
    stock, quick = both(SYNTAX)
    assert quick == stock
    # The documents do exercise the processors (not all taken as paragraphs).
    assert "<h6" in quick[1] and ">Überschrift mitten im Block</h1>" in quick[2]
    assert quick[5].count("<hr") >= 5 and "<table>" in quick[14]
    assert 'class="footnote"' in quick[18] and "<blockquote>" in quick[10]
    assert "<abbr" in quick[20] and "<dl>" in quick[24]


def test_random_blocks_full_of_markup_give_the_same_html():
    """Seeded fuzzing: lines made of what block syntax starts with."""
    pieces = [
        *"#>|-_*:=[]^ \t",
        "\n",
        "\n\n",
        "    ",
        "1. ",
        "- ",
        "> ",
        ": ",
        "# ",
        "---",
        "===",
        "| a | b |",
        "|---|---|",
        "[^1]: fuß",
        "[^1]",
        "*[HWK]: Kammer",
        "HWK",
        "[r]: /r/",
        "```",
        "wort",
        "Fachkräfte",
    ]
    different = differing(random_texts(pieces, longest=40))
    assert not different, different[:3]


def _takes(processor: BlockProcessor, block: str) -> bool:
    """Whether the stock loop would let ``processor`` change anything."""
    parent = ET.Element("div")
    blocks = [block, "danach"]
    if not processor.test(parent, block):
        return False
    return processor.run(parent, blocks) is not False or blocks != [block, "danach"]


def test_a_block_without_what_a_processor_needs_is_never_taken_by_it():
    """The claim behind each NEEDS entry, processor by processor: where the
    test says no, ``test`` is False or ``run`` hands the block back as it was."""
    rng = random.Random(8)
    pieces = [*"#>|-_*:=[]^ ", "\n", "    ", "1. ", "wort", "[^1]: f", "*[A]: a"]
    blocks = SYNTAX + [
        "".join(rng.choices(pieces, k=rng.randint(1, 30))) for _ in range(3000)
    ]
    md = site_markdown(quick=False)
    processors = {type(p): p for p in md.parser.blockprocessors}
    for kind, can_take in NEEDS.items():
        processor = processors[kind]
        taken = 0
        for block in blocks:
            md.reset()
            if _takes(processor, block):
                taken += 1
                assert can_take(block), (kind.__name__, block)
        # Not vacuous: each processor takes some of these blocks.
        assert taken, kind.__name__


def test_site_markdown_uses_the_quick_loop_for_every_listed_processor():
    md = site_markdown(quick=True)
    assert isinstance(md.parser.parseBlocks, QuickParseBlocks)
    # Every listed class is one our configuration uses (the list is not stale).
    assert set(NEEDS) <= {type(p) for p in md.parser.blockprocessors}
    assert "parseBlocks" not in vars(site_markdown(quick=False).parser)


class _PercentQuote(BlockQuoteProcessor):
    """A subclass with its own expression: "%" instead of ">"."""

    RE = re.compile(r"(^|\n)[ ]{0,3}%[ ]?(.*)")

    def clean(self, line: str) -> str:
        m = self.RE.match(line)
        return m.group(2) if m else line


class _PercentQuoteExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.parser.blockprocessors.register(_PercentQuote(md.parser), "percent", 21)


def test_a_subclass_of_a_listed_processor_is_always_asked():
    texts = ["% Zitat mit Prozent\n% zweite Zeile", "> normales Zitat"]
    stock, quick = both(texts, extensions=(_PercentQuoteExtension(),))
    assert quick == stock
    assert quick[0].startswith("<blockquote>")


def test_a_processor_registered_between_documents_is_seen():
    md = site_markdown(quick=True)
    assert "<blockquote>" not in md.convert("% noch kein Zitat")
    md.parser.blockprocessors.register(_PercentQuote(md.parser), "percent", 21)
    md.reset()
    assert md.convert("% jetzt ein Zitat").startswith("<blockquote>")
