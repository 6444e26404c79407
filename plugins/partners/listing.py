"""Partner lists grouped by type: the one shape every view renders.

The initiative section, the directory and the lists inside texts all show
"groups of partners by type, with counts"; building that shape in one place
keeps the three views consistent and out of the templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .registry import Partner


@dataclass(frozen=True, slots=True)
class Listing:
    """A partner as one list shows it: with its role there and back-links."""

    partner: Partner
    role: str = ""
    #: ``(initiative page, role)`` pairs, for the directory's back-links.
    initiatives: tuple[tuple[Any, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    """The partners of one type, in display order."""

    type: str
    label: str
    items: tuple[Listing, ...]

    @property
    def count(self) -> int:
        return len(self.items)


def group_by_type(listings: Iterable[Listing], types: dict[str, str]) -> list[Group]:
    """Groups in vocabulary order; items keep the order they come in.

    A type outside the vocabulary (already reported as an error) goes last,
    so the rest of the page still renders while the editor fixes it.
    """
    buckets: dict[str, list[Listing]] = {}
    for listing in listings:
        buckets.setdefault(listing.partner.type, []).append(listing)
    order = {key: position for position, key in enumerate(types)}
    return [
        Group(key, types.get(key, key), tuple(items))
        for key, items in sorted(
            buckets.items(), key=lambda kv: order.get(kv[0], len(order))
        )
    ]


def count(groups: Iterable[Group]) -> int:
    return sum(group.count for group in groups)
