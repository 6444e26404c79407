"""Which kind a content file is, and what that means for URL and template."""

from __future__ import annotations

import os
from typing import Any

#: Default of the ``CONTENT_KINDS`` setting: top folder below ``content/`` →
#: kind name, URL pattern (``{slug}`` is filled in) and template. Which fields
#: a kind takes is defined in one place: ``plugins/content_schema/schema.py``.
KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    "news": {"kind": "news"},
    "initiatives": {
        "kind": "initiative",
        "url": "initiativen/{slug}/",
        "template": "initiative",
    },
    "campaigns": {
        "kind": "campaign",
        "url": "kampagnen/{slug}/",
        "template": "campaign",
    },
    "pages": {"kind": "page"},
}

#: Metadata values "true"/"ja" etc. that switch a flag on.
TRUE_WORDS = {"true", "yes", "ja", "1", "on"}


def kind_of(source_path: str, content_root: str, kinds: dict[str, dict]) -> dict:
    """The kind entry for ``source_path``, or an empty dict for other files."""
    try:
        relative = os.path.relpath(source_path, content_root)
    except ValueError:
        return {}
    top = relative.replace(os.sep, "/").split("/", 1)[0]
    return kinds.get(top, {})


def as_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE_WORDS


def group_by(items: list, key: str, fallback: str = "Weitere") -> list[tuple]:
    """``[(value, [items…]), …]`` sorted by value, items keep their order."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(getattr(item, key, None) or fallback, []).append(item)
    return sorted(groups.items(), key=lambda pair: pair[0].casefold())
