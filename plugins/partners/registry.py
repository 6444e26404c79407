"""The partner registry: one YAML file, checked entry by entry.

The registry is the single source of truth for every partner list on the
site, so a mistake in it must be found at build time and named by its line:
editors fix ``content/partners.yml:112``, not "partner 37".
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from diagnostics import FAILED, LineDict, load_yaml, report
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

#: Default of ``PARTNERS_TYPES``: type key (used in the registry) → heading
#: shown above the group. The order is the order of the groups on every page.
DEFAULT_TYPES: dict[str, str] = {
    "kommune": "Kommunen und Landkreise",
    "land": "Land und Ministerien",
    "wirtschaftsfoerderung": "Wirtschaftsförderungen",
    "kammer": "Kammern",
    "verband": "Verbände",
    "gewerkschaft": "Gewerkschaften",
    "arbeitsagentur": "Arbeitsagenturen und Jobcenter",
    "hochschule": "Hochschulen und Forschung",
    "netzwerk": "Netzwerke und Initiativen",
    "unternehmen": "Unternehmen",
}

REQUIRED_FIELDS = ("id", "name", "type", "region")
OPTIONAL_FIELDS = ("website", "logo")
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

#: Ids are used in anchors (``/partner/#partner-<id>``) and typed by editors.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_FIELD_EXAMPLES = {
    "id": "id: ihk-lueneburg-wolfsburg",
    "name": "name: IHK Lüneburg-Wolfsburg",
    "type": "type: kammer",
    "region": "region: Nordostniedersachsen",
}


@dataclass(frozen=True, slots=True)
class Partner:
    """One organisation of the registry, as templates and lists use it."""

    id: str
    name: str
    type: str
    type_label: str
    region: str
    website: str = ""
    logo: str = ""
    logo_width: int = 0
    logo_height: int = 0
    line: int = 0
    #: German dictionary order of the name, computed once when loaded.
    sort_key: str = ""


@dataclass
class Registry:
    """All partners of one build, in file order, with lookups built once."""

    path: str
    types: dict[str, str]
    partners: dict[str, Partner] = field(default_factory=dict)
    #: False when the file could not be parsed; references are then not
    #: checked, so one syntax error does not turn into a hundred follow-ups.
    readable: bool = True
    exists: bool = True

    @property
    def display_path(self) -> str:
        """``content/partners.yml`` rather than an absolute path, for messages."""
        if not self.path:
            return "the partner registry"
        relative = os.path.relpath(self.path)
        return self.path if relative.startswith("..") else relative

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    def closest(self, partner_id: str, count: int = 3) -> list[str]:
        return difflib.get_close_matches(partner_id, list(self.partners), n=count)

    @cached_property
    def alphabetical(self) -> list[Partner]:
        """All partners by name, sorted once per build (the directory, type lists)."""
        return sorted(self.partners.values(), key=lambda p: p.sort_key)

    @cached_property
    def alphabetical_by_type(self) -> dict[str, list[Partner]]:
        groups: dict[str, list[Partner]] = {}
        for partner in self.alphabetical:
            groups.setdefault(partner.type, []).append(partner)
        return groups


def collation_key(text: str) -> str:
    """German dictionary order without a system locale: "Ärztekammer" near "A"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_web_address(url: str) -> bool:
    """An absolute http(s) address with a plausible host name."""
    if not url or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        return False
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host:
        return False
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", x) for x in labels)


def load_registry(
    path: str | os.PathLike[str],
    types: dict[str, str],
    content_root: str | os.PathLike[str],
    static_paths: list[str],
) -> Registry:
    """Read and check the registry; every problem goes to diagnostics.

    Entries with problems are still kept where possible (a bad website does
    not make the partner unknown), so one mistake is reported once and not
    again for every initiative that references the partner.
    """
    registry = Registry(str(path), dict(types))
    if not Path(path).is_file():
        registry.exists = False
        return registry
    data = load_yaml(path)
    if data is FAILED:
        registry.readable = False
        return registry
    if data is None:
        return registry
    if not isinstance(data, list):
        report(
            path,
            "the partner registry must be a list of entries",
            line=getattr(data, "line", 1) or 1,
            fix='start every entry with "- id: …" (see plugins/partners/README.md)',
        )
        registry.readable = False
        return registry
    for number, entry in enumerate(data, start=1):
        partner = _check_entry(
            path, number, entry, registry, content_root, static_paths
        )
        if partner is not None:
            registry.partners[partner.id] = partner
    logger.debug("partners: %d partners loaded from %s", len(registry.partners), path)
    return registry


