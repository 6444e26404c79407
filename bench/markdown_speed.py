"""Markdown conversion time per news article, by extension set.

Converts every news file of a benchmark corpus (``bench/generate.py``) with
one reused ``markdown.Markdown`` instance (``reset()`` between documents)
and prints the median milliseconds per article over several passes for:

* our ``MARKDOWN`` settings without typography (extra, toc, meta);
* the same with the german plugin's typography extension;
* the same with the quick_markdown plugin's inline processor only (the same
  HTML, inline patterns tried only where they can match);
* the same with its block loop too (what we build with: block processors
  asked only where they can take a block);
* the same with ``markdown.extensions.smarty`` configured for German quotes
  instead (what we built with before);
* plain Pelican's default ``MARKDOWN`` (codehilite, extra, meta);

then the typography treeprocessor's own time, measured with a stopwatch
around it (the difference of two rows is noisy when other work shares the
machine).

The image_credits and partners extensions are left out: they need a running
build's state, and they cost the same in every row. The generated corpus has
no quotes or dashes, so every row is measured a second time on the same text
with quotes, apostrophes, dashes and ellipses added (``--typographic``
corpus), where the replacements actually happen. It prints, it asserts
nothing; the file is not called ``markdown.py`` because it would shadow the
``markdown`` package when run as a script:

    .venv/bin/python bench/markdown_speed.py                   # corpus n1000-seed8
    .venv/bin/python bench/markdown_speed.py --corpus bench/corpus/n1000-seed8 --runs 7
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "plugins")]

import markdown  # noqa: E402
from generate import generate  # noqa: E402
from german.typography import (  # noqa: E402
    TypographyExtension,
    TypographyTreeprocessor,
)
from quick_markdown import QuickMarkdownExtension  # noqa: E402

OURS = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
#: What pelicanconf.py configured before the typography extension.
SMARTY = {
    "markdown.extensions.smarty": {
        "substitutions": {
            "left-double-quote": "&bdquo;",
            "right-double-quote": "&ldquo;",
            "left-single-quote": "&sbquo;",
            "right-single-quote": "&lsquo;",
        }
    }
}
#: pelican.settings.DEFAULT_CONFIG["MARKDOWN"] of Pelican 4.12.
PLAIN_PELICAN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}


def markdown_factory(settings: dict, *extra: object) -> Callable[[], markdown.Markdown]:
    """A ``Markdown`` maker that loads what ``settings`` configures.

    ``extension_configs`` alone loads nothing in Python-Markdown (Pelican's
    reader adds its keys to ``extensions``); here we do the same.
    """
    configs = settings["extension_configs"]

    def make() -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[*configs, *extra],
            extension_configs=configs,
            output_format=settings["output_format"],
        )

    return make


def variants() -> dict[str, Callable[[], markdown.Markdown]]:
    with_smarty = {**OURS, "extension_configs": {**OURS["extension_configs"], **SMARTY}}
    return {
        "ours without typography": markdown_factory(OURS),
        "ours (german typography)": markdown_factory(OURS, TypographyExtension()),
        "ours + quick inline": markdown_factory(
            OURS, TypographyExtension(), QuickMarkdownExtension(blocks=False)
        ),
        "ours + quick inline and blocks (built)": markdown_factory(
            OURS, TypographyExtension(), QuickMarkdownExtension()
        ),
        "ours with smarty (before)": markdown_factory(with_smarty),
        "plain Pelican defaults": markdown_factory(PLAIN_PELICAN),
    }


class TimedTypography(TypographyExtension):
    """The typography extension with a stopwatch around its treeprocessor.

    The difference of two whole conversions is noisy on a shared machine;
    this measures the treeprocessor's own time directly.
    """

    spent = 0.0

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        extension = self

        class Timed(TypographyTreeprocessor):
            def run(self, root) -> None:
                started = time.perf_counter()
                super().run(root)
                extension.spent += time.perf_counter() - started

        md.treeprocessors.register(Timed(md), "german_typography", 6)


def typographic(text: str) -> str:
    """The same article with something to replace in every paragraph."""
    head, _, body = text.partition("\n\n")
    body = re.sub(r"\b(Die|Das|Der) (\w+)", r'\1 "\2"', body)
    body = body.replace(" und ", " und's -- ").replace(" für ", " 'für' ... ")
    return f"{head}\n\n{body}"


def per_article_ms(make: Callable[[], markdown.Markdown], texts: list[str]) -> float:
    md = make()
    started = time.perf_counter()
    for text in texts:
        md.reset()
        md.convert(text)
    return (time.perf_counter() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=HERE / "corpus" / "n1000-seed8",
        help="a corpus folder of bench/generate.py (generated there if missing)",
    )
    parser.add_argument("--runs", type=int, default=5, help="passes per variant")
    args = parser.parse_args()

    news = args.corpus / "content" / "news"
    if not news.is_dir():
        print(f"generating corpus N=1000 seed 8 in {args.corpus} …")
        generate(args.corpus, 1000, 8)
    texts = [p.read_text("utf-8") for p in sorted(news.glob("*.md"))]
    corpora = {"corpus": texts, "typographic": [typographic(t) for t in texts]}
    makers = variants()

    print(
        f"{len(texts)} news articles from {news}; median of {args.runs} passes,"
        " variants interleaved in every pass"
    )
    for make in makers.values():
        per_article_ms(make, texts[:50])  # warm up: imports, regex compilation
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for name, make in makers.items():
            for corpus, items in corpora.items():
                ms = per_article_ms(make, items)
                samples.setdefault((name, corpus), []).append(ms)
    results = {
        name: {c: statistics.median(samples[name, c]) for c in corpora}
        for name in makers
    }
    print(f"{'extensions':<40} {'corpus':>12} {'typographic':>12}")
    for name, row in results.items():
        print(
            f"{name:<40} {row['corpus']:>9.3f} ms {row['typographic']:>9.3f} ms"
            " per article"
        )
    base = results["ours without typography"]
    for label, name in (
        ("german typography", "ours (german typography)"),
        ("smarty", "ours with smarty (before)"),
    ):
        costs = [results[name][c] - base[c] for c in corpora]
        print(
            f"difference for {label}: {costs[0]:.3f} ms (corpus), "
            f"{costs[1]:.3f} ms (typographic) per article"
        )
    stock = results["ours (german typography)"]
    for label, name in (
        ("quick inline", "ours + quick inline"),
        ("quick inline and blocks", "ours + quick inline and blocks (built)"),
    ):
        quick = results[name]
        print(
            f"{label} against Python-Markdown's own loops: "
            + ", ".join(f"{quick[c] / stock[c]:.2f}× ({c})" for c in corpora)
        )
    timed = TimedTypography()
    own = []
    for items in corpora.values():
        passes = []
        for _ in range(args.runs):
            timed.spent = 0.0
            per_article_ms(markdown_factory(OURS, timed), items)
            passes.append(timed.spent * 1000 / len(items))
        own.append(statistics.median(passes))
    print(
        f"german typography treeprocessor alone: {own[0]:.3f} ms (corpus), "
        f"{own[1]:.3f} ms (typographic) per article"
    )


if __name__ == "__main__":
    main()
