"""Signal wiring of the structured_data plugin."""

from __future__ import annotations

from functools import partial

from pelican import signals

from .jsonld import absolute_url, to_json_ld

#: Settings and their defaults.
DEFAULTS = {
    # Logo of the Organization on the home page, relative to the site root.
    "STRUCTURED_DATA_LOGO": "theme/favicon.svg",
}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def generator_init(generator) -> None:
    # Filters rather than context variables: macros imported without context
    # (such as the breadcrumb) see filters, but not SITEURL.
    siteurl = generator.settings.get("SITEURL", "")
    generator.env.filters["jsonld"] = to_json_ld
    generator.env.filters["absolute_url"] = partial(absolute_url, siteurl=siteurl)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
