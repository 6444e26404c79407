"""Running pagefind over an output folder, one part of the index at a time."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from incremental.outputs import write_if_changed

from . import stored
from .bundle import UnknownBundle, prune
from .parts import (
    PART_FOLDER,
    PARTS_FILE,
    Manifest,
    Page,
    Part,
    browser_list,
    files_below,
    indexed,
    scan,
    split,
)
from .trim import trimmed

logger = logging.getLogger(__name__)

#: What pagefind writes to every bundle folder that only the first part needs:
#: the browser loads JavaScript and WebAssembly from there.
INDEX_FILES = ("pagefind-entry.json",)
INDEX_SUFFIXES = (".pf_meta",)
INDEX_FOLDERS = ("fragment", "index", "filter")


class SearchIndexError(RuntimeError):
    """pagefind could not be found or failed; the site would have no search."""


@dataclass(frozen=True)
class IndexResult:
    """Pages in the index, its parts, and how many of them were built now."""

    pages: int
    parts: int
    built: int
    #: Parts taken from the cache (``stored``, linked) instead of indexed.
    restored: int = 0


def pagefind_options(settings: dict) -> list[str]:
    """Command-line options that decide what the index holds."""
    options = []
    for selector in settings["SEARCH_EXCLUDE_SELECTORS"]:
        options += ["--exclude-selectors", selector]
    if settings["SEARCH_FORCE_LANGUAGE"]:
        options += ["--force-language", settings["SEARCH_FORCE_LANGUAGE"]]
    return options


def _executable() -> str:
    """The binary from the PyPI package, so nothing is downloaded at build time."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError(
            "pagefind is not installed — run `pip install -r requirements.txt`"
        )
    return str(executable)


def _version() -> str:
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_folder(settings: dict) -> Path:
    """``SEARCH_CACHE_PATH``, or ``<CACHE_PATH>/search``."""
    path = settings.get("SEARCH_CACHE_PATH") or os.path.join(
        settings.get("CACHE_PATH", "cache"), "search"
    )
    return Path(path)


def build_index(output: Path, settings: dict) -> IndexResult:
    """Bring the index in ``output`` up to date; raise :class:`SearchIndexError`.

    Only parts with a changed, added or removed page are built again
    (:mod:`.parts`); into their previous folder, where pagefind skips the
    files that exist (their names are content hashes). Files the new index
    no longer refers to are removed afterwards (:mod:`.bundle`), so the
    bundle equals a clean build's. With ``SEARCH_STORE_PARTS``, a part whose
    pages' bytes are in the cache is copied from there instead (:mod:`.stored`).
    """
    return plan_index(output, settings).run()


#: Settings :func:`plan_index` reads besides the ``SEARCH_`` ones.
OTHER_SETTINGS = ("CACHE_PATH",)


def index_settings(settings: dict) -> dict:
    """The settings :func:`plan_index` reads: plain values, for another process."""
    return {
        key: value
        for key, value in settings.items()
        if key.startswith("SEARCH_") or key in OTHER_SETTINGS
    }


@dataclass(frozen=True)
class IndexPlan:
    """What :func:`build_index` found in the output: the parts and which to build.

    :func:`plan_index` links the pages of the first ``processes`` parts to
    build, so that many pagefind processes start at once; :meth:`run` links
    the other parts' pages while those are being indexed. At 5,000 news
    items that is three of five parts, 0.13 s the build waited before any
    pagefind started. (Linked by each part's own thread just before its
    pagefind, both threads did it at once, and a core waited 0.2 s.)
    """

    output: Path
    bundle: Path
    cache: Path
    manifest: Manifest
    pages: list[Page]
    parts: list[Part]
    todo: list[Part]
    command: list[str]
    processes: int
    store: bool

    def run(self) -> IndexResult:
        """Build the parts in :attr:`todo`, then tidy the bundle and cache."""
        keys = {part.folder: self.manifest.stored(part) for part in self.parts}
        threads = max(1, min(self.processes, len(self.todo) or 1))
        first, later = self.todo[:threads], self.todo[threads:]
        shares = iter(core_shares(threads))
        with ThreadPoolExecutor(
            threads, initializer=_keep_to, initargs=(shares,)
        ) as pool:
            started = [pool.submit(self._bring_up_to_date, part) for part in first]
            if not self.store:  # plan_index linked the first parts' pages
                for part in later:
                    _link_pages(self.output, part, self.cache)
            started += [pool.submit(self._bring_up_to_date, part) for part in later]
            # Wait for every part; the first failure is raised here.
            done = [future.result() for future in started]
        for part, (key, _copied) in zip(self.todo, done, strict=True):
            keys[part.folder] = key
        _remove_other_parts(self.bundle, self.parts)
        _remove_other_farms(self.cache, self.parts)
        if self.store:
            stored.prune(self.cache, {key for key in keys.values() if key})
        write_if_changed(
            os.fspath(self.bundle / PARTS_FILE), browser_list(self.parts).encode()
        )
        self.manifest.save(self.bundle, self.pages, self.parts, keys)
        restored = sum(copied for _key, copied in done)
        return IndexResult(
            sum(len(part.pages) for part in self.parts),
            len(self.parts),
            len(self.todo) - restored,
            restored,
        )

    def _bring_up_to_date(self, part: Part) -> tuple[str | None, bool]:
        """The part's key, and whether it came from the cache (``stored``)."""
        if not self.store:  # linked by plan_index or run
            _index_part(
                self.output, self.bundle, part, self.command, self.cache, linked=True
            )
            return None, False
        key = stored.part_key(self.output, part, self.manifest.options)
        if _restore(self.cache, key, self.bundle, part):
            return key, True
        _index_part(self.output, self.bundle, part, self.command, self.cache)
        stored.keep(self.cache, key, self.bundle / part.folder, part.primary)
        return key, False


