"""Run one command in a child process and print its wall time and peak memory.

The benchmark starts this module once per build, so ``RUSAGE_CHILDREN``
holds exactly that one build (and whatever processes it started). Two peaks:

* ``maxrss_kb``: the largest single process (the kernel's ``ru_maxrss``);
* ``peak_pss_kb``: the whole process tree at once (main process, worker
  pools, pagefind), sampled every 0.1 s from ``/proc/<pid>/smaps_rollup``.
  PSS counts a page shared by n processes as 1/n in each, so forked workers
  sharing memory with their parent are not counted twice. Sampling can miss a
  peak shorter than 0.1 s; it never adds memory that was not in use.

Prints one JSON line: ``{"seconds": …, "maxrss_kb": …, "peak_pss_kb": …,
"returncode": …, "log": …}``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from every process's parent in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sample_peak(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], sum(pss_kb(pid) for pid in process_tree(process.pid)))
        time.sleep(0.1)


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    sampler = threading.Thread(target=sample_peak, args=(process, peak), daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        sys.stderr.write(stdout[-4000:] + stderr[-4000:])
    print(
        json.dumps(
            {
                "seconds": seconds,
                "maxrss_kb": usage.ru_maxrss,
                "peak_pss_kb": peak[0],
                "returncode": process.returncode,
                "log": (stdout + stderr)[-20000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
