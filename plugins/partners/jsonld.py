"""Structured data for initiative pages: a schema.org ``Organization``.

Search engines and data portals read who belongs to an alliance from
``member`` entries. Members with a role use schema.org's ``OrganizationRole``
wrapper (``roleName``), the documented way to qualify a relation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from .listing import Listing


def organization(
    page: Any,
    listings: Iterable[Listing],
    siteurl: str,
    directory_url: str = "",
) -> dict[str, Any]:
    """The JSON-LD object of one initiative page."""
    siteurl = siteurl.rstrip("/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": _text(getattr(page, "title", "")),
        "url": f"{siteurl}/{page.url}",
    }
    summary = _text(getattr(page, "summary", ""))
    if summary:
        data["description"] = summary
    if getattr(page, "logo", None):
        data["logo"] = f"{siteurl}/{page.logo}"
    if getattr(page, "region", None):
        data["areaServed"] = _text(page.region)
    members = [_member(item, siteurl, directory_url) for item in listings]
    if members:
        data["member"] = members
    return data


def _member(listing: Listing, siteurl: str, directory_url: str) -> dict[str, Any]:
    partner = listing.partner
    member: dict[str, Any] = {"@type": "Organization", "name": partner.name}
    if directory_url:
        member["@id"] = f"{siteurl}/{directory_url}#partner-{partner.id}"
    if partner.website:
        member["url"] = partner.website
    if partner.logo:
        member["logo"] = f"{siteurl}/{partner.logo}"
    if partner.region:
        member["areaServed"] = partner.region
    if listing.role:
        return {"@type": "OrganizationRole", "roleName": listing.role, "member": member}
    return member


def script_data(data: dict[str, Any]) -> Markup:
    """JSON safe to place between ``<script type="application/ld+json">`` tags.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value (a name
    like "A </script> B") can end the script element early; JSON parsers
    read the escapes back as the original characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _text(value: Any) -> str:
    """Plain text of a title or summary that may contain HTML."""
    return Markup(str(value or "")).striptags()
