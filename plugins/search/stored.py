"""Part indexes kept in the cache by the bytes of the pages they were made from.

A rebuild into the same output folder finds its parts there (``parts``).
``invoke publish`` builds into a new folder every time, and CI into a fresh
clone: there was no bundle to reuse, so every part was indexed again although
its pages had the same bytes (1 s of a 3.5 s publish build at 1,000 news
items). So after pagefind has built a part, the part's files are kept in
``<SEARCH_CACHE_PATH>/bundles/<key>/``; the key covers the pagefind options
and version, the part's place (the first part carries pagefind's
JavaScript) and every page's path and bytes. A part whose key is stored is
linked from there instead of indexed: pagefind writes the same bytes for the
same pages, so the files are what it would have written. They are hard
links, not copies, with a record that shows a file changed since.

The cache keeps only the parts of the last build (:func:`prune`), so it
holds one index's worth of files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from incremental.outputs import (
    link_or_copy,
    link_shared,
    make_folder,
    shared_record,
    shared_stamp,
)

from .parts import PART_FOLDER, PARTS_FILE, Part

STORE = "bundles"


def part_key(output: Path, part: Part, options: list[str]) -> str:
    """The key of ``part`` built from its pages in ``output`` now."""
    h = hashlib.sha256(json.dumps([options, part.primary]).encode())
    for page in part.pages:
        h.update(page.path.encode("utf-8") + b"\0")
        h.update(hashlib.sha256((output / page.path).read_bytes()).digest())
    return h.hexdigest()[:32]


def part_files(folder: Path, primary: bool) -> list[str]:
    """The files of one part below ``folder`` (the first part: not the others')."""
    others = PART_FOLDER.format("")
    found = []
    for current, dirs, files in os.walk(folder):
        relative = os.path.relpath(current, folder)
        if primary and relative == ".":
            dirs[:] = [d for d in dirs if not d.startswith(others)]
            files = [f for f in files if f != PARTS_FILE]
        found += [os.path.normpath(os.path.join(relative, name)) for name in files]
    return sorted(found)


#: In each stored part: every file's modification time (whole seconds) and
#: size, as :func:`keep` left them.
RECORD = ".files.json"


def _intact(stored: Path) -> list[str] | None:
    """The stored part's files if each is as :func:`keep` left it, else None.

    Stored files are hard-linked into output folders, and pagefind, indexing
    a changed part into an earlier folder, rewrites some of its files in
    place; the record shows a file that changed since (its time and size).
    """
    try:
        record = json.loads((stored / RECORD).read_text("utf-8"))
        for relative, known in record.items():
            if known != shared_record(stored / relative):
                return None
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    return list(record)


def restore(cache: Path, key: str, target: Path) -> bool:
    """Link the stored part ``key`` into ``target``; False if none is stored.

    Linked, not copied: at 5,000 news items the five parts are about 6,700
    files, 0.9 s of a publish build as copies. A stored part changed since
    it was kept is removed, and the part indexed again. Files of an earlier
    index in ``target`` stay; the caller prunes them, as after pagefind
    wrote into the folder itself.
    """
    stored = cache / STORE / key
    if not stored.is_dir():
        return False
    files = _intact(stored)
    if files is None:
        shutil.rmtree(stored, ignore_errors=True)
        return False
    folders: set[Path] = set()
    for relative in files:
        destination = target / relative
        if os.path.lexists(destination):
            os.unlink(destination)  # never write through an earlier link
        make_folder(destination.parent, folders)
        link_or_copy(stored / relative, destination)
    return True


def keep(cache: Path, key: str, target: Path, primary: bool) -> None:
    """Store the part pagefind has just built in ``target``.

    Its files are linked, each given a time a whole second before now (so a
    later write to it shows, see :func:`_intact`), and the folder is filled
    under a temporary name and then renamed, so an interrupted build leaves
    no half part under a key that would be trusted.
    """
    final = cache / STORE / key
    if final.is_dir():
        return
    temporary = cache / STORE / f".{key}.{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    stamp = shared_stamp()
    record = {}
    folders: set[Path] = set()
    for relative in part_files(target, primary):
        destination = temporary / relative
        make_folder(destination.parent, folders)
        record[relative] = link_shared(target / relative, destination, stamp)
    temporary.mkdir(parents=True, exist_ok=True)
    (temporary / RECORD).write_text(json.dumps(record), "utf-8")
    os.replace(temporary, final)


def prune(cache: Path, keys: set[str]) -> None:
    """Remove the stored parts other than ``keys``."""
    store = cache / STORE
    if not store.is_dir():
        return
    for path in store.iterdir():
        if path.name not in keys:
            shutil.rmtree(path, ignore_errors=True)
