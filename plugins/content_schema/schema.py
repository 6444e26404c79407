"""The one place that defines which header fields each content kind takes.

Every field has a type (what a value must look like), whether it is
required, allowed values or limits, and a German description. The
validator, ``invoke new`` (the commented template) and the editors' guide in
README.md (``invoke schema-docs``) are all generated from these tables, so
they cannot drift apart.

Whether a partner id exists or an image file is there is checked by the
partners and image plugins; this module checks types and format only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

#: Values editors may use. Changing a list here changes validation,
#: scaffolding and the documentation at once.
CATEGORIES = (
    "Fachkräfte",
    "Standortmarketing",
    "Innovation",
    "Strukturwandel",
    "Regionalentwicklung",
)
REGIONS = (
    "Braunschweig-Wolfsburg",
    "Südostniedersachsen",
    "Nordostniedersachsen",
    "Hannover-Hildesheim",
    "Ostwestfalen-Lippe",
    "Sachsen-Anhalt Süd",
)
FIELDS_OF_ACTION = (
    "Fachkräfte",
    "Branchennetzwerk",
    "Strukturwandel",
    "Regionalentwicklung",
    "Standortmarketing",
)
FLAG_WORDS = {"true": True, "ja": True, "yes": True, "false": False, "nein": False}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".avif")

_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_GERMAN_DATE = re.compile(
    r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2}))?$"
)
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#]\S*)?$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SITE_PATH = re.compile(r"^/[^\s]*$")


class Invalid(ValueError):
    """A value that does not fit its field: what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


# --- types -----------------------------------------------------------------
# Each type is a function (field, raw value) -> None that raises Invalid.


def _text(spec: Field, value: str) -> None:
    if spec.max_length and len(value) > spec.max_length:
        raise Invalid(
            f"{spec.name} is {len(value)} characters long, at most {spec.max_length} fit",
            f"shorten it by {len(value) - spec.max_length} characters",
        )


def parse_date(value: str) -> dt.datetime:
    """The one date format editors write: ``2024-03-12`` or ``2024-03-12 09:30``.

    Raises :class:`Invalid` with a German-aware fix: "12.03.2024" is the
    natural way to write a date in German, and dateutil would silently read
    it as 3 December, so it is rejected with the ISO form to copy.
    """
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.group(1, 2, 3))
        hour, minute, second = (int(g or 0) for g in match.group(4, 5, 6))
        return _checked(text, year, month, day, hour, minute, second)
    match = _GERMAN_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.group(1, 2, 3))
        if year < 100:
            year += 2000
        clock = f" {int(match.group(4)):02d}:{match.group(5)}" if match.group(4) else ""
        moment = _checked(text, year, month, day, 0, 0, 0)
        raise Invalid(
            f'"{text}" is written the German way',
            f"write it as year-month-day: {moment:%Y-%m-%d}{clock}",
        )
    raise Invalid(
        f'"{text}" is not a date', "write it as year-month-day, e.g. 2024-03-12"
    )