def core_shares(processes: int) -> list[set[int]]:
    """The cores each of ``processes`` pagefind processes keeps to; [] for any core.

    Why: pagefind runs several threads per process. Two processes on two
    cores, each free to run anywhere, took 1.94 s for two parts of 1,300
    pages; each kept to a core of its own, 1.69 s, with 0.3 s less system
    time (median of 7 runs; most of it was spent waiting on locks, ``futex``,
    which threads on one core do less). Only with at least one core per
    process: a single process (an edit's one part) keeps every core. Linux
    only (``os.sched_setaffinity``).
    """
    if processes < 2 or not hasattr(os, "sched_setaffinity"):
        return []
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < processes:
        return []
    return [set(cores[slot::processes]) for slot in range(processes)]


def _keep_to(shares) -> None:
    """Keep this thread, and so the pagefind it starts, to its share of the cores.

    The affinity of the calling thread only (``sched_setaffinity(0)`` on
    Linux), which a child process inherits; the build's other threads keep
    every core.
    """
    share = next(shares, None)
    if share:
        os.sched_setaffinity(0, share)


def plan_index(output: Path, settings: dict) -> IndexPlan:
    """Scan ``output``, decide which parts to build and link the pages of
    the first ones (:class:`IndexPlan`)."""
    output = Path(os.path.abspath(output))
    bundle = Path(os.path.abspath(output / settings["SEARCH_OUTPUT_SUBDIR"]))
    if output not in bundle.parents:
        raise SearchIndexError(f"SEARCH_OUTPUT_SUBDIR must lie inside {output}")
    executable = _executable()
    options = pagefind_options(settings)
    cache = cache_folder(settings)
    manifest = Manifest(cache / "parts.json", [_version(), executable, *options])
    pages = scan(output, settings["SEARCH_GLOB"], bundle, manifest.pages)
    parts = split(indexed(pages), int(settings["SEARCH_PART_PAGES"]))
    todo = [part for part in parts if not manifest.current(bundle, part)]
    store = bool(settings.get("SEARCH_STORE_PARTS"))
    processes = int(settings.get("SEARCH_PROCESSES") or os.cpu_count() or 1)
    if not store:  # else only the parts not in the store need their pages
        for part in todo[:processes]:
            _link_pages(output, part, cache)
    return IndexPlan(
        output=output,
        bundle=bundle,
        cache=cache,
        manifest=manifest,
        pages=pages,
        parts=parts,
        todo=todo,
        command=[executable, *options],
        processes=processes,
        store=store,
    )


def _restore(cache: Path, key: str, bundle: Path, part: Part) -> bool:
    """Copy a stored part into the bundle; False if there is none (or it is odd)."""
    target = bundle / part.folder
    if not stored.restore(cache, key, target):
        return False
    try:
        prune(target)  # the files of an earlier index in that folder
    except UnknownBundle as error:
        logger.info("search: indexing %s again (%s)", target, error)
        return False
    return True


def _index_part(
    output: Path,
    bundle: Path,
    part: Part,
    command: list[str],
    cache: Path,
    *,
    linked: bool = False,
) -> None:
    """Build one part's index in its folder (``linked``: by :func:`_link_pages` already)."""
    target = bundle / part.folder
    command = [*command, "--output-path", str(target)]
    if not linked:
        _link_pages(output, part, cache)
    _unshare(target, part.primary)
    _run_on_pages(part, command, cache)
    try:
        prune(target)
    except UnknownBundle as error:
        logger.info("search: rebuilding %s from scratch (%s)", target, error)
        _clear_part(target, part.primary)
        _run_on_pages(part, command, cache)
    if not part.primary:
        _keep_index_only(target)


def _unshare(target: Path, primary: bool) -> None:
    """Remove the part's files that are links to a stored part, before pagefind
    writes into ``target``.

    A part restored from the store (:func:`stored.restore`) shares its files
    with the store and with every output folder it was restored into, and
    pagefind rewrites some files of a folder it indexes into in place. Without
    the links it writes those files anew; in a folder it built itself (every
    build that keeps its output) nothing is linked and nothing is removed.
    """
    for relative in stored.part_files(target, primary):
        path = target / relative
        if os.lstat(path).st_nlink > 1:
            path.unlink()


