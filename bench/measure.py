"""Run one command in a child process and print its wall time and peak memory.

The benchmark starts this module once per build, so ``RUSAGE_CHILDREN``
holds exactly that one build (and whatever processes it started). Two peaks:

* ``maxrss_kb``: the largest single process (the kernel's ``ru_maxrss``);
* ``peak_pss_kb``, only with ``--pss`` before the command: the whole process
  tree at once (main process, worker pools, pagefind), sampled every 0.1 s
  from ``/proc/<pid>/smaps_rollup``. PSS counts a page shared by n processes
  as 1/n in each, so forked workers sharing memory with their parent are not
  counted twice. Sampling can miss a peak shorter than 0.1 s; it never adds
  memory that was not in use.

Sampling slows what it measures, and not evenly: the sampler's own CPU time
(about 0.7 s per cold build at 5,000 news items) competes for the two cores
our build keeps busy, where plain Pelican leaves one free, and reading
``smaps_rollup`` walks each process's page tables under its memory lock.
Our cold build at 5,000 news items took 0.3-0.5 s longer sampled (medians
of alternating builds: 13.22 → 13.50 s in 5 pairs, 13.39 → 13.86 s in 4);
plain Pelican's was not slower (20.87 / 19.45 s unsampled, 19.36 / 19.46 s
sampled). So a build whose time counts is measured without ``--pss``, and
peaks of all processes come from builds of their own (``bench/run.py``'s
memory pass).

Prints one JSON line: ``{"seconds": …, "maxrss_kb": …, "peak_pss_kb": …,
"returncode": …, "log": …}`` (``peak_pss_kb`` is 0 without ``--pss``).
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
    pss = argv[:1] == ["--pss"]
    if pss:
        argv = argv[1:]
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    if pss:
        sampler = threading.Thread(
            target=sample_peak, args=(process, peak), daemon=True
        )
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if pss:
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