def _checked(
    text: str, year: int, month: int, day: int, hour: int, minute: int, second: int
) -> dt.datetime:
    if not 1 <= month <= 12:
        raise Invalid(
            f'"{text}" is not a date (there is no month {month})',
            "write it as year-month-day, e.g. 2024-03-12",
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise Invalid(
            f'"{text}" is not a date ({_MONTH_NAMES[month - 1]} {year} has {last} days)',
            f"write an existing day as year-month-day, e.g. {year:04d}-{month:02d}-{last:02d}",
        )
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise Invalid(
            f'"{text}" has no valid time of day',
            "write the time as HH:MM, e.g. 2024-03-12 09:30",
        ) from None


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _date(spec: Field, value: str) -> None:
    try:
        parse_date(value)
    except Invalid as problem:
        raise Invalid(f"{spec.name} {problem.message}", problem.fix) from None


def _year(spec: Field, value: str) -> None:
    if (
        not re.fullmatch(r"\d{4}", value.strip())
        or not 1800 <= int(value) <= dt.date.today().year + 1
    ):
        raise Invalid(
            f'{spec.name} "{value}" is not a year', "write four digits, e.g. 2015"
        )


def _url(spec: Field, value: str) -> None:
    if not _URL.match(value.strip()):
        example = "https://www.example.org"
        if "://" not in value and "." in value and " " not in value.strip():
            example = "https://" + value.strip()
        raise Invalid(
            f'{spec.name} "{value}" is not a web address',
            f"write the full address, e.g. {example}",
        )


def _url_or_path(spec: Field, value: str) -> None:
    text = value.strip()
    if _SITE_PATH.match(text) and not text.startswith("//"):
        return
    if _URL.match(text):
        return
    raise Invalid(
        f'{spec.name} "{value}" is neither a web address nor a page of this site',
        "write a site path such as /initiativen/retrason/ or a full address https://…",
    )


def _email(spec: Field, value: str) -> None:
    text = value.strip()
    if text.lower().startswith("mailto:"):
        raise Invalid(
            f'{spec.name} "{value}" starts with "mailto:"',
            f"write only the address: {text[7:]}",
        )
    if not _EMAIL.match(text):
        raise Invalid(
            f'{spec.name} "{value}" is not an e-mail address',
            "write it like name@example.org",
        )


def _image(spec: Field, value: str) -> None:
    text = value.strip()
    if "://" in text:
        raise Invalid(
            f'{spec.name} "{value}" is a web address',
            "images must live in the site: put the file under content/images/ and write e.g. images/news/foto.jpg",
        )
    if text.startswith("/") or text.startswith("content/"):
        relative = text.lstrip("/").removeprefix("content/")
        raise Invalid(
            f'{spec.name} "{value}" starts with "{text[: len(text) - len(relative)]}"',
            f"write the path below content/: {relative}",
        )
    if not text.lower().endswith(IMAGE_SUFFIXES):
        raise Invalid(
            f'{spec.name} "{value}" is not an image file',
            f"use a file ending in {', '.join(IMAGE_SUFFIXES)}",
        )


def _flag(spec: Field, value: str) -> None:
    if value.strip().lower() not in FLAG_WORDS:
        raise Invalid(
            f'{spec.name} "{value}" is neither true nor false', "write true or false"
        )


def _choice(spec: Field, value: str) -> None:
    if value.strip() in spec.choices:
        return
    lowered = {c.casefold(): c for c in spec.choices}
    if value.strip().casefold() in lowered:
        raise Invalid(
            f'{spec.name} "{value}" is written differently',
            f'write it exactly as "{lowered[value.strip().casefold()]}"',
        )
    raise Invalid(
        f'{spec.name} "{value}" is not allowed',
        f"use one of: {', '.join(spec.choices)}{_suggest(value, spec.choices)}",
    )


def _tags(spec: Field, value: str) -> None:
    tags = [t.strip() for t in value.split(",")]
    if any(not t for t in tags):
        raise Invalid(
            f"{spec.name} has an empty entry",
            "separate the tags with single commas: Fachkräfte, Hannover",
        )


def _partners(spec: Field, value: str) -> None:
    """Nothing to do here: plugins/partners reads the list (ids, roles, line
    continuations) and reports a malformed entry or an unknown id with file
    and line. Checking the format twice would show editors two messages for
    one mistake."""


def _slug(spec: Field, value: str) -> None:
    if not _SLUG.match(value.strip()):
        from german import slugify_de

        raise Invalid(
            f'{spec.name} "{value}" is not a slug',
            f"use lower case letters, digits and hyphens, e.g. {slugify_de(value) or 'mein-beitrag'}",
        )


def _aliases(spec: Field, value: str) -> None:
    for entry in (e.strip() for e in value.split(",")):
        if not _SITE_PATH.match(entry) or entry.startswith("//"):
            raise Invalid(
                f'{spec.name} entry "{entry}" is not a site path',
                "write old addresses starting with /, separated by commas, e.g. /news/alter-titel/",
            )


def _save_as(spec: Field, value: str) -> None:
    if value.strip().startswith("/") or ".." in value:
        raise Invalid(
            f'{spec.name} "{value}" must be a file name inside the site',
            "write e.g. 404.html",
        )


TYPES = {
    "text": (_text, "Text"),
    "date": (_date, "Datum JJJJ-MM-TT (optional mit Uhrzeit HH:MM)"),
    "year": (_year, "Jahreszahl (vier Ziffern)"),
    "url": (_url, "Webadresse mit https://"),
    "url_or_path": (
        _url_or_path,
        "Adresse auf dieser Website (/…/) oder Webadresse mit https://",
    ),
    "email": (_email, "E-Mail-Adresse"),
    "image": (_image, "Bildpfad unter content/, z. B. images/news/foto.jpg"),
    "flag": (_flag, "true oder false"),
    "choice": (_choice, "einer der erlaubten Werte"),
    "tags": (_tags, "Liste, durch Kommas getrennt"),
    "partners": (
        _partners,
        "Partner-Kennungen aus content/partners.yml, durch Kommas getrennt, Rolle optional in Klammern",
    ),
    "slug": (_slug, "Kleinbuchstaben, Ziffern, Bindestriche"),
    "aliases": (_aliases, "alte Adressen (/…/), durch Kommas getrennt"),
    "save_as": (_save_as, "Dateiname in der Website"),
}


@dataclass(frozen=True)
class Field:
    """One header field of a content kind."""

    name: str
    type: str = "text"
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()
    max_length: int = 0
    example: str = ""
    #: Fields that make sense only together, e.g. an Image needs Image_alt.
    requires: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """Pelican lowercases metadata names; so do we when comparing."""
        return self.name.lower()

    def check(self, value: str) -> None:
        """Raise :class:`Invalid` if ``value`` does not fit this field."""
        check, _ = TYPES[self.type]
        if self.type != "text":
            _text(self, value)
        check(self, value)

    @property
    def type_label(self) -> str:
        return TYPES[self.type][1]


def _suggest(value: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(value.strip(), list(options), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


# --- the kinds ---------------------------------------------------------------

TITLE = Field(
    "Title",
    required=True,
    max_length=120,
    description="Überschrift, höchstens 120 Zeichen.",
    example="Titel",
)
SUMMARY = Field(
    "Summary",
    max_length=200,
    description="Ein bis zwei Sätze für Übersichten und Suchmaschinen, höchstens 200 Zeichen.",
    example="Ein bis zwei Sätze, worum es geht.",
)
IMAGE = Field(
    "Image",
    "image",
    description="Foto oben auf der Seite, Pfad unter content/.",
    example="images/news/foto.jpg",
    requires=("Image_alt",),
)
IMAGE_ALT = Field(
    "Image_alt",
    max_length=250,
    description="Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen (Pflicht, wenn Image gesetzt ist).",
    example="Zwei Menschen an einer Werkbank.",
)
IMAGE_CAPTION = Field(
    "Image_caption",
    max_length=250,
    description="Bildunterschrift.",
    example="Bildunterschrift",
)
IMAGE_CREDIT = Field(
    "Image_credit",
    max_length=120,
    description="Bildnachweis, z. B. „Foto: Name“ (sonst aus content/images/credits.yml).",
    example="Foto: Vorname Nachname",
)
IMAGE_LICENCE = Field(
    "Image_licence",
    max_length=120,
    description="Lizenz des Bildes, z. B. CC BY 4.0.",
    example="CC BY 4.0",
)
SLUG = Field(
    "Slug",
    "slug",
    max_length=80,
    description="Letzter Teil der Adresse; wird sonst aus dem Titel gebildet.",
    example="kurzer-titel",
)
ALIASES = Field(
    "Aliases",
    "aliases",
    description="Frühere Adressen, die auf diese Seite weiterleiten sollen.",
    example="/news/alter-titel/",
)
#: Status of initiatives and campaigns (pages may also be hidden).
PAGE_STATUS = Field(
    "Status",
    "choice",
    choices=("published", "draft", "hidden"),
    description="draft = Entwurf (nie veröffentlicht), hidden = erreichbar, aber in keiner Liste.",
    example="draft",
)

SCHEMAS: dict[str, tuple[Field, ...]] = {
    "news": (
        TITLE,
        Field(
            "Date",
            "date",
            required=True,
            description="Erscheinungsdatum. Liegt es in der Zukunft, erscheint die Meldung erst an diesem Tag.",
            example="2024-03-12",
        ),
        Field(
            "Category",
            "choice",
            required=True,
            choices=CATEGORIES,
            description="Thema der Meldung.",
            example=CATEGORIES[0],
        ),
        Field(
            "Tags",
            "tags",
            description="Schlagwörter, durch Kommas getrennt.",
            example="Fachkräfte, Hannover",
        ),
        SUMMARY,
        Field(
            "Author",
            max_length=80,
            description="Wer die Meldung verantwortet.",
            example="Redaktion RegioVerbund",
        ),
        IMAGE,
        IMAGE_ALT,
        IMAGE_CAPTION,
        IMAGE_CREDIT,
        IMAGE_LICENCE,
        Field(
            "Modified",
            "date",
            description="Datum der letzten wesentlichen Änderung.",
            example="2024-03-14",
        ),
        SLUG,
        Field(
            "Status",
            "choice",
            choices=("published", "draft"),
            description="draft = Entwurf: nur in der Vorschau, nie auf der veröffentlichten Website.",
            example="draft",
        ),
        ALIASES,
    ),
    "initiative": (
        TITLE,
        SUMMARY,
        Field(
            "Region",
            "choice",
            required=True,
            choices=REGIONS,
            description="Region; danach ist die Übersicht /initiativen/ gruppiert.",
            example=REGIONS[0],
        ),
        Field(
            "Field",
            "choice",
            choices=FIELDS_OF_ACTION,
            description="Handlungsfeld.",
            example=FIELDS_OF_ACTION[0],
        ),
        Field(
            "Website",
            "url",
            description="Eigene Website der Initiative.",
            example="https://www.example.org",
        ),
        Field("Founded", "year", description="Gründungsjahr.", example="2015"),
        Field(
            "Funding",
            max_length=80,
            description="Förderung in Worten.",
            example="2,34 Mio. EUR bis 2027",
        ),
        Field(
            "Contact",
            max_length=80,
            description="Ansprechstelle.",
            example="Netzwerkmanagement",
        ),
        Field(
            "Contact_email",
            "email",
            description="E-Mail-Adresse der Ansprechstelle.",
            example="kontakt@example.org",
        ),
        Field(
            "Logo",
            "image",
            description="Logo, Pfad unter content/.",
            example="images/logos/name.png",
        ),
        Field(
            "Logo_alt",
            max_length=250,
            description="Text statt des Logos; sonst „Logo <Titel>“.",
            example="Logo der Initiative",
        ),
        Field(
            "Logo_credit",
            max_length=120,
            description="Nachweis des Logos, falls nötig.",
            example="Logo: Name der Initiative",
        ),
        Field(
            "Logo_licence",
            max_length=120,
            description="Lizenz des Logos, falls nötig.",
            example="mit freundlicher Genehmigung",
        ),
        Field(
            "Partners",
            "partners",
            description="Partner aus content/partners.yml, z. B. „ihk-hannover (koordiniert), stadt-musterstadt“.",
            example="allianz-fuer-die-region (koordiniert)",
        ),
        SLUG,
        PAGE_STATUS,
        ALIASES,
    ),
    "campaign": (
        TITLE,
        Field(
            "Claim",
            max_length=80,
            description="Slogan neben dem Titel.",
            example="Deine Region. Deine Zukunft.",
        ),
        SUMMARY,
        IMAGE,
        IMAGE_ALT,
        IMAGE_CAPTION,
        IMAGE_CREDIT,
        IMAGE_LICENCE,
        Field(
            "Cta_text",
            max_length=60,
            description="Text des Handlungsknopfs.",
            example="Jetzt entdecken",
            requires=("Cta_url",),
        ),
        Field(
            "Cta_url",
            "url_or_path",
            description="Ziel des Handlungsknopfs: /…/ auf dieser Website oder https://….",
            example="/initiativen/",
        ),
        Field(
            "Featured",
            "flag",
            description="true = groß auf der Startseite.",
            example="false",
        ),
        SLUG,
        PAGE_STATUS,
        ALIASES,
    ),
    "page": (
        TITLE,
        SUMMARY,
        SLUG,
        Field(
            "Save_as",
            "save_as",
            description="Nur für Sonderseiten wie 404.html: Dateiname in der Website.",
            example="404.html",
        ),
        Field(
            "Status",
            "choice",
            choices=("published", "draft", "hidden"),
            description="draft = Entwurf (nie veröffentlicht), hidden = erreichbar, aber in keiner Liste.",
            example="hidden",
        ),
        Field(
            "Template",
            "choice",
            choices=("page", "initiative", "campaign"),
            description="Seitenvorlage; nur in Ausnahmefällen.",
            example="page",
        ),
        ALIASES,
    ),
}

#: Where each kind lives and its German name, for messages and the guide.
KIND_FOLDERS = {
    "news": "news",
    "initiative": "initiatives",
    "campaign": "campaigns",
    "page": "pages",
}
KIND_LABELS = {
    "news": "Meldung",
    "initiative": "Initiative",
    "campaign": "Kampagne",
    "page": "Seite",
}


def fields_of(kind: str) -> dict[str, Field]:
    """``{lowercase name: Field}`` of a kind (empty for unknown kinds)."""
    return {f.key: f for f in SCHEMAS.get(kind, ())}


def as_flag(value: str) -> bool:
    return FLAG_WORDS.get(str(value).strip().lower(), False)
