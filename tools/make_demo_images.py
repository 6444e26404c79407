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

Usage::

    .venv/bin/python tools/make_demo_images.py
"""

from __future__ import annotations

import io
import logging
import math
import random
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from image_credits.iptc import add_iptc

LOG = logging.getLogger("make_demo_images")

IMAGES_DIR = Path(__file__).resolve().parent.parent / "content" / "images"

PHOTO_SIZE = (1800, 1200)
HERO_SIZE = (2000, 1000)
LOGO_SIZE = (400, 200)
JPEG_QUALITY = 82
MAX_PHOTO_BYTES = 150 * 1024
DEMO_CREDIT = "RegioVerbund / Demo"

EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

Color = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Size = tuple[int, int]


@dataclass(frozen=True)
class Photo:
    """A drawn stand-in photo (JPEG)."""

    path: str  # relative to content/images
    motif: str  # key of SCENES
    top: Color  # sky colour at the top edge
    bottom: Color  # colour at the bottom edge
    credit: str = DEMO_CREDIT
    size: Size = PHOTO_SIZE


@dataclass(frozen=True)
class Logo:
    """A simple initiative logo (PNG): coloured shape plus initials."""

    slug: str
    initials: str
    color: Color
    shape: str  # "rounded" | "circle" | "hexagon"


PHOTOS: tuple[Photo, ...] = (
    # News: Ostwestfalen-Lippe
    Photo(
        "news/owl-brancheninitiativen-landtag.jpg",
        "meeting",
        (196, 214, 232),
        (92, 112, 140),
    ),
    # News: Zukunftsregion Hannover-Hildesheim (seed photos by Marek Kruszewski)
    Photo(
        "news/jahresauftakt-zukunftsregion.jpg",
        "event",
        (250, 214, 170),
        (120, 70, 90),
        "Marek Kruszewski",
    ),
    Photo(
        "news/jahresauftakt-begruessung.jpg",
        "podium",
        (236, 226, 210),
        (88, 80, 110),
        "Marek Kruszewski",
    ),
    Photo(
        "news/zukunftsregion-projektideen.jpg",
        "skyline",
        (170, 205, 235),
        (70, 110, 120),
        "Marek Kruszewski",
    ),
    # News: Fachkräfte
    Photo(
        "news/fachkraefte-nordostniedersachsen.jpg",
        "rural",
        (190, 220, 240),
        (90, 130, 70),
    ),
    Photo(
        "news/fachkraeftebuendnis-suedostniedersachsen.jpg",
        "workshop",
        (232, 236, 240),
        (70, 96, 128),
    ),
    Photo(
        "news/fachkraefte-werkstatt.jpg", "factory_floor", (214, 222, 230), (60, 72, 90)
    ),
    # News: Allianz für die Region, Tech me home
    Photo("news/allianz-neuausrichtung.jpg", "industry", (255, 205, 150), (70, 60, 90)),
    Photo("news/tech-me-home-start.jpg", "campaign", (255, 190, 140), (60, 70, 130)),
    # News: Sachsen-Anhalt Süd (seed photos by Weisflog, Weigel, Liebl)
    Photo(
        "news/img-strukturwandel.jpg",
        "lake",
        (205, 225, 240),
        (60, 110, 140),
        "Rainer Weisflog",
    ),
    Photo(
        "news/kooperation-wirtschaftsfoerderung.jpg",
        "meeting",
        (240, 228, 205),
        (96, 84, 72),
        "Uwe Weigel",
    ),
    Photo(
        "news/zukunftsbranchen-sachsen-anhalt.jpg",
        "chemical_park",
        (220, 232, 245),
        (72, 92, 110),
        "Bernd Liebl",
    ),
    # Campaign hero
    Photo(
        "campaigns/tech-me-home.jpg",
        "campaign",
        (255, 176, 120),
        (44, 52, 120),
        size=HERO_SIZE,
    ),
)

FIELD_COLORS: dict[str, Color] = {
    "fachkraefte": (0, 110, 140),
    "regionalentwicklung": (40, 120, 70),
    "strukturwandel": (150, 70, 40),
    "branchennetzwerk": (70, 60, 140),
}

LOGOS: tuple[Logo, ...] = (
    Logo(
        "fachkraeftebuendnis-suedostniedersachsen",
        "FSO",
        FIELD_COLORS["fachkraefte"],
        "rounded",
    ),
    Logo(
        "allianz-fuer-fachkraefte-nordostniedersachsen",
        "AFN",
        FIELD_COLORS["fachkraefte"],
        "circle",
    ),
    Logo(
        "zukunftsregion-hannover-hildesheim",
        "ZHH",
        FIELD_COLORS["regionalentwicklung"],
        "hexagon",
    ),
    Logo("retrason", "RT", FIELD_COLORS["strukturwandel"], "rounded"),
    Logo(
        "kooperationsnetz-strukturwandel-sachsen-anhalt-sued",
        "KSA",
        FIELD_COLORS["strukturwandel"],
        "hexagon",
    ),
    Logo("biotech-owl", "BIO", (30, 130, 110), "circle"),
    Logo("energie-impuls-owl", "EI", (200, 120, 20), "rounded"),
    Logo("food-processing-initiative", "FPI", (160, 60, 60), "hexagon"),
    Logo("innozent-owl", "IZ", (90, 70, 150), "circle"),
    Logo("intelligente-gebaeudetechnologien-owl", "IG", (40, 100, 160), "rounded"),
    Logo("it-dialog-owl", "IT", (20, 90, 130), "hexagon"),
    Logo("kunststoffe-in-owl", "KU", (180, 80, 120), "circle"),
    Logo("owl-maschinenbau", "MB", (70, 80, 95), "rounded"),
    Logo("social-media-owl", "SM", (200, 70, 90), "circle"),
    Logo("zig-owl", "ZIG", (30, 120, 150), "hexagon"),
)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def seeded_rng(name: str) -> random.Random:
    """Return a random generator with a fixed seed derived from ``name``."""
    return random.Random(zlib.crc32(name.encode("utf-8")))


def mix(a: Color, b: Color, t: float) -> Color:
    """Linear interpolation between two colours (t=0 → a, t=1 → b)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def rgba(color: Color, alpha: int) -> RGBA:
    return (color[0], color[1], color[2], alpha)


