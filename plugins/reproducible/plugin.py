"""Signal wiring of the reproducible plugin."""

from __future__ import annotations

import logging

from pelican import signals

from .builddate import build_date

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Set the date the sitemap plugin uses for list pages (it would use the
    # clock and make every build differ).
    "REPRODUCIBLE_SITEMAP": True,
}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def all_generators_finalized(generators) -> None:
    """All content is read, nothing is written yet: fix the build date."""
    context = generators[0].context
    contents = [
        *context.get("articles", ()),
        *context.get("pages", ()),
        *context.get("hidden_pages", ()),
    ]
    date = build_date(contents)
    context["build_date"] = date
    if date is None or not generators[0].settings.get("REPRODUCIBLE_SITEMAP"):
        return
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    # pelican-sitemap takes `now` once at import and uses it as <lastmod> of
    # pages without a date (list pages); it has no setting for it.
    sitemap.generator.now = date


def register() -> None:
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
