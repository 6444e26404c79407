"""A seeded corpus in regiosite's content model, for the build benchmark.

``generate(root, n, seed)`` writes ``root/content`` with ``n`` news items
(German text with headings, lists, internal links, a hero JPEG whose EXIF
Artist carries the photo credit), initiatives with ``Partners:`` references,
the partner registry ``partners.yml``, a campaign and the legal pages. The
same seed always gives the same bytes, so runs are comparable.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

CATEGORIES = [
    "Fachkräfte",
    "Standortmarketing",
    "Innovation",
    "Strukturwandel",
    "Regionalentwicklung",
]
#: Regions and fields from content_schema's vocabularies. Eight and five
#: entries, as in the first corpus version, so the random sequence (and with
#: it every generated photo, already in image caches) stays the same.
REGIONS = [
    "Südostniedersachsen",
    "Nordostniedersachsen",
    "Hannover-Hildesheim",
    "Ostwestfalen-Lippe",
    "Braunschweig-Wolfsburg",
    "Sachsen-Anhalt Süd",
    "Südostniedersachsen",
    "Ostwestfalen-Lippe",
]
FIELDS = [
    "Fachkräfte",
    "Standortmarketing",
    "Branchennetzwerk",
    "Strukturwandel",
    "Regionalentwicklung",
]
PARTNER_TYPES = [
    "kommune",
    "kammer",
    "verband",
    "gewerkschaft",
    "hochschule",
    "arbeitsagentur",
    "land",
    "unternehmen",
    "netzwerk",
    "wirtschaftsfoerderung",
]
TAGS = [
    "Ausbildung",
    "Digitalisierung",
    "Wasserstoff",
    "Mittelstand",
    "Gründung",
    "EU-Förderung",
    "Fachkräftesicherung",
    "Mobilität",
    "Tourismus",
    "Handwerk",
    "Energiewende",
    "Breitband",
    "Hochschulen",
    "Logistik",
    "Gesundheitswirtschaft",
    "Kreislaufwirtschaft",
    "Künstliche Intelligenz",
    "Ländlicher Raum",
    "Weiterbildung",
    "Zuwanderung",
    "Innenstädte",
    "Landwirtschaft",
    "Start-ups",
    "Klimaschutz",
]
SUBJECTS = [
    "Die Wirtschaftsförderung",
    "Das Netzwerk",
    "Die Kammer",
    "Der Landkreis",
    "Die Hochschule",
    "Das Fachkräftebündnis",
    "Die Agentur für Arbeit",
    "Ein mittelständisches Unternehmen",
    "Die Gemeinde",
    "Das Projektteam",
]
VERBS = [
    "stellt",
    "präsentiert",
    "startet",
    "fördert",
    "begleitet",
    "unterstützt",
    "bündelt",
    "erweitert",
    "plant",
    "diskutiert",
]
OBJECTS = [
    "ein neues Programm für Auszubildende",
    "Angebote zur Weiterbildung älterer Beschäftigter",
    "die Ansiedlung eines Zulieferers für Wärmepumpen",
    "Beratung für Gründerinnen und Gründer",
    "den Ausbau der Radwege zwischen den Gewerbegebieten",
    "eine Kampagne für Rückkehrerinnen und Rückkehrer",
    "Kooperationen zwischen Schulen und Betrieben",
    "die Umstellung der Flotte auf Wasserstoff",
    "ein Förderprogramm für die Innenstädte",
    "Sprachkurse für internationale Fachkräfte",
]
TAILS = [
    "im kommenden Jahr vor.",
    "gemeinsam mit den Partnern aus der Region.",
    "mit Mitteln aus dem Europäischen Sozialfonds.",
    "und lädt Betriebe zum Mitmachen ein.",
    "nach einer erfolgreichen Pilotphase.",
    "für kleine und mittlere Unternehmen.",
    "trotz schwieriger Rahmenbedingungen.",
    "über die Landesgrenzen hinweg.",
]
HEADINGS = [
    "Worum es geht",
    "Stimmen aus der Praxis",
    "Wie es weitergeht",
    "Zahlen und Fakten",
    "Hintergrund",
    "Mitmachen",
    "Förderung",
    "Ausblick",
]
PHOTOGRAPHERS = [
    "Anna Müller",
    "Jörg Schäfer",
    "Büşra Yılmaz",
    "Lena Groß",
    "Tobias Weiß",
    "Fotostudio Nordlicht",
]

#: Size of the hero JPEGs: small, so the corpus is quick to write, but real
#: photos for an image pipeline (EXIF, colour, more than one variant width).
IMAGE_SIZE = (960, 640)


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(TAILS)}"
    )


def paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def slug_of(index: int) -> str:
    return f"meldung-{index:05d}"


def vertical_gradient(
    size: tuple[int, int], first: tuple, second: tuple
) -> Image.Image:
    """An RGB image fading from ``first`` (top) to ``second`` (bottom)."""
    return Image.composite(
        Image.new("RGB", size, first),
        Image.new("RGB", size, second),
        Image.linear_gradient("L").resize(size),
    )


def jpeg(rng: random.Random, artist: str) -> bytes:
    """A small photo-like JPEG with an EXIF Artist (the credit)."""
    width, height = IMAGE_SIZE
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(40, 220) for _ in range(3))
    image = vertical_gradient((width, height), top, bottom)
    # Some texture so the encoder has something to do, like with a photo.
    noise = Image.effect_noise((width // 8, height // 8), 40).resize((width, height))
    image = Image.blend(image, Image.merge("RGB", (noise, noise, noise)), 0.15)
    exif = Image.Exif()
    # UTF-8 bytes, as cameras and tools write them: Pillow would store a str
    # as ASCII and turn "ß" into "?" (image_credits.credits.exif_text).
    exif[0x013B] = artist.encode("utf-8")  # Artist
    exif[0x8298] = f"© {artist}".encode()  # Copyright
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=exif)
    return buffer.getvalue()


def partners(rng: random.Random, count: int) -> list[dict]:
    result = []
    for index in range(count):
        kind = PARTNER_TYPES[index % len(PARTNER_TYPES)]
        region = rng.choice(REGIONS)
        result.append(
            {
                "id": f"partner-{index:04d}",
                "name": f"Musterpartner {index} ({kind}, {region})",
                "type": kind,
                "region": region,
            }
        )
    return result


def registry_yaml(entries: list[dict]) -> str:
    lines = ["# Partnerregister (Benchmark-Korpus, erfunden)", ""]
    for entry in entries:
        lines.append(f"- id: {entry['id']}")
        lines.append(f"  name: {entry['name']}")
        lines.append(f"  type: {entry['type']}")
        lines.append(f"  region: {entry['region']}")
        lines.append("")
    return "\n".join(lines)


def news_item(rng: random.Random, index: int, n: int, initiatives: int) -> str:
    day = date(2015, 1, 1) + timedelta(days=(index * 3650) // max(n, 1))
    tags = rng.sample(TAGS, rng.randint(1, 3))
    other = slug_of(rng.randrange(n))
    initiative = f"initiative-{rng.randrange(initiatives):03d}"
    body = [
        paragraph(rng, 3),
        "",
        f"## {rng.choice(HEADINGS)}",
        "",
        paragraph(rng, 5),
        "",
        *[f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))],
        "",
        f"Mehr dazu bei der [Initiative]({{filename}}/initiatives/{initiative}.md) "
        f"und in der [Meldung vom Vorjahr]({{filename}}/news/{other}.md).",
        "",
        f"## {rng.choice(HEADINGS)}",
        "",
        paragraph(rng, 4),
        "",
        f"> {sentence(rng)}",
        "",
        paragraph(rng, 3),
    ]
    title = (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ({index})"
    )
    return "\n".join(
        [
            f"Title: {title}",
            f"Date: {day.isoformat()}",
            f"Category: {rng.choice(CATEGORIES)}",
            f"Tags: {', '.join(tags)}",
            f"Summary: {sentence(rng)}",
            "Author: Redaktion RegioVerbund",
            f"Image: images/news/{slug_of(index)}.jpg",
            f"Image_alt: Symbolfoto zur Meldung {index}: Farbverlauf mit Körnung.",
            f"Image_caption: Symbolbild zur Meldung {index}.",
            "",
            *body,
            "",
        ]
    )


def initiative(rng: random.Random, index: int, registry: list[dict]) -> str:
    chosen = rng.sample(registry, min(len(registry), rng.randint(3, 8)))
    refs = [chosen[0]["id"] + " (koordiniert)"] + [p["id"] for p in chosen[1:]]
    return "\n".join(
        [
            f"Title: Initiative {index:03d} für {rng.choice(OBJECTS)}",
            f"Summary: {sentence(rng)}",
            f"Region: {rng.choice(REGIONS)}",
            f"Field: {rng.choice(FIELDS)}",
            f"Founded: {rng.randint(1995, 2023)}",
            "Contact: Netzwerkmanagement",
            f"Contact_email: initiative{index}@example.org",
            f"Partners: {', '.join(refs)}",
            "",
            paragraph(rng, 4),
            "",
            "## Schwerpunkte",
            "",
            *[f"- {sentence(rng)}" for _ in range(4)],
            "",
        ]
    )


CAMPAIGN = """Title: Tech me home
Claim: Deine Region. Deine Zukunft.
Summary: Die Standortkampagne für Fachkräfte, die zurückkommen wollen.
Image: images/campaigns/tech-me-home.jpg
Image_alt: Farbverlauf als Platzhalter für das Kampagnenmotiv.
Image_caption: Kampagnenmotiv (Symbolbild).
Cta_text: Initiativen entdecken
Cta_url: /initiativen/
Featured: true

