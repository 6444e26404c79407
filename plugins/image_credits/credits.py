"""Who made a photo: the three credit sources and their precedence.

(a) the editor's credit where the image is used in Markdown, (b) the credits
registry ``content/images/credits.yml``, (c) the credit embedded in the file
(IPTC By-line / Credit / Copyright Notice, EXIF Artist / Copyright). The first
source that names someone wins; licence and source URL, which only the
registry knows, are added from it whichever source named the photographer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

MARKDOWN = "markdown"
REGISTRY = "registry"
EMBEDDED = "embedded"

EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298

_COPYRIGHT_PREFIX = re.compile(r"^\s*(©|\(c\)|copyright)\s*", re.IGNORECASE)
_LABEL_PREFIX = re.compile(r"^\s*(foto|fotos|bild|bilder|photo)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Credit:
    """A credit as shown under a photo and on the Bildnachweis page."""

    text: str  # what readers see, e.g. "Foto: Marek Kruszewski"
    creator: str = ""  # a person or organisation, for JSON-LD ``creator``
    copyright: str = ""  # for JSON-LD ``copyrightNotice``
    licence: str = ""
    source_url: str = ""
    origin: str = ""  # MARKDOWN, REGISTRY or EMBEDDED: where it came from


def creator_of(text: str) -> str:
    """The name in a credit line: "Foto: Marek K. / RegioVerbund" → "Marek K."."""
    name = _COPYRIGHT_PREFIX.sub("", _LABEL_PREFIX.sub("", text))
    name = re.sub(r"^\d{4}\s+", "", name)  # "© 2024 Name"
    return name.split(" / ")[0].strip()


def from_markdown(credit: str, licence: str = "") -> Credit | None:
    """A credit the editor wrote into the image title, verbatim."""
    credit = credit.strip()
    if not credit:
        return None
    return Credit(
        text=credit,
        creator=creator_of(credit),
        copyright=credit if _COPYRIGHT_PREFIX.match(credit) else "",
        licence=licence.strip(),
        origin=MARKDOWN,
    )


def from_registry(fields: dict[str, str], label: str) -> Credit | None:
    """A registry entry; ``credit`` is shown verbatim, else built from ``creator``."""
    creator = fields.get("creator", "").strip()
    copyright_ = fields.get("copyright", "").strip()
    text = fields.get("credit", "").strip()
    if not text:
        if creator:
            text = f"{label}: {creator}"
        elif copyright_:
            text = _as_copyright(copyright_)
    if not text:
        return None
    return Credit(
        text=text,
        creator=creator or creator_of(text),
        copyright=copyright_,
        licence=fields.get("licence", "").strip(),
        source_url=fields.get("source", "").strip(),
        origin=REGISTRY,
    )


def from_embedded(
    iptc: dict[str, str], exif: dict[int, str], label: str
) -> Credit | None:
    """IPTC first (agencies fill it), EXIF Artist/Copyright as the camera's fallback."""
    creator = iptc.get("by_line") or exif_text(exif.get(EXIF_ARTIST))
    provider = iptc.get("credit", "")
    copyright_ = iptc.get("copyright_notice") or exif_text(exif.get(EXIF_COPYRIGHT))
    if creator:
        text = f"{label}: {creator}"
        if provider and provider.casefold() not in creator.casefold():
            text += f" / {provider}"
    elif copyright_:
        text = _as_copyright(copyright_)
    elif provider:
        text = f"{label}: {provider}"
    else:
        return None
    return Credit(
        text=text,
        creator=creator or provider or creator_of(copyright_),
        copyright=copyright_,
        origin=EMBEDDED,
    )


def resolve(
    *candidates: Credit | None, registry: Credit | None = None
) -> Credit | None:
    """The first credit in precedence order, completed with the registry's facts."""
    winner = next((c for c in candidates if c is not None), None)
    if winner is None or registry is None or winner is registry:
        return winner
    return replace(
        winner,
        licence=winner.licence or registry.licence,
        source_url=winner.source_url or registry.source_url,
        copyright=winner.copyright or registry.copyright,
    )


def _as_copyright(text: str) -> str:
    return "© " + _COPYRIGHT_PREFIX.sub("", text).strip()


def exif_text(value) -> str:
    """An EXIF ASCII field as text.

    Tools write UTF-8 into these "ASCII" fields (the de-facto convention);
    Pillow hands them back decoded as Latin-1, so "©" arrives as "Â©".
    """
    if isinstance(value, str):
        try:
            value = value.encode("latin-1")
        except UnicodeEncodeError:
            return value.strip("\x00 ").strip()
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return str(value or "").strip("\x00 ").strip()
