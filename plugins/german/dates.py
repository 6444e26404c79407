"""German dates on every machine, whether or not a German locale is installed."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def format_date(value: dt.date | dt.datetime | None, style: str = "long") -> str:
    """Format a date the German way.

    ``long`` → "12. März 2024", ``short`` → "12.03.2024", ``month`` → "März 2024",
    ``iso`` → "2024-03-12" (for ``<time datetime>``).
    """
    if value is None:
        return ""
    if style == "short":
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    if style == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    if style == "iso":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