## Warum die Region

{p1}

## Was wir bieten

{p2}
"""

PAGES = {
    "impressum": "Impressum",
    "datenschutz": "Datenschutz",
    "barrierefreiheit": "Erklärung zur Barrierefreiheit",
    "leichte-sprache": "Leichte Sprache",
    "ueber-uns": "Über uns",
    "kontakt": "Kontakt",
}


def counts(n: int) -> tuple[int, int]:
    """Initiatives and partners grow slowly with the number of news items."""
    return max(5, n // 50), max(20, n // 20)


def generate(root: Path, n: int, seed: int = 8) -> Path:
    """Write the corpus for ``n`` news items below ``root/content``."""
    rng = random.Random(seed)
    content = root / "content"
    n_initiatives, n_partners = counts(n)
    registry = partners(rng, n_partners)
    files: dict[str, str | bytes] = {"partners.yml": registry_yaml(registry)}
    for index in range(n):
        files[f"news/{slug_of(index)}.md"] = news_item(rng, index, n, n_initiatives)
        files[f"images/news/{slug_of(index)}.jpg"] = jpeg(
            rng, rng.choice(PHOTOGRAPHERS)
        )
    for index in range(n_initiatives):
        files[f"initiatives/initiative-{index:03d}.md"] = initiative(
            rng, index, registry
        )
    files["campaigns/tech-me-home.md"] = CAMPAIGN.format(
        p1=paragraph(rng), p2=paragraph(rng)
    )
    files["images/campaigns/tech-me-home.jpg"] = jpeg(rng, "Agentur Beispiel")
    for slug, title in PAGES.items():
        files[f"pages/{slug}.md"] = (
            f"Title: {title}\nSummary: {sentence(rng)}\n\n{paragraph(rng)}\n"
        )
    for relative, data in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return content


def replacement_image(seed: int) -> bytes:
    """A different JPEG for the "replace one image" scenario."""
    return jpeg(random.Random(seed), "Ersatzfoto Redaktion")