def gradient(size: Size, top: Color, bottom: Color) -> Image.Image:
    """Vertical colour gradient."""
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BICUBIC)
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def add_glow(
    img: Image.Image,
    center: tuple[int, int],
    radius: int,
    color: Color,
    strength: float,
) -> None:
    """Soft radial light (sun, stage light) blended onto ``img``."""
    mask = Image.radial_gradient("L").resize(
        (radius * 2, radius * 2), Image.Resampling.BICUBIC
    )
    # radial_gradient reaches 181 at the edge midpoints; fade out before that
    # so no square outline shows.
    mask = mask.point(lambda v: round(255 * strength * max(0.0, 1 - v / 176) ** 1.6))
    img.paste(
        Image.new("RGB", mask.size, color),
        (center[0] - radius, center[1] - radius),
        mask,
    )


def new_layer(size: Size) -> Image.Image:
    return Image.new("RGBA", size, (0, 0, 0, 0))


# --------------------------------------------------------------------------
# Motif primitives (all draw onto an RGBA layer)
# --------------------------------------------------------------------------


def draw_hills(
    layer: Image.Image, rng: random.Random, base_y: float, amp: float, color: RGBA
) -> None:
    w, h = layer.size
    phase1, phase2 = rng.uniform(0, math.tau), rng.uniform(0, math.tau)
    f1, f2 = rng.uniform(1.0, 2.0), rng.uniform(2.5, 4.5)
    points = [(0, h)]
    for x in range(0, w + 20, 20):
        t = x / w * math.tau
        y = base_y - amp * (
            0.6 * math.sin(f1 * t + phase1) + 0.4 * math.sin(f2 * t + phase2)
        )
        points.append((x, y))
    points.append((w, h))
    ImageDraw.Draw(layer).polygon(points, fill=color)


