"""One date for the whole build, derived from the sources, never the clock."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime


def build_date(contents: Iterable, environ: dict | None = None) -> datetime | None:
    """``SOURCE_DATE_EPOCH`` if set (the reproducible-builds convention),
    else the newest ``Modified``/``Date`` of all content.

    The newest content date is also the honest answer to "when did a list
    page last change": it changes when its newest item does.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    dates = [
        getattr(item, "modified", None) or getattr(item, "date", None)
        for item in contents
    ]
    dates = [_aware(d) for d in dates if isinstance(d, datetime)]
    return max(dates) if dates else None


def _aware(date: datetime) -> datetime:
    return date if date.tzinfo else date.replace(tzinfo=UTC)
