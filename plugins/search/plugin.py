"""Signal wiring of the search plugin."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from diagnostics import status
from incremental.outputs import claim
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
    # Leave indexing to the caller, which must then call ``indexer.build_index``
    # itself: the live preview does, after the browser has reloaded.
    "SEARCH_DEFER": False,
}


def initialized(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # When the index is built changes no page: switching between the live
    # preview and ``invoke build`` must keep the incremental caches.
    ignored = list(settings.get("INCREMENTAL_IGNORED_SETTINGS", []))
    if "SEARCH_DEFER" not in ignored:
        settings["INCREMENTAL_IGNORED_SETTINGS"] = [*ignored, "SEARCH_DEFER"]


def all_generators_finalized(generators) -> None:
    """Claim the index's entry file for this build (``incremental.outputs``).

    Claimed before the incremental plugin removes stale files, so the bundle
    kept for reuse survives; recorded with the build, so a later build that
    finds the file gone (``output/pagefind/`` deleted by hand) does not take
    the "nothing changed" shortcut but indexes again.
    """
    if not generators:
        return
    settings = generators[0].settings
    if settings.get("SEARCH_ENABLED", True):
        output = Path(generators[0].output_path)
        claim(output / settings["SEARCH_OUTPUT_SUBDIR"] / "pagefind-entry.json")


def finalized(pelican) -> None:
    """After every page is written: index the output folder."""
    # ``finalized`` rather than a writer signal: pagefind reads finished
    # HTML files, and all of them exist only now.
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True) or settings.get("SEARCH_DEFER"):
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
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
