"""What a CI publish build takes: a fresh clone without cache/, and with it.

CI checks out a fresh clone every run; `.github/workflows/publish.yml`
restores ``cache/`` (image variants, compressed copies, Markdown read by
content hash, compiled templates) before ``invoke publish``. This builds the
benchmark corpus with ``publishconf.py`` into a new folder each time, as
``invoke publish`` does, with every content file's modification time set to
now before each build, as a checkout leaves them, in three scenarios:

* no cache: a first run, or a workflow without the cache step;
* cache restored: an hourly run where nothing changed;
* cache restored, one news item edited since the cache was saved.

Prints medians of ``--runs`` (the first scenario renders every photo: about
35 s per 1,000 photos on 2 cores); it asserts nothing::

    .venv/bin/python bench/ci_publish.py --size 1000 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from run import TRASH, corpus, edit_article, images_processed, measure  # noqa: E402

from publishing.command import pelican_command  # noqa: E402

SCENARIOS = ["no cache", "cache restored", "cache restored, one news item edited"]


def compressed(log: str) -> str:
    """precompress_cache's status line: "… aus dem Cache, N neu komprimiert"."""
    match = re.search(r"(\d+) neu komprimiert", log)
    return match.group(1) if match else "–"


def checked_out(content: Path) -> None:
    """Give every file the time of now, as ``git clone`` does: caches keyed by
    a file's time would never match in CI, and the figures must show that."""
    for path in content.rglob("*"):
        if path.is_file():
            os.utime(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    work = HERE / "corpus" / f"ci-n{args.size}"
    TRASH.discard(work)
    content = work / "content"
    shutil.copytree(corpus(args.size, args.seed), content)
    cache, output = work / "cache", work / "output"
    command = pelican_command(
        content, output, settings="publishconf.py", overrides={"CACHE_PATH": str(cache)}
    )
    environment = {"REGIOSITE_IMAGE_CACHE": str(cache / "images")}
    results: dict[str, list[dict]] = {name: [] for name in SCENARIOS}
    try:
        for run in range(args.runs):
            for scenario in SCENARIOS:
                if scenario == "no cache":
                    TRASH.discard(cache)
                elif "edited" in scenario:
                    edit_article(content, run)
                TRASH.discard(output)
                checked_out(content)
                result = measure(command, ROOT, environment)
                results[scenario].append(result)
                print(
                    f"  run {run + 1}/{args.runs}, {scenario}: "
                    f"{result['seconds']:.2f} s, photos rendered "
                    f"{images_processed(result['log'])}, files compressed "
                    f"{compressed(result['log'])}",
                    flush=True,
                )
    finally:
        TRASH.discard(work)
        TRASH.empty()

    print(f"\nCI publish build, N={args.size}, medians of {args.runs}:")
    base = statistics.median(r["seconds"] for r in results["no cache"])
    for scenario, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        print(f"  {scenario:<40} {seconds:7.2f} s  ({seconds / base:.2f} of no cache)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