def _clear_part(target: Path, primary: bool) -> None:
    """Remove one part's files; the first part's folder also holds the others."""
    files = stored.part_files(target, primary)
    for relative in files:
        (target / relative).unlink()
    # Only folders that held the part's files: another part's folder may be
    # empty for a moment while its own pagefind starts writing to it.
    folders = {os.path.dirname(relative) for relative in files} - {""}
    for folder in sorted(folders, key=len, reverse=True):
        with contextlib.suppress(OSError):  # not empty
            (target / folder).rmdir()


def _link_pages(output: Path, part: Part, cache: Path) -> None:
    """Put exactly ``part``'s pages into the folder pagefind reads for it.

    Pagefind reads a folder, so the part's pages go into a folder of the
    cache with the same layout: their URLs are the same as in the output.
    Pagefind's own ``--glob`` could not name a thousand files. Each page is
    cut down to what pagefind indexes (:mod:`.trim`), or hard-linked where
    it cannot be (copied where links are not possible, e.g. a cache on
    another file system). The folder is kept between builds and brought up
    to date (:func:`_sync_pages`): creating and deleting 1,300 links and
    folders cost 0.27 s per part, most of it ``shutil.rmtree``.
    """
    _sync_pages(output, _farm(cache, part.folder), [page.path for page in part.pages])


def _run_on_pages(part: Part, command: list[str], cache: Path) -> None:
    """Run pagefind on the folder :func:`_link_pages` filled for ``part``."""
    farm = _farm(cache, part.folder)
    _run([*command[:1], "--site", str(farm), *command[1:]])


def _farm(cache: Path, folder: str) -> Path:
    return cache / "pages" / (folder or PART_FOLDER.format(0))


def _sync_pages(output: Path, farm: Path, pages: list[str]) -> None:
    """Make ``farm`` hold exactly ``pages``, each as it is in ``output``.

    A linked page is the page itself; a cut or copied one is made again
    unless it was made from the page as it is now (:func:`_made_from`).
    """
    wanted = set(pages)
    for relative in files_below(farm):
        if relative not in wanted:
            path = farm / relative
            path.unlink()
            with contextlib.suppress(OSError):  # the page's folder, if empty
                path.parent.rmdir()
    made: set[str] = set()
    for relative in pages:
        source = os.path.join(output, relative)
        target = os.path.join(farm, relative)
        source_stat = os.stat(source)
        try:
            target_stat = os.lstat(target)
        except FileNotFoundError:
            target_stat = None
        if target_stat is not None:
            if os.path.samestat(source_stat, target_stat):
                continue  # the very file: a page rewritten in place shows
            if _made_from(target_stat, source_stat):
                continue  # cut or copied from the page as it is
            os.unlink(target)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        _put_page(source, target, source_stat)


def _made_from(copy: os.stat_result, page: os.stat_result) -> bool:
    """Whether ``copy`` was cut or copied from ``page`` as it is now.

    The modification time alone does not tell: the ``reproducible`` plugin
    gives every page of a build the same one, so a page edited since keeps
    it. The change time does: writing, linking or re-timing a file sets it
    to now, and nothing can set it back. A copy made after the page's last
    change is newer (equal counts as older: the clock may be coarse).
    Where the change time means creation (Windows), a copy is never trusted.
    """
    return (
        os.name == "posix"
        and copy.st_nlink == 1
        and copy.st_mtime_ns == page.st_mtime_ns
        and copy.st_ctime_ns > page.st_ctime_ns
    )


def _put_page(source: str, target: str, source_stat: os.stat_result) -> None:
    """Write ``source`` cut down to ``target``, or link or copy it whole."""
    with open(source, "rb") as handle:
        page = handle.read()
    cut = trimmed(page)
    if cut is None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        return
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        written = 0
        while written < len(cut):
            written += os.write(descriptor, cut[written:])
        # The page's time (see _made_from); no page is written while the
        # search runs, after the build.
        os.utime(descriptor, ns=(source_stat.st_atime_ns, source_stat.st_mtime_ns))
    finally:
        os.close(descriptor)


def _remove_other_farms(cache: Path, parts: list[Part]) -> None:
    """Page folders of parts that are gone, and temporary ones of older builds."""
    wanted = {_farm(cache, part.folder) for part in parts}
    for path in [*(cache / "pages").glob("*"), *cache.glob("pages-*")]:
        if path.is_dir() and path not in wanted:
            shutil.rmtree(path, ignore_errors=True)


def _keep_index_only(folder: Path) -> None:
    """Remove the JavaScript, CSS and WebAssembly pagefind wrote to a later part."""
    for path in folder.iterdir():
        if path.is_dir():
            if path.name not in INDEX_FOLDERS:
                shutil.rmtree(path)
        elif path.name not in INDEX_FILES and not path.name.endswith(INDEX_SUFFIXES):
            path.unlink()


def _remove_other_parts(bundle: Path, parts: list[Part]) -> None:
    """Part folders of an earlier build with more parts."""
    wanted = {part.folder for part in parts}
    for path in bundle.glob(PART_FOLDER.format("*")):
        if path.is_dir() and path.name not in wanted:
            shutil.rmtree(path)


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"pagefind did not run: {error}") from error
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}):\n{log}")
    logger.debug("search: pagefind %s\n%s", " ".join(command), log)
