"""Shared helpers for the test suite: build sites with real Pelican, parse output.

One module instead of setup copied into every test file (as in Pelican's own
``tests/support.py``). Builds run Pelican's real command line in a subprocess,
so plugins, settings and exit codes are exactly what an editor gets.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from textwrap import dedent
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONTENT = ROOT / "content"


@dataclass
class Build:
    """The result of one Pelican run."""

    returncode: int
    output: Path
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def html(self, url_path: str) -> BeautifulSoup:
        """Parsed HTML of the page at a site URL such as ``/aktuelles/``."""
        return BeautifulSoup(self.file(url_path).read_text("utf-8"), "html.parser")

    def file(self, url_path: str) -> Path:
        relative = url_path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.output / relative

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def build_site(
    content: Path,
    output: Path,
    *,
    settings: str = "pelicanconf.py",
    overrides: dict | None = None,
    env: dict | None = None,
) -> Build:
    """Build ``content`` into ``output`` with the project's settings file."""
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / settings),
        "-o",
        str(output),
    ]
    # Build state (the incremental plugin's cache) lives next to the output,
    # never in the repository's cache/ folder.
    overrides = {"CACHE_PATH": str(output.parent / ".build-cache"), **(overrides or {})}
    command.append("-e")
    command.extend(f"{key}={json.dumps(value)}" for key, value in overrides.items())
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=600,
    )
    return Build(result.returncode, output, result.stdout + result.stderr)


def write_files(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text}`` below ``base``; text is dedented."""
    for relative, text in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return base


#: A tiny site of every content kind, for plugin tests that need context.
MINIMAL_SITE = {
    "news/2024-03-12-jahresauftakt.md": """
        Title: Jahresauftakt der Zukunftsregion
        Date: 2024-03-12
        Category: Regionalentwicklung
        Tags: Zukunftsregion, Fachkräfte
        Summary: Die Zukunftsregion startet ins Jahr.

        ## Gremien

        Text mit [Link]({filename}/initiatives/zukunftsregion.md).
        """,
    "initiatives/zukunftsregion.md": """
        Title: Zukunftsregion Hannover-Hildesheim
        Summary: Vier kommunale Partner, ein Zukunftskonzept.
        Region: Hannover-Hildesheim
        Field: Regionalentwicklung

        Text.
        """,
    "campaigns/tech-me-home.md": """
        Title: Tech me home
        Claim: Deine Region. Deine Zukunft.
        Summary: Die Standortkampagne.
        Featured: true

        ## Warum die Region

        Text.
        """,
    "pages/impressum.md": """
        Title: Impressum
        Summary: Angaben gemäß § 5 DDG.

        Beispiel.
        """,
}


def links_in(soup: BeautifulSoup) -> list[str]:
    """Every href and src in a page (srcset candidates included)."""
    found: list[str] = []
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            if tag.has_attr(attribute):
                found.append(tag[attribute])
        if tag.has_attr("srcset"):
            found.extend(part.split()[0] for part in tag["srcset"].split(","))
    return found


# --- serving a built site on 127.0.0.1 ----------------------------------------


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files like the production web server: clean URLs, 404.html.

    ``/aktuelles`` redirects to ``/aktuelles/`` and serves its index.html
    (the standard library already does that); a missing file gets the site's
    404.html with status 404. With ``compress`` the handler gzips text the
    way the production server does, so size-sensitive measurements
    (Lighthouse) see realistic transfers.
    """

    extensions_map = {  # noqa: RUF012 - the base class defines it as a dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }
    compress = False

    def log_message(self, format, *args):
        pass  # keep test output clean

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.exists():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def copyfile(self, source, outputfile):
        if not getattr(self, "_gzip_body", None):
            super().copyfile(source, outputfile)
            return
        outputfile.write(self._gzip_body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        self._gzip_body = None
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the URL with "/"
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or not _is_text(ctype):
            return super().send_head()
        self._gzip_body = gzip.compress(path.read_bytes(), 9)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(self._gzip_body)))
        self.end_headers()
        return io.BytesIO(b"")


def _is_text(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type in (
        "application/json",
        "application/xml",
        "image/svg+xml",
    )


@contextmanager
def serve_site(
    directory: Path, *, compress: bool = False, port: int = 0
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (``port`` 0: a free one); yields the base URL."""
    handler = partial(
        type("Handler", (_SiteHandler,), {"compress": compress}),
        directory=str(directory),
    )
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- publishing and deploy ---------------------------------------------------

#: MINIMAL_SITE plus every page the menu and footer link to and the 404 page:
#: the smallest site that passes `invoke publish`'s output checks.
PUBLISH_SITE = {
    **MINIMAL_SITE,
    **{
        f"pages/{slug}.md": f"Title: {title}\nSummary: {title}.\n\nText.\n"
        for slug, title in [
            ("ueber-uns", "Über uns"),
            ("kontakt", "Kontakt"),
            ("datenschutz", "Datenschutz"),
            ("barrierefreiheit", "Barrierefreiheit"),
            ("leichte-sprache", "Leichte Sprache"),
        ]
    },
    "pages/404.md": """
        Title: Seite nicht gefunden
        Slug: 404
        Save_as: 404.html
        Status: hidden

        Unter dieser Adresse gibt es keine Seite.
        """,
}

#: What a copy of the project needs to run its tasks (content comes apart).
PROJECT_FILES = [
    "tasks.py",
    "pelicanconf.py",
    "publishconf.py",
    "plugins",
    "theme",
    "publishing",
    "deploy",
]


def copy_project(destination: Path, content: dict[str, str]) -> Path:
    """A copy of the project with ``content`` as its content folder, so tests
    run the real ``invoke publish``/``deploy`` without touching the repo."""
    ignore = shutil.ignore_patterns("__pycache__", "test_*.py", "*.pyc")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    write_files(destination / "content", content)
    return destination


def invoke(project: Path, *tasks: str, env: dict | None = None):
    """Run ``invoke <tasks>`` in a project copy; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *tasks],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SITEURL": "https://www.example.org",
            "COLUMNS": "200",
            **(env or {}),
        },
        timeout=300,
    )


def snapshot(folder: Path) -> dict[str, object]:
    """Every file's bytes and every symlink's target below ``folder``, to
    compare a tree before and after."""
    folder = Path(folder)
    state: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[key] = ("symlink", os.readlink(path))
        elif path.is_file():
            state[key] = path.read_bytes()
    return state