def draw_skyline(
    layer: Image.Image,
    rng: random.Random,
    base_y: int,
    min_h: int,
    max_h: int,
    color: RGBA,
    window: RGBA | None = None,
) -> None:
    w, _ = layer.size
    draw = ImageDraw.Draw(layer)
    x = rng.randint(-60, 0)
    while x < w:
        bw = rng.randint(70, 170)
        bh = rng.randint(min_h, max_h)
        top = base_y - bh
        draw.rectangle((x, top, x + bw, base_y), fill=color)
        roof = rng.random()
        if roof < 0.2:  # gable
            draw.polygon(
                [(x, top), (x + bw / 2, top - bw * 0.35), (x + bw, top)], fill=color
            )
        elif roof < 0.35:  # tower / antenna
            draw.rectangle(
                (x + bw * 0.4, top - bh * 0.3, x + bw * 0.6, top), fill=color
            )
        if window is not None and bh > 160:
            cols = max(2, bw // 34)
            for row in range(int(top) + 24, base_y - 30, 46):
                for c in range(cols):
                    if rng.random() < 0.55:
                        wx = x + 14 + c * ((bw - 28) / cols)
                        draw.rectangle((wx, row, wx + 12, row + 18), fill=window)
        x += bw + rng.randint(4, 30)


def draw_person(
    draw: ImageDraw.ImageDraw, cx: float, base_y: float, height: float, color: RGBA
) -> None:
    """Simple standing figure: head, shoulders and torso (front or back)."""
    head_r = height * 0.09
    head_cy = base_y - height + head_r
    draw.ellipse(
        (cx - head_r, head_cy - head_r, cx + head_r, head_cy + head_r), fill=color
    )
    shoulder_w = height * 0.26
    body_top = head_cy + head_r * 1.25
    draw.rounded_rectangle(
        (cx - shoulder_w / 2, body_top, cx + shoulder_w / 2, base_y),
        radius=int(shoulder_w * 0.35),
        fill=color,
    )


def draw_crowd(
    layer: Image.Image,
    rng: random.Random,
    count: int,
    base_y: float,
    height: tuple[float, float],
    color: RGBA,
    x_range: tuple[float, float] | None = None,
) -> None:
    w, _ = layer.size
    lo, hi = x_range if x_range else (0.0, float(w))
    draw = ImageDraw.Draw(layer)
    for i in range(count):
        cx = lo + (hi - lo) * (i + rng.uniform(0.1, 0.9)) / count
        draw_person(draw, cx, base_y + rng.uniform(-8, 8), rng.uniform(*height), color)


def draw_audience(
    layer: Image.Image, rng: random.Random, rows: int, color: Color
) -> None:
    """Backs of heads and shoulders in rows, seen from the back of a hall."""
    w, h = layer.size
    draw = ImageDraw.Draw(layer)
    for r in range(rows):
        t = r / max(1, rows - 1)
        y = h * (0.70 + 0.12 * t)
        size = 55 + 60 * t
        shade = rgba(mix(color, (20, 20, 30), 0.3 * t), 150 + int(90 * t))
        n = int(w / (size * 1.25))
        offset = rng.uniform(0, size)
        for i in range(n + 1):
            cx = offset + i * size * 1.25 + rng.uniform(-10, 10)
            cy = y + rng.uniform(-6, 6)
            draw.ellipse(
                (cx - size * 0.42, cy - size * 0.5, cx + size * 0.42, cy + size * 0.35),
                fill=shade,
            )
            draw.rounded_rectangle(
                (cx - size * 0.8, cy + size * 0.3, cx + size * 0.8, cy + size * 1.6),
                radius=int(size * 0.4),
                fill=shade,
            )


def draw_table_meeting(layer: Image.Image, rng: random.Random, color: Color) -> None:
    w, h = layer.size
    draw = ImageDraw.Draw(layer)
    # people behind the table
    draw_crowd(
        layer,
        rng,
        7,
        h * 0.66,
        (h * 0.30, h * 0.36),
        rgba(mix(color, (0, 0, 0), 0.2), 220),
        (w * 0.08, w * 0.92),
    )
    # table top and front
    draw.rounded_rectangle(
        (w * 0.04, h * 0.62, w * 0.96, h * 0.68),
        radius=12,
        fill=rgba(mix(color, (255, 255, 255), 0.55), 255),
    )
    draw.rectangle(
        (w * 0.07, h * 0.68, w * 0.93, h * 0.74),
        fill=rgba(mix(color, (0, 0, 0), 0.35), 255),
    )
    # papers / laptops on the table
    for i in range(7):
        x = w * (0.1 + i * 0.12) + rng.uniform(-15, 15)
        draw.rectangle((x, h * 0.625, x + 70, h * 0.64), fill=(245, 245, 245, 230))


def draw_window_front(
    layer: Image.Image, color: RGBA, top: float, bottom: float
) -> None:
    """Mullions of a large window front (dark vertical and horizontal bars)."""
    w, h = layer.size
    draw = ImageDraw.Draw(layer)
    for x in range(0, w + 1, w // 6):
        draw.rectangle((x - 9, h * top, x + 9, h * bottom), fill=color)
    draw.rectangle((0, h * top, w, h * top + 18), fill=color)
    draw.rectangle(
        (0, h * (top + bottom) / 2 - 6, w, h * (top + bottom) / 2 + 6), fill=color
    )


def draw_factory(
    layer: Image.Image, rng: random.Random, base_y: int, color: RGBA, smoke: RGBA
) -> None:
    w, _ = layer.size
    draw = ImageDraw.Draw(layer)
    x = rng.randint(-40, 40)
    while x < w:
        hall_w = rng.randint(260, 420)
        hall_h = rng.randint(140, 230)
        top = base_y - hall_h
        draw.rectangle((x, top, x + hall_w, base_y), fill=color)
        teeth = rng.randint(3, 5)
        tw = hall_w / teeth
        for i in range(teeth):  # sawtooth roof
            draw.polygon(
                [(x + i * tw, top), (x + i * tw, top - 55), (x + (i + 1) * tw, top)],
                fill=color,
            )
        if rng.random() < 0.7:  # chimney with smoke
            cx = x + rng.uniform(0.2, 0.8) * hall_w
            ch = rng.randint(180, 300)
            draw.rectangle((cx - 16, top - ch, cx + 16, top), fill=color)
            for k in range(5):
                r = 26 + k * 14
                sx = cx + k * 34 + rng.uniform(-8, 8)
                sy = top - ch - 30 - k * 42
                draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=smoke)
        x += hall_w + rng.randint(20, 80)


def draw_cars(
    layer: Image.Image, rng: random.Random, base_y: int, count: int, color: RGBA
) -> None:
    w, _ = layer.size
    draw = ImageDraw.Draw(layer)
    spacing = w / count
    for i in range(count):
        x = i * spacing + rng.uniform(20, 60)
        cw = spacing * 0.7
        draw.rounded_rectangle(
            (x, base_y - 70, x + cw, base_y - 22), radius=22, fill=color
        )
        draw.rounded_rectangle(
            (x + cw * 0.22, base_y - 112, x + cw * 0.72, base_y - 60),
            radius=26,
            fill=color,
        )
        for wx in (x + cw * 0.2, x + cw * 0.8):
            draw.ellipse(
                (wx - 26, base_y - 48, wx + 26, base_y + 4), fill=(30, 30, 40, 255)
            )


def draw_wind_turbine(
    draw: ImageDraw.ImageDraw,
    x: float,
    base_y: float,
    height: float,
    angle: float,
    color: RGBA,
) -> None:
    hub = (x, base_y - height)
    draw.polygon(
        [(x - 7, base_y), (x + 7, base_y), (x + 3, hub[1]), (x - 3, hub[1])], fill=color
    )
    blade = height * 0.45
    for k in range(3):
        a = angle + k * math.tau / 3
        tip = (hub[0] + blade * math.cos(a), hub[1] + blade * math.sin(a))
        draw.line([hub, tip], fill=color, width=8)
    draw.ellipse((hub[0] - 10, hub[1] - 10, hub[0] + 10, hub[1] + 10), fill=color)


def draw_tree(
    draw: ImageDraw.ImageDraw, x: float, base_y: float, size: float, color: RGBA
) -> None:
    draw.rectangle(
        (x - size * 0.06, base_y - size * 0.5, x + size * 0.06, base_y), fill=color
    )
    draw.ellipse(
        (x - size * 0.32, base_y - size * 1.05, x + size * 0.32, base_y - size * 0.38),
        fill=color,
    )


def draw_houses(
    layer: Image.Image,
    rng: random.Random,
    base_y: float,
    x_range: tuple[float, float],
    color: RGBA,
) -> None:
    draw = ImageDraw.Draw(layer)
    x = x_range[0]
    while x < x_range[1]:
        hw = rng.randint(70, 120)
        hh = hw * rng.uniform(0.55, 0.8)
        draw.rectangle((x, base_y - hh, x + hw, base_y), fill=color)
        draw.polygon(
            [
                (x - 8, base_y - hh),
                (x + hw / 2, base_y - hh - hw * 0.5),
                (x + hw + 8, base_y - hh),
            ],
            fill=color,
        )
        x += hw + rng.randint(18, 60)


def draw_tanks(
    layer: Image.Image, rng: random.Random, base_y: int, color: RGBA, pipe: RGBA
) -> None:
    """Chemical park: cylinders, spheres, columns and pipe racks."""
    w, _ = layer.size
    draw = ImageDraw.Draw(layer)
    x = 40
    while x < w:
        kind = rng.random()
        if kind < 0.4:  # storage tank
            tw, th = rng.randint(150, 230), rng.randint(120, 200)
            draw.rectangle((x, base_y - th, x + tw, base_y), fill=color)
            draw.ellipse((x, base_y - th - 26, x + tw, base_y - th + 26), fill=color)
            x += tw + 40
        elif kind < 0.65:  # sphere tank (hydrogen/gas)
            r = rng.randint(70, 100)
            draw.ellipse((x, base_y - 2 * r - 60, x + 2 * r, base_y - 60), fill=color)
            for lx in (x + r * 0.4, x + r * 1.6):
                draw.rectangle((lx - 6, base_y - 90, lx + 6, base_y), fill=color)
            x += 2 * r + 40
        else:  # distillation column
            cw, ch = rng.randint(40, 60), rng.randint(300, 460)
            draw.rounded_rectangle(
                (x, base_y - ch, x + cw, base_y), radius=cw // 2, fill=color
            )
            for ry in range(base_y - ch + 40, base_y, 70):
                draw.rectangle((x - 12, ry, x + cw + 12, ry + 8), fill=color)
            x += cw + 60
    for k in range(3):  # pipe rack in front
        y = base_y - 40 - k * 22
        draw.rectangle((0, y, w, y + 9), fill=pipe)
    for px in range(30, w, 160):
        draw.rectangle((px, base_y - 100, px + 10, base_y), fill=pipe)


# --------------------------------------------------------------------------
# Scenes
# --------------------------------------------------------------------------


def scene_event(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (w // 2, int(h * 0.35)), int(h * 0.55), (255, 240, 215), 0.75)
    layer = new_layer(img.size)
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle(
        (w * 0.3, h * 0.16, w * 0.7, h * 0.46), radius=10, fill=(255, 250, 240, 170)
    )  # screen
    draw.rectangle(
        (0, h * 0.56, w, h * 0.6), fill=rgba(mix(p.bottom, (0, 0, 0), 0.25), 200)
    )  # stage edge
    draw_crowd(
        layer,
        rng,
        5,
        h * 0.57,
        (h * 0.22, h * 0.27),
        rgba(mix(p.bottom, (30, 20, 30), 0.4), 200),
        (w * 0.2, w * 0.8),
    )
    draw_audience(layer, rng, 3, mix(p.bottom, (40, 30, 50), 0.5))
    img.paste(layer, (0, 0), layer)


def scene_podium(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.4), int(h * 0.3)), int(h * 0.5), (255, 245, 225), 0.7)
    layer = new_layer(img.size)
    draw = ImageDraw.Draw(layer)
    draw.rectangle(
        (w * 0.46, h * 0.12, w * 0.9, h * 0.48), fill=(250, 248, 244, 200)
    )  # projection
    draw.rectangle((w * 0.5, h * 0.18, w * 0.86, h * 0.2), fill=rgba(p.bottom, 90))
    draw.rectangle((w * 0.5, h * 0.24, w * 0.74, h * 0.26), fill=rgba(p.bottom, 70))
    speaker = rgba(mix(p.bottom, (20, 20, 40), 0.4), 240)
    draw_person(draw, w * 0.3, h * 0.62, h * 0.42, speaker)
    draw.polygon(
        [
            (w * 0.22, h * 0.46),
            (w * 0.38, h * 0.46),
            (w * 0.36, h * 0.66),
            (w * 0.24, h * 0.66),
        ],
        fill=rgba(mix(p.bottom, (60, 40, 30), 0.5), 255),
    )
    draw_audience(layer, rng, 2, mix(p.bottom, (30, 30, 40), 0.55))
    img.paste(layer, (0, 0), layer)


def scene_skyline(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(
        img,
        (int(w * rng.uniform(0.6, 0.8)), int(h * 0.3)),
        int(h * 0.35),
        (255, 236, 200),
        0.8,
    )
    far = new_layer(img.size)
    draw_skyline(
        far, rng, int(h * 0.7), 120, 330, rgba(mix(p.top, p.bottom, 0.55), 200)
    )
    img.paste(far, (0, 0), far)
    near = new_layer(img.size)
    draw_skyline(
        near,
        rng,
        int(h * 0.78),
        160,
        460,
        rgba(mix(p.bottom, (20, 30, 40), 0.35), 240),
        (255, 230, 170, 140),
    )
    ImageDraw.Draw(near).rectangle(
        (0, h * 0.78, w, h), fill=rgba(mix(p.bottom, (20, 30, 40), 0.5), 255)
    )
    # river reflection
    for k in range(6):
        y = h * (0.84 + k * 0.025)
        ImageDraw.Draw(near).rectangle(
            (w * rng.uniform(0, 0.5), y, w * rng.uniform(0.5, 1.0), y + 5),
            fill=(255, 240, 210, 60),
        )
    img.paste(near, (0, 0), near)


def scene_rural(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.78), int(h * 0.22)), int(h * 0.25), (255, 248, 220), 0.9)
    layer = new_layer(img.size)
    draw_hills(layer, rng, h * 0.58, 40, rgba(mix(p.top, p.bottom, 0.6), 255))
    draw = ImageDraw.Draw(layer)
    for i in range(4):
        draw_wind_turbine(
            draw,
            w * (0.08 + 0.09 * i),
            h * 0.58,
            220 + 25 * i,
            rng.uniform(0, math.tau),
            (240, 244, 248, 230),
        )
    draw_houses(
        layer,
        rng,
        h * 0.64,
        (w * 0.45, w * 0.75),
        rgba(mix(p.bottom, (120, 70, 50), 0.4), 255),
    )
    draw_hills(layer, rng, h * 0.72, 28, rgba(p.bottom, 255))
    for _ in range(6):
        draw_tree(
            draw,
            w * rng.uniform(0.02, 0.98),
            h * 0.7 + rng.uniform(0, 30),
            rng.uniform(120, 180),
            rgba(mix(p.bottom, (20, 50, 20), 0.5), 255),
        )
    draw_crowd(
        layer,
        rng,
        4,
        h * 0.98,
        (h * 0.42, h * 0.5),
        rgba(mix(p.bottom, (20, 30, 20), 0.7), 245),
        (w * 0.55, w * 0.95),
    )
    img.paste(layer, (0, 0), layer)


