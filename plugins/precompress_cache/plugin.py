"""Signal wiring: fill in cached files before ``compress``, keep new ones after.

pelican-granular-signals sends ``minify``, ``compress`` and ``deploy`` in
that order once every ``finalized`` receiver has run; pelican-precompress
compresses on ``compress`` and skips a file whose compressed copy exists. So
on ``minify`` the cached copies are copied in, and on ``deploy`` whatever
pelican-precompress wrote is added to the cache.
"""

from __future__ import annotations

import logging
import os
import time

import blinker
from diagnostics import status

from .store import Store, formats, variants

logger = logging.getLogger(__name__)

#: Settings and their defaults (plugins/precompress_cache/README.md).
DEFAULTS = {
    # None: <CACHE_PATH>/precompress.
    "PRECOMPRESS_CACHE_PATH": None,
    # Remove what the build did not use, so the cache holds one site's files
    # (CI saves it after every changed run).
    "PRECOMPRESS_CACHE_PRUNE": True,
}

_state: dict = {}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    _state.clear()


def fill(pelican) -> None:
    """Before compressing: cached copies in, stale copies out."""
    settings = pelican.settings
    wanted = formats(pelican)
    if not wanted:
        return
    base = settings["PRECOMPRESS_CACHE_PATH"] or os.path.join(
        settings.get("CACHE_PATH", "cache"), "precompress"
    )
    store = Store(base, wanted)
    started = time.perf_counter()
    jobs = variants(pelican, wanted)
    reused = store.fill(jobs)
    _state.update(store=store, jobs=jobs, reused=reused, started=started)


def keep(pelican) -> None:
    """After compressing: add what pelican-precompress wrote, drop the rest."""
    store: Store | None = _state.pop("store", None)
    if store is None:
        return
    jobs, reused = _state.pop("jobs"), _state.pop("reused")
    added = store.keep(jobs)
    pruned = store.prune() if pelican.settings["PRECOMPRESS_CACHE_PRUNE"] else 0
    seconds = time.perf_counter() - _state.pop("started")
    status(
        f"Komprimierung: {reused + added} Dateien, {reused} aus dem Cache, "
        f"{added} neu komprimiert in {seconds:.1f} s",
        __name__,
    )
    if pruned:
        logger.debug("precompress_cache: removed %d unused cache files", pruned)


def register() -> None:
    from pelican import signals
    from pelican.plugins import granular_signals

    granular_signals.register()
    signals.initialized.connect(initialized)
    blinker.signal("minify").connect(fill)
    blinker.signal("deploy").connect(keep)
