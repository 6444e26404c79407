"""Output files other plugins write themselves (not through Pelican's writer).

Since the output folder is no longer wiped before a build, a plugin that
writes files of its own (image variants, hashed assets, redirect pages)
tells this module, so that the file is removed once a later build no longer
produces it, and can ask whether a path was already produced by this build:

    from incremental.outputs import claim, produced, release
    claim(path)            # "this build wrote/kept this file"
    release(path)          # "… and then removed it again" (claimed too early)
    produced(path)         # True/False, or None when incremental is off

All are no-ops when the incremental plugin is not running.
"""

from __future__ import annotations

import os

_build = None  # the current incremental.build.Build, set by the plugin


def claim(path: str | os.PathLike) -> None:
    """Record that this build produced ``path`` (absolute or below the output)."""
    if _build is not None:
        _build.claim(os.fspath(path))


def release(path: str | os.PathLike) -> None:
    """Take back a claim: the plugin removed ``path`` itself after claiming it.

    Without this, the record of the build would name a file that is gone, and
    the next build could not take the "nothing changed" shortcut.
    """
    if _build is not None:
        _build.release(os.fspath(path))


def produced(path: str | os.PathLike) -> bool | None:
    """Whether this build has produced ``path`` so far; None if not tracked."""
    if _build is None:
        return None
    return _build.has_produced(os.fspath(path))
