"""Benchmark of the partners plugin: its share of the build time, by size.

For every size ``partners/initiatives`` (default 1000/100, 2500/250,
5000/500) it generates a site into a temporary folder: a registry with that
many partners (every tenth with a logo, every second with a website),
initiatives that reference 30 partners each with roles (so every partner
belongs to about three initiatives) and news items with ``[partner: …]``
lines (two of them list all partners of a type). It then builds the site with Pelican's command line, with all
plugins and with the same plugins minus ``partners``, and prints medians
and the plugin's share. A second, instrumented build (in process) times the
plugin's own steps. It prints, it asserts nothing:

    .venv/bin/python bench/partners.py                 # 1000/100,2500/250,5000/500
    .venv/bin/python bench/partners.py --sizes 5000/500 --runs 5
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from partners.registry import DEFAULT_TYPES  # noqa: E402

from publishing.command import pelican_command  # noqa: E402

REFERENCES_PER_INITIATIVE = 30
TYPE_LISTS = 2
REGIONS = [
    "Südostniedersachsen",
    "Nordostniedersachsen",
    "Hannover-Hildesheim",
    "Ostwestfalen-Lippe",
]
ROLES = ["koordiniert", "Gründungspartner", "Initiator", "beratend"]


def png(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    colour = tuple(rng.randrange(256) for _ in range(3))
    Image.new("RGB", (160, 80), colour).save(buffer, "PNG")
    return buffer.getvalue()


def generate(content: Path, n_partners: int, n_initiatives: int, seed: int = 3) -> None:
    """Write a seeded site with a registry and initiatives that use it."""
    rng = random.Random(seed)
    types = list(DEFAULT_TYPES)
    lines = ["# Partnerregister (Benchmark, erfunden)", ""]
    for index in range(n_partners):
        partner_type = types[index % len(types)]
        lines += [
            f"- id: partner-{index:05d}",
            f"  name: Musterpartner {index} ({partner_type})",
            f"  type: {partner_type}",
            f"  region: {rng.choice(REGIONS)}",
        ]
        if index % 2 == 0:
            lines.append(f"  website: https://partner-{index}.example.org")
        if index % 10 == 0:
            logo = f"images/logos/partner-{index:05d}.png"
            (content / logo).parent.mkdir(parents=True, exist_ok=True)
            (content / logo).write_bytes(png(rng))
            lines.append(f"  logo: {logo}")
        lines.append("")
    content.mkdir(parents=True, exist_ok=True)
    (content / "partners.yml").write_text("\n".join(lines), encoding="utf-8")

    # Each partner in about three initiatives: a contiguous window of ids,
    # shifted per initiative, so references cover the whole registry.
    step = max(1, n_partners // n_initiatives)
    (content / "initiatives").mkdir(exist_ok=True)
    for index in range(n_initiatives):
        start = (index * step) % n_partners
        ids = [
            f"partner-{(start + k * 3) % n_partners:05d}"
            for k in range(REFERENCES_PER_INITIATIVE)
        ]
        refs = [f"{ids[0]} ({rng.choice(ROLES)})", *ids[1:]]
        (content / "initiatives" / f"initiative-{index:04d}.md").write_text(
            f"Title: Initiative {index:04d}\n"
            f"Summary: Eine Initiative mit {len(refs)} Partnern.\n"
            f"Region: {rng.choice(REGIONS)}\n"
            f"Field: Fachkräfte\n"
            f"Partners: {', '.join(refs)}\n\n"
            "Die Initiative bündelt die Kräfte der Region.\n",
            encoding="utf-8",
        )

    (content / "news").mkdir(exist_ok=True)
    # News: one per five initiatives, each listing an initiative's partners;
    # the first TYPE_LISTS list all partners of a type instead. A fixed number
    # of type lists keeps the output linear in the size (each such list grows
    # with the registry).
    for index in range(max(1, n_initiatives // 5)):
        marker = (
            f"[partner: type={types[index % len(types)]}]"
            if index < TYPE_LISTS
            else f"[partner: initiative-{rng.randrange(n_initiatives):04d}]"
        )
        (content / "news" / f"meldung-{index:04d}.md").write_text(
            f"Title: Meldung {index}\nDate: 2024-01-{index % 28 + 1:02d}\n"
            f"Category: Fachkräfte\n\nDie Partner:\n\n{marker}\n\nText.\n",
            encoding="utf-8",
        )
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "impressum.md").write_text(
        "Title: Impressum\nSlug: impressum\n\nText.\n", encoding="utf-8"
    )


def plugins_without_partners() -> list[str]:
    sys.path.insert(0, str(ROOT))
    import pelicanconf

    return [p for p in pelicanconf.PLUGINS if p != "partners"]


def build(
    content: Path, output: Path, plugins: list[str] | None
) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one build in a fresh process.

    CPU time is the figure to compare: on a shared machine wall time also
    counts the waits for other processes, CPU time only the build's work.
    """
    # Every build is cold: its own (empty) caches next to its output.
    cache = f"{output}-cache"
    overrides: dict = {"CACHE_PATH": cache}
    if plugins is not None:
        overrides["PLUGINS"] = plugins
    command = pelican_command(content, output, overrides=overrides)
    env = {**os.environ, "COLUMNS": "200", "REGIOSITE_IMAGE_CACHE": f"{cache}/images"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"build failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


INSTRUMENTED = r"""
import json, sys, time
from pathlib import Path
root, content, output = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
sys.path[:0] = [str(root), str(root / "plugins")]
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings(str(root / "pelicanconf.py"), override={
    "PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": output + "-cache",
    "IMAGE_CREDITS_CACHE_PATH": output + "-cache/images",
    "INCREMENTAL_PROCESSES": 1})  # serial: every step runs in this process
from partners import plugin, markdown_ext
timers = {}
def timed(owner, name, label):
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            timers[label] = timers.get(label, 0.0) + time.process_time() - start
    setattr(owner, name, wrapper)
timed(plugin, "load_registry", "load registry")
timed(plugin, "scan_initiatives", "scan initiative headers")
timed(markdown_ext.PartnerListProcessor, "run", "[partner: …] in texts")
timed(plugin.PartnersGenerator, "generate_context", "groups, JSON-LD, back-links")
timed(plugin.PartnersGenerator, "generate_output", "write /partner/")
start = time.process_time()
Pelican(settings).run()
timers["whole build (in process)"] = time.process_time() - start
print(json.dumps(timers))
"""


def instrumented(content: Path, output: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", INSTRUMENTED, str(ROOT), str(content), str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    if result.returncode:
        sys.exit(f"instrumented build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000/100,2500/250,5000/500")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [tuple(int(x) for x in size.split("/")) for size in args.sizes.split(",")]
    without = plugins_without_partners()

    rows, phases = [], []
    for n_partners, n_initiatives in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-partners-") as tmp:
            content = Path(tmp) / "content"
            generate(content, n_partners, n_initiatives)
            on, off = [], []
            for run in range(args.runs):
                on.append(build(content, Path(tmp) / f"with-{run}", None))
                off.append(build(content, Path(tmp) / f"without-{run}", without))
            timers = instrumented(content, Path(tmp) / "instrumented")
        rows.append((n_partners, n_initiatives, on, off))
        phases.append((n_partners, n_initiatives, timers))
        print(f"… {n_partners}/{n_initiatives} done", file=sys.stderr, flush=True)

    print(f"partners plugin benchmark, median of {args.runs} builds per cell")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("CPU = user + system time of the build process; wall time in brackets\n")
    print(
        "| partners | initiatives | references | CPU with plugin | CPU without "
        "| plugin's share | plugin CPU ms per 1000 references |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n_partners, n_initiatives, on, off in rows:
        references = n_initiatives * REFERENCES_PER_INITIATIVE
        cpu_on = statistics.median(c for _, c in on)
        cpu_off = statistics.median(c for _, c in off)
        wall_on = statistics.median(w for w, _ in on)
        wall_off = statistics.median(w for w, _ in off)
        delta = cpu_on - cpu_off
        print(
            f"| {n_partners} | {n_initiatives} | {references} "
            f"| {cpu_on:.2f} s ({wall_on:.2f} s) | {cpu_off:.2f} s ({wall_off:.2f} s) "
            f"| {delta:.2f} s ({delta / cpu_on:.0%}) | {delta / references * 1e6:.0f} |"
        )
    print("\nplugin steps, instrumented in-process build (CPU seconds):\n")
    labels = list(phases[0][2])
    print("| step | " + " | ".join(f"{p}/{i}" for p, i, _ in phases) + " |")
    print("|---|" + "---:|" * len(phases))
    for label in labels:
        cells = " | ".join(f"{t.get(label, 0.0):.3f}" for _, _, t in phases)
        print(f"| {label} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
