"""Publish figures: what compression saves and what a deploy transfers.

Prints, asserts nothing. Builds nothing itself unless asked:

    .venv/bin/python bench/publish.py output/            # sizes of a publish build
    .venv/bin/python bench/publish.py output/ --deploy   # + deploy twice to a temp folder

Text files are the types that get compressed copies (PRECOMPRESS_TEXT_EXTENSIONS
in publishconf.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publishing.deploy import Target, deploy  # noqa: E402

TEXT = {".atom", ".css", ".html", ".js", ".json", ".mjs", ".svg", ".txt", ".xml"}


def sizes(output: Path) -> None:
    files = [p for p in output.rglob("*") if p.is_file()]
    text = [p for p in files if p.suffix in TEXT]
    raw = sum(p.stat().st_size for p in text)
    print(
        f"{output}: {len(files)} files, {sum(p.stat().st_size for p in files):,} bytes"
    )
    print(f"{'':4}{'text files':<14}{len(text):>6}{raw:>14,} bytes")
    for suffix in (".gz", ".br"):
        pairs = [(p, p.with_name(p.name + suffix)) for p in text]
        have = [(p, c) for p, c in pairs if c.exists()]
        original = sum(p.stat().st_size for p, _ in have)
        packed = sum(c.stat().st_size for _, c in have)
        share = packed / original if original else 0
        print(
            f"{'':4}{suffix:<14}{len(have):>6}{packed:>14,} bytes"
            f"  ({share:.0%} of {original:,})"
        )


def deploys(output: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Target(str(Path(folder) / "target"))
        for label in ("first deploy", "unchanged site"):
            start = time.perf_counter()
            result = deploy(output, target)
            seconds = time.perf_counter() - start
            print(
                f"{'':4}{label:<16} {result.files_transferred:>5} files transferred"
                f"  {seconds:.2f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "output")
    parser.add_argument("--deploy", action="store_true")
    args = parser.parse_args()
    output = args.output.resolve()
    sizes(output)
    if args.deploy:
        deploys(output)


if __name__ == "__main__":
    main()
