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

import yaml
from diagnostics import report

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
    """Read the registry; problems go to diagnostics, the rest is still usable."""
    registry = Registry(path=path)
    if not path.is_file():
        return registry
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        report(
            path,
            f"the credits registry is not valid YAML ({getattr(error, 'problem', error)})",
            line=line,
            fix='write one entry per image: `news/foto.jpg: "Foto: Name"`',
        )
        return registry
    if root is None:
        return registry
    if not isinstance(root, yaml.MappingNode):
        report(path, "the credits registry must map image files to credits", line=1)
        return registry
    base = path.parent
    for key_node, value_node in root.value:
        key = str(key_node.value).strip().removeprefix("./")
        line = key_node.start_mark.line + 1
        fields = _fields(path, key, line, value_node)
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


def _fields(path: Path, key: str, line: int, node) -> dict[str, str] | None:
    if isinstance(node, yaml.ScalarNode):
        return {"credit": str(node.value)}
    if not isinstance(node, yaml.MappingNode):
        report(path, f"the entry for {key} must be a credit text or fields", line=line)
        return None
    fields: dict[str, str] = {}
    for name_node, value_node in node.value:
        name = str(name_node.value).strip().lower()
        if name not in FIELDS:
            report(
                path,
                f"unknown field `{name}` in the entry for {key}",
                line=name_node.start_mark.line + 1,
                fix="use " + ", ".join(FIELDS),
            )
            continue
        fields[name] = str(getattr(value_node, "value", "") or "")
    if not (fields.get("credit") or fields.get("creator") or fields.get("copyright")):
        report(
            path,
            f"the entry for {key} names nobody",
            line=line,
            fix='add `credit: "Foto: Name"` (or `creator:` / `copyright:`)',
        )
    return fields
