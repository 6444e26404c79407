"""``invoke livereload``: the editors' live preview.

Serves the site on 127.0.0.1, rebuilds it in this process whenever a file
in content/, theme/ or plugins/ changes, and makes open browser tabs reload
(the ``livereload`` package injects its small client into served pages
only; the built files never contain it).

A content error never kills the server: ``diagnostics.ContentError`` is a
``SystemExit`` on purpose (so Pelican's command line shows no traceback), so
the rebuild loop catches it explicitly. The problems are printed in the
terminal and shown in a box at the top of every page, while the last good
build keeps being served: each build goes to a staging folder that replaces
the served one only when it succeeded.

The search index is brought up to date after the browser has reloaded
(``SEARCH_DEFER``): at 5,000 news items building the one part of the index
that holds the edited page still takes about 2 s, and an editor checking the
edited page should not wait for it. The
next build waits for a running index, so pagefind never reads pages while
they are rewritten.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

logger = logging.getLogger("regiosite.preview")


class PreviewState:
    """Result of the latest build, read by the request handler."""

    problems: list[str] = []  # noqa: RUF012 - one preview per process
    builds: int = 0
    # The settings of the latest build, with every plugin's defaults.
    settings: dict | None = None


def build_once(
    settings_file: Path, content: Path, output: Path, *, defer_search: bool = False
) -> list[str]:
    """Build the site once; returns the problem lines (empty when it succeeded).

    With ``defer_search`` the search index is left to :class:`SearchIndexer`.
    """
    import diagnostics
    from content_schema.check import format_problem
    from pelican import Pelican
    from pelican.settings import read_settings

    started = time.monotonic()
    try:
        override = {"PATH": str(content)}
        if defer_search:
            override["SEARCH_DEFER"] = True
        settings = read_settings(str(settings_file), override=override)
        PreviewState.settings = settings  # the plugins add their defaults to it
        # Pelican empties the output folder before reading when
        # DELETE_OUTPUT_DIRECTORY is on; then build into a staging folder so a
        # content error never takes the last good site away. Otherwise (the
        # incremental plugin's setting) build in place: a content error stops
        # before anything is written, and unchanged pages are not re-rendered.
        staging = settings.get("DELETE_OUTPUT_DIRECTORY", False)
        target = output.with_name(output.name + "-next") if staging else output
        if staging:
            shutil.rmtree(target, ignore_errors=True)
        settings["OUTPUT_PATH"] = str(target)
        try:
            Pelican(settings).run()
        finally:
            _release_content()
    except diagnostics.ContentError:
        # Content problems: already listed by diagnostics; keep the last good site.
        lines = [
            format_problem(p, str(content.parent))
            for p in diagnostics.problems()
            if p.severity == "error"
        ]
        return lines or ["The build stopped because of content problems (see above)."]
    except Exception as error:  # a broken template or plugin must not stop the preview
        logger.error("Build failed: %s: %s", type(error).__name__, error)
        return [f"Build failed: {type(error).__name__}: {error}"]
    if staging:
        old = output.with_name(output.name + "-old")
        shutil.rmtree(old, ignore_errors=True)
        if output.exists():
            output.rename(old)
        target.rename(output)
        shutil.rmtree(old, ignore_errors=True)
    logger.info("Rebuilt in %.1f s", time.monotonic() - started)
    return []


def _release_content() -> None:
    """Let the content objects of the build that just ended go.

    Pelican memoizes ``Content.get_content`` and ``get_summary`` in one dict
    per class, keyed by the object, so every article of every build stayed
    alive in this long-running process: at 5,000 news items each save added
    78 MB, and four saves made the rebuild 3.6 → 4.3 s (a one-off ``pelican``
    run exits before that matters).
    """
    from pelican.contents import Content

    for method in (Content.get_content, Content.get_summary):
        method.cache.clear()


class SearchIndexer:
    """Brings the search index up to date in a thread after a preview build."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.marker = output.parent / f".{output.name}.search"
        self.runs = 0
        self._thread: threading.Thread | None = None

    def start(self, settings: dict) -> None:
        self.wait()
        if not settings.get("SEARCH_ENABLED", True):
            return
        self._thread = threading.Thread(
            target=self._index, args=(settings,), name="search-index", daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        """Until a running index is done (before pages are written again)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _index(self, settings: dict) -> None:
        from search.indexer import SearchIndexError, build_index

        started = time.monotonic()
        try:
            result = build_index(self.output, settings)
        except SearchIndexError as error:
            logger.error("Suche: %s", error)
            return
        self.runs += 1
        logger.info(
            "Suche aktualisiert: %d Seiten in %.1f s",
            result.pages,
            time.monotonic() - started,
        )
        # A marker file tests and tools can poll for "the index is current".
        self.marker.write_text(f"{self.runs} {PreviewState.builds}\n")


def problem_box(problems: list[str]) -> bytes:
    """The box shown at the top of every page while the content has errors."""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        '<div role="alert" id="vorschau-fehler" style="background:#fff3f3;color:#000;'
        'border:4px solid #b00020;padding:1rem;margin:0;font:16px/1.5 system-ui,sans-serif">'
        "<strong>Die Vorschau zeigt den letzten fehlerfreien Stand. Bitte korrigieren:</strong>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>'
    ).encode()


def _watcher(stop: threading.Event):
    """livereload's watcher, told about changes by the operating system.

    livereload's own watcher walks every watched folder every 0.8 s and reads
    each file's modification time: at 5,000 news items with their photos
    that is 10,000 files, a constant load while idle and up to a second
    before a save is noticed. ``watchfiles`` (Pelican's own ``--autoreload``
    uses it) waits for inotify events instead.
    """
    import watchfiles
    from livereload.watcher import Watcher
    from tornado import ioloop

    class NotifyWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self._changed: set[str] = set()
            self._lock = threading.Lock()

        def start(self, callback) -> bool:
            loop = ioloop.IOLoop.current()
            paths = list(self._tasks)

            def wait_for_changes() -> None:
                for changes in watchfiles.watch(
                    *paths, debounce=400, stop_event=stop, raise_interrupt=False
                ):
                    with self._lock:
                        self._changed.update(path for _change, path in changes)
                    loop.add_callback(callback)

            threading.Thread(target=wait_for_changes, name="watch", daemon=True).start()
            callback()  # livereload's start-up message, queued before this
            return True  # no polling

        def examine(self):
            if self._changes:
                return self._changes.pop()
            with self._lock:
                changed, self._changed = self._changed, set()
            self.filepath = None
            done = set()
            for path, task in self._tasks.items():
                folder = os.path.join(path, "")
                hits = [
                    c
                    for c in sorted(changed)
                    if (c == path or c.startswith(folder))
                    and not self.ignore(c)
                    and not (task["ignore"] and task["ignore"](c))
                ]
                if hits and task["func"] and task["func"] not in done:
                    self.filepath = hits[0]
                    done.add(task["func"])
                    task["func"]()
            return self.filepath, None

    return NotifyWatcher()


def _handler_class():
    from livereload.handlers import StaticFileHandler

    class PreviewFileHandler(StaticFileHandler):
        """Serves output/; puts the problem box into HTML pages while there are errors."""

        @classmethod
        def get_content(cls, abspath, start=None, end=None):
            if not (PreviewState.problems and abspath.endswith(".html")):
                yield from super().get_content(abspath, start, end)
                return
            yield _with_box(Path(abspath).read_bytes())[start:end]

        def get_content_size(self):
            if PreviewState.problems and self.absolute_path.endswith(".html"):
                return len(_with_box(Path(self.absolute_path).read_bytes()))
            return super().get_content_size()

        def write_error(self, status_code, **kwargs):
            if PreviewState.problems:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(
                    b"<!doctype html><html lang=de><head><title>Vorschau</title></head><body>"
                    + problem_box(PreviewState.problems)
                    + b"</body></html>"
                )
                return
            super().write_error(status_code, **kwargs)

    return PreviewFileHandler


def _with_box(page: bytes) -> bytes:
    box = problem_box(PreviewState.problems)
    position = page.find(b"<body")
    if position < 0:
        return box + page
    position = page.find(b">", position) + 1
    return page[:position] + box + page[position:]


def serve(
    port: int = 8000,
    bind: str = "127.0.0.1",
    settings_file: Path | None = None,
    content: Path | None = None,
    output: Path | None = None,
) -> None:
    """Build once, then serve and rebuild on every change until Ctrl+C."""
    from livereload import Server
    from pelican.log import init as init_logging

    init_logging(level=logging.WARNING)
    logger.setLevel(logging.INFO)
    settings_file = settings_file or ROOT / "pelicanconf.py"
    content = (content or ROOT / "content").resolve()
    output = (output or ROOT / "output").resolve()

    indexer = SearchIndexer(output)

    def rebuild() -> None:
        indexer.wait()  # pagefind must not read pages while they are rewritten
        PreviewState.problems = build_once(
            settings_file, content, output, defer_search=True
        )
        PreviewState.builds += 1
        if PreviewState.problems:
            logger.error(
                "Vorschau: %d Problem(e) – die Seite zeigt den letzten fehlerfreien Stand.",
                len(PreviewState.problems),
            )
        # A marker file tests and tools can poll for "a build finished".
        (output.parent / f".{output.name}.build").write_text(
            f"{PreviewState.builds} {len(PreviewState.problems)}\n"
        )
        if not PreviewState.problems and PreviewState.settings is not None:
            indexer.start(PreviewState.settings)  # the browser reloads meanwhile

    rebuild()
    if not output.exists():
        output.mkdir(parents=True)
    stop = threading.Event()
    server = Server(watcher=_watcher(stop))
    server.SFH = _handler_class()
    for watched in (content, ROOT / "theme", ROOT / "plugins", settings_file):
        server.watch(str(watched), rebuild, ignore=_ignore)
    logger.warning(
        "Vorschau auf http://%s:%s/ – nach jedem Speichern lädt der Browser neu. Beenden mit Strg+C.",
        bind,
        port,
    )
    try:
        server.serve(
            port=port, host=bind, root=str(output), debug=False, restart_delay=0
        )
    finally:
        stop.set()
        indexer.wait()  # never leave a half-written index behind


def _ignore(path: str) -> bool:
    name = os.path.basename(path)
    return (
        name.startswith(".")
        or name.endswith(("~", ".swp", ".pyc"))
        or "__pycache__" in path
    )
