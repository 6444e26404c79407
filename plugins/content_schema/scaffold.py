"""``invoke new``: a new content file, every field explained, from the schema.

Required fields are filled in so the file builds at once; optional fields
are written as comment lines (``# Image: …``) with what they take, so an
editor only removes the ``# `` to use one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .schema import KIND_FOLDERS, KIND_LABELS, SCHEMAS, Field

#: Text below the header, per kind.
BODY = {
    "news": "Der erste Absatz sagt das Wichtigste in zwei, drei Sätzen.\n\n## Zwischenüberschrift\n\nWeiterer Text.\n",
    "initiative": "Ein, zwei Absätze: Wer macht mit, was ist das Ziel?\n\n## Angebote\n\nWeiterer Text.\n",
    "campaign": "Jede Zwischenüberschrift wird ein eigener Abschnitt der Landingpage.\n\n## Warum diese Region?\n\nText des ersten Abschnitts.\n",
    "page": "Text der Seite.\n",
}


class ScaffoldError(Exception):
    """The file cannot be created (unknown kind, file exists, bad choice)."""


def file_name(kind: str, title: str, today: dt.date) -> str:
    from german import slugify_de

    slug = slugify_de(title)
    if not slug:
        raise ScaffoldError(
            f'"{title}" gives no usable file name: use letters or digits in the title'
        )
    return f"{today:%Y-%m-%d}-{slug}.md" if kind == "news" else f"{slug}.md"


def render(
    kind: str, title: str, today: dt.date, values: dict[str, str] | None = None
) -> str:
    """The text of a new file of ``kind``."""
    values = {k.lower(): v for k, v in (values or {}).items()}
    label = KIND_LABELS[kind]
    lines = [
        f"# Neue {label}. Zeilen, die mit # beginnen, sind Erklärungen und erscheinen nicht auf der Website.",
        "# Pflichtfelder sind ausgefüllt. Ein optionales Feld nutzen: # und Leerzeichen am Zeilenanfang entfernen.",
        "# Links auf eigene Seiten im Text: [Linktext]({filename}/initiatives/dateiname.md)",
    ]
    for spec in SCHEMAS[kind]:
        if spec.name in ("Template", "Save_as", "Aliases") and kind != "page":
            continue
        lines.append(
            f"# {spec.name} – {'Pflicht' if spec.required else 'optional'}. {_explain(spec)}"
        )
        value = values.get(spec.key) or _default(spec, title, today)
        if spec.required:
            spec.check(value)  # a bad --category etc. is refused here
            lines.append(f"{spec.name}: {value}")
        else:
            lines.append(f"# {spec.name}: {value}")
    return "\n".join(lines) + "\n\n" + BODY[kind]


def _explain(spec: Field) -> str:
    text = spec.description
    if spec.choices:
        text += f" Erlaubt: {', '.join(spec.choices)}."
    elif spec.type != "text":
        text += f" Form: {spec.type_label}."
    return text


def _default(spec: Field, title: str, today: dt.date) -> str:
    if spec.name == "Title":
        return title
    if spec.type == "date":
        return f"{today:%Y-%m-%d}"
    return spec.example


def create(
    kind: str,
    title: str,
    content_root: Path,
    today: dt.date | None = None,
    values: dict[str, str] | None = None,
) -> Path:
    """Write the new file below ``content_root`` and return its path."""
    if kind not in KIND_FOLDERS:
        raise ScaffoldError(
            f'unknown kind "{kind}": use one of {", ".join(KIND_FOLDERS)}'
        )
    today = today or dt.date.today()
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty")
    from .schema import Invalid

    try:
        text = render(kind, title, today, values)
    except Invalid as problem:
        raise ScaffoldError(f"{problem.message} — {problem.fix}") from None
    target = Path(content_root) / KIND_FOLDERS[kind] / file_name(kind, title, today)
    if target.exists():
        raise ScaffoldError(
            f"{target} exists already: choose another title or edit that file"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
