"""A Pelican writer that renders a page only when its inputs changed.

Every output file gets a key: the build's global key (settings, theme,
plugin code, data files) plus the fingerprints of exactly the values its
templates can reach — found by walking the template with Jinja's own
``meta`` helpers through ``extends``/``include``/``import``. A rebuild
re-renders a page only if that key changed or the file on disk is not the one
we wrote. Files whose new bytes equal the old ones are not rewritten.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import pickle
import time
from pathlib import Path

from jinja2 import meta
from pelican.contents import Content, Static
from pelican.plugins import signals
from pelican.utils import (
    get_relative_path,
    path_to_url,
    sanitised_join,
)
from pelican.writers import Writer

from . import fingerprint, reading
from .build import Build
from .outputs import write_if_changed

logger = logging.getLogger(__name__)

#: The current build; set by the plugin for the duration of ``pelican.run()``.
current: Build | None = None
#: The writer of the current build (for :func:`flush`).
_active: IncrementalWriter | None = None
#: Jobs handed to forked workers (read by index in the workers), and the
#: counter, chunk size and function by which they claim them (:func:`_drain`).
_pending: list | None = None
_shared: tuple | None = None


@contextlib.contextmanager
def collecting_young_garbage():
    """Let the collector free the cycles made here while the build pauses it.

    The build pauses Python's collector (``plugin._paused_gc``) because it
    walked the whole long-lived heap again and again. Rendering, though,
    makes cycles (Jinja's contexts and macros): a serial build at 5,000
    news items peaked at 391 MB with the collector paused throughout, at
    245 MB with this (231 MB with the collector never paused). Here the
    heap that exists so far is frozen, so the collector, switched on, looks
    only at what is made inside the block; afterwards it is paused again and
    the heap unfrozen (both O(1)). Where the collector runs anyway (worker
    processes, ``INCREMENTAL_PAUSE_GC = False``) this does nothing.
    """
    if gc.isenabled():
        yield
        return
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.unfreeze()


def _page_key(template, localcontext: dict, name: str) -> bytes:
    references = template_references(template)
    if references is None:
        names = sorted(set(localcontext) | set(template.globals))
    else:
        names = sorted(references)
    values = []
    for variable in names:
        if variable in localcontext:
            values.append((variable, localcontext[variable]))
        elif variable in template.globals:
            values.append((variable, template.globals[variable]))
    # One digest for all named values (not a list of pairs): keys are
    # computed for every page of every build.
    visible = current.fingerprinter.fields(values)
    return current.page_key("page", name, template.name, visible)


def _key(job) -> bytes:
    """The page's key: what its templates can see, fingerprinted."""
    template, _context, make_local, name, _path = job
    return _page_key(template, make_local(), name)


def _render(job, key: bytes) -> tuple[bytes, bool, bool, tuple]:
    """Render and write one page (in the parent or a worker process)."""
    template, context, make_local, _name, path = job
    before = reading._problems()
    localcontext = make_local()
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    output = template.render(localcontext)
    wrote = write_if_changed(path, output.encode("utf-8"))
    # Problems reported while rendering (e.g. an unknown asset) travel back
    # from a worker process to the parent's collector.
    return key, True, wrote, tuple(reading._problems() - before)


def _key_index(index: int) -> tuple[bytes, frozenset[str]]:
    # The worker's volatile types travel back for the parent's report.
    key = _key(_pending[index])
    return key, frozenset(current.fingerprinter.volatile_types)


def _remembered_index(index: int) -> tuple[bytes | None, frozenset[str]]:
    digest = current.fingerprinter.remembered(_pending[index])
    return digest, frozenset(current.fingerprinter.volatile_types)


def _drain() -> list[tuple[int, list]]:
    """Compute chunks of :data:`_pending` until none is left (in every process).

    Chunks are claimed from a shared counter, so a process that is done
    early takes more, as ``Pool.map`` would hand them out.
    """
    claimed, chunk, function = _shared
    total = len(_pending)
    done = []
    while True:
        with claimed.get_lock():
            start = claimed.value
            claimed.value = start + chunk
        if start >= total:
            return done
        end = min(total, start + chunk)
        done.append((start, [function(index) for index in range(start, end)]))


def _render_index(index: int):
    job, key = _pending[index]
    return _render(job, key)


def flush() -> None:
    """Render what the active writer has waiting (after each generator)."""
    if _active is not None and current is not None:
        _active.flush()


#: Template name → names it can reach (``None``: unknown, use everything).
_references: dict[tuple[int, str], frozenset[str] | None] = {}


def _direct(environment, name: str) -> tuple[frozenset[str], tuple]:
    """Variables one template reads and the templates it pulls in (memoized).

    Memoized by the template's source and the options Jinja parses with,
    across the generators' environments (Pelican makes one per generator)
    and across builds (:data:`parsed`): parsing every template in every
    environment cost 0.15 s per build.
    """
    cache_key = (id(environment), name)
    found = _direct_cache.get(cache_key)
    if found is None:
        source = environment.loader.get_source(environment, name)[0]
        parsed_key = (name, fingerprint.digest(source), _syntax(environment))
        found = parsed.get(parsed_key)
        if found is None:
            ast = environment.parse(source)
            found = (
                frozenset(meta.find_undeclared_variables(ast)),
                tuple(meta.find_referenced_templates(ast)),
            )
            parsed.put(parsed_key, found)
        _direct_cache[cache_key] = found
    return found


def _syntax(environment) -> tuple:
    """What decides how Jinja parses (the key of ``jinja2.lexer.get_lexer``)."""
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
    )


