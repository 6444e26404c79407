"""Signal wiring of the incremental plugin."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import shutil
import time
import types
from collections.abc import Collection
from itertools import groupby
from operator import attrgetter

from jinja2 import FileSystemBytecodeCache
from pelican import contents as pelican_contents
from pelican import generators as pelican_generators
from pelican import signals
from pelican import utils as pelican_utils
from pelican.cache import FileStampDataCacher
from pelican.urlwrappers import URLWrapper
from pelican.utils import clean_output_dir, get_original_items

from . import fragments, outputs, reading, writer
from .build import Build

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    "INCREMENTAL_ENABLED": True,
    # Where keys, the reader cache and stats live; None: <CACHE_PATH>/incremental.
    "INCREMENTAL_CACHE_PATH": None,
    # Worker processes for reading and rendering; None: one per CPU, 1: serial.
    "INCREMENTAL_PROCESSES": None,
    # Fewer uncached files than this are read serially (forking costs ~50 ms).
    "INCREMENTAL_PARALLEL_MIN_FILES": 40,
    # Fewer pages to render than this (per generator) are rendered serially.
    "INCREMENTAL_PARALLEL_MIN_PAGES": 200,
    # Data files below PATH whose change re-renders every page (registries …).
    "INCREMENTAL_DATA_FILES": ["*.yml", "*.yaml", "*.json", "*.toml", "*.csv"],
    # Of those, paths below PATH that a plugin loads itself in every build and
    # hands on only through reader calls and values on content objects or in
    # the context, which the keys see: a change re-renders only the pages
    # showing it. Plugins add their own (partners: PARTNERS_FILE).
    "INCREMENTAL_TRACKED_DATA_FILES": [],
    # Further files or folders every page depends on.
    "INCREMENTAL_EXTRA_INPUTS": [],
    # Pause Python's cyclic garbage collector in the main process while
    # building (see ``_paused_gc``); worker processes keep it.
    "INCREMENTAL_PAUSE_GC": True,
    # Settings that must not invalidate anything (none by default).
    "INCREMENTAL_IGNORED_SETTINGS": [],
    # Modules of other plugins that write output files with open(path, "w"):
    # their files are compared first, so unchanged ones keep their time.
    "INCREMENTAL_COMPARING_MODULES": ["pelican.plugins.sitemap.sitemap"],
    # Keep every page written, by key, and link it into a later build of the
    # same output path that starts from an empty folder (publishconf.py).
    "INCREMENTAL_STORE_PAGES": False,
}

#: The reader cache of the running build; whether the last build in this
#: process left its heap frozen (``_paused_gc``); the running build's
#: compiled templates (``_compiled_templates``).
_state: dict[str, object] = {"cache": None, "frozen": False, "templates": None}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    if not pelican.settings["INCREMENTAL_ENABLED"]:
        return
    # The fingerprint is taken when run() starts, after every plugin's
    # ``initialized`` handler has added its defaults to the settings.
    original = pelican.run

    @functools.wraps(original)
    def run():
        with _paused_gc(pelican.settings["INCREMENTAL_PAUSE_GC"]):
            _run(pelican, original)

    pelican.run = run


def _compiled_templates(settings: dict, build: Build) -> FileSystemBytecodeCache | None:
    """A bytecode cache for Jinja, unless the settings name one (``None``: none).

    Every build compiled every template again (0.15 s). Jinja keys its cache
    by template name and source only, but what a template compiles to also
    depends on the environment's options (``trim_blocks``, extensions …)
    and, since Jinja works out a filter with constant arguments while it
    compiles (``"/" | absolute_url`` became the ``SITEURL`` of the build that
    compiled it), on the filters' code and the settings and files they read.
    So the folder is named by the build's global key, which covers settings,
    plugin code and theme; a change to any of them compiles every template
    again, as it renders every page again. The :data:`KEPT_TEMPLATE_FOLDERS`
    folders used last are kept (``invoke build`` and ``invoke publish`` take
    turns), and none used in the last hour (a build that may still run).
    """
    if "bytecode_cache" in (settings.get("JINJA_ENVIRONMENT") or {}):
        return None
    base = settings["INCREMENTAL_CACHE_PATH"] or os.path.join(
        settings.get("CACHE_PATH", "cache"), "incremental"
    )
    folder = os.path.join(base, "jinja-" + build.global_key.hex()[:16])
    os.makedirs(folder, exist_ok=True)
    os.utime(folder)  # used now
    _remove_unused_template_folders(base)
    return FileSystemBytecodeCache(folder)


#: Folders of compiled templates kept for other settings (see above).
KEPT_TEMPLATE_FOLDERS = 4


def _remove_unused_template_folders(base: str) -> None:
    folders = []
    for entry in os.scandir(base):
        if entry.name.startswith("jinja-") and entry.is_dir():
            folders.append((entry.stat().st_mtime, entry.path))
    folders.sort(reverse=True)
    an_hour_ago = time.time() - 3600
    for used, path in folders[KEPT_TEMPLATE_FOLDERS:]:
        if used < an_hour_ago:
            shutil.rmtree(path, ignore_errors=True)


def _run(pelican, original) -> None:
    """One build: skipped when nothing changed, else Pelican's with the caches."""
    build = Build(pelican)
    if build.unchanged():
        build.skipped()
        return
    if build.crashed:
        logger.warning(
            "incremental: the last build stopped while writing; rebuilding "
            "%s from scratch",
            build.output_path,
        )
        if os.path.isdir(build.output_path):
            clean_output_dir(build.output_path, pelican.output_retention)
        (build.dir / "writing").unlink(missing_ok=True)
        build.previous.outputs.clear()
        build.previous.static.clear()
        build.previous.stored.clear()  # the page store's records too
    build.dir.mkdir(parents=True, exist_ok=True)
    # The cache was one file, read.pickle, before it was split into shards.
    (build.dir / "read.pickle").unlink(missing_ok=True)
    cache = reading.ReaderCache(build.dir / "read", build.read_key, pelican.settings)
    _state["cache"] = cache
    writer.current = build
    outputs._build = build
    _state["templates"] = _compiled_templates(pelican.settings, build)
    writer.clear_references(build.dir / "templates.pickle")
    # Content.__init__ looks slugify up in its module at every call, and
    # pelican.utils.copy its copy_file (the theme's static files); both are
    # swapped for the build, like process_translations below.
    slugify = pelican_contents.slugify
    pelican_contents.slugify = functools.partial(cache.slugify, slugify)
    copy_file = pelican_utils.copy_file
    pelican_utils.copy_file = outputs.copy_if_changed
    # The generators call process_translations by the name they imported.
    translations = pelican_generators.process_translations
    pelican_generators.process_translations = process_translations
    try:
        with outputs.comparing_writes(
            pelican.settings["INCREMENTAL_COMPARING_MODULES"]
        ):
            original()
        writer.flush()  # pages written outside a generator's output step
        reading.finish_prefill(cache)
        build.reads = {"cached": cache.hits, "read": cache.misses}
        cache.save()
        writer.parsed.save(build.dir / "templates.pickle")
        build.finish()
    finally:
        reading.finish_prefill(cache, keep=False)  # a failed build's workers
        pelican_contents.slugify = slugify
        pelican_utils.copy_file = copy_file
        pelican_generators.process_translations = translations
        writer.current = None
        outputs._build = None
        _state["cache"] = None
        _state["templates"] = None


