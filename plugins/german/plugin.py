"""Signal wiring of the german plugin."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from pelican import signals

from .dates import format_date
from .slugs import apply_to_settings
from .typography import TypographyExtension, smarten

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Interface text catalogue of the theme (YAML mapping key → text). ``None``
    # means ``<THEME>/strings.de.yml``.
    "GERMAN_STRINGS_FILE": None,
    # German quotes, apostrophes, dashes and ellipses in Markdown text
    # (typography.py). Off: the text keeps what the editor typed.
    "GERMAN_TYPOGRAPHY": True,
}


def initialized(pelican) -> None:
    # Settings must be in place before any generator or reader slugifies.
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    apply_to_settings(pelican.settings)
    use_typography(pelican.settings)


def use_typography(settings: dict) -> None:
    """Add (or, switched off, remove) the typography extension in ``MARKDOWN``.

    Replaces an instance already there instead of adding a second one, so
    running Pelican twice on the same settings (as tools and tests in one
    process may) never registers the treeprocessor twice.
    """
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = [
        e
        for e in markdown.setdefault("extensions", [])
        if not isinstance(e, TypographyExtension)
    ]
    if settings.get("GERMAN_TYPOGRAPHY", True):
        extensions.append(TypographyExtension())
    markdown["extensions"] = extensions


def load_strings(settings: dict) -> dict[str, str]:
    path = settings.get("GERMAN_STRINGS_FILE") or str(
        Path(settings["THEME"]) / "strings.de.yml"
    )
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except FileNotFoundError:
        logger.warning("german: no interface text catalogue at %s", path)
        return {}


def generator_init(generator) -> None:
    """Give every template the German date filter and the text catalogue."""
    generator.env.filters["datum"] = format_date
    generator.env.globals["t"] = load_strings(generator.settings)


def content_object_init(content) -> None:
    # The Title header is no Markdown; give it the text's typography, after
    # Pelican made the slug from it (quotes and dashes never reach a slug).
    title = getattr(content, "title", None)
    if isinstance(title, str) and content.settings.get("GERMAN_TYPOGRAPHY", True):
        content.title = smarten(title)
        content.metadata["title"] = content.title
    # Pelican formats dates with strftime and the system locale; replace it.
    if getattr(content, "date", None) is not None:
        content.locale_date = format_date(content.date)
    if getattr(content, "modified", None) is not None:
        content.locale_modified = format_date(content.modified)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.content_object_init.connect(content_object_init)
