"""Which partners a ``[partner: …]`` line in a text stands for.

Selector syntax (documented in the README), tokens separated by spaces or
commas:

- an initiative id (file name or slug): that initiative's partners, with roles
- a partner id: that partner
- ``type=<key>``: only partners of that type; alone, all partners of the type
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .listing import Group, Listing, group_by_type
from .references import InitiativeIndex
from .registry import Registry


@dataclass
class Selection:
    """The groups to show, or the problems (message, fix) that prevent it."""

    groups: list[Group] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def select(
    selector: str,
    registry: Registry,
    initiatives: InitiativeIndex,
    close_matches: int = 3,
) -> Selection:
    result = Selection()
    tokens = [t for t in re.split(r"[\s,]+", selector.strip()) if t]
    if not tokens:
        result.problems.append(
            (
                "[partner: ] names no initiative, partner or type",
                "write e.g. [partner: fachkraeftebuendnis-suedostniedersachsen] "
                "or [partner: type=kammer]",
            )
        )
        return result

    ids: list[str] = []
    types: list[str] = []
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep:
            ids.append(token)
        elif key.strip().lower() == "type":
            types.append(value.strip())
        else:
            result.problems.append(
                (
                    f'[partner: …] has an unknown filter "{key}"',
                    "the only filter is type=…, e.g. [partner: type=kammer]",
                )
            )

    for partner_type in types:
        if partner_type not in registry.types:
            guess = difflib.get_close_matches(partner_type, list(registry.types), n=1)
            hint = f'did you mean "{guess[0]}"? ' if guess else ""
            result.problems.append(
                (
                    f'[partner: …] names unknown partner type "{partner_type}"',
                    f"{hint}use one of: {', '.join(registry.types)}",
                )
            )

    listings: dict[str, Listing] = {}
    for token in ids:
        initiative = initiatives.get(token)
        if initiative is not None:
            for reference in initiative.references:
                partner = registry.get(reference.id)
                if partner is not None and partner.id not in listings:
                    listings[partner.id] = Listing(partner, reference.role)
            continue
        partner = registry.get(token)
        if partner is not None:
            listings.setdefault(partner.id, Listing(partner))
            continue
        if not registry.readable:
            continue  # the registry's own syntax error says it all
        known = initiatives.keys() + list(registry.partners)
        closest = difflib.get_close_matches(token, known, n=close_matches)
        hint = f"closest known ids: {', '.join(closest)}; " if closest else ""
        result.problems.append(
            (
                f'[partner: …] names unknown id "{token}" (no initiative or partner has it)',
                f"{hint}initiatives are named by their file name, partners by their "
                f"id in {registry.display_path}",
            )
        )

    if result.problems:
        return result
    if ids:
        chosen = list(listings.values())
        if types:
            chosen = [item for item in chosen if item.partner.type in types]
    else:
        by_type = registry.alphabetical_by_type
        chosen = [Listing(p) for t in dict.fromkeys(types) for p in by_type.get(t, ())]
    result.groups = group_by_type(chosen, registry.types)
    return result