def scene_workshop(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.5), int(h * 0.2)), int(h * 0.6), (255, 255, 250), 0.6)
    layer = new_layer(img.size)
    draw_window_front(layer, rgba(mix(p.bottom, (0, 0, 0), 0.2), 120), 0.05, 0.55)
    draw = ImageDraw.Draw(layer)
    draw.rectangle(
        (w * 0.62, h * 0.16, w * 0.9, h * 0.5), fill=(255, 255, 255, 200)
    )  # flipchart / pinboard
    for k in range(4):
        cx = w * (0.66 + 0.06 * k)
        draw.rectangle(
            (cx, h * 0.22, cx + 70, h * 0.3),
            fill=rgba(
                ((240, 200, 90), (140, 200, 220), (230, 140, 120), (170, 210, 140))[k],
                230,
            ),
        )
    draw_crowd(
        layer,
        rng,
        6,
        h * 0.95,
        (h * 0.5, h * 0.62),
        rgba(mix(p.bottom, (10, 20, 40), 0.45), 235),
        (w * 0.05, w * 0.6),
    )
    img.paste(layer, (0, 0), layer)


def scene_factory_floor(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.3), int(h * 0.15)), int(h * 0.5), (255, 250, 235), 0.65)
    layer = new_layer(img.size)
    draw = ImageDraw.Draw(layer)
    for x in range(0, w, 300):  # roof trusses
        draw.line(
            [(x, 0), (x + 150, h * 0.18), (x + 300, 0)],
            fill=rgba(p.bottom, 120),
            width=10,
        )
    draw.rectangle((0, h * 0.18, w, h * 0.2), fill=rgba(p.bottom, 150))
    machine = rgba(mix(p.bottom, (40, 90, 120), 0.3), 235)
    draw.rounded_rectangle(
        (w * 0.08, h * 0.4, w * 0.45, h * 0.8), radius=18, fill=machine
    )
    draw.rectangle(
        (w * 0.12, h * 0.46, w * 0.28, h * 0.6), fill=(200, 230, 245, 200)
    )  # machine window
    draw.rounded_rectangle(
        (w * 0.55, h * 0.5, w * 0.95, h * 0.8), radius=18, fill=machine
    )
    draw.line(
        [(w * 0.6, h * 0.5), (w * 0.68, h * 0.3), (w * 0.78, h * 0.36)],
        fill=machine,
        width=26,
    )  # robot arm
    draw.rectangle((0, h * 0.8, w, h), fill=rgba(mix(p.bottom, (0, 0, 0), 0.3), 255))
    draw_crowd(
        layer,
        rng,
        2,
        h * 0.86,
        (h * 0.42, h * 0.48),
        rgba(mix(p.bottom, (10, 10, 20), 0.6), 245),
        (w * 0.38, w * 0.62),
    )
    img.paste(layer, (0, 0), layer)


