"""quick_markdown: the same HTML as Python-Markdown's own loops.

Every test converts text twice, with a ``markdown.Markdown`` built the way
Pelican's reader builds it from pelicanconf.py's ``MARKDOWN`` plus the
german plugin's typography, once with and once without the quick_markdown
extension, and compares the HTML; one test builds a site with real Pelican
both ways and compares every page. ``test_blocks`` uses the same helpers
for the block loop.
"""

from __future__ import annotations

import copy
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
from german.plugin import use_typography
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor
from pelican import Pelican
from pelican.settings import read_settings

import pelicanconf
from quick_markdown.inline import NEEDS, QuickInlineProcessor, can_match
from quick_markdown.plugin import use_quick_markdown
from tests.support import MINIMAL_SITE, ROOT, build_site, write_files


def site_markdown(quick: bool, extensions: tuple = ()) -> markdown.Markdown:
    """A Markdown instance as Pelican's reader makes it from our settings."""
    settings = {
        "MARKDOWN": copy.deepcopy(pelicanconf.MARKDOWN),
        "QUICK_MARKDOWN_ENABLED": quick,
    }
    use_typography(settings)
    use_quick_markdown(settings)
    config = settings["MARKDOWN"]
    return markdown.Markdown(
        extensions=[
            *extensions,
            *config.get("extensions", []),
            *config["extension_configs"],
            "markdown.extensions.meta",
        ],
        extension_configs=config["extension_configs"],
        output_format=config["output_format"],
    )


def both(texts: list[str], extensions: tuple = ()) -> tuple[list[str], list[str]]:
    """Each text converted by the stock loops and by the quick ones."""
    results = []
    for quick in (False, True):
        md = site_markdown(quick, extensions)
        converted = []
        for text in texts:
            md.reset()
            converted.append(md.convert(text))
        results.append(converted)
    return results[0], results[1]


def random_texts(pieces: list[str], longest: int, count: int = 1500) -> list[str]:
    """Seeded texts of up to ``longest`` pieces (the same texts in every run)."""
    rng = random.Random(20261124)
    return [
        "".join(rng.choices(pieces, k=rng.randint(1, longest))) for _ in range(count)
    ]


def differing(texts: list[str]) -> list[str]:
    """The texts whose HTML differs between the stock and the quick loops."""
    stock, quick = both(texts)
    return [t for t, a, b in zip(texts, stock, quick, strict=True) if a != b]


#: Every inline syntax of core Markdown and ``extra``, alone, nested and mixed.
SYNTAX = [
    "Schlichte Prosa ohne Auszeichnung, über Fachkräfte in Südostniedersachsen.",
    "*kursiv*, **fett**, ***beides***, _unter_, __doppelt__, snake_case_name, 2*3*4",
    "Ein Stern * allein und ein _ allein, ** leer **, *nicht\n\nzu*",
    "`Code mit *Stern* und [Klammer]`, ``zwei ` Ticks``, \\`kein Code\\`",
    "Escapes: \\*, \\_, \\[, \\\\, \\<, \\&, \\` und \\\\*echt kursiv*",
    '[Link](https://example.org/ "Titel"), [*kursiv* im Link](/a/), ![Bild](/b.jpg)',
    "[Referenz][r], [r][], [r], ![Bild][r], ![r]\n\n[r]: https://example.org/r",
    "<https://example.org/auto> und <info@example.org> und <span>*html*</span>",
    "Zeile mit Umbruch  \nnächste Zeile, &amp; &copy; &#169; &#xA9; & allein",
    "Fußnote[^1] und noch eine[^zwei].\n\n[^1]: Text *mit* [Link](/x/).\n[^zwei]: Zwei.",
    "Die HWK ist Partner.\n\n*[HWK]: Handwerkskammer",
    "## Überschrift mit *Betonung* und `Code` {: #eigen }\n\nText {: .klasse }",
    "| a | *b* |\n|---|---|\n| [c](/c/) | `d` |",
    "Begriff\n:   Definition mit **fett**",
    '<div markdown="1">*innen* [l](/l/)</div>',
    "Sie sagte \"*Hallo*\" -- und ging... 'gut'",
    "<!-- Kommentar --> <?pi ?> <![CDATA[x]]> a<b c>d",
    "- Liste *eins*\n- [zwei](/2/)\n    - `drei`",
    "> Zitat mit **fett** und <em>html</em>",
]


def test_every_inline_syntax_gives_the_same_html():
    stock, quick = both(SYNTAX)
    assert quick == stock
    # The documents do exercise the patterns (not all skipped as plain text).
    assert "<strong>" in quick[1] and 'href="https://example.org/r"' in quick[6]
    assert "<code>" in quick[3] and 'class="footnote-ref"' in quick[9]


def test_random_text_full_of_markup_characters_gives_the_same_html():
    """Seeded fuzzing: texts made of the characters the patterns start with."""
    pieces = [
        *"*_[]()!<>&`\\^#:-|{}.\"' \n",
        "  \n",
        "\n\n",
        "wort",
        "Fachkräfte",
        "https://example.org",
        "a@example.org",
        "&amp;",
        "[^1]",
        "[^1]: fuß",
        "[r]: /r/",
        "<span>",
        "</span>",
    ]
    different = differing(random_texts(pieces, longest=60))
    assert not different, different[:3]


def test_the_demo_content_gives_the_same_html():
    files = sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 20
    stock, quick = both([path.read_text(encoding="utf-8") for path in files])
    assert quick == stock