_direct_cache: dict[tuple[int, str], tuple[frozenset[str], tuple]] = {}


class ParsedTemplates:
    """``(name, source digest, syntax)`` → what :func:`_direct` found.

    Kept in the build's state folder, so a build parses only templates whose
    source changed.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.entries: dict[tuple, tuple[frozenset[str], tuple]] = {}
        self.used: set[tuple] = set()
        self.changed = False

    def load(self, path) -> None:
        self.reset()
        try:
            with open(path, "rb") as handle:
                self.entries = pickle.load(handle)
        except Exception:  # missing, unreadable, another Python: parse again
            self.entries = {}

    def get(self, key: tuple):
        self.used.add(key)
        return self.entries.get(key)

    def put(self, key: tuple, value: tuple) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self, path) -> None:
        if not self.changed and self.used == set(self.entries):
            return
        kept = {key: self.entries[key] for key in self.used if key in self.entries}
        reading.dump(Path(path), kept)


parsed = ParsedTemplates()


def template_references(template) -> frozenset[str] | None:
    """Every variable the template (and what it extends, includes, imports) reads."""
    environment = template.environment
    cache_key = (id(environment), template.name)
    if cache_key in _references:
        return _references[cache_key]
    names: set[str] = set()
    seen: set[str] = set()
    pending = [template.name]
    result: frozenset[str] | None
    try:
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            variables, referenced = _direct(environment, name)
            names |= variables
            for other in referenced:
                if other is None:  # a computed template name
                    raise LookupError(name)
                pending.append(other)
        result = frozenset(names)
    except Exception:
        logger.debug("incremental: %s depends on everything", template.name)
        result = None
    _references[cache_key] = result
    return result


def clear_references(parsed_file=None) -> None:
    """Start a build: forget this process's answers, load the kept parses."""
    _references.clear()
    _direct_cache.clear()
    if parsed_file is None:
        parsed.reset()
    else:
        parsed.load(parsed_file)


