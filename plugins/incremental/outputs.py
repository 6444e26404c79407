"""Output files other plugins write themselves (not through Pelican's writer).

Since the output folder is no longer wiped before a build, a plugin that
writes files of its own (image variants, hashed assets, redirect pages)
tells this module, so that the file is removed once a later build no longer
produces it, and can ask whether a path was already produced by this build:

    from incremental.outputs import claim, produced, release, write_if_changed
    write_if_changed(path, data)  # write, unless the file holds these bytes
    claim(path)            # "this build wrote/kept this file"
    release(path)          # "… and then removed it again" (claimed too early)
    produced(path)         # True/False, or None when incremental is off

Caches that place their files in the output by hard links (compressed
copies, stored search parts, stored pages) share these helpers:
``link_or_copy``, ``make_folder``, and ``shared_stamp``/``shared_record``/
``link_shared``, which let a cache see that a shared file was written to in
place since (from any folder that links it).

``claim``, ``release`` and ``produced`` are no-ops when the incremental
plugin is not running. ``write_if_changed`` always compares first: a file
rewritten with the same bytes gets a new modification time, and a deploy
uploads it again.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib
import io
import logging
import os
import shutil
import time

logger = logging.getLogger(__name__)

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


def write_if_changed(path: str | os.PathLike, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly these bytes.

    A file with more than one link (a page linked from the page store, or
    into the search index's page folder) is replaced, not written through:
    writing through it would change the cache and every other folder that
    links the same file.
    """
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None:
        if st.st_size == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return False
        if st.st_nlink > 1:
            os.unlink(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    return True


def link_or_copy(source: str | os.PathLike, destination: str | os.PathLike) -> None:
    """Hard-link ``source`` as ``destination``; copy where links are not
    possible (another file system)."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)


def shared_stamp() -> int:
    """The time to give a file a cache will share by hard links.

    A whole second before now: a later write to the file, even in this
    second, gives it another time in whole seconds (the precision a cache
    restored from a tar archive keeps).
    """
    return int(time.time()) - 1


def shared_record(path: str | os.PathLike) -> list[int]:
    """What a cache records of a shared file: time (whole seconds) and size."""
    st = os.stat(path)
    return [int(st.st_mtime), st.st_size]


def link_shared(
    source: str | os.PathLike, destination: str | os.PathLike, stamp: int
) -> list[int]:
    """Link ``source`` into a cache as ``destination``, give it ``stamp``
    (:func:`shared_stamp`) and return its :func:`shared_record`."""
    link_or_copy(source, destination)
    os.utime(destination, (stamp, stamp))
    return shared_record(destination)


def make_folder(folder: str | os.PathLike, made: set) -> None:
    """``mkdir -p`` once per folder (``made`` remembers them): caches link
    thousands of files, many into the same folders."""
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def copy_if_changed(source: str, destination: str) -> None:
    """``pelican.utils.copy_file``, unless the copy already has these bytes.

    Pelican copies the theme's static files on every build; each copy got a
    new modification time, so a deploy uploaded the theme again.
    """
    try:
        if filecmp.cmp(source, destination, shallow=False):
            return
    except OSError:
        pass
    try:
        shutil.copyfile(source, destination)
    except OSError as error:  # Pelican's copy_file warns and goes on
        logger.warning(
            "A problem occurred copying file %s to %s; %s", source, destination, error
        )


class _ComparingFile(io.StringIO):
    """A text file for writing that reaches the disk only when it differs."""

    def __init__(self, path, encoding: str | None) -> None:
        super().__init__()
        self._path = os.fspath(path)
        self._encoding = encoding or "utf-8"

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self._path, self.getvalue().encode(self._encoding))
        super().close()


def _comparing_open(file, mode: str = "r", *args, encoding=None, **kwargs):
    if mode in ("w", "wt") and not args and not kwargs:
        return _ComparingFile(file, encoding)
    return open(file, mode, *args, encoding=encoding, **kwargs)


@contextlib.contextmanager
def comparing_writes(module_names: list[str]):
    """Let modules that write output with ``open(path, "w")`` compare first.

    For plugins we do not own (pelican-sitemap writes ``sitemap.xml`` anew on
    every build): their module's ``open`` is, for the duration of the build,
    one whose text files are compared with the file on disk when closed.
    A module that is not installed is skipped.
    """
    patched = []
    for name in module_names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            logger.debug("incremental: %s is not installed", name)
            continue
        patched.append((module, module.__dict__.get("open")))
        module.open = _comparing_open
    try:
        yield
    finally:
        for module, previous in patched:
            if previous is None:
                del module.open
            else:
                module.open = previous
