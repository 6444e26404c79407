"""Signal wiring of the search plugin."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from diagnostics import status
from pelican import signals

from .indexer import SearchIndexError, build_index

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Build the index at the end of every build. Switch off for quick drafts.
    "SEARCH_ENABLED": True,
    # Folder of the index and pagefind's JS/WASM bundle below the output.
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    # Which written files pagefind reads (relative to the output folder).
    "SEARCH_GLOB": "**/*.html",
    # Parts of the marked main content that are not worth finding.
    "SEARCH_EXCLUDE_SELECTORS": [".article__meta", ".breadcrumb", "figcaption"],
    # ``None``: every page's ``<html lang>`` decides stemming (German: "de").
    "SEARCH_FORCE_LANGUAGE": None,
}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def finalized(pelican) -> None:
    """After every page is written: index the output folder."""
    # ``finalized`` rather than a writer signal: pagefind reads finished
    # HTML files, and all of them exist only now.
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True):
        return
    output = Path(pelican.output_path)
    started = time.perf_counter()
    try:
        result = build_index(output, settings)
    except SearchIndexError as error:
        # Not a content problem an editor can fix: the tool is missing or
        # broken. The build fails so a site without search is never published.
        logger.error("search: %s", error)
        raise SystemExit(1) from error
    status(
        f"Suche: {result.pages} Seiten, {result.words} Wörter indexiert in "
        f"{time.perf_counter() - started:.1f} s ({settings['SEARCH_OUTPUT_SUBDIR']}/)",
        __name__,
    )


def register() -> None:
    signals.initialized.connect(initialized)
    signals.finalized.connect(finalized)
