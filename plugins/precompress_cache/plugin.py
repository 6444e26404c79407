"""Signal wiring: compress on ``compress``, from the cache where it can.

pelican-granular-signals sends ``minify``, ``compress`` and ``deploy`` in
that order once every ``finalized`` receiver has run (the search index and
hashed assets are written by then). This plugin takes pelican-precompress's
place on ``compress``: same settings, same compressors, so the same bytes,
but it compresses only what its cache lacks. pelican-precompress itself
read every file and handed it to a worker process even when its copy
existed already: 2 s of a publish build at 5,000 news items with every
copy cached.
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


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def compress(pelican) -> None:
    """Give every text file of the output its compressed copies."""
    settings = pelican.settings
    wanted = formats(pelican)
    if not wanted:
        return
    base = settings["PRECOMPRESS_CACHE_PATH"] or os.path.join(
        settings.get("CACHE_PATH", "cache"), "precompress"
    )
    started = time.perf_counter()
    store = Store(base, wanted)
    reused, missing = store.place(variants(pelican))
    added = store.compress(missing)
    prune = settings["PRECOMPRESS_CACHE_PRUNE"]
    pruned = store.prune() if prune else 0
    store.save(pruned=prune)
    seconds = time.perf_counter() - started
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
    blinker.signal("compress").connect(compress)
