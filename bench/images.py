"""Image pipeline benchmark: 300 photos of about 2000×1300 px, built twice.

Prints (asserts nothing): first build time, second build time, how many
images the second build rendered (must be 0: everything comes from the
cache), published image bytes against source bytes, and the peak memory of
each build (``bench/measure.py``: RUSAGE_CHILDREN, i.e. the build process and
its worker processes, whichever peaked highest). ``plugins/incremental`` is
switched off for these builds: it would skip the unchanged second build
before the image pipeline even runs, and we want the image cache measured.

    .venv/bin/python bench/images.py            # 300 images, all cores
    .venv/bin/python bench/images.py --count 50 --keep

The photos are noisy gradients with shapes, saved as JPEG quality 90 with
EXIF camera data, GPS and IPTC credits, so they compress like real photos
(about 0.5–1 MB each) rather than like flat test images.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "plugins")]

from generate import vertical_gradient  # noqa: E402
from image_credits.iptc import add_iptc  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from publishing.command import pelican_command  # noqa: E402

IMAGES_PER_PAGE = 5


def make_photo(number: int) -> bytes:
    """A deterministic, photo-like JPEG (noise defeats JPEG's love of flat areas)."""
    rng = random.Random(number)
    width, height = 2000 + rng.randrange(-40, 40), 1300 + rng.randrange(-30, 30)
    top = tuple(rng.randrange(60, 255) for _ in range(3))
    bottom = tuple(rng.randrange(0, 160) for _ in range(3))
    image = vertical_gradient((width, height), bottom, top)
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(40, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x, y, x + size, y + size * 2 // 3], fill=colour)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(image, noise, 0.18).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x013B] = f"Fotograf {number}".encode()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, float(number % 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return add_iptc(
        buffer.getvalue(),
        by_line=f"Fotografin {number}",
        credit="RegioVerbund",
        copyright_notice=f"© 2024 Fotografin {number}",
    )


def write_corpus(content: Path, count: int) -> int:
    """Pages with Markdown images; returns the bytes of all source images."""
    images = content / "images" / "bench"
    images.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor() as pool:
        for number, data in enumerate(pool.map(make_photo, range(count), chunksize=8)):
            (images / f"foto-{number:04d}.jpg").write_bytes(data)
    pages = content / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for page in range(0, count, IMAGES_PER_PAGE):
        lines = [f"Title: Bildstrecke {page // IMAGES_PER_PAGE + 1}", "", "Text.", ""]
        for number in range(page, min(page + IMAGES_PER_PAGE, count)):
            lines += [
                f'![Foto {number}]({{static}}/images/bench/foto-{number:04d}.jpg "Motiv {number}")',
                "",
            ]
        (pages / f"strecke-{page // IMAGES_PER_PAGE + 1}.md").write_text(
            "\n".join(lines), "utf-8"
        )
    return sum(p.stat().st_size for p in images.iterdir())


def build(content: Path, output: Path, cache: Path) -> dict:
    command = pelican_command(
        content,
        output,
        overrides={
            "IMAGE_CREDITS_CACHE_PATH": str(cache),
            # Measure the image pipeline and its cache, not plugins/incremental
            # (which would skip an unchanged second build before any image is seen).
            "INCREMENTAL_ENABLED": False,
        },
    )
    probe = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    if result["returncode"]:
        raise SystemExit(f"build failed:\n{result['log']}")
    counts = re.search(r"Bilder: (\d+) verwendet, (\d+) neu berechnet", result["log"])
    result["used"], result["rendered"] = (int(n) for n in counts.groups())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="regiosite-bench-images-"))
    try:
        content, cache = work / "content", work / "cache"
        print(f"Generating {args.count} photos of ~2000×1300 px in {work} …")
        source_bytes = write_corpus(content, args.count)
        first = build(content, work / "output", cache)
        second = build(content, work / "output", cache)
        published = [p for p in (work / "output" / "images").rglob("*") if p.is_file()]
        output_bytes = sum(p.stat().st_size for p in published)
        rows = [
            ("images", f"{args.count} sources, {len(published)} published files"),
            ("cores", str(os.cpu_count())),
            ("first build", f"{first['seconds']:.1f} s ({first['rendered']} rendered)"),
            ("second build", f"{second['seconds']:.1f} s"),
            ("rendered on second build", str(second["rendered"])),
            ("source image bytes", f"{source_bytes / 1e6:.1f} MB"),
            (
                "published image bytes",
                f"{output_bytes / 1e6:.1f} MB ({output_bytes / source_bytes:.0%} of the sources,"
                " all widths and formats together)",
            ),
            ("peak memory, first build", f"{first['maxrss_kb'] / 1024:.0f} MB"),
            ("peak memory, second build", f"{second['maxrss_kb'] / 1024:.0f} MB"),
        ]
        for fmt in ("avif", "webp", "jpg"):
            for size in ("1600w", "960w"):
                files = [
                    p
                    for p in published
                    if f"-{size}." in p.name and p.suffix == f".{fmt}"
                ]
                if files:
                    average = sum(p.stat().st_size for p in files) / len(files)
                    rows.append((f"average {size} {fmt}", f"{average / 1e3:.0f} kB"))
        rows.append(("average source", f"{source_bytes / args.count / 1e3:.0f} kB"))
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
