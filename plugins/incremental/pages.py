"""Rendered pages kept by key, for builds into a fresh folder.

``invoke publish`` builds into an empty staging folder every time, and CI
into a fresh clone, so the writer found no earlier file to keep and rendered
every page, although nearly every key matched the last build's: 4.5 s of a
publish build at 5,000 news items with every other cache warm. With
``INCREMENTAL_STORE_PAGES`` every page and feed written is hard-linked into
``<state folder>/pages/<key[:2]>/<key>``; a later build of the same output
path links a page whose key is there instead of rendering it.

A link shares the file with every folder that links it. Our writers
replace a shared file instead of writing through it
(:func:`.outputs.write_if_changed`); for anything else, the store records
each file's time and size (:func:`.outputs.shared_record`, the time set a
whole second before now when the file is stored) and trusts only files that
still match.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .outputs import (
    link_or_copy,
    link_shared,
    make_folder,
    shared_record,
    shared_stamp,
)


class PageStore:
    """The store of one output path: last build's records, and this build's."""

    def __init__(self, folder: Path, records: dict[bytes, list[int]]) -> None:
        self.folder = folder
        #: The last successful build's files: key → [time in s, size].
        self.previous = records
        #: What this build used or added; saved with the build's state.
        self.records: dict[bytes, list[int]] = {}
        self.stamp = shared_stamp()
        self._folders: set[str] = set()

    def _path(self, key: bytes) -> str:
        name = key.hex()
        return os.path.join(self.folder, name[:2], name)

    def restore(self, key: bytes, path: str) -> bool:
        """Link the stored file for ``key`` as ``path``; False if there is none
        or it changed since it was stored."""
        record = self.previous.get(key)
        if record is None:
            return False
        stored = self._path(key)
        try:
            if shared_record(stored) != record:
                return False
        except OSError:
            return False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # an older version of the page
        make_folder(os.path.dirname(path), self._folders)
        link_or_copy(stored, path)
        self.records[key] = record
        return True

    def carry(self, key: bytes) -> None:
        """Keep the stored file of a page the build kept in its output."""
        record = self.previous.get(key)
        if record is None:
            return
        with contextlib.suppress(OSError):
            if shared_record(self._path(key)) == record:
                self.records[key] = record

    def keep(self, key: bytes, path: str) -> None:
        """Store the file just written for ``key``.

        The link gives the output file the store's time too (one inode): a
        whole second before now, so that any later write shows.
        """
        stored = self._path(key)
        make_folder(os.path.dirname(stored), self._folders)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stored)  # left by a build that failed, or changed since
        self.records[key] = link_shared(path, stored, self.stamp)

    def prune(self) -> int:
        """Remove every stored file this build did not use; return how many."""
        wanted = {key.hex() for key in self.records}
        removed = 0
        if not self.folder.is_dir():
            return 0
        for shard in os.scandir(self.folder):
            if not shard.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(shard.path):
                if entry.name not in wanted:
                    os.unlink(entry.path)
                    removed += 1
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(shard.path)
        return removed