class IncrementalWriter(Writer):
    """Pelican's writer plus keys: skips unchanged pages and unchanged bytes."""

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's overwrite rules (``Writer._open_w``) without opening the file."""
        if path in self._overridden_files:
            if override:
                raise RuntimeError(
                    f'Failed to overwrite "{path}" a second time (was previously '
                    "overwritten)"
                )
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files:
            if not override:
                raise RuntimeError(
                    f'Failed to overwrite "{path}" as Pelican has already written to '
                    "it previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', path)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings=settings)
        global _active
        _active = self
        processes = self.settings.get("INCREMENTAL_PROCESSES") or os.cpu_count() or 1
        self._processes = processes
        parallel = processes > 1 and "fork" in multiprocessing.get_all_start_methods()
        #: Pages waiting to be rendered by worker processes (parallel mode).
        self._jobs: list | None = [] if parallel else None

    def _page(self, template, context, make_local, name, override) -> None:
        if current is None:
            raise RuntimeError("incremental writer used outside a build")
        path = sanitised_join(self.output_path, name)
        if not self._claim(path, override):
            return
        job = (template, context, make_local, name, path)
        if self._jobs is not None:
            self._jobs.append(job)
            return
        key = _key(job)
        if current.reusable(path, key):
            self._finish(job, (key, False, False, ()))
        else:
            self._finish(job, _render(job, key))

    def flush(self) -> None:
        """Key, compare and render the waiting pages, over all cores when many.

        Rounds: the content objects' digests (``_digest_content``), then
        every page's key (fingerprinting all values of a large site costs as
        much as rendering a fair share of it, so it is spread over the
        workers too), then rendering the pages whose key changed. Keys are
        never computed after rendering in the same process: a template may
        fill in lazy attributes, and a key must not depend on which pages
        happened to be rendered before it.
        """
        jobs = self._jobs
        if not jobs:
            return
        self._jobs = []
        minimum = self.settings.get("INCREMENTAL_PARALLEL_MIN_PAGES", 200)
        started = time.perf_counter()
        if len(jobs) < minimum:
            keys = [_key(job) for job in jobs]
        else:
            self._digest_content(jobs[0][1])
            keys = []
            for key, volatile in self._map(_key_index, jobs):
                keys.append(key)
                current.fingerprinter.volatile_types |= volatile
        results: list = [None] * len(jobs)
        todo = []
        for index, (job, key) in enumerate(zip(jobs, keys, strict=True)):
            if current.reusable(job[4], key):
                results[index] = (key, False, False, ())
            else:
                todo.append((index, job, key))
        keyed = time.perf_counter()
        if len(todo) < minimum:
            with collecting_young_garbage():
                rendered = [_render(job, key) for _index, job, key in todo]
        else:
            rendered = self._map(_render_index, [(job, key) for _i, job, key in todo])
        for (index, *_job_and_key), result in zip(todo, rendered, strict=True):
            results[index] = result
        logger.debug(
            "incremental: %d keys in %.2f s, %d pages rendered in %.2f s",
            len(jobs),
            keyed - started,
            len(todo),
            time.perf_counter() - keyed,
        )
        # content_written's receivers (other plugins) run here, in this process.
        with collecting_young_garbage():
            for job, result in zip(jobs, results, strict=True):
                self._finish(job, result)

    def _digest_content(self, context: dict) -> None:
        """Digest the site's content objects once, spread over the workers.

        Nearly every page reaches most content objects (an article page its
        article, the lists all of them), so each key worker would digest
        all of them again: at 5,000 news items a second of each worker's
        1.9 s. Digested here, split between the workers, and remembered by
        this process before the key workers are forked, each object is
        digested once. The digests are the ones a worker would compute
        itself (:meth:`Fingerprinter.remembered`), so keys do not depend on
        whether this step ran.

        What a content object holds two attributes down (its hero figure
        and that figure's photo) is remembered too: other pages reach those
        objects without the content object (the Bildnachweis lists every
        photo's figure, 0.5 s of one worker otherwise).
        """
        fingerprinter = current.fingerprinter
        seen: set[int] = set()
        objects: list = []

        def add(value, depth: int) -> None:
            if id(value) in seen or fingerprinter.knows(value):
                return
            seen.add(id(value))
            objects.append(value)
            if depth < 2:
                for held in fingerprint.held_objects(value):
                    add(held, depth + 1)

        for value in context.values():
            if isinstance(value, list | tuple):
                for item in value:
                    if isinstance(item, Content) and not isinstance(item, Static):
                        add(item, 0)
        if len(objects) < self.settings.get("INCREMENTAL_PARALLEL_MIN_PAGES", 200):
            return
        for item, (digest, volatile) in zip(
            objects, self._map(_remembered_index, objects), strict=True
        ):
            if digest is not None:
                fingerprinter.remember(item, digest)
            fingerprinter.volatile_types |= volatile

    def _map(self, function, items: list) -> list:
        """``[function(i) for i in range(len(items))]``, here and in forked workers.

        This process takes its share rather than waiting for the workers:
        one worker fewer to fork and to fill with copies of the pages it
        touches. At 5,000 news items that made an edit rebuild 5 % faster
        (``bench/ab.py --scenario edit``: 5.16 → 4.92 s, median of 8) and a
        cold build 0.1-0.4 s. The price: this process peaks about 15 MB higher
        (a cold build: 209 → 225 MB max RSS, 3 alternating builds each), from
        what its share leaves behind (Pelican memoizes every HTML it makes;
        clearing that memo after each round did not lower the peak).
        """
        global _pending, _shared
        context = multiprocessing.get_context("fork")
        # Made before the fork, so every process claims chunks from it.
        claimed = context.Value("q", 0)
        chunk = max(1, min(64, len(items) // (self._processes * 8)))
        _pending, _shared = items, (claimed, chunk, function)
        helpers = self._processes - 1
        # Objects created before the fork are never collected in the workers,
        # so their memory pages stay shared (copy-on-write).
        gc.freeze()
        try:
            # Workers collect garbage as usual (plugin._paused_gc).
            with context.Pool(helpers, initializer=gc.enable) as pool:
                waiting = [pool.apply_async(_drain) for _ in range(helpers)]
                with collecting_young_garbage():  # rendering makes cycles
                    parts = [_drain()]
                parts += [result.get() for result in waiting]
        finally:
            gc.unfreeze()
            _pending = _shared = None
        results: list = [None] * len(items)
        for part in parts:
            for start, values in part:
                results[start : start + len(values)] = values
        return results

    def _finish(self, job, result) -> None:
        _template, _context, make_local, _name, path = job
        key, rendered, wrote, problems = result
        build = current
        build.record(path, key, rendered=rendered, wrote=wrote)
        reading._replay(problems)
        if wrote:
            logger.info('Writing "%s"', path)
        # Other plugins see every page, rendered now or kept from last time.
        if signals.content_written.receivers:
            signals.content_written.send(path, context=make_local())

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Same contract as :meth:`pelican.writers.Writer.write_file`."""
        if not name:
            return
        from pelican.paginator import Paginator

        def local(name, page_kwargs):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = name
            localcontext.update(page_kwargs)
            return localcontext

        if paginated is None:
            paginated = {
                key: val for key, val in kwargs.items() if key in {"articles", "dates"}
            }
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            paginators = {
                key: Paginator(name, url, val, self.settings, per_page)
                for key, val in paginated.items()
            }
            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = paginator.page(page_num) if page_num > 0 else None
                    page = paginator.page(page_num + 1)
                    next_page = (
                        paginator.page(page_num + 2)
                        if page_num + 1 < paginator.num_pages
                        else None
                    )
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                self._page(
                    template,
                    context,
                    functools.partial(local, page.save_as, paginated_kwargs),
                    page.save_as,
                    override_output,
                )
        else:
            self._page(
                template,
                context,
                functools.partial(local, name, kwargs),
                name,
                override_output,
            )

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Same contract as :meth:`pelican.writers.Writer.write_feed`."""
        build = current
        if not path or build is None:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        limit = self.settings["FEED_MAX_ITEMS"]
        shown = list(elements[:limit])
        visible = {
            k: context.get(k)
            for k in ("SITEURL", "FEED_DOMAIN", "SITENAME", "SITESUBTITLE")
        }
        key = build.page_key("feed", path, url, feed_type, feed_title, shown, visible)
        complete_path = sanitised_join(self.output_path, path)
        if not self._claim(complete_path, override_output):
            return None
        if build.reusable(complete_path, key):
            build.record(complete_path, key, rendered=False, wrote=False)
            return None
        self.site_url = context.get("SITEURL", path_to_url(get_relative_path(path)))
        self.feed_domain = context.get("FEED_DOMAIN")
        self.feed_url = self.urljoiner(self.feed_domain, url or path)
        feed = self._create_new_feed(feed_type, feed_title, context)
        for element in shown:
            self._add_item_to_the_feed(feed, element)
        signals.feed_generated.send(context, feed=feed)
        wrote = write_if_changed(
            complete_path, feed.writeString("utf-8").encode("utf-8")
        )
        build.record(complete_path, key, rendered=True, wrote=wrote)
        logger.info('Writing "%s"', complete_path)
        signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed
