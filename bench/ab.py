"""Two versions of regiosite, built alternately on one corpus: is a change faster?

The machines are noisy (plain Pelican's cold build varies by 20 % within one
benchmark run), so a change of a few per cent is only visible when both
versions are measured in turns, in the same minutes. This script checks out
``--base`` (a git revision) into a worktree, takes the working tree as the
other version, and builds the benchmark corpus (``bench/generate.py``) with
both, alternating which goes first:

* ``edit``: one article gets a line more before every pair of builds (both
  versions rebuild into their own output and cache, primed beforehand);
* ``cold``: no output and no build cache (new folders each time; the image
  variants are shared and already rendered, as in ``bench/run.py``);
* ``publish``: a publish build (``publishconf.py``) into a new folder with
  the cache kept and every content file given the time of now, as CI builds
  a fresh clone (``bench/ci_publish.py``; caches primed beforehand);
* ``image``: one news photo is replaced by one new to the image cache before
  every build (as ``bench/run.py``'s "one image replaced"), so each build
  renders one photo.

Besides the seconds it prints each version's median peak memory of the
largest process (RSS, as ``bench/run.py``'s table). It prints every pair and
the medians; it asserts nothing::

    .venv/bin/python bench/ab.py --base HEAD~1 --scenario edit --runs 6
    .venv/bin/python bench/ab.py --base main --scenario cold --runs 4 --size 1000
    .venv/bin/python bench/ab.py --base HEAD~1 --scenario publish --runs 6
    .venv/bin/python bench/ab.py --base HEAD~1 --scenario image --runs 6
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from ci_publish import checked_out  # noqa: E402
from run import TRASH, corpus, measure, replace_image  # noqa: E402

from publishing.command import pelican_command  # noqa: E402


def worktree(revision: str) -> Path:
    """A checkout of ``revision`` below bench/corpus (made once, then moved)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    folder = HERE / "corpus" / "ab-base"
    if not folder.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), commit],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    subprocess.run(
        ["git", "checkout", "--detach", "--quiet", commit], cwd=folder, check=True
    )
    return folder


def build(
    root: Path, content: Path, output: Path, cache: Path, settings: str
) -> tuple[float, int]:
    """Seconds and the peak RSS of the largest process (MB) of one build."""
    command = pelican_command(
        content,
        output,
        settings=root / settings,
        overrides={"CACHE_PATH": str(cache)},
    )
    # Both versions share the rendered image variants (keyed by content).
    env = {**os.environ, "REGIOSITE_IMAGE_CACHE": str(ROOT / "cache" / "images")}
    result = measure(command, cwd=root, env=env)
    return result["seconds"], result["maxrss_kb"] // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with")
    parser.add_argument(
        "--scenario", choices=["edit", "cold", "publish", "image"], default="edit"
    )
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    versions = {"base": worktree(args.base), "working tree": ROOT}
    work = HERE / "corpus" / "ab-work"
    TRASH.discard(work)
    content = work / "content"
    shutil.copytree(corpus(args.size, args.seed), content)
    article = sorted((content / "news").glob("*.md"))[0]
    folders = {
        name: (work / f"output-{i}", work / f"cache-{i}")
        for i, name in enumerate(versions)
    }
    settings = "publishconf.py" if args.scenario == "publish" else "pelicanconf.py"
    if args.scenario in ("edit", "publish", "image"):
        for name, root in versions.items():
            primed, _memory = build(root, content, *folders[name], settings)
            print(f"  priming {name}: {primed:.2f} s")

    seconds: dict[str, list[float]] = {name: [] for name in versions}
    memory: dict[str, list[int]] = {name: [] for name in versions}
    try:
        for run in range(args.runs):
            order = list(versions.items())
            if run % 2:
                order.reverse()
            if args.scenario == "edit":
                with article.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nNachtrag {run}: Die Anmeldung läuft.\n")
            for name, root in order:
                output, cache = folders[name]
                if args.scenario in ("cold", "publish"):
                    TRASH.discard(output)
                if args.scenario == "cold":
                    TRASH.discard(cache)
                if args.scenario == "publish":
                    checked_out(content)
                if args.scenario == "image":
                    replace_image(content, run)
                took, peak = build(root, content, output, cache, settings)
                seconds[name].append(took)
                memory[name].append(peak)
            pair = ", ".join(
                f"{name} {seconds[name][-1]:.2f} s {memory[name][-1]} MB"
                for name in versions
            )
            print(f"  run {run + 1}/{args.runs}: {pair}", flush=True)
    finally:
        TRASH.empty()
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, median in medians.items():
        peak = statistics.median(memory[name])
        print(
            f"{args.scenario}, N={args.size}, {name}: median {median:.2f} s, "
            f"largest process {peak:.0f} MB"
        )
    print(f"working tree / base: {medians['working tree'] / medians['base']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
