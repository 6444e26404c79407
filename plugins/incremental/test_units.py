"""incremental: the shortcuts it gives Pelican's objects answer as Pelican would."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time

import pytest
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG, read_settings
from pelican.utils import SafeDatetime

from tests.support import (
    MINIMAL_SITE,
    ROOT,
    project_settings,
    run_probe,
    run_script,
    write_files,
)

from . import plugin
from .plugin import ArticleList, _remember_relative_source_path, process_translations

NEWS_ITEM = {
    "news/2024-05-02-messe.md": """
        Title: Ausbildungsmesse
        Date: 2024-05-02
        Category: Fachkräfte

        Über 80 Betriebe stellen sich vor.
        """,
}


def _article(root, name: str) -> Article:
    settings = {**DEFAULT_CONFIG, "PATH": str(root)}
    return Article(
        "<p>Text</p>",
        metadata={"title": name, "date": SafeDatetime(2024, 5, 2)},
        settings=settings,
        source_path=str(root / "news" / f"{name}.md"),
    )


def test_article_list_membership_is_identity_and_follows_changes(tmp_path):
    one, two, three = (_article(tmp_path, n) for n in ("eins", "zwei", "drei"))
    articles = ArticleList([one, two])
    assert one in articles and two in articles and three not in articles
    articles.append(three)
    assert three in articles
    articles.remove(one)
    assert one not in articles
    articles[0] = one  # replaced, the length stays
    assert one in articles and two not in articles
    articles[0] = two
    # An equal-looking but different object is not a member (Pelican's own
    # list compares Content objects by identity, too).
    assert _article(tmp_path, "zwei") not in articles
    copy = pickle.loads(pickle.dumps(articles))
    assert [a.title for a in copy] == ["zwei", "drei"] and copy[0] in copy


def test_remembered_relative_source_path_follows_a_moved_source(tmp_path):
    article = _article(tmp_path, "eins")
    _remember_relative_source_path(article)
    # Part of the object's state (and so of page keys) before anyone asks.
    assert article.__dict__["_relative_source_path"][1] == "news/eins.md"
    assert article.get_relative_source_path() == "news/eins.md"
    assert article.save_as == "eins.html"
    other = str(tmp_path / "pages" / "x.md")
    assert article.get_relative_source_path(other) == "pages/x.md"
    article.source_path = str(tmp_path / "news" / "2024" / "eins.md")
    assert article.get_relative_source_path() == "news/2024/eins.md"
    assert pickle.loads(pickle.dumps(article)).get_relative_source_path() == (
        "news/2024/eins.md"
    )


REPEATED_BUILDS = """
import gc, sys, weakref
from pathlib import Path
sys.path.insert(0, {root!r})
from pelican import signals
from tools.preview import build_once

class Cycle:
    pass

seen, cycles = [], []

def during(generator):
    # Garbage in a cycle, as a build leaves some: only the collector frees it.
    cycle = Cycle()
    cycle.me = cycle
    cycles.append(weakref.ref(cycle))
    seen.append((gc.isenabled(), [ref() is None for ref in cycles]))

signals.article_generator_finalized.connect(during, weak=False)
for settings in {settings!r}:
    problems = build_once(Path(settings), Path({content!r}), Path({output!r}))
    assert not problems, problems
    frozen = gc.get_freeze_count() > 1000
    seen.append(("after", gc.isenabled(), frozen, [r() is None for r in cycles]))
print(seen)
"""


def test_builds_pause_the_garbage_collector_and_give_it_back(tmp_path):
    """Two builds in one process, as ``invoke livereload`` runs them."""
    content = write_files(tmp_path / "content", {**MINIMAL_SITE, **NEWS_ITEM})
    settings = project_settings(tmp_path)
    unpaused = project_settings(
        tmp_path, "unpaused.py", extra="INCREMENTAL_PAUSE_GC = False\n"
    )
    script = REPEATED_BUILDS.format(
        root=str(ROOT),
        settings=[str(settings), str(settings), str(unpaused)],
        content=str(content),
        output=str(tmp_path / "output"),
    )
    result = run_script(script)
    assert result.returncode == 0, result.stderr
    # Paused during each build, frozen after it (the exit skips the walk);
    # the second build frees the first one's cycle, the frozen one included.
    # A third build that does not pause (and finds nothing changed) still
    # unfreezes and collects what the second one froze.
    assert result.stdout.strip().splitlines()[-1] == str(
        [
            (False, [False]),
            ("after", True, True, [False]),
            (False, [True, False]),
            ("after", True, True, [True, False]),
            ("after", True, False, [True, True]),
        ]
    )


WRITING_PROBE = """
import gc, sys, weakref
from pathlib import Path
sys.path.insert(0, {root!r})
from pelican import signals
from tools.preview import build_once

