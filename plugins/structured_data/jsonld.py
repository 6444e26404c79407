"""JSON-LD serialisation that is safe inside an HTML ``<script>`` element."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def to_json_ld(data: Any) -> Markup:
    """``data`` as JSON for a ``<script type="application/ld+json">`` block.

    Inside ``<script>`` the HTML parser ends the element at the first ``</``
    of ``</script>``, whatever JSON thinks of it, and ``<!--`` changes how it
    parses. Escaping every ``<`` as ``\\u003c`` (and ``>``/``&`` for good
    measure) keeps the JSON identical for a JSON parser and inert for HTML,
    so an editor's title like ``</script><script>…`` stays text. Entries
    whose value is ``None`` or empty are dropped: schema.org readers treat a
    missing property better than an empty one.
    """
    text = json.dumps(_without_empty(data), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [_without_empty(v) for v in value if v not in (None, "", [], {})]
    return value


def absolute_url(path: str | None, siteurl: str) -> str:
    """Root-relative ``/aktuelles/x/`` (or ``aktuelles/x/``) → ``SITEURL/aktuelles/x/``.

    Links inside the site are root-relative; structured data and Open Graph
    need absolute URLs. Absolute input is returned unchanged.
    """
    if not path:
        return siteurl + "/"
    if "://" in path:
        return path
    return siteurl.rstrip("/") + "/" + path.lstrip("/")
