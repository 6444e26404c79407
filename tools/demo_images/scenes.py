"""Scenes: one function per motif, composed from the primitives in :mod:`.paint`."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from .catalogue import Photo
from .paint import (
    add_glow,
    draw_audience,
    draw_cars,
    draw_crowd,
    draw_factory,
    draw_hills,
    draw_houses,
    draw_person,
    draw_skyline,
    draw_table_meeting,
    draw_tanks,
    draw_tree,
    draw_wind_turbine,
    draw_window_front,
    gradient,
    mix,
    new_layer,
    rgba,
    seeded_rng,
)


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


def render_photo(photo: Photo) -> Image.Image:
    rng = seeded_rng(photo.path)
    img = gradient(photo.size, photo.top, photo.bottom)
    SCENES[photo.motif](img, rng, photo)
    # A slight blur gives the "soft photo" look and keeps the JPEG small.
    return img.filter(ImageFilter.GaussianBlur(radius=1.6))
