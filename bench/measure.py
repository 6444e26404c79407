"""Run one command in a child process and print its wall time and peak memory.

The benchmark starts this module once per build, so ``RUSAGE_CHILDREN``
holds exactly that one build (and whatever worker processes it forked).
Prints one JSON line: ``{"seconds": …, "maxrss_kb": …, "returncode": …}``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
    print(
        json.dumps(
            {
                "seconds": seconds,
                "maxrss_kb": usage.ru_maxrss,
                "returncode": result.returncode,
                "log": (result.stdout + result.stderr)[-20000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