def scene_industry(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.25), int(h * 0.42)), int(h * 0.4), (255, 225, 170), 0.85)
    layer = new_layer(img.size)
    draw_factory(
        layer,
        rng,
        int(h * 0.72),
        rgba(mix(p.bottom, (10, 10, 20), 0.2), 235),
        (255, 255, 255, 70),
    )
    draw = ImageDraw.Draw(layer)
    draw.rectangle((0, h * 0.72, w, h), fill=rgba(mix(p.bottom, (0, 0, 0), 0.35), 255))
    draw_cars(layer, rng, int(h * 0.9), 5, rgba(mix(p.top, p.bottom, 0.35), 255))
    img.paste(layer, (0, 0), layer)


def scene_campaign(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.5), int(h * 0.62)), int(h * 0.55), (255, 215, 150), 0.9)
    far = new_layer(img.size)
    draw_skyline(
        far,
        rng,
        int(h * 0.8),
        int(h * 0.12),
        int(h * 0.38),
        rgba(mix(p.top, p.bottom, 0.6), 210),
        (255, 220, 160, 110),
    )
    img.paste(far, (0, 0), far)
    near = new_layer(img.size)
    ImageDraw.Draw(near).rectangle(
        (0, h * 0.8, w, h), fill=rgba(mix(p.bottom, (10, 10, 30), 0.4), 255)
    )
    draw_crowd(
        near,
        rng,
        5,
        h * 1.02,
        (h * 0.55, h * 0.68),
        rgba(mix(p.bottom, (10, 10, 30), 0.55), 250),
        (w * 0.08, w * 0.92),
    )
    img.paste(near, (0, 0), near)