@contextlib.contextmanager
def _paused_gc(pause: bool):
    """Build without Python's cyclic garbage collector in this process.

    A build holds millions of long-lived objects (every content object,
    its metadata, the cache) and makes few cycles to free (about 4,000
    objects per build). The collector still walks the whole heap again and
    again: at 5,000 news items it took 1.2 to 2.7 s of the main process's
    6 to 8 s in a rebuild after one edit. Worker processes collect as usual
    (their pools start with ``gc.enable``): there, pausing it cost 30 MB.
    Where this process renders pages itself, the collector runs over what
    rendering makes (``writer.collecting_young_garbage``).

    The build ends by freezing what it holds (``gc.freeze``): the collection
    Python makes when the process exits skips frozen objects, and walking
    the build's heap there took 0.8 to 0.9 s after a build at 5,000 news
    items (py-spy: ``gc_collect_main`` after ``main`` returned).

    When builds repeat in one process (``invoke livereload``), the next
    build first unfreezes and collects, freeing whatever the earlier one
    left in cycles (measured at 5,000 news items: 18 objects in 0.07 s, the
    rest is freed by reference counting), also when that build does not
    pause. The first build of a process skips that: there it found next to
    nothing and cost 0.12 s, walking every imported module's objects.
    """
    if _state.get("frozen"):
        gc.unfreeze()
        gc.collect()
        _state["frozen"] = False
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        _state["frozen"] = True
        gc.enable()


