"""Drawing primitives: gradients, light, and motifs on transparent layers.

Every function takes the random generator of the image it draws, so a photo's
shapes depend only on its path (``seeded_rng``) and the output is the same on
every run.
"""

from __future__ import annotations

import math
import random
import zlib

from PIL import Image, ImageDraw

from .catalogue import RGBA, Color, Size


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