def scene_lake(img: Image.Image, rng: random.Random, p: Photo) -> None:
    """Former open-pit mine turned into a lake, wind turbines on the slope."""
    w, h = img.size
    add_glow(img, (int(w * 0.3), int(h * 0.25)), int(h * 0.3), (255, 250, 230), 0.85)
    layer = new_layer(img.size)
    draw_hills(layer, rng, h * 0.5, 30, rgba(mix(p.top, p.bottom, 0.45), 255))
    draw = ImageDraw.Draw(layer)
    for i in range(6):
        draw_wind_turbine(
            draw,
            w * (0.5 + 0.08 * i),
            h * 0.5,
            180 + 20 * (i % 3),
            rng.uniform(0, math.tau),
            (248, 250, 252, 230),
        )
    draw.rectangle(
        (0, h * 0.56, w, h * 0.82), fill=rgba(mix(p.top, (40, 110, 160), 0.6), 255)
    )  # lake
    for k in range(10):
        y = h * (0.58 + k * 0.022)
        x0 = w * rng.uniform(0, 0.6)
        draw.rectangle(
            (x0, y, x0 + w * rng.uniform(0.1, 0.4), y + 4), fill=(255, 255, 255, 70)
        )
    draw.polygon(
        [(0, h * 0.8), (w * 0.4, h * 0.86), (w, h * 0.78), (w, h), (0, h)],
        fill=rgba(mix(p.bottom, (120, 100, 70), 0.5), 255),
    )
    draw.rectangle(
        (w * 0.62, h * 0.78, w * 0.8, h * 0.79), fill=(90, 70, 50, 255)
    )  # jetty
    for i in range(4):
        draw_tree(
            draw,
            w * (0.05 + 0.07 * i),
            h * 0.86,
            rng.uniform(130, 190),
            rgba(mix(p.bottom, (30, 60, 30), 0.6), 255),
        )
    img.paste(layer, (0, 0), layer)