def _route_through_cache(readers) -> None:
    """Route every reader through the content-hash cache.

    Done at the first ``*_preread`` rather than at ``readers_init``, which
    Pelican sends before it creates the reader instances.
    """
    for reader in readers.readers.values():
        if reader is None or hasattr(reader, "_incremental_original_read"):
            continue
        original = reader.read
        reader._incremental_original_read = original

        def read(path, _original=original):
            cache = _state["cache"]
            if cache is None:
                return _original(path)
            return reading.cached_read(cache, _original, path)

        reader.read = read


def generator_init(generator) -> None:
    """Stop Pelican stamping files for a content cache that is switched off.

    Pelican's generators and readers ask for a file's modification time
    before and after reading it (four ``stat`` calls per file), also when
    ``CACHE_CONTENT`` is off and the stamp is thrown away: 0.3 s of every
    rebuild at 5,000 news items and 5,000 photos. Our reader cache replaces
    Pelican's; when Pelican's is on, it keeps its stamps.

    Connected to ``generator_init`` (the readers exist then) and to the
    article and page generators' own init signals (their cache is set up
    after ``generator_init``).
    """
    if _state["cache"] is None:
        return
    for cacher in (generator, getattr(generator, "readers", None)):
        if not isinstance(cacher, FileStampDataCacher):
            continue
        if not hasattr(cacher, "_cache_data_policy"):
            continue  # a caching generator at ``generator_init``: not set up yet
        if not (cacher._cache_data_policy or cacher._cache):
            cacher._filestamp_func = _no_stamp


def compiled_templates(generator) -> None:
    """Give the generator's Jinja environment the build's bytecode cache.

    Set on the environment, not in ``JINJA_ENVIRONMENT``: the settings are
    part of the key that names the cache's folder.
    """
    if _state["templates"] is not None:
        generator.env.bytecode_cache = _state["templates"]


def template_globals(generator) -> None:
    """Give the theme ``once`` (:mod:`.fragments`), also when the cache is off."""
    generator.env.globals["once"] = fragments.once


def _no_stamp(filename: str) -> None:
    """The stamp of a file for a cache that keeps nothing."""
    del filename


def article_generator_preread(generator) -> None:
    cache = _state["cache"]
    if cache is not None:
        _route_through_cache(generator.readers)
        reading.prefill(
            cache,
            generator,
            ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
            ("PAGE_PATHS", "PAGE_EXCLUDES"),  # read next, in the same pool
        )


def page_generator_preread(generator) -> None:
    cache = _state["cache"]
    if cache is not None:
        _route_through_cache(generator.readers)
        reading.prefill(cache, generator, ("PAGE_PATHS", "PAGE_EXCLUDES"))


def content_object_init(content) -> None:
    """One author and one category object per name, for every content object.

    Pelican gives each file without an ``Author`` header an ``Author(AUTHOR)``
    of its own, and each static file a category named after its folder; each
    object computes the same slug again (5,000 photos: 10,000 slugify calls,
    each a dozen regular expressions). Read results from the cache are shared
    the same way (``reading._attach``).
    """
    cache = _state["cache"]
    if cache is None:
        return
    _remember_relative_source_path(content)
    for name in ("author", "category"):
        value = content.__dict__.get(name)
        if isinstance(value, URLWrapper):
            shared = cache.share(value)
            if shared is not value:
                setattr(content, name, shared)
                if content.metadata.get(name) is value:
                    content.metadata[name] = shared


def _remember_relative_source_path(content) -> None:
    """Compute a content object's path relative to PATH once, not per address.

    Pelican's ``url_format`` (behind every ``url`` and ``save_as``) computes
    it anew each time, two ``abspath`` and a ``relpath``: 80,000 times per
    rebuild at 5,000 news items, half a second. The answer depends only on
    ``source_path`` and PATH, so it is kept for as long as ``source_path``
    stays the same. A bound method, so the object still pickles (it then
    falls back to Pelican's method).

    Computed here rather than at the first call: the remembered value is an
    attribute, and page keys must not depend on which object happened to be
    asked for its address first (``writer.flush``).
    """
    # Content.__init__ has just computed it (``relative_source_path``).
    own = content.__dict__.get("relative_source_path")
    if own is None:
        own = type(content).get_relative_source_path(content)
    content._relative_source_path = (content.source_path, own)
    content.get_relative_source_path = types.MethodType(
        get_relative_source_path, content
    )


def get_relative_source_path(content, source_path: str | None = None) -> str | None:
    """``Content.get_relative_source_path``, remembered per object."""
    compute = type(content).get_relative_source_path
    own = content.source_path
    if source_path and source_path != own:
        return compute(content, source_path)
    remembered = content.__dict__.get("_relative_source_path")
    if remembered is None or remembered[0] != own:
        remembered = content._relative_source_path = (own, compute(content))
    return remembered[1]