def _check_entry(
    path: str | os.PathLike[str],
    number: int,
    entry: object,
    registry: Registry,
    content_root: str | os.PathLike[str],
    static_paths: list[str],
) -> Partner | None:
    if not isinstance(entry, LineDict):
        report(
            path,
            f"entry {number} is not a partner (a block of fields like id: and name:)",
            line=getattr(entry, "line", 0),
            fix='start the entry with "- id: …" and indent its fields below it',
        )
        return None

    raw_id = entry.get("id")
    label = f'partner "{raw_id}"' if isinstance(raw_id, str) and raw_id else ""
    label = label or f"entry {number} (line {entry.line})"
    values: dict[str, str] = {}
    for name in KNOWN_FIELDS:
        if name not in entry or entry[name] is None or entry[name] == "":
            continue
        value = entry[name]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            report(
                path,
                f'{label}: field "{name}" must be text',
                line=entry.line_of(name),
                fix=f'put the value in quotes, e.g. {name}: "…"',
            )
            continue
        values[name] = str(value).strip()

    for name in REQUIRED_FIELDS:
        if not values.get(name) and not _already_reported(entry, name):
            report(
                path,
                f"{label}: required field {name!r} is missing",
                line=entry.line,
                fix=f"add a line like `{_FIELD_EXAMPLES[name]}` to this entry",
            )

    for name in entry:
        if name not in KNOWN_FIELDS:
            guess = difflib.get_close_matches(str(name), KNOWN_FIELDS, n=1)
            hint = f'did you mean "{guess[0]}"? ' if guess else ""
            report(
                path,
                f'{label}: unknown field "{name}"',
                line=entry.line_of(name),
                fix=f"{hint}known fields: {', '.join(KNOWN_FIELDS)}",
                severity="warning",
            )

    partner_id = values.get("id", "")
    if not partner_id:
        return None
    if not ID_PATTERN.match(partner_id):
        report(
            path,
            f'{label}: id "{partner_id}" may only contain a-z, 0-9 and hyphens',
            line=entry.line_of("id"),
            fix="write it like ihk-lueneburg-wolfsburg (no umlauts: ü → ue)",
        )
    if partner_id in registry.partners:
        first = registry.partners[partner_id]
        report(
            path,
            f'{label}: duplicate id "{partner_id}", already used by the entry at '
            f"line {first.line} ({first.name})",
            line=entry.line_of("id"),
            fix="give one of the two entries another id, or merge them",
        )
        return None

    partner_type = values.get("type", "")
    if partner_type and partner_type not in registry.types:
        guess = difflib.get_close_matches(partner_type, list(registry.types), n=1)
        hint = f'did you mean "{guess[0]}"? ' if guess else ""
        report(
            path,
            f'{label}: type "{partner_type}" is not in the vocabulary',
            line=entry.line_of("type"),
            fix=f"{hint}use one of: {', '.join(registry.types)}",
        )

    website = values.get("website", "")
    if website and not is_web_address(website):
        report(
            path,
            f'{label}: website "{website}" is not a valid web address',
            line=entry.line_of("website"),
            fix="write the full address, like https://www.example.org",
        )

    logo = values.get("logo", "").lstrip("/")
    width = height = 0
    if logo:
        width, height = _check_logo(
            path, label, entry.line_of("logo"), logo, content_root, static_paths
        )

    return Partner(
        id=partner_id,
        name=values.get("name", partner_id),
        type=partner_type,
        type_label=registry.types.get(partner_type, partner_type),
        region=values.get("region", ""),
        website=website,
        logo=logo,
        logo_width=width,
        logo_height=height,
        line=entry.line,
        sort_key=collation_key(values.get("name", partner_id)),
    )


def _already_reported(entry: LineDict, name: str) -> bool:
    value = entry.get(name)
    return value is not None and value != "" and not isinstance(value, str)


def _check_logo(
    path: str | os.PathLike[str],
    label: str,
    line: int,
    logo: str,
    content_root: str | os.PathLike[str],
    static_paths: list[str],
) -> tuple[int, int]:
    """Report a logo that is missing, not copied to the site or not an image.

    Returns the image's size for ``width``/``height`` attributes (no layout
    shift while it loads), or ``(0, 0)`` when unknown (e.g. SVG).
    """
    file = Path(content_root) / logo
    if not file.is_file():
        report(
            path,
            f'{label}: logo file "{logo}" does not exist',
            line=line,
            fix=f"put the file at content/{logo} or correct the path "
            "(it is relative to content/)",
        )
        return 0, 0
    if not any(
        sp in ("", ".") or logo == sp.strip("/") or logo.startswith(sp.strip("/") + "/")
        for sp in static_paths
    ):
        report(
            path,
            f'{label}: logo "{logo}" is outside the folders copied to the site',
            line=line,
            fix=f"move it below one of: {', '.join(static_paths)} (e.g. images/logos/)",
        )
        return 0, 0
    if file.suffix.lower() == ".svg":
        return 0, 0
    try:
        with Image.open(file) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        report(
            path,
            f'{label}: logo "{logo}" is not an image file',
            line=line,
            fix="use a PNG, JPEG, WebP or SVG file",
        )
        return 0, 0