def scene_meeting(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.5), int(h * 0.25)), int(h * 0.6), (255, 255, 245), 0.55)
    layer = new_layer(img.size)
    draw_skyline(
        layer, rng, int(h * 0.55), 60, 200, rgba(mix(p.top, p.bottom, 0.4), 130)
    )
    draw_window_front(layer, rgba(mix(p.bottom, (0, 0, 0), 0.25), 170), 0.04, 0.56)
    img.paste(layer, (0, 0), layer)
    front = new_layer(img.size)
    draw_table_meeting(front, rng, p.bottom)
    ImageDraw.Draw(front).rectangle(
        (0, h * 0.74, w, h), fill=rgba(mix(p.bottom, (0, 0, 0), 0.15), 255)
    )
    img.paste(front, (0, 0), front)


def scene_chemical_park(img: Image.Image, rng: random.Random, p: Photo) -> None:
    w, h = img.size
    add_glow(img, (int(w * 0.7), int(h * 0.3)), int(h * 0.35), (255, 245, 220), 0.8)
    far = new_layer(img.size)
    draw_factory(
        far,
        rng,
        int(h * 0.66),
        rgba(mix(p.top, p.bottom, 0.5), 170),
        (255, 255, 255, 60),
    )
    img.paste(far, (0, 0), far)
    near = new_layer(img.size)
    draw_tanks(
        near,
        rng,
        int(h * 0.84),
        rgba(mix(p.bottom, (200, 210, 220), 0.12), 250),
        rgba(mix(p.bottom, (0, 0, 0), 0.3), 255),
    )
    ImageDraw.Draw(near).rectangle(
        (0, h * 0.84, w, h), fill=rgba(mix(p.bottom, (0, 0, 0), 0.4), 255)
    )
    img.paste(near, (0, 0), near)


SCENES: dict[str, Callable[[Image.Image, random.Random, Photo], None]] = {
    "event": scene_event,
    "podium": scene_podium,
    "skyline": scene_skyline,
    "rural": scene_rural,
    "workshop": scene_workshop,
    "factory_floor": scene_factory_floor,
    "industry": scene_industry,
    "campaign": scene_campaign,
    "lake": scene_lake,
    "meeting": scene_meeting,
    "chemical_park": scene_chemical_park,
}


# --------------------------------------------------------------------------
# Rendering and writing
# --------------------------------------------------------------------------


def exif_bytes(credit: str) -> bytes:
    exif = Image.Exif()
    # Bytes are written verbatim; a str would be squeezed to ASCII ("©" → "?").
    exif[EXIF_ARTIST] = credit.encode("utf-8")
    exif[EXIF_COPYRIGHT] = f"© {credit}".encode()
    return exif.tobytes()


def render_photo(photo: Photo) -> Image.Image:
    rng = seeded_rng(photo.path)
    img = gradient(photo.size, photo.top, photo.bottom)
    SCENES[photo.motif](img, rng, photo)
    # A slight blur gives the "soft photo" look and keeps the JPEG small.
    return img.filter(ImageFilter.GaussianBlur(radius=1.6))


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