class ArticleList(list):
    """A list of articles whose ``in`` is a set lookup by identity.

    Pelican renders every tag, category and author page with
    ``[a for a in self.dates if a in articles]``: each article of the site
    against the whole list, per taxonomy page. At 5,000 news items that
    quadratic step took 1.2 s of every build. Content objects compare by
    identity (they define no ``__eq__``), so the answer is the same.
    """

    __slots__ = ("_ids",)

    def __contains__(self, item) -> bool:
        ids = getattr(self, "_ids", None)
        # Every change but replacing items changes the length.
        if ids is None or len(ids) != len(self):
            ids = self._ids = {id(article) for article in self}
        return id(item) in ids

    def __setitem__(self, index, value) -> None:
        self._ids = None
        super().__setitem__(index, value)

    def __getstate__(self) -> None:
        return None  # identities mean nothing in a copy: build the set anew


def process_translations(
    content_list: list, translation_id: str | Collection[str] | None = None
) -> tuple[list, list]:
    """Pelican's ``utils.process_translations`` (4.12) without its hidden N².

    Pelican ends with ``[x for x in content_list if x not in index]``: every
    content object looked up in a list of all of them, 0.17 s of every build
    at 5,000 news items and four times that at 10,000. Here the lookup is by
    identity in a set (content objects compare by identity); everything else
    is Pelican's code, so the answer and the warnings are the same.
    """
    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    index = []
    try:
        content_list.sort(key=attrgetter(*translation_id))
    except TypeError:
        raise TypeError(
            f"Cannot unpack {translation_id}, 'translation_id' must be falsy, a"
            " string or a collection of strings"
        ) from None
    except AttributeError:
        raise AttributeError(
            f"Cannot use {translation_id} as 'translation_id', there "
            "appear to be items without these metadata "
            "attributes"
        ) from None
    for id_vals, items in groupby(content_list, attrgetter(*translation_id)):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id
        ).format(*id_vals)
        items = list(items)
        original_items = get_original_items(items, with_str)
        index.extend(original_items)
        for a in items:
            a.translations = [x for x in items if x != a]
    originals = {id(x) for x in index}
    translations = [x for x in content_list if id(x) not in originals]
    return index, translations


def article_generator_finalized(generator) -> None:
    """Give the taxonomy lists ``ArticleList`` before any page is rendered."""
    for tag, articles in generator.tags.items():
        generator.tags[tag] = ArticleList(articles)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name)
        pairs[:] = [(wrapper, ArticleList(articles)) for wrapper, articles in pairs]
    # Pelican's context holds the tags as a list of pairs made from the dict
    # (the category and author lists are the generator's own objects).
    generator.context["tags"] = list(generator.tags.items())


def get_writer(pelican):
    fragments.clear()
    if writer.current is None:
        return None
    writer.current.begin_writing()
    return writer.IncrementalWriter


def all_generators_finalized(generators) -> None:
    """Pages wait for worker processes; render them when a generator is done.

    Each generator's output is complete before the next one (and before
    ``finalized``, where post-build plugins read the output) starts.
    """
    if writer.current is None:
        return
    for generator in generators:
        original = getattr(generator, "generate_output", None)
        if original is None or hasattr(original, "_incremental"):
            continue

        def generate_output(output_writer, _original=original):
            # Renders the pages here when serial; queues them for flush() if not.
            with writer.collecting_young_garbage():
                _original(output_writer)
            writer.flush()

        generate_output._incremental = True
        generator.generate_output = generate_output


def static_generator_finalized(generator) -> None:
    if writer.current is not None:
        writer.current.add_static(
            [os.path.normpath(s.save_as) for s in generator.staticfiles]
        )


def finalized(pelican) -> None:
    fragments.clear()
    # Stale pages go before the other plugins' ``finalized`` receivers run
    # (this plugin is listed before them): the search index must not list
    # a page that is about to be deleted.
    if writer.current is not None:
        writer.current.remove_stale()


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.generator_init.connect(template_globals)
    signals.generator_init.connect(compiled_templates)
    signals.article_generator_init.connect(generator_init)
    signals.page_generator_init.connect(generator_init)
    signals.article_generator_preread.connect(article_generator_preread)
    signals.page_generator_preread.connect(page_generator_preread)
    signals.content_object_init.connect(content_object_init)
    signals.article_generator_finalized.connect(article_generator_finalized)
    signals.get_writer.connect(get_writer)
    signals.static_generator_finalized.connect(static_generator_finalized)
    signals.finalized.connect(finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
