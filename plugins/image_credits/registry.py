"""The credits registry: ``content/images/credits.yml`` with line numbers.

Editors who cannot (or may not) edit a photo's embedded data credit it here::

    news/jahresauftakt.jpg:
      credit: "Foto: Marek Kruszewski"   # shown verbatim
      licence: CC BY-SA 4.0
      source: https://commons.wikimedia.org/wiki/File:…
    logos/retrason.png: "© ReTraSON e. V."   # short form: just the credit

Keys are paths relative to the folder of the registry. The loader keeps the
line of every entry so that a problem points at the line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from diagnostics import FAILED, LineDict, load_yaml, report

FIELDS = ("credit", "creator", "copyright", "licence", "source")


@dataclass
class Entry:
    """One registry entry: the fields and where it was written."""

    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Registry:
    path: Path | None = None
    entries: dict[str, Entry] = field(default_factory=dict)  # key: path below PATH

    def get(self, relpath: str) -> Entry | None:
        return self.entries.get(relpath)


def load(path: Path, content_root: Path) -> Registry:
    """Read the registry (with the shared line-keeping loader); report problems.

    A bad entry is reported and skipped, the others are still used.
    """
    registry = Registry(path=path)
    if not path.is_file():
        return registry
    data = load_yaml(path)
    if data is FAILED or data is None:
        return registry
    if not isinstance(data, LineDict):
        report(
            path,
            "the credits registry must map image files to credits",
            line=getattr(data, "line", 1),
            fix='write one entry per image: `news/foto.jpg: "Foto: Name"`',
        )
        return registry
    base = path.parent
    for raw_key, value in data.items():
        key = str(raw_key).strip().removeprefix("./")
        line = data.line_of(raw_key)
        fields = _fields(path, key, line, value)
        if fields is None:
            continue
        image = base / key
        if not image.is_file():
            report(
                path,
                f"credit for {key}, but there is no such image",
                line=line,
                fix=f"check the spelling; paths are relative to {base.name}/",
                severity="warning",
            )
        try:
            relpath = image.resolve().relative_to(content_root.resolve()).as_posix()
        except ValueError:
            report(path, f"{key} is outside the content folder", line=line)
            continue
        registry.entries[relpath] = Entry(key, line, fields)
    return registry


def _fields(path: Path, key: str, line: int, value) -> dict[str, str] | None:
    if isinstance(value, str | int | float):
        return {"credit": str(value)}
    if not isinstance(value, LineDict):
        report(path, f"the entry for {key} must be a credit text or fields", line=line)
        return None
    fields: dict[str, str] = {}
    for raw_name, text in value.items():
        name = str(raw_name).strip().lower()
        if name not in FIELDS:
            report(
                path,
                f"unknown field `{name}` in the entry for {key}",
                line=value.line_of(raw_name),
                fix="use " + ", ".join(FIELDS),
            )
            continue
        fields[name] = "" if text is None else str(text)
    if not (fields.get("credit") or fields.get("creator") or fields.get("copyright")):
        report(
            path,
            f"the entry for {key} names nobody",
            line=line,
            fix='add `credit: "Foto: Name"` (or `creator:` / `copyright:`)',
        )
    return fields
