"""The local side of publishing: staging folders and the ``output`` symlink.

``output`` becomes a symlink to a complete, checked build in
``.publish/<id>/``. Switching is one ``rename(2)`` of a fresh symlink over the
old one: atomic on POSIX, so a reader (``invoke serve``, ``invoke deploy``)
sees the old site or the new one, never a mix; a failed build or check never
touches the symlink or the folder it points to.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

PUBLISH_DIR = ".publish"


def release_id() -> str:
    """Sortable and unique enough for one machine: UTC time to microseconds."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def new_staging(root: Path) -> Path:
    """An empty build folder next to the published builds.

    Always the same path (``.publish/staging``), renamed to its release name
    only when it passed: tools that key caches by the output path (the
    incremental plugin) then keep one entry, not one per publish.
    """
    base = root / PUBLISH_DIR
    base.mkdir(exist_ok=True)
    staging = base / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    return staging


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def activate(output: Path, staging: Path, keep: int = 1) -> Path | None:
    """Give the checked ``staging`` build its release name and make ``output``
    point to it in one step; return the old target.

    A plain ``output/`` folder (from ``invoke build``) cannot be replaced by a
    symlink in one rename; it is moved aside first (the only case with a
    moment without ``output``). ``keep`` older publish builds stay in
    ``.publish/`` (for comparing); the rest are deleted.
    """
    output = Path(output)
    base = staging.parent
    previous = output.resolve() if output.is_symlink() else None
    release = base / release_id()
    staging.rename(release)  # the checked build gets its own, final name
    if output.exists() and not output.is_symlink():
        output.rename(base / f"unpublished-{release_id()}")
    link = output.with_name(f".{output.name}.{release.name}.tmp")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, output.parent), link)
    os.replace(link, output)  # rename(2): atomic switch
    _prune(base, current=release, keep=keep)
    return previous


def _prune(base: Path, current: Path, keep: int) -> None:
    builds = sorted(
        p for p in base.iterdir() if p.is_dir() and p not in (current, base / "staging")
    )
    for old in builds[: max(0, len(builds) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def detach(output: Path) -> None:
    """Before a development build writes into ``output/``: drop the symlink,
    so Pelican never empties a published build through it."""
    output = Path(output)
    if output.is_symlink():
        output.unlink()


def published(output: Path) -> Path | None:
    """The checked publish build ``output`` points to, if it is one."""
    output = Path(output)
    if output.is_symlink() and output.resolve().parent.name == PUBLISH_DIR:
        return output.resolve()
    return None
