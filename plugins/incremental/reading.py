"""Reading: a content-hash reader cache, filled in parallel on a cold build.

We cache what Pelican's reader returns for one file (HTML and metadata, the
layer ``CONTENT_CACHING_LAYER = "reader"`` caches), keyed by the file's bytes
and the build's read key (settings + plugin code), plus the problems the
reader reported to ``diagnostics`` — they are reported again on a cache hit,
so a cached file never hides an editor's error.

Before the first file of a generator is read, every file not in the cache is
handed to a pool of forked worker processes (one per core); Pelican then reads
serially as usual and finds everything in the cache, so the content objects,
their order and all signals are exactly those of a serial build. It does not
wait for the pool to finish: each file's result is taken when Pelican asks
for it (in the order the workers got them), so Pelican builds the content
objects of the first files while the workers still convert the last ones.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from pelican.urlwrappers import URLWrapper

from . import effects

logger = logging.getLogger(__name__)

try:  # the shared problem collector, if the diagnostics plugin is installed
    from diagnostics import collector as _collector
except ImportError:  # pragma: no cover - diagnostics is always on in regiosite
    _collector = None


def _problems() -> set:
    return set(_collector.all()) if _collector is not None else set()


def _replay(problems) -> None:
    if _collector is not None:
        for problem in problems:
            _collector.add(problem)


#: Files the reader cache is split into, by path: an edit rewrites one of
#: them, not the whole cache (20 MB at 5,000 news items, 0.15 s per rebuild).
SHARDS = 16


def _shard(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS


def _load(path: Path, key: bytes) -> tuple | None:
    """What ``path`` stores under ``key``, None if missing or stale."""
    try:
        with path.open("rb") as handle:
            stored_key, *values = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:
        logger.debug("incremental: unreadable cache file %s, ignored", path)
        return None
    return tuple(values) if stored_key == key else None


def file_digest(path: str) -> tuple[tuple[int, int], str]:
    """The file's stamp (size, modification time) and the hash of its bytes.

    The stamp is taken first: if the file changes while it is read, the
    next build sees a newer stamp and hashes it again.
    """
    st = os.stat(path)
    with open(path, "rb") as handle:
        value = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    return (st.st_size, st.st_mtime_ns), value


def _detach(value: Any) -> Any:
    """A copy without the settings dict that categories and tags carry."""
    if isinstance(value, URLWrapper):
        clone = copy.copy(value)
        clone.settings = None
        return clone
    if isinstance(value, list | tuple):
        return type(value)(_detach(v) for v in value)
    if isinstance(value, dict):
        return {k: _detach(v) for k, v in value.items()}
    return value


def _wrapper_key(wrapper: URLWrapper) -> tuple:
    """What makes two categories, tags or authors the same one."""
    return (type(wrapper), wrapper._name, wrapper._slug_from_name or wrapper._slug)


def _attach(value: Any, settings: dict, shared: dict) -> Any:
    """``value`` with the build's settings put back into categories and tags.

    One object per category, tag and author (``shared``), as if a single
    reader had created them all: each computes its slug once per build rather
    than once per article (Pelican's slugify runs a dozen regular expressions).
    """
    if isinstance(value, URLWrapper):
        key = _wrapper_key(value)
        found = shared.get(key)
        if found is None:
            found = shared[key] = copy.copy(value)
            found.settings = settings
        return found
    if isinstance(value, list | tuple):
        return type(value)(_attach(v, settings, shared) for v in value)
    if isinstance(value, dict):
        return {k: _attach(v, settings, shared) for k, v in value.items()}
    return value


class ReaderCache:
    """``path → (digest, content, detached metadata, problems, calls)``.

    One per output folder; ``calls`` are the recorded reader calls
    (:mod:`incremental.effects`), made again on every hit.

    It also remembers Pelican's ``slugify`` answers (:meth:`slugify`): every
    build creates all content objects again, and ``Content.__init__``
    derives each slug from the title with regular expressions and Unicode
    normalisation, 0.1 ms a call, half a second of a rebuild at 5,000 news
    items. The answers live under the same key as the entries (settings,
    plugin code, library versions), so a changed substitution table or
    Pelican version starts afresh.
    """

    def __init__(self, location, key: bytes, settings: dict) -> None:
        self.location = Path(location)
        self.key = key
        self.settings = settings
        self.entries: dict[str, tuple] = {}
        self.seen: set[str] = set()
        #: Shards whose entries changed (written by :meth:`save`).
        self.dirty: set[int] = set()
        self.hits = 0
        self.misses = 0
        self.prefilled: set[int] = set()
        self.incoming: Prefill | None = None
        self._digests: dict[str, tuple[tuple[int, int], str]] = {}
        self._wrappers: dict[tuple, URLWrapper] = {}
        self.slugs: dict[tuple, str] = {}
        self._slugs_used: set[tuple] = set()
        self._subs_repr: tuple | None = None  # see _subs_key
        self._index_changed = False
        for shard in range(SHARDS):
            found = _load(self._shard_file(shard), key)
            if found is None:
                self.dirty.add(shard)  # missing or stale: written anew
            else:
                self.entries.update(found[0])
        found = _load(self.location / "index.pickle", key)
        if found is not None:
            self.slugs, self._digests = found

    def _shard_file(self, shard: int) -> Path:
        return self.location / f"{shard:02d}.pickle"

    def put(self, path: str, entry: tuple) -> None:
        """Store ``entry`` for ``path``."""
        self.entries[path] = entry
        self.dirty.add(_shard(path))

    def slugify(
        self, slugify, value, regex_subs=(), preserve_case=False, use_unicode=False
    ) -> str:
        """``slugify(value, …)``, answered from earlier builds where possible."""
        options = {
            "regex_subs": regex_subs,
            "preserve_case": preserve_case,
            "use_unicode": use_unicode,
        }
        key = (value, self._subs_key(regex_subs), preserve_case, use_unicode)
        try:
            slug = self.slugs.get(key)
        except TypeError:  # not hashable (a field written twice is a list)
            return slugify(value, **options)
        self._slugs_used.add(key)
        if slug is None:
            slug = self.slugs[key] = slugify(value, **options)
            self._index_changed = True
        return slug

    def _subs_key(self, regex_subs) -> str:
        """``repr(regex_subs)``, made once per settings list, not per call.

        Content objects pass the same list from the settings at every call
        (10,000 calls per build at 5,000 news items and photos); its copy
        kept here tells whether it has changed since.
        """
        held = self._subs_repr
        if held is not None and held[0] is regex_subs and held[1] == regex_subs:
            return held[2]
        text = repr(regex_subs)
        self._subs_repr = (regex_subs, copy.deepcopy(regex_subs), text)
        return text

    def share(self, wrapper: URLWrapper) -> URLWrapper:
        """This build's one object for ``wrapper``'s kind and name."""
        return self._wrappers.setdefault(_wrapper_key(wrapper), wrapper)

    def digest(self, path: str) -> str:
        """The hash of the file's bytes, read again only when its stamp changed.

        Hashes are kept with the cache by size and modification time, the
        stamps the whole build's "nothing changed" test trusts too: reading
        and hashing every text again cost 0.1 s per rebuild at 5,000.
        """
        st = os.stat(path)
        known = self._digests.get(path)
        if known and known[0] == (st.st_size, st.st_mtime_ns):
            return known[1]
        return self._remember_digest(path, file_digest(path))

    def _remember_digest(self, path: str, stamped: tuple) -> str:
        self._digests[path] = stamped
        self._index_changed = True
        return stamped[1]

    def lookup(self, path: str) -> tuple[Any, dict] | None:
        if self.incoming is not None and path in self.incoming.pending:
            self.incoming.receive(self, until=path)
        entry = self.entries.get(path)
        if entry is None or entry[0] != self.digest(path):
            return None
        if entry[4] and not effects.replay(entry[4]):
            return None  # something the extensions consulted has changed
        self.seen.add(path)
        self.hits += 1
        _replay(entry[3])
        return entry[1], _attach(entry[2], self.settings, self._wrappers)

    def store(self, path: str, digest: str, content, metadata, problems, calls) -> None:
        self.put(path, (digest, content, _detach(metadata), tuple(problems), calls))
        self.seen.add(path)

    def save(self) -> None:
        """Write the shards that changed, and the slugs and hashes if they did."""
        for path in set(self.entries) - self.seen:
            del self.entries[path]
            self.dirty.add(_shard(path))
        for key in set(self.slugs) - self._slugs_used:
            del self.slugs[key]
            self._index_changed = True
        digests = {p: d for p, d in self._digests.items() if p in self.entries}
        if len(digests) != len(self._digests):
            self._digests = digests
            self._index_changed = True
        shards: dict[int, dict] = {shard: {} for shard in self.dirty}
        if shards:
            for path, entry in self.entries.items():
                found = shards.get(_shard(path))
                if found is not None:
                    found[path] = entry
        for shard, entries in sorted(shards.items()):
            dump(self._shard_file(shard), (self.key, entries))
        if self._index_changed:
            index = (self.key, self.slugs, self._digests)
            dump(self.location / "index.pickle", index)
        self.dirty.clear()
        self._index_changed = False


def dump(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path`` atomically; on failure leave no file.

    For caches only: a file that could not be written is simply computed
    again next time.
    """
    temporary = path.with_name(f"{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:
        # Something a plugin put into metadata cannot be pickled: the files
        # of that shard are simply read again next time.
        logger.debug("incremental: cache file %s not saved", path, exc_info=True)
        for leftover in (temporary, path):
            with contextlib.suppress(OSError):
                os.remove(leftover)


def cached_read(cache: ReaderCache, original, path: str):
    """Replacement for ``reader.read(path)``."""
    found = cache.lookup(path)
    if found is not None:
        return found
    try:
        digest = cache.digest(path)  # before reading: see file_digest
    except OSError:
        digest = None  # Pelican's reader reports the missing file
    before = _problems()
    effects.start()
    try:
        content, metadata = original(path)
    finally:
        try:
            calls = effects.stop()
        except Exception:  # arguments that cannot be stored: never cache this file
            calls = None
    cache.misses += 1
    if calls is not None and digest is not None:
        cache.store(path, digest, content, metadata, _problems() - before, calls)
    return content, metadata


# --- parallel prefill ----------------------------------------------------------

#: Set in the parent just before forking: extension → original read function.
_worker_readers: dict[str, Any] = {}


def _read_in_worker(path: str):
    """Runs in a forked worker: read one file, return picklable results."""
    try:
        extension = os.path.splitext(path)[1][1:].lower()
        read = _worker_readers[extension]
        stamped = file_digest(path)  # before reading: see file_digest
        before = _problems()
        effects.start()
        try:
            content, metadata = read(path)
        finally:
            calls = effects.stop()
        problems = tuple(_problems() - before)
        result = (path, stamped, content, _detach(metadata), problems, calls)
        pickle.dumps(result)  # fail here, not in the pool's result handler
        return result
    except Exception:
        # Pelican reports the problem when it reads the file itself.
        return (path, None, None, None, None, None)


class Prefill:
    """Files a pool of workers is reading, received in the order handed out.

    Eight chunks per worker, however many files. Each chunk's results reach
    this process through the pool's result thread, which shares the
    interpreter lock with the main thread while that one makes Pelican's
    objects of earlier results; with fewer hand-overs, probably, the workers
    wait less. At 5,000 news items chunks of 312 instead of at most 32 files
    ended the reading 0.2 s sooner (chunks of 100 to 312 did about as well),
    and a cold build took 11.80 instead of 12.13 s (5 of 5 pairs,
    ``bench/ab.py``).
    """

    def __init__(self, paths: list[str], processes: int) -> None:
        self.pending = set(paths)
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(paths) // (processes * 8))
        # Workers collect garbage as usual (the build pauses it only here).
        self.pool = context.Pool(processes, initializer=gc.enable)
        self.results = self.pool.imap(_read_in_worker, paths, chunksize=chunk)

    def receive(self, cache: ReaderCache, until: str | None = None) -> None:
        """Store results in ``cache`` up to ``until`` (``None``: all of them)."""
        for path, stamped, content, metadata, problems, calls in self.results:
            self.pending.discard(path)
            if stamped is not None:
                digest = cache._remember_digest(path, stamped)
                cache.put(path, (digest, content, metadata, problems, calls))
            if not self.pending:
                break  # all in: the workers go before Pelican goes on
            if path == until:
                return
        self.close(cache)

    def close(self, cache: ReaderCache) -> None:
        """Stop the workers (at once if results are still outstanding)."""
        if self.pending:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()
        if cache.incoming is self:
            cache.incoming = None


def finish_prefill(cache: ReaderCache, *, keep: bool = True) -> None:
    """End the running prefill: take in the rest, or (``keep=False``) drop it."""
    if cache.incoming is None:
        return
    if keep:
        cache.incoming.receive(cache)
    else:
        cache.incoming.close(cache)


def prefill(cache: ReaderCache, generator, *folders: tuple[str, str]) -> None:
    """Start reading every uncached file of ``generator`` in parallel.

    ``folders`` are pairs of settings naming paths and excludes, such as
    ``("ARTICLE_PATHS", "ARTICLE_EXCLUDES")``. The articles' pool reads the
    pages' files too, after the articles': while this process still builds
    the last articles, the workers read the pages, instead of a pool forked
    again for the pages' few dozen files after the articles (about 0.2 s on
    one core at 5,000 news items). The pages' readers are the articles'
    (the same settings); the page generator then finds them in the cache.
    """
    if id(generator) in cache.prefilled:
        return
    cache.prefilled.add(id(generator))
    finish_prefill(cache)  # the previous generator's, should any be left
    settings = generator.settings
    processes = settings.get("INCREMENTAL_PROCESSES") or os.cpu_count() or 1
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    readers = {
        extension: reader._incremental_original_read
        for extension, reader in generator.readers.readers.items()
        if reader is not None and hasattr(reader, "_incremental_original_read")
    }
    missing = []
    relatives = [
        relative
        for paths_setting, exclude_setting in folders
        for relative in generator.get_files(
            settings[paths_setting], exclude=settings[exclude_setting]
        )
    ]
    for relative in relatives:
        path = os.path.join(generator.path, relative)
        extension = os.path.splitext(path)[1][1:].lower()
        if extension not in readers:
            continue
        entry = cache.entries.get(path)
        try:
            if entry is None or entry[0] != cache.digest(path):
                missing.append(path)
        except OSError:
            continue
    if len(missing) < settings.get("INCREMENTAL_PARALLEL_MIN_FILES", 40):
        return
    _worker_readers.clear()
    _worker_readers.update(readers)
    cache.incoming = Prefill(missing, processes)  # the workers are forked here
    _worker_readers.clear()
    logger.debug(
        "incremental: reading %d files in %d processes", len(missing), processes
    )
