"""Local preview server: serves a built site the way the production nginx does.

Clean URLs (``/aktuelles/`` → ``aktuelles/index.html``), the site's own 404 page
with status 404, no caching, and optionally gzip. Pelican's ``--listen`` server
answers a missing page with nothing at all, so editors and tests use this one.
"""

from __future__ import annotations

import gzip
import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


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

    quiet = True

    def log_message(self, format, *args):
        if not self.quiet:
            logger.info("%s %s", self.address_string(), format % args)

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


def make_server(
    directory: Path,
    *,
    compress: bool = False,
    port: int = 0,
    bind: str = "127.0.0.1",
    quiet: bool = True,
) -> ThreadingHTTPServer:
    """An HTTP server for ``directory`` (``port`` 0: a free one)."""
    handler = partial(
        type("Handler", (_SiteHandler,), {"compress": compress, "quiet": quiet}),
        directory=str(directory),
    )
    return ThreadingHTTPServer((bind, port), handler)


@contextmanager
def serve_site(
    directory: Path, *, compress: bool = False, port: int = 0
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 in a thread; yields the base URL."""
    server = make_server(directory, compress=compress, port=port)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
