"""Live-preview latency: from saving one news item to the page and the search.

What an editor waits for in ``invoke livereload``: the preview process stays
up, so a rebuild pays no interpreter start, and the search index is updated
after the page is rebuilt (``SEARCH_DEFER``). For each edit this prints the
seconds from the save to

* the rebuilt pages (the preview's build marker; the browser reloads then),
* the updated search index (its index marker),

and the preview process's memory (RSS) after each save, which must not grow
from save to save (it did: Pelican's memoized content, see tools/preview.py),

and, from the same invocation, plain Pelican's cold build of the same
Markdown as the ratio's base (as ``bench/run.py`` does). It prints, it asserts
nothing::

    .venv/bin/python bench/preview.py --size 5000 --edits 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from run import PLAIN_SETTINGS, corpus, edit_article, measure  # noqa: E402

from publishing.command import pelican_command  # noqa: E402


def _count(marker: Path, field: int = 0) -> int:
    try:
        return int(marker.read_text().split()[field])
    except (OSError, ValueError, IndexError):
        return 0


def _until(condition, timeout: float = 600.0) -> float:
    """Poll every 20 ms; the moment ``condition`` first held."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.02)
    raise SystemExit("the preview did not finish in time")


def _rss_mb(pid: int) -> int:
    """Resident memory of process ``pid`` in MB (0 where /proc has none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)

    work = HERE / "corpus" / f"preview-n{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(corpus(args.size, args.seed), work / "content")
    content, output = work / "content", work / "output"
    built, indexed = work / ".output.build", work / ".output.search"

    plain_conf = work / "plainconf.py"
    plain_conf.write_text(PLAIN_SETTINGS.format(content=str(content)), "utf-8")
    plain = measure(pelican_command(None, work / "plain", settings=plain_conf), ROOT)
    shutil.rmtree(work / "plain")

    command = [sys.executable, "-m", "invoke", "livereload"]
    command += ["--port", str(_free_port())]
    command += ["--content", str(content), "--output", str(output)]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        first = _until(lambda: _count(indexed) >= 1) - started
        print(f"N={args.size}: first preview build and index {first:.1f} s", flush=True)
        pages, search, memory = [], [], []
        for edit in range(args.edits):
            builds = _count(built)
            time.sleep(1.0)  # a new modification time, and an idle preview
            saved = time.perf_counter()
            edit_article(content, edit)
            page = _until(lambda b=builds: _count(built) > b)
            index = _until(lambda b=builds: _count(indexed, 1) > b)
            pages.append(page - saved)
            search.append(index - saved)
            memory.append(_rss_mb(server.pid))
            print(
                f"  edit {edit + 1}: page {pages[-1]:.2f} s, search {search[-1]:.2f} s, "
                f"preview process {memory[-1]} MB",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=60)

    base = plain["seconds"]
    figures = {
        "size": args.size,
        "plain cold (s)": round(base, 2),
        "page after a save, median (s)": round(statistics.median(pages), 2),
        "search after a save, median (s)": round(statistics.median(search), 2),
        "preview process after the first / last save (MB)": [memory[0], memory[-1]],
    }
    print(json.dumps(figures))
    print(
        f"ratio to plain Pelican's cold build: page {figures['page after a save, median (s)'] / base:.2f}, "
        f"search {figures['search after a save, median (s)'] / base:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
