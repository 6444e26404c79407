"""Signal wiring of the search plugin."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from diagnostics import status
from incremental.outputs import claim, release
from pelican import signals

from .indexer import (
    IndexPlan,
    IndexResult,
    SearchIndexError,
    index_settings,
    plan_index,
)
from .parts import entry_files

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
    # Pages per part of the index: a larger site is split into parts, each
    # built by its own pagefind process (memory) and only when one of its
    # pages changed (rebuilds); the browser merges them. See parts.py.
    "SEARCH_PART_PAGES": 1500,
    # pagefind processes at a time when several parts are built; 0: one per
    # core. Each holds its part's index in memory.
    "SEARCH_PROCESSES": 0,
    # What was indexed, to find the parts that changed; None: <CACHE_PATH>/search.
    "SEARCH_CACHE_PATH": None,
    # Leave indexing to the caller, which must then call ``indexer.build_index``
    # itself: the live preview does, after the browser has reloaded.
    "SEARCH_DEFER": False,
    # Keep a copy of every part in the cache, by its pages' bytes, for builds
    # into a new folder (stored.py): publishconf.py sets it. Off for builds
    # that keep their output: copying a re-indexed part cost an edit at
    # 5,000 news items 4 % (0.2 s) and would rarely be used there.
    "SEARCH_STORE_PARTS": False,
}


#: Settings that change when or how the index is built, never what is in
#: the output. (``SEARCH_PART_PAGES`` changes the bundle's layout, so a change
#: rebuilds everything like any other setting.)
INDEX_ONLY = [
    "SEARCH_DEFER",
    "SEARCH_PROCESSES",
    "SEARCH_CACHE_PATH",
    "SEARCH_STORE_PARTS",
]


def initialized(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    # When and how the index is built changes no file:
    # switching between the live preview and ``invoke build`` must keep the
    # incremental caches.
    ignored = list(settings.get("INCREMENTAL_IGNORED_SETTINGS", []))
    missing = [name for name in INDEX_ONLY if name not in ignored]
    settings["INCREMENTAL_IGNORED_SETTINGS"] = [*ignored, *missing]
    # Connected now, after every plugin's register(): the last receiver of
    # ``finalized``, so the others run while the index is built.
    signals.finalized.connect(wait)


def all_generators_finalized(generators) -> None:
    """Claim the index's entry files for this build (``incremental.outputs``).

    Claimed before the incremental plugin removes stale files, so the bundle
    kept for reuse survives; recorded with the build, so a later build that
    finds one gone (``output/pagefind/`` deleted by hand) does not take the
    "nothing changed" shortcut but indexes again.
    """
    if not generators:
        return
    settings = generators[0].settings
    if settings.get("SEARCH_ENABLED", True):
        bundle = Path(generators[0].output_path) / settings["SEARCH_OUTPUT_SUBDIR"]
        for path in entry_files(bundle):
            claim(path)


@dataclass
class _Indexing:
    """An index being built while the later ``finalized`` receivers run."""

    bundle: Path
    before: set[Path]
    started: float
    future: Future


#: The index of the current build, from :func:`finalized` to :func:`wait`.
_indexing: _Indexing | None = None


def finalized(pelican) -> None:
    """After every page is written: start indexing the output folder.

    ``finalized`` rather than a writer signal: pagefind reads finished HTML
    files, and all of them exist only now. The Python part of indexing,
    scanning the output and linking the first parts' pages
    (:func:`.indexer.plan_index`, 0.4 s at 5,000 news items), runs in a
    forked process while the receivers after this one run in the build's
    process (the sitemap, 0.3 s; they write no HTML page). In a thread it
    would wait for the interpreter lock the sitemap holds, so it used to run
    first, with the second core idle. The plan comes back to a thread here,
    which runs pagefind on the parts (:meth:`.indexer.IndexPlan.run`); the
    forked process ends with the plan, before this process has written to
    (and so copied) much of the memory they share: kept for the whole
    indexing, it added 75 MB to the build's peak. At 5,000 news items a
    cold build took 12.80 s before and 12.61 s now, an edit rebuild 4.80
    and 4.73 s (medians of 5 and 6 pairs, ``bench/ab.py``; README).
    :func:`wait` ends the build's ``finalized`` with the index.
    """
    global _indexing
    if _indexing is not None:  # left by a build that failed after this point
        with contextlib.suppress(Exception):
            _indexing.future.result()
        _indexing = None
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True) or settings.get("SEARCH_DEFER"):
        return
    output = Path(pelican.output_path)
    bundle = output / settings["SEARCH_OUTPUT_SUBDIR"]
    before = set(entry_files(bundle))
    started = time.perf_counter()
    # Forked where possible: the process starts at once, with the plugins
    # already imported. Its errors (SearchIndexError too) reach wait()
    # through the thread, as pagefind's do.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    planner = ProcessPoolExecutor(1, mp_context=context)
    planned = planner.submit(plan_index, output, index_settings(settings))
    planner.shutdown(wait=False)
    runner = ThreadPoolExecutor(1, thread_name_prefix="search-index")
    future = runner.submit(_run_plan, planned)
    runner.shutdown(wait=False)
    _indexing = _Indexing(bundle, before, started, future)


def _run_plan(planned: Future) -> IndexResult:
    """Wait for the plan from the forked process, then build the parts."""
    plan: IndexPlan = planned.result()
    return plan.run()


def wait(pelican) -> None:
    """Wait for the index; the last ``finalized`` receiver (see :func:`initialized`).

    Claims the index's files for the build before the incremental plugin
    records it, and before pelican-granular-signals sends ``compress``,
    whose receivers read the bundle.
    """
    global _indexing
    indexing, _indexing = _indexing, None
    if indexing is None:
        return
    settings = pelican.settings
    try:
        result = indexing.future.result()
    except SearchIndexError as error:
        # Not a content problem an editor can fix: the tool is missing or
        # broken. The build fails so a site without search is never published.
        logger.error("search: %s", error)
        raise SystemExit(1) from error
    after = set(entry_files(indexing.bundle))
    for path in indexing.before - after:  # parts no longer there
        release(path)
    for path in after:
        claim(path)
    reused = f", {result.restored} aus dem Cache übernommen" if result.restored else ""
    status(
        f"Suche: {result.pages} Seiten, {result.built} von {result.parts} "
        f"Teilindizes neu indexiert{reused} in "
        f"{time.perf_counter() - indexing.started:.1f} s "
        f"({settings['SEARCH_OUTPUT_SUBDIR']}/)",
        __name__,
    )


def register() -> None:
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
