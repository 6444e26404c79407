"""What the demo images show: every photo with its motif, colours and credit, every logo.

The credits name the authors of the seed articles' photos where a drawn image
stands in for one of them; all others are credited to "RegioVerbund / Demo".
"""

from __future__ import annotations

from dataclasses import dataclass

PHOTO_SIZE = (1800, 1200)
HERO_SIZE = (2000, 1000)
LOGO_SIZE = (400, 200)
JPEG_QUALITY = 82
MAX_PHOTO_BYTES = 150 * 1024
DEMO_CREDIT = "RegioVerbund / Demo"

Color = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Size = tuple[int, int]


@dataclass(frozen=True)
class Photo:
    """A drawn stand-in photo (JPEG)."""

    path: str  # relative to content/images
    motif: str  # key of scenes.SCENES
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
