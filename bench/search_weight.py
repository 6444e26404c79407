"""What a visitor downloads for one search, with the index whole or in parts.

A benchmark, not a test: it prints figures. The index of a large site comes
in parts (plugins/search/parts.py), which saves build memory and time but
costs the visitor one more index chunk per part and search. This script puts
a figure on that: it indexes a built site with each ``--part-pages`` value
in turn, serves it on 127.0.0.1 with gzip (like production), runs each query
on ``/suche/`` in Debian's chromium and sums what came from ``/pagefind/``.

    .venv/bin/python bench/search_weight.py --output bench/corpus/work-n5000/output

The output must be a build with the search index (``bench/run.py`` leaves
one in ``bench/corpus/work-n<N>/output``); its index is rewritten, and left
split as the last ``--part-pages`` value says.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from pelican.settings import read_settings  # noqa: E402
from search.indexer import build_index  # noqa: E402
from search.plugin import DEFAULTS  # noqa: E402

from publishing.preview import serve_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["Fachkräfte", "Wasserstoff", "Ausbildung Region", "Breitband"]


def index(output: Path, part_pages: int, cache: Path) -> tuple[int, float]:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings.update(SEARCH_PART_PAGES=part_pages, SEARCH_CACHE_PATH=str(cache))
    started = time.perf_counter()
    result = build_index(output, settings)
    return result.parts, time.perf_counter() - started


def search(browser, base: str, query: str) -> tuple[int, int, int]:
    """Bytes and requests from /pagefind/ for one query, and the hits."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[tuple[str, int]] = []

    def record(response) -> None:
        if "/pagefind/" in response.url:
            fetched.append((response.url, len(response.body())))

    page.on("response", record)
    page.goto(f"{base}/suche/?q={query}")
    status = page.locator("[data-search-status]")
    status.filter(has_text="Treffer").wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    hits = int(
        "".join(ch for ch in status.inner_text().split()[0] if ch.isdigit()) or 0
    )
    context.close()
    return sum(size for _, size in fetched), len(fetched), hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--part-pages", default="1000000,1500")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print("| pages per part | parts | indexing (s) | query | requests | kB | hits |")
    print("|---:|---:|---:|---|---:|---:|---:|")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as cache:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        for part_pages in [int(value) for value in args.part_pages.split(",")]:
            parts, seconds = index(args.output, part_pages, Path(cache))
            sizes = []
            with serve_site(args.output, compress=True) as base:
                for query in QUERIES:
                    size, requests, hits = search(browser, base, query)
                    sizes.append(size)
                    print(
                        f"| {part_pages} | {parts} | {seconds:.1f} | {query} | "
                        f"{requests} | {size / 1024:.0f} | {hits} |",
                        flush=True,
                    )
            print(
                f"| {part_pages} | {parts} | | median of the queries | | "
                f"{statistics.median(sizes) / 1024:.0f} | |"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
