"""Build-speed benchmark: regiosite (all plugins) against plain Pelican.

For every corpus size it generates (or reuses) a seeded corpus, then per run:

* ours: cold build (no output, no cache), rebuild with nothing changed,
  rebuild after editing one article, after replacing one image, after editing
  the partner registry;
* ours, cold, with the search index switched off: how much of the time and
  of the peak memory is pagefind's (the "of which search index" column comes
  from the search plugin's status line in every build);
* plain Pelican (no plugins, default theme, Pelican's default settings) on the
  same Markdown: cold build.

Each build runs in a fresh process (``bench/measure.py``); the table shows
medians over the runs and two peaks of memory: the largest single process
(RSS, from every run) and all processes of the build at once (PSS, sampled
in one more pass of every build whose times are not counted: sampling
slowed our builds and not plain Pelican's). It prints, it asserts nothing:
``invoke bench --sizes 100,1000,5000 --runs 3``.

Outputs and caches are renamed into ``bench/corpus/.trash/`` before a cold
build and deleted once, when all builds are measured. Deleting them right
before the build made every cold build (ours and plain Pelican's) pay for
the deletion: on an ext4 file system without a journal (these VMs), the
kernel skips each inode freed in the last minute when it allocates a new one
(``recently_deleted`` in ``ext4_create``, 5% of all CPU samples of a cold
build right after ``rm -rf``, 0.2% after a rename), so the time measured
depended on how many files the benchmark itself had just removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from generate import generate, replacement_image, slug_of  # noqa: E402

from publishing.command import pelican_command  # noqa: E402

SCENARIOS = ["cold", "nothing changed", "one article edited", "one image replaced"]
SCENARIOS.append("partner registry edited")
NO_SEARCH = "cold, search index off"

PLAIN_SETTINGS = """\
# Plain Pelican: no plugins, default theme, default URLs and feeds.
PATH = {content!r}
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages", "initiatives", "campaigns"]
STATIC_PATHS = ["images"]
SITENAME = "Plain"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PLUGINS = []
"""


class Trash:
    """Folders set aside now and deleted after the last measured build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def discard(self, path: Path) -> None:
        """Move ``path`` out of the way (a rename: no file is deleted now)."""
        if not path.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path.rename(self.folder / f"{os.getpid()}-{self.count}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


TRASH = Trash(HERE / "corpus" / ".trash")


def measure(
    command: list[str], cwd: Path, env: dict | None = None, *, pss: bool = False
) -> dict:
    """Seconds and peak RSS of one build; ``pss``: also the peak of all its
    processes, sampled, which slows the build (see ``bench/measure.py``)."""
    probe = subprocess.run(
        [
            sys.executable,
            str(HERE / "measure.py"),
            *(["--pss"] if pss else []),
            *command,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    if result["returncode"]:
        sys.stderr.write(probe.stderr)
        raise SystemExit(f"build failed: {' '.join(command)}")
    return result


def corpus(size: int, seed: int) -> Path:
    """The pristine corpus for ``size``, generated once and kept.

    Kept only while ``bench/generate.py`` is the same file: a corpus made by
    an earlier generator (one that garbled the photo credits, say) is made
    again rather than measured without anyone noticing.
    """
    base = HERE / "corpus" / f"n{size}-seed{seed}"
    generator = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()
    done = base / "done"
    if not done.exists() or done.read_text("utf-8") != generator:
        shutil.rmtree(base, ignore_errors=True)
        started = time.perf_counter()
        generate(base, size, seed)
        done.write_text(generator, "utf-8")
        print(
            f"  corpus N={size}: generated in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    return base / "content"


def edit_article(content: Path, run: int) -> None:
    path = content / "news" / f"{slug_of(0)}.md"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nNachtrag {run}: Die Anmeldung ist ab sofort möglich.\n")


def replace_image(content: Path, run: int) -> None:
    # A photo no earlier invocation made: the image cache is shared and keyed
    # by content, so a seeded replacement would be found there ready-made and
    # the scenario would not measure rendering one new photo.
    path = content / "images" / "news" / f"{slug_of(1)}.jpg"
    path.write_bytes(replacement_image(time.time_ns() + run))


def edit_registry(content: Path, run: int) -> None:
    path = content / "partners.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(
        r"name: Musterpartner 0 [^\n]*",
        f"name: Musterpartner 0 (Stand {run})",
        text,
        count=1,
    )
    path.write_text(text, encoding="utf-8")


def bench_size(size: int, runs: int, seed: int, settings: str) -> dict:
    pristine = corpus(size, seed)
    work = HERE / "corpus" / f"work-n{size}"
    TRASH.discard(work)
    content = work / "content"
    shutil.copytree(pristine, content)
    ours_out, plain_out, cache = work / "output", work / "plain-output", work / "cache"
    plain_conf = work / "plainconf.py"
    plain_conf.write_text(PLAIN_SETTINGS.format(content=str(content)), encoding="utf-8")

    ours = pelican_command(
        content, ours_out, settings=settings, overrides={"CACHE_PATH": str(cache)}
    )
    plain = pelican_command(None, plain_out, settings=plain_conf)
    # The same cold build without the search index: how much of time and
    # peak memory is pagefind's (a separate process, in the peak RSS too).
    unsearched = pelican_command(
        content,
        work / "output-no-search",
        settings=settings,
        overrides={
            "CACHE_PATH": str(work / "cache-no-search"),
            "SEARCH_ENABLED": False,
        },
    )
    results: dict[str, list[dict]] = {
        name: [] for name in [*SCENARIOS, NO_SEARCH, "plain cold"]
    }
    changes = {
        "one article edited": edit_article,
        "one image replaced": replace_image,
        "partner registry edited": edit_registry,
    }
    # The responsive-image cache (image_credits, content-hashed, kept between
    # builds like a CI cache) is filled once per corpus; "cold" below means
    # no output and no build cache, with image variants already computed.
    TRASH.discard(cache)
    primed = measure(ours, ROOT)
    print(
        f"  N={size}: first build incl. image variants {primed['seconds']:.1f} s "
        f"({images_processed(primed['log'])} images processed)",
        flush=True,
    )
    TRASH.discard(ours_out)

    def one_pass(run: int, pss: bool) -> dict[str, dict]:
        """Every build once, in order; ``pss``: all processes sampled."""
        done = {}
        TRASH.discard(plain_out)
        done["plain cold"] = measure(plain, ROOT, pss=pss)
        TRASH.discard(ours_out)
        TRASH.discard(cache)
        for scenario in SCENARIOS:
            if scenario in changes:
                changes[scenario](content, run)
            done[scenario] = measure(ours, ROOT, pss=pss)
            done[scenario]["stats"] = read_stats(cache)
        TRASH.discard(work / "output-no-search")
        TRASH.discard(work / "cache-no-search")
        done[NO_SEARCH] = measure(unsearched, ROOT, pss=pss)
        done[NO_SEARCH]["stats"] = read_stats(work / "cache-no-search")
        return done

    for run in range(runs):
        done = one_pass(run, pss=False)
        for name in results:
            results[name].append(done[name])
        line = ", ".join(f"{name} {done[name]['seconds']:.2f} s" for name in results)
        print(f"  N={size} run {run + 1}/{runs}: {line}", flush=True)
    # The peaks of all processes come from one more pass of their own: the
    # sampling slowed our builds (several large processes) and not plain
    # Pelican's, so the timed runs above are not sampled (bench/measure.py).
    memory = one_pass(runs, pss=True)
    line = ", ".join(
        f"{name} {memory[name]['peak_pss_kb'] / 1024:.0f} MB" for name in results
    )
    print(f"  N={size} memory pass (times not counted): {line}", flush=True)
    return {"runs": results, "memory": memory}


def rendered(stats: dict | None) -> str:
    """Pages rendered / pages in the site, from the incremental plugin's stats."""
    if not stats:
        return "–"
    return f"{len(stats['rendered'])}/{stats['pages']}"


def search_seconds(log: str) -> float | None:
    """The search plugin's status line: "Suche: N Seiten, … indexiert in S s"."""
    match = re.search(r"Suche: .* in ([\d.]+) s \(", log)
    return float(match.group(1)) if match else None


def images_processed(log: str) -> str:
    """image_credits' status line: "Bilder: N verwendet, K neu berechnet"."""
    match = re.search(r"Bilder: (\d+) verwendet, (\d+) neu berechnet", log)
    return match.group(2) if match else "–"


def read_stats(cache: Path) -> dict | None:
    found = sorted(cache.glob("incremental/*/stats.json"))
    return json.loads(found[0].read_text("utf-8")) if found else None


def table(all_results: dict[int, dict]) -> str:
    rows = [
        "| N | scenario | ours (s) | of which search index (s) | plain Pelican cold (s) "
        "| ratio | ratio without search index | pages rendered | images processed "
        "| peak RSS, largest process, ours / plain (MB) "
        "| peak PSS, all processes, ours / plain (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    per_article = {}
    for size, measured in all_results.items():
        results, memory = measured["runs"], measured["memory"]
        plain = statistics.median(r["seconds"] for r in results["plain cold"])
        plain_rss = max(r["maxrss_kb"] for r in results["plain cold"]) / 1024
        plain_pss = memory["plain cold"]["peak_pss_kb"] / 1024
        for scenario in [*SCENARIOS, NO_SEARCH]:
            runs = results[scenario]
            ours = statistics.median(r["seconds"] for r in runs)
            searches = [search_seconds(r["log"]) for r in runs]
            search = statistics.median(searches) if None not in searches else 0.0
            rss = max(r["maxrss_kb"] for r in runs) / 1024
            pss = memory[scenario]["peak_pss_kb"] / 1024
            rows.append(
                f"| {size} | {scenario} | {ours:.2f} | {search:.2f} | {plain:.2f} | "
                f"{ours / plain:.2f} | {(ours - search) / plain:.2f} | "
                f"{rendered(runs[-1].get('stats'))} | "
                f"{images_processed(runs[-1]['log'])} | {rss:.0f} / "
                f"{plain_rss:.0f} | {pss:.0f} / {plain_pss:.0f} |"
            )
        per_article[size] = statistics.median(
            r["seconds"] for r in results["cold"]
        ) / max(size, 1)
    lines = ["\n".join(rows), ""]
    for size, cost in per_article.items():
        lines.append(f"cold build cost per article at N={size}: {cost * 1000:.1f} ms")
    sizes = sorted(per_article)
    if len(sizes) > 1:
        big, small = sizes[-1], sizes[-2]
        lines.append(
            f"cost per article N={big} / N={small}: "
            f"{per_article[big] / per_article[small]:.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--json", type=Path, help="also write raw figures here")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"regiosite build benchmark: sizes {sizes}, {args.runs} run(s), seed "
        f"{args.seed}, {os.cpu_count()} CPU(s), Python {platform.python_version()}",
        flush=True,
    )
    started = time.perf_counter()
    try:
        all_results = {
            size: bench_size(size, args.runs, args.seed, args.settings)
            for size in sizes
        }
    finally:
        TRASH.empty()  # also what an interrupted earlier run set aside
    print()
    print(table(all_results))
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")
    if args.json:
        slim = {
            size: {
                "runs": {
                    k: [{**r, "log": ""} for r in v] for k, v in res["runs"].items()
                },
                "memory": {k: {**v, "log": ""} for k, v in res["memory"].items()},
            }
            for size, res in all_results.items()
        }
        args.json.write_text(json.dumps(slim, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