class _Highlight(InlinePattern):
    """An extension's pattern NEEDS does not know: letters, not markup."""

    def handleMatch(self, m, data):
        element = ET.Element("mark")
        element.text = m.group(0)
        return element, m.start(0), m.end(0)


class _HighlightExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(_Highlight(r"Südost\w*"), "highlight", 65)


def test_a_pattern_it_does_not_know_is_still_applied():
    texts = ["Fachkräfte in Südostniedersachsen *und* Südosteuropa.", "Ohne."]
    stock, quick = both(texts, extensions=(_HighlightExtension(),))
    assert quick == stock
    assert quick[0].count("<mark>") == 2
    assert "<mark>Südostniedersachsen</mark>" in quick[0]


def test_a_pattern_changed_between_documents_is_seen():
    """The tests per pattern are kept between documents, but not past a change."""
    md = site_markdown(quick=True, extensions=(_HighlightExtension(),))
    assert "<mark>" in md.convert("In Südostniedersachsen.")
    highlight = md.inlinePatterns["highlight"]
    highlight.compiled_re = re.compile(r"Fach\w*", re.DOTALL | re.UNICODE)
    md.reset()
    assert "<mark>Fachkräfte</mark>" in md.convert("Fachkräfte in der Region.")


def test_needs_are_substrings_every_match_contains():
    """Each listed expression cannot match text without one of its substrings,
    and matches at least one text with it."""
    samples = {
        r"`": "`a`",
        "\\": "\\*",
        "[": "[a](b)",
        "![": "![a](b)",
        "<": "<a@b.c> <https://x.y> <b>",
        "  \n": "a  \nb",
        "&": "&amp;",
        "[^": "[^1]",
        "*": "*a*",
        "_": "_a_",
    }
    for expression, needs in NEEDS.items():
        compiled = re.compile(expression, re.DOTALL | re.UNICODE)
        text = " ".join(samples[need] for need in needs)
        assert compiled.search(text), expression
        for need in needs:
            text = text.replace(need, "")
        assert not compiled.search(text), expression


def test_site_markdown_uses_the_quick_processor_for_the_known_patterns():
    md = site_markdown(quick=True)
    assert type(md.treeprocessors["inline"]) is QuickInlineProcessor
    # Every pattern of our configuration has its substrings listed: a
    # Markdown upgrade that changes one falls back to its expression (still
    # right, but slower), and this says so.
    unknown = [
        p.getCompiledRegExp().pattern
        for p in md.inlinePatterns
        if p.getCompiledRegExp().pattern not in NEEDS
    ]
    assert not unknown
    assert type(site_markdown(quick=False).treeprocessors["inline"]) is InlineProcessor
    assert not can_match(md.inlinePatterns["link"])("kein Link hier")


def test_pelican_with_our_settings_adds_the_extension_once(tmp_path: Path):
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out")},
    )
    for _ in range(2):  # a second Pelican on the same settings (livereload)
        Pelican(settings)
    config = settings["MARKDOWN"]
    md = markdown.Markdown(
        extensions=[*config["extensions"], *config["extension_configs"]],
        extension_configs=config["extension_configs"],
    )
    assert type(md.treeprocessors["inline"]) is QuickInlineProcessor
    names = [type(e).__name__ for e in config["extensions"]]
    assert names.count("QuickMarkdownExtension") == 1


#: A news item for a real build: the syntax above that our content checks
#: accept (links to pages that exist, no photo without a credit).
BUILT_NEWS = """\
Title: Alles, was Markdown kann
Date: 2024-05-02
Category: Regionalentwicklung
Summary: Eine Meldung mit *jeder* Auszeichnung & mehr.

## Überschrift mit *Betonung* und `Code`

*kursiv*, **fett**, _unter_, snake_case_name, 2*3*4 und ein * allein.

`Code mit *Stern*`, Escapes \\* \\_ \\[ und &amp; &copy; & allein.

[Zur Initiative *Zukunftsregion*]({filename}/initiatives/zukunftsregion.md),
[Referenz][r], <https://example.org/auto>, <info@example.org>.

Zeile mit Umbruch\x20\x20
nächste Zeile, Fußnote[^1] und HWK.

| a | *b* |
|---|---|
| [c][r] | `d` |

> Ein Zitat mit **fett**
> über zwei Zeilen.

---

1. eins
2. zwei
    - verschachtelt

Begriff
:   Definition mit *Betonung*

[r]: https://example.org/r
[^1]: Text *mit* Betonung.
*[HWK]: Handwerkskammer
"""


def test_a_built_site_is_the_same_with_and_without(tmp_path: Path):
    files = {**MINIMAL_SITE, "news/2024-05-02-syntax.md": BUILT_NEWS}
    write_files(tmp_path / "content", files)
    on = build_site(tmp_path / "content", tmp_path / "on" / "output")
    off = build_site(
        tmp_path / "content",
        tmp_path / "off" / "output",
        overrides={"QUICK_MARKDOWN_ENABLED": False},
    )
    assert on.ok, on.log
    assert off.ok, off.log
    pages = sorted(p.relative_to(on.output) for p in on.output.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert (on.output / page).read_bytes() == (off.output / page).read_bytes(), page
    news = (on.output / "aktuelles").rglob("index.html")
    text = next(p for p in news if "alles-was" in str(p)).read_text(encoding="utf-8")
    assert "<strong>fett</strong>" in text and 'class="footnote-ref"' in text
    assert "<br" in text  # the line break (two spaces)
    assert "<blockquote>" in text and "<hr" in text and "<dl>" in text
