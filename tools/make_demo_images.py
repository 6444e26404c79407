"""Draw the demo images referenced by the regiosite sample content.

Why this script exists: the demo content needs photos and logos, but we hold no
rights to the press photos of the source articles and must not hotlink or
download pictures. So every image is *drawn* here with Pillow: soft colour
gradients plus simple shapes that suggest the motif (skyline, people, industry,
landscape). Photos contain no text; logos show only the initials of an
initiative.

The output is deterministic: each file gets its own fixed random seed derived
from its path, so re-running the script rewrites identical bytes (for the same
Pillow/libjpeg build). Photo credits are embedded twice, as agencies and
cameras do: IPTC By-line (2:80), Credit (2:110) and Copyright Notice (2:116) in
an APP13 segment (written by ``image_credits.iptc``, since Pillow cannot write
IPTC), and EXIF Artist (0x013B) and Copyright (0x8298). The image_credits
plugin reads IPTC first, EXIF as fallback. Where an image stands in for a photo of a source article,
the credit names that photo's author; all other images are credited to
"RegioVerbund / Demo". EXIF ASCII fields are written as UTF-8 (the de-facto
convention), so "©" survives in exiftool, browsers and file managers. Note that
Pillow reads such fields back as Latin-1; decode with
``value.encode("latin-1").decode("utf-8")``.

What each image shows is listed in ``demo_images/catalogue.py``; the
drawing is in ``demo_images/paint.py`` (primitives) and
``demo_images/scenes.py`` (one function per motif). This file encodes and
writes them. Usage::

    .venv/bin/python tools/make_demo_images.py
"""

from __future__ import annotations

import io
import logging
import math
import sys
from pathlib import Path

from demo_images.catalogue import (
    JPEG_QUALITY,
    LOGO_SIZE,
    LOGOS,
    MAX_PHOTO_BYTES,
    PHOTOS,
    Logo,
)
from demo_images.paint import mix
from demo_images.scenes import render_photo
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from image_credits.credits import EXIF_ARTIST, EXIF_COPYRIGHT
from image_credits.iptc import add_iptc

LOG = logging.getLogger("make_demo_images")

IMAGES_DIR = Path(__file__).resolve().parent.parent / "content" / "images"


def exif_bytes(credit: str) -> bytes:
    exif = Image.Exif()
    # Bytes are written verbatim; a str would be squeezed to ASCII ("©" → "?").
    exif[EXIF_ARTIST] = credit.encode("utf-8")
    exif[EXIF_COPYRIGHT] = f"© {credit}".encode()
    return exif.tobytes()


def encode_jpeg(img: Image.Image, credit: str) -> bytes:
    exif = exif_bytes(credit)
    data = b""
    for quality in (JPEG_QUALITY, 76, 70):
        buf = io.BytesIO()
        img.save(
            buf, "JPEG", quality=quality, optimize=True, progressive=True, exif=exif
        )
        data = buf.getvalue()
        if len(data) <= MAX_PHOTO_BYTES:
            break
    return add_iptc(data, by_line=credit, credit=credit, copyright_notice=f"© {credit}")


def render_logo(logo: Logo) -> Image.Image:
    w, h = LOGO_SIZE
    img = Image.new("RGBA", LOGO_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    light = mix(logo.color, (255, 255, 255), 0.55)
    if logo.shape == "circle":
        draw.ellipse((w / 2 - 92, 8, w / 2 + 92, h - 8), fill=logo.color)
        draw.arc((w / 2 - 84, 16, w / 2 + 84, h - 16), 200, 340, fill=light, width=6)
    elif logo.shape == "hexagon":
        r = 96
        pts = [
            (
                w / 2 + r * math.cos(math.radians(a)),
                h / 2 + r * math.sin(math.radians(a)),
            )
            for a in range(0, 360, 60)
        ]
        draw.polygon(pts, fill=logo.color)
        draw.line(
            [(w / 2 - 60, h / 2 + 56), (w / 2 + 60, h / 2 + 56)], fill=light, width=6
        )
    else:
        draw.rounded_rectangle((20, 10, w - 20, h - 10), radius=36, fill=logo.color)
        draw.ellipse((w - 86, 22, w - 40, 68), fill=light)
    size = 92 if len(logo.initials) <= 2 else 66
    font = ImageFont.load_default(size=size)
    draw.text(
        (w / 2, h / 2), logo.initials, font=font, fill=(255, 255, 255), anchor="mm"
    )
    return img


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    LOG.info("%-70s %7d bytes", path.relative_to(IMAGES_DIR.parent), len(data))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    total = 0
    for photo in PHOTOS:
        data = encode_jpeg(render_photo(photo), photo.credit)
        write(IMAGES_DIR / photo.path, data)
        total += len(data)
    for logo in LOGOS:
        buf = io.BytesIO()
        render_logo(logo).save(buf, "PNG", optimize=True)
        write(IMAGES_DIR / "logos" / f"{logo.slug}.png", buf.getvalue())
        total += len(buf.getvalue())
    LOG.info("%d files, %d bytes in total", len(PHOTOS) + len(LOGOS), total)


if __name__ == "__main__":
    main()