class Cycle:
    pass

states, cycles, kept = set(), [], []

def written(path, context):
    # Runs where the pages are rendered and recorded (this process).
    states.add((gc.isenabled(), gc.get_freeze_count() > 1000))
    cycle = Cycle()
    cycle.me = cycle
    cycles.append(weakref.ref(cycle))
    kept.append([[] for _ in range(1000)])  # as much as a page makes

signals.content_written.connect(written, weak=False)
problems = build_once(Path({settings!r}), Path({content!r}), Path({output!r}))
assert not problems, problems
print("PROBE", (len(cycles), sorted(states), [ref() is None for ref in cycles]))
"""


@pytest.mark.parametrize("processes", [1, 2])
def test_pages_written_in_the_main_process_have_their_cycles_collected(
    tmp_path, processes
):
    """The build pauses the collector, but not while this process renders:
    a serial build at 5,000 news items needed 391 MB instead of 245 MB."""
    content = write_files(tmp_path / "content", {**MINIMAL_SITE, **NEWS_ITEM})
    settings = project_settings(
        tmp_path, extra=f"INCREMENTAL_PROCESSES = {processes}\n"
    )
    count, states, freed = run_probe(
        WRITING_PROBE, settings=settings, content=content, output=tmp_path / "output"
    )
    assert count > 5
    # The collector runs, and looks only at what was made since the heap
    # that existed before rendering was frozen.
    assert states == [(True, True)]
    # Garbage cycles are freed while the build goes on (those made just
    # before the collector is paused again wait for a later build).
    assert any(freed)


def test_slugs_are_remembered_across_builds_under_the_same_key(tmp_path):
    from german import SLUG_SUBSTITUTIONS
    from pelican.utils import slugify

    from .reading import ReaderCache

    asked = []

    def counting(value, **options):
        asked.append(value)
        return slugify(value, **options)

    title = "Fachkräfte für Südostniedersachsen"
    options = {"regex_subs": SLUG_SUBSTITUTIONS, "use_unicode": True}
    first = ReaderCache(tmp_path / "read.pickle", b"key", {})
    assert first.slugify(counting, title, **options) == slugify(title, **options)
    assert (
        first.slugify(counting, title, **options)
        == "fachkraefte-fuer-suedostniedersachsen"
    )
    first.save()

    again = ReaderCache(tmp_path / "read.pickle", b"key", {})
    assert again.slugify(counting, title, **options) == slugify(title, **options)
    assert asked == [title], "answered from the earlier build"
    # Other substitutions are another question.
    assert again.slugify(counting, title, use_unicode=True) == slugify(
        title, use_unicode=True
    )
    assert len(asked) == 2
    # Another key (settings, plugin code, versions) starts afresh.
    ReaderCache(tmp_path / "read.pickle", b"other", {}).slugify(
        counting, title, **options
    )
    assert len(asked) == 3
    # A title written twice reaches slugify as a list: answered, not remembered.
    twice = ["Erster Titel", "Zweiter Titel"]
    remembered = dict(again.slugs)
    assert again.slugify(counting, twice, **options) == slugify(twice, **options)
    assert len(asked) == 4 and again.slugs == remembered
    # The same substitution list, changed in place (a plugin adding a rule),
    # is another question too, although it is the very same object.
    table = [list(rule) for rule in SLUG_SUBSTITUTIONS]
    changed = {**options, "regex_subs": table}
    assert again.slugify(counting, title, **changed) == slugify(title, **options)
    table[0][1] = "-ae-"  # "ä" → "-ae-"
    assert again.slugify(counting, title, **changed) == slugify(title, **changed)
    assert slugify(title, **changed) != slugify(title, **options)


@pytest.mark.parametrize("pelican_cache", [False, True])
def test_files_are_stamped_only_for_pelicans_own_cache(tmp_path, pelican_cache):
    # Pelican stats every file before and after reading it, for a cache it
    # may not keep; with ours running, that is skipped unless Pelican's
    # own cache is on.
    (tmp_path / "news").mkdir()
    source = tmp_path / "news" / "messe.md"
    source.write_text("Title: Messe\nDate: 2024-05-02\n\nText\n", "utf-8")
    settings = read_settings(
        override={
            "PATH": str(tmp_path),
            "CACHE_PATH": str(tmp_path / "cache"),
            "CACHE_CONTENT": pelican_cache,
            "CONTENT_CACHING_LAYER": "generator",
        }
    )
    generator = ArticlesGenerator(
        context={},
        settings=settings,
        path=str(tmp_path),
        theme=settings["THEME"],
        output_path=str(tmp_path / "output"),
    )
    plugin._state["cache"] = object()  # as during a build
    try:
        plugin.generator_init(generator)
    finally:
        plugin._state["cache"] = None
    stamp = generator._get_file_stamp("news/messe.md")
    if pelican_cache:
        assert stamp == source.stat().st_mtime
        generator.cache_data("news/messe.md", "gelesen")
        assert generator.get_cached_data("news/messe.md") == "gelesen"
    else:
        assert stamp is None
        assert generator.readers._get_file_stamp(str(source)) is None
        assert generator.get_cached_data("news/messe.md", "neu") == "neu"


def test_translations_are_found_as_pelican_finds_them(tmp_path):
    from pelican.utils import process_translations as pelicans

    def site() -> list[Article]:
        made = []
        for slug, lang, extra in [
            ("messe", "de", {}),
            ("messe", "en", {}),
            ("hafen", "en", {}),  # no German original: the English one is
            ("preis", "de", {"translation": "true"}),
            ("preis", "en", {}),
            ("gruendung", "de", {}),
            ("gruendung", "de", {}),  # the same slug twice: a warning
            ("einzeln", "fr", {"translation": "true"}),
        ]:
            article = _article(tmp_path, f"{slug}-{lang}")
            article.slug, article.lang = slug, lang
            article.in_default_lang = lang == "de"
            article.metadata.update(extra)
            made.append(article)
        return made

    def described(result) -> tuple:
        index, translations = result
        name = "{0.slug}/{0.lang}/{0.title}".format
        return (
            [name(a) for a in index],
            [name(a) for a in translations],
            sorted((name(a), sorted(map(name, a.translations))) for a in index),
        )

    expected = described(pelicans(site(), "slug"))
    assert described(process_translations(site(), "slug")) == expected
    assert described(process_translations(site(), ["slug", "lang"])) == described(
        pelicans(site(), ["slug", "lang"])
    )
    articles = site()
    assert process_translations(articles, None) == (articles, [])
    # Both kinds of translation occur (a duplicate slug stays an original).
    assert expected[1] == ["messe/en/messe-en", "preis/de/preis-de"]


def _shout(path: str):
    with open(path, encoding="utf-8") as handle:
        return handle.read().upper(), {"title": os.path.basename(path)}


def test_files_read_in_parallel_are_taken_in_order_and_the_workers_leave(tmp_path):
    """Pelican may ask for a file while the workers still read later ones."""
    from . import reading

    paths = []
    for number in range(12):
        path = tmp_path / f"meldung-{number:02d}.md"
        path.write_text(f"Meldung {number}", encoding="utf-8")
        paths.append(str(path))
    cache = reading.ReaderCache(tmp_path / "read.pickle", b"key", {})
    reading._worker_readers.update(md=_shout)
    try:
        cache.incoming = reading.Prefill(paths, processes=2)
    finally:
        reading._worker_readers.clear()
    workers = list(cache.incoming.pool._pool)

    assert cache.lookup(paths[3]) == ("MELDUNG 3", {"title": "meldung-03.md"})
    assert set(cache.entries) == set(paths[:4])  # what came before, no more
    assert cache.incoming is not None

    assert cache.lookup(paths[-1])[0] == "MELDUNG 11"
    assert cache.incoming is None  # all in: the pool is closed and joined
    assert not any(worker.is_alive() for worker in workers)
    assert [cache.lookup(path)[0] for path in paths] == [
        f"MELDUNG {number}" for number in range(12)
    ]


def _square_slowly(index: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough for the forked workers to join in
    if index == 45:
        raise ValueError("Vorlage kaputt")
    return index * index, os.getpid()


def _writer(processes: int):
    from .writer import IncrementalWriter

    writer = IncrementalWriter.__new__(IncrementalWriter)  # _map needs no more
    writer._processes = processes
    return writer


def test_this_process_and_the_workers_share_the_work_in_order():
    """The parent computes its share instead of waiting for the workers."""
    from . import writer as writer_module

    results = _writer(3)._map(_square_slowly, list(range(40)))  # 0.4 s alone

    assert [square for square, _pid in results] == [i * i for i in range(40)]
    processes = {pid for _square, pid in results}
    assert os.getpid() in processes
    assert len(processes) > 1
    assert writer_module._pending is None and writer_module._shared is None


def test_an_error_in_any_process_fails_the_map():
    """A page that cannot be rendered fails the build, wherever it was."""
    before = {child.pid for child in multiprocessing.active_children()}
    with pytest.raises(ValueError, match="Vorlage kaputt"):
        _writer(2)._map(_square_slowly, list(range(60)))
    after = {child.pid for child in multiprocessing.active_children()}
    assert after <= before  # the workers are gone


def test_a_failed_build_stops_the_reading_workers(tmp_path):
    from . import reading

    path = tmp_path / "meldung.md"
    path.write_text("Meldung", encoding="utf-8")
    cache = reading.ReaderCache(tmp_path / "read.pickle", b"key", {})
    reading._worker_readers.update(md=_shout)
    try:
        cache.incoming = reading.Prefill([str(path)], processes=2)
    finally:
        reading._worker_readers.clear()
    workers = list(cache.incoming.pool._pool)

    reading.finish_prefill(cache, keep=False)

    assert cache.incoming is None
    assert not any(worker.is_alive() for worker in workers)


def test_an_edit_rewrites_one_shard_of_the_reader_cache(tmp_path):
    """Saving after one changed text writes its shard, not the whole cache."""
    from . import reading

    location = tmp_path / "read"
    cache = reading.ReaderCache(location, b"key", {})
    paths = [str(tmp_path / f"meldung-{number:03d}.md") for number in range(100)]
    for path in paths:
        cache.store(path, "hash", f"<p>{path}</p>", {}, (), ())
    cache.save()
    shards = sorted(location.glob("[0-9]*.pickle"))
    assert len(shards) == reading.SHARDS
    before = {shard.name: shard.stat().st_mtime_ns for shard in shards}

    again = reading.ReaderCache(location, b"key", {})
    assert set(again.entries) == set(paths)
    for path in paths:
        again.seen.add(path)
    again.store(paths[7], "other", "<p>neu</p>", {}, (), ())
    again.save()
    after = {shard.name: shard.stat().st_mtime_ns for shard in shards}
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [f"{reading._shard(paths[7]):02d}.pickle"]

    third = reading.ReaderCache(location, b"key", {})
    assert third.entries[paths[7]][1] == "<p>neu</p>"
    assert len(third.entries) == 100
    # Another key (settings, plugin code) finds nothing.
    assert not reading.ReaderCache(location, b"other", {}).entries


def test_a_text_is_hashed_again_only_when_its_stamp_changed(tmp_path, monkeypatch):
    import os

    from . import reading

    text = tmp_path / "meldung.md"
    text.write_text("Erste Fassung", encoding="utf-8")
    hashed = []
    original = reading.file_digest

    def counting(path):
        hashed.append(path)
        return original(path)

    monkeypatch.setattr(reading, "file_digest", counting)
    cache = reading.ReaderCache(tmp_path / "read", b"key", {})
    first = cache.digest(str(text))
    cache.store(str(text), first, "<p>Erste Fassung</p>", {}, (), ())
    cache.save()

    again = reading.ReaderCache(tmp_path / "read", b"key", {})
    assert again.digest(str(text)) == first
    assert len(hashed) == 1  # taken from the cache

    text.write_text("Zweite Fassung", encoding="utf-8")
    stat = text.stat()  # a later modification time, even on a coarse clock
    os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert again.digest(str(text)) != first
    assert len(hashed) == 2
    assert again.lookup(str(text)) is None  # the old HTML is not served


def test_parsed_templates_are_kept_between_builds_and_follow_the_source(tmp_path):
    from jinja2 import DictLoader, Environment

    from . import writer

    templates = {"page.html": "{{ title }}{% include 'teaser.html' %}"}
    templates["teaser.html"] = "{{ lead }}"
    kept = tmp_path / "templates.pickle"
    writer.clear_references(kept)
    first = Environment(loader=DictLoader(templates))
    assert writer.template_references(first.get_template("page.html")) == {
        "title",
        "lead",
    }
    writer.parsed.save(kept)

    # The next build (another process: a new environment) parses nothing.
    writer.clear_references(kept)
    again = Environment(loader=DictLoader(templates))
    assert writer.template_references(again.get_template("page.html")) == {
        "title",
        "lead",
    }
    assert not writer.parsed.changed

    # An edited template is parsed again; what it reads now counts.
    templates["teaser.html"] = "{{ lead }}{{ partners }}"
    writer.clear_references(kept)
    edited = Environment(loader=DictLoader(templates))
    assert "partners" in writer.template_references(edited.get_template("page.html"))
    assert writer.parsed.changed
    writer.clear_references()
