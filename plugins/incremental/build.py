"""One build's incremental state: keys, what was written, what became stale.

State lives in ``INCREMENTAL_CACHE_PATH`` (default ``<CACHE_PATH>/incremental``),
one folder per output folder, so several outputs (preview, publish, tests)
never share keys:

* ``state.pickle`` – the last successful build: its input fingerprint and,
  per output file, the key it was rendered with and its size and mtime;
* ``read/`` – the reader cache in 16 shards and the texts' hashes (see
  :mod:`incremental.reading`);
* ``pages/`` – with ``INCREMENTAL_STORE_PAGES``, the pages and feeds written,
  by key, for the next build into a fresh folder (see :mod:`incremental.pages`);
* ``stats.json`` – what the last build did (rendered, reused, written, removed);
* ``writing`` – exists while pages are written; if a build dies half-way, the
  next build starts from a clean output folder instead of trusting it.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .fingerprint import Fingerprinter, digest, hash_tree, stamp_tree
from .pages import PageStore

logger = logging.getLogger(__name__)

STATE_VERSION = 2
#: Siblings other plugins write next to an output file (precompression).
SIBLING_SUFFIXES = (".gz", ".br", ".zst")


@dataclass
class Output:
    key: bytes
    size: int = -1
    mtime_ns: int = -1


@dataclass
class State:
    fingerprint: bytes = b""
    outputs: dict[str, Output] = field(default_factory=dict)
    static: set[str] = field(default_factory=set)
    #: The page store's files (``INCREMENTAL_STORE_PAGES``): key → [time s, size].
    stored: dict[bytes, list[int]] = field(default_factory=dict)


def state_dir(settings: dict) -> Path:
    base = settings.get("INCREMENTAL_CACHE_PATH") or os.path.join(
        settings.get("CACHE_PATH", "cache"), "incremental"
    )
    output = os.path.realpath(settings["OUTPUT_PATH"])
    name = os.path.basename(output.rstrip(os.sep)) or "output"
    return Path(base) / f"{name}-{digest(output).hex()[:12]}"


def _versions() -> list[str]:
    names = ["pelican", "markdown", "jinja2", "pillow", "pyyaml", "feedgenerator"]
    found = [sys.version, platform.machine()]
    for name in names:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return found


#: Files in plugin folders that never run in a build: editing a test must not
#: make the next build a full one (nor spoil a benchmark running meanwhile).
CODE_KEY_SKIPPED_FILES = ("test_*.py", "*_test.py", "conftest.py")


def code_key(pelican) -> bytes:
    """Digest of every plugin's source, our plugin folders and library versions.

    Tests beside the plugins are left out (``CODE_KEY_SKIPPED_FILES``).
    """
    parts: list[bytes | str] = _versions()
    folders = {os.path.realpath(p) for p in pelican.settings.get("PLUGIN_PATHS", [])}
    for plugin in getattr(pelican, "plugins", []):
        source = getattr(plugin, "__file__", None)
        if source:
            folders.add(os.path.dirname(os.path.realpath(source)))
    for folder in sorted(folders):
        if os.path.isdir(folder):
            parts.append(folder)
            parts.append(
                hash_tree(
                    folder,
                    include=("*.py", "*.yml", "*.yaml", "*.json"),
                    skip_files=CODE_KEY_SKIPPED_FILES,
                )
            )
    return digest("code", *parts)


#: Settings that only decide how the work is done (split between processes,
#: with or without the garbage collector) or logged (``DEBUG``, set by
#: ``pelican -D``). The output is the same either way (a test compares
#: parallel with serial), so changing them must not throw the caches away. A
#: template that shows one of them still has it in its page's key.
WORK_SPLIT_SETTINGS = frozenset(
    {
        "INCREMENTAL_PROCESSES",
        "INCREMENTAL_PARALLEL_MIN_FILES",
        "INCREMENTAL_PARALLEL_MIN_PAGES",
        "INCREMENTAL_PAUSE_GC",
        "INCREMENTAL_COMPARING_MODULES",
        "INCREMENTAL_STORE_PAGES",
        "DEBUG",
    }
)


def settings_key(settings: dict, fingerprinter: Fingerprinter) -> bytes:
    volatile = WORK_SPLIT_SETTINGS | set(
        settings.get("INCREMENTAL_IGNORED_SETTINGS", ())
    )
    stable = {k: v for k, v in settings.items() if k not in volatile}
    return fingerprinter(stable)


class Build:
    """The incremental bookkeeping of one ``pelican.run()``."""

    def __init__(self, pelican) -> None:
        self.pelican = pelican
        self.settings = pelican.settings
        self.output_path = os.path.abspath(self.settings["OUTPUT_PATH"])
        self.dir = state_dir(self.settings)
        self.started = time.perf_counter()
        self.fingerprinter = Fingerprinter()
        self.previous = self._load()
        self.crashed = (self.dir / "writing").exists()
        self._stale_removed = False

        code = code_key(pelican)
        settings = settings_key(self.settings, self.fingerprinter)
        theme = hash_tree(self.settings["THEME"])
        content_root = self.settings["PATH"]
        data = [
            hash_tree(
                content_root,
                include=self.settings["INCREMENTAL_DATA_FILES"],
                exclude=self.settings.get("INCREMENTAL_TRACKED_DATA_FILES", ()),
            )
        ]
        extra = [
            hash_tree(p)
            for p in self.settings.get("INCREMENTAL_EXTRA_INPUTS", [])
            if os.path.exists(p)
        ]
        #: Inputs of reading: changes to them invalidate the reader cache.
        #: Data files are among them: a Markdown extension of a plugin we do
        #: not know may render registry data into the text. Tracked data files
        #: are not: the plugin that reads them hands their data on only
        #: through reader calls and template values, which the keys see.
        self.read_key = digest("read", code, settings, *data, *extra)
        #: Inputs every page depends on: changes to them re-render everything.
        self.global_key = digest("global", self.read_key, theme)
        #: Everything: if this matches the last build, there is nothing to do.
        self.fingerprint = digest(
            "all", self.global_key, stamp_tree(content_root), str(STATE_VERSION)
        )

        self.outputs: dict[str, Output] = {}
        self.static: set[str] = set()
        self.store = (
            PageStore(self.dir / "pages", self.previous.stored)
            if self.settings.get("INCREMENTAL_STORE_PAGES")
            else None
        )
        #: Pages linked from the store into this output (not kept in it).
        self.restored: set[str] = set()
        self.rendered: list[str] = []
        self.written: list[str] = []
        self.reused = 0
        self.removed: list[str] = []
        #: Reader cache figures, filled in by the plugin.
        self.reads: dict[str, int] = {}

    # --- state on disk -----------------------------------------------------

    def _load(self) -> State:
        try:
            with open(self.dir / "state.pickle", "rb") as handle:
                version, state = pickle.load(handle)
            if version == STATE_VERSION and isinstance(state, State):
                return state
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass
        except Exception:  # an old or foreign pickle: start from scratch
            logger.debug("incremental: unreadable state, full build", exc_info=True)
        return State()

    def _save(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        stored = self.store.records if self.store is not None else {}
        state = State(self.fingerprint, self.outputs, self.static, stored)
        temporary = self.dir / "state.pickle.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(
                (STATE_VERSION, state), handle, protocol=pickle.HIGHEST_PROTOCOL
            )
        os.replace(temporary, self.dir / "state.pickle")

    # --- the fast path -----------------------------------------------------

    def unchanged(self) -> bool:
        """True when no input changed since the last build and its output is intact."""
        previous = self.previous
        if self.crashed or previous.fingerprint != self.fingerprint:
            return False
        for relative, output in previous.outputs.items():
            if not self._intact(relative, output):
                return False
        return all(
            os.path.exists(os.path.join(self.output_path, r)) for r in previous.static
        )

    def _intact(self, relative: str, output: Output) -> bool:
        try:
            st = os.stat(os.path.join(self.output_path, relative))
        except OSError:
            return False
        return st.st_size == output.size and st.st_mtime_ns == output.mtime_ns

    # --- writing -----------------------------------------------------------

    def begin_writing(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "writing").write_text(str(os.getpid()))

    def relative(self, path: str) -> str:
        # Writers join below the output folder; no need to resolve symlinks
        # (realpath costs a system call per path component and page).
        return os.path.relpath(path, self.output_path)

    def page_key(self, *parts: Any) -> bytes:
        return digest(self.global_key, *(self.fingerprinter(p) for p in parts))

    def reusable(self, path: str, key: bytes) -> bool:
        """Is the file for ``key`` in the output now? It may have been linked
        from the page store just now."""
        relative = self.relative(path)
        previous = self.previous.outputs.get(relative)
        if (
            previous is not None
            and previous.key == key
            and self._intact(relative, previous)
        ):
            return True
        if self.store is not None and self.store.restore(key, path):
            self.restored.add(relative)
            return True
        return False

    def record(self, path: str, key: bytes, *, rendered: bool, wrote: bool) -> None:
        """What happened to one output file of the writer."""
        relative = self.relative(path)
        if rendered:
            self.outputs[relative] = Output(key)
            self.rendered.append(relative)
            if self.store is not None:
                self.store.keep(key, path)
        elif relative in self.restored:
            self.outputs[relative] = Output(key)  # stamped in finish()
            self.reused += 1
        else:
            # Kept: reusable() has just found the file with this stamp.
            previous = self.previous.outputs.get(relative)
            kept = previous is not None and previous.key == key
            self.outputs[relative] = previous if kept else Output(key)
            self.reused += 1
            if self.store is not None:
                self.store.carry(key)
        if wrote:
            self.written.append(relative)

    def add_static(self, relative_paths: list[str]) -> None:
        self.static.update(relative_paths)

    def claim(self, path: str) -> None:
        """A file another plugin wrote into the output (see ``outputs``)."""
        if os.path.isabs(path):
            self.static.add(self.relative(path))
        else:  # already below the output (relpath is slow on 35,000 files)
            self.static.add(os.path.normpath(path))

    def release(self, path: str) -> None:
        """Take back a claim (see ``outputs.release``)."""
        if os.path.isabs(path):
            self.static.discard(self.relative(path))
        else:
            self.static.discard(os.path.normpath(path))

    def has_produced(self, path: str) -> bool:
        relative = self.relative(os.path.join(self.output_path, path))
        return relative in self.outputs or relative in self.static

    # --- the end -----------------------------------------------------------

    def remove_stale(self) -> None:
        """Remove what the last build wrote and this one did not (once).

        Called at ``finalized`` (all pages and static files are written by
        then), so post-build steps such as the search index see the output
        without stale pages; ``finish`` calls it too for safety.
        """
        if self._stale_removed:
            return
        self._stale_removed = True
        produced = set(self.outputs) | self.static
        stale = (set(self.previous.outputs) | self.previous.static) - produced
        for relative in sorted(stale):
            self._remove(relative)

    def finish(self) -> None:
        """Remove stale files, record what exists now, report."""
        self.remove_stale()
        if self.store is not None:
            pruned = self.store.prune()
            logger.debug("incremental: %d stored pages no longer used", pruned)
        for relative, output in self.outputs.items():
            if output.size >= 0:
                continue  # a kept file, stamped when it was found intact
            try:
                st = os.stat(os.path.join(self.output_path, relative))
            except OSError:
                continue
            output.size, output.mtime_ns = st.st_size, st.st_mtime_ns
        self._save()
        (self.dir / "writing").unlink(missing_ok=True)
        self._report(skipped=False)

    def _remove(self, relative: str) -> None:
        path = os.path.join(self.output_path, relative)
        for candidate in (path, *(path + s for s in SIBLING_SUFFIXES)):
            try:
                os.remove(candidate)
                self.removed.append(os.path.relpath(candidate, self.output_path))
            except FileNotFoundError:
                continue
            except OSError as error:
                logger.warning("incremental: could not remove %s: %s", candidate, error)
        folder = os.path.dirname(path)
        while folder.startswith(self.output_path + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)

    def skipped(self) -> None:
        self._report(skipped=True)

    def _report(self, skipped: bool) -> None:
        seconds = time.perf_counter() - self.started
        total = len(self.rendered) + self.reused
        stats = {
            "skipped": skipped,
            "seconds": round(seconds, 3),
            "pages": total,
            "rendered": sorted(self.rendered),
            "reused": self.reused,
            "written": sorted(self.written),
            "removed": sorted(self.removed),
            "volatile_types": sorted(self.fingerprinter.volatile_types),
            "reads": self.reads,
        }
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            (self.dir / "stats.json").write_text(json.dumps(stats, indent=1), "utf-8")
        except OSError:
            pass
        if skipped:
            logger.info(
                "incremental: rendered 0 of 0 pages – nothing changed since the last "
                "build (%.2f s)",
                seconds,
            )
        else:
            logger.info(
                "incremental: rendered %d of %d pages, wrote %d changed files, "
                "removed %d stale files (%.2f s)",
                len(self.rendered),
                total,
                len(self.written),
                len(self.removed),
                seconds,
            )
        if self.fingerprinter.volatile_types:
            logger.debug(
                "incremental: values without a stable fingerprint (pages using them "
                "are always re-rendered): %s",
                ", ".join(sorted(self.fingerprinter.volatile_types)),
            )
