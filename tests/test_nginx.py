"""deploy/nginx.conf, served by Debian's nginx on 127.0.0.1.

nginx runs as the current user with a throwaway prefix (publishing/nginx.py:
LocalNginx), on a free port, and is stopped after the tests. The site is a
small fixture site in two releases, A and B, that differ in an article, the
stylesheet (so in its hashed name) and a marker on every page.
"""

from __future__ import annotations

import gzip
import http.client
import re
import shutil
import ssl
import subprocess
import threading
import time
from pathlib import Path
from textwrap import dedent

import pytest

from publishing.deploy import Target, deploy
from publishing.nginx import LocalNginx, brotli_available
from tests.support import PUBLISH_SITE, ROOT, build_site, write_files

ARTICLE = "/aktuelles/jahresauftakt-der-zukunftsregion/"
PAGES = [
    "/",
    ARTICLE,
    "/impressum/",
    "/initiativen/zukunftsregion-hannover-hildesheim/",
]
CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="(/theme/css/site\.[0-9a-f]{8}\.css)">'
)
PAGE_MARKER = re.compile(rb"Release ([AB])")
CSS_MARKER = re.compile(rb"/\* release ([AB]) \*/")


def get(port: int, path: str, headers: dict | None = None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response, body


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> dict[str, Path]:
    """Release A and B of the fixture site, built with the publish settings."""
    base = tmp_path_factory.mktemp("releases")
    site = dict(PUBLISH_SITE)
    article = dedent(site["news/2024-03-12-jahresauftakt.md"])
    site["news/2024-03-12-jahresauftakt.md"] = article.replace(
        "Date: 2024-03-12",
        "Date: 2024-03-12\nAliases: /alte-adresse/, /archiv/jahresauftakt.html, /grüße/",
    )
    content = write_files(base / "content", site)
    built = {}
    for name in "AB":
        theme = base / f"theme-{name}"
        shutil.copytree(ROOT / "theme", theme)
        css = theme / "static" / "css" / "site.css"
        css.write_text(css.read_text("utf-8") + f"\n/* release {name} */\n", "utf-8")
        result = build_site(
            content,
            base / f"output-{name}",
            settings="publishconf.py",
            overrides={"THEME": str(theme), "SITESUBTITLE": f"Release {name}"},
            env={"SITEURL": "https://www.example.org"},
        )
        assert result.ok, result.log
        built[name] = result.output
    return built


@pytest.fixture(scope="module")
def server(releases, tmp_path_factory):
    """nginx serving release A from a deploy target."""
    base = tmp_path_factory.mktemp("served")
    deploy(releases["A"], Target(str(base / "target")))
    with LocalNginx(base / "target", base / "nginx") as nginx:
        yield nginx


def test_clean_urls(server):
    response, body = get(server.port, ARTICLE)
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b"<h1" in body and b"Jahresauftakt der Zukunftsregion" in body
    response, _ = get(server.port, "/initiativen")
    assert response.status == 301
    assert response.getheader("Location") == "/initiativen/"
    assert get(server.port, "/kampagnen/tech-me-home/")[0].status == 200


def test_missing_page_gets_the_404_page_with_status_404(server):
    for path in ["/gibt-es-nicht/", "/404.html", "/redirects.map", "/.hidden"]:
        response, body = get(server.port, path)
        assert response.status == 404, path
        assert b"Unter dieser Adresse gibt es keine Seite" in body, path
        assert response.getheader("Content-Security-Policy"), path


def test_gzip_for_a_client_that_accepts_it(server, releases):
    original = (releases["A"] / "index.html").read_bytes()
    response, body = get(server.port, "/", {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(body) == original
    response, body = get(server.port, "/")
    assert response.getheader("Content-Encoding") is None
    assert body == original


@pytest.mark.skipif(not brotli_available(), reason="nginx brotli_static module missing")
def test_brotli_for_a_client_that_accepts_it(server, releases):
    import brotli

    response, body = get(server.port, "/", {"Accept-Encoding": "gzip, deflate, br"})
    assert response.getheader("Content-Encoding") == "br"
    assert brotli.decompress(body) == (releases["A"] / "index.html").read_bytes()


def test_html_is_revalidated_and_hashed_assets_are_cached_for_a_year(server):
    response, body = get(server.port, ARTICLE)
    assert response.getheader("Cache-Control") == "no-cache"
    etag = response.getheader("ETag")
    assert etag
    again, _ = get(server.port, ARTICLE, {"If-None-Match": etag})
    assert again.status == 304

    css = CSS_LINK.search(body.decode()).group(1)
    response, _ = get(server.port, css)
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    for other in ["/feeds/aktuelles.atom.xml", "/sitemap.xml", "/theme/favicon.svg"]:
        response, _ = get(server.port, other)
        assert response.status == 200, other
        assert response.getheader("Cache-Control") == "no-cache", other


def test_security_headers(server):
    response, _ = get(server.port, "/")
    csp = response.getheader("Content-Security-Policy")
    directives = {
        part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()
    }
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert "camera=()" in response.getheader("Permissions-Policy")
    assert "geolocation=()" in response.getheader("Permissions-Policy")
    assert response.getheader("Server") == "nginx", "no version in Server"
    # HSTS belongs to the TLS server only (test below).
    assert response.getheader("Strict-Transport-Security") is None


def test_old_addresses_get_a_301_and_a_redirect_page(server, releases):
    for path in [
        "/alte-adresse/",
        "/alte-adresse",
        "/archiv/jahresauftakt.html",
        "/gr%C3%BC%C3%9Fe/",
    ]:
        response, _ = get(server.port, path)
        assert response.status == 301, path
        assert response.getheader("Location") == ARTICLE
    # Without the nginx map (any static host) the page still leads on.
    page = (releases["A"] / "alte-adresse" / "index.html").read_text("utf-8")
    assert f'<meta http-equiv="refresh" content="0; url={ARTICLE}">' in page
    assert f'<link rel="canonical" href="https://www.example.org{ARTICLE}">' in page
    assert f'<a href="{ARTICLE}">' in page
    assert "<script" not in page
    sitemap = (releases["A"] / "sitemap.xml").read_text("utf-8")
    assert "alte-adresse" not in sitemap


def test_tls_server_sends_hsts_and_plain_http_redirects_to_https(releases, tmp_path):
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    deploy(releases["A"], Target(str(tmp_path / "target")))
    nginx = LocalNginx(
        tmp_path / "target", tmp_path / "nginx", certificate=certificate, key=key
    )
    with nginx:
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(
            "127.0.0.1", nginx.tls_port, context=insecure, timeout=5
        )
        response, body = get(nginx.tls_port, ARTICLE, connection=conn)
        conn.close()
        assert response.status == 200 and b"Jahresauftakt" in body
        hsts = response.getheader("Strict-Transport-Security")
        assert hsts and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
        assert response.getheader("Content-Security-Policy")
        plain, _ = get(nginx.port, ARTICLE)
        assert plain.status == 301
        assert plain.getheader("Location").startswith("https://")


def test_deploy_during_requests_serves_only_whole_releases(releases, tmp_path):
    """2,000+ page loads (HTML, then the stylesheet it links) while release B
    replaces A: every answer is a 200 and every stylesheet belongs to the
    release of the page that linked it."""
    target = Target(str(tmp_path / "target"))
    deploy(releases["A"], target)
    with LocalNginx(tmp_path / "target", tmp_path / "nginx") as nginx:
        loads: list[tuple[str, str]] = []
        failures: list[str] = []
        state = {"requests": 0, "stop_at": 10_000}
        started, switched = threading.Event(), threading.Event()
        deadline = time.monotonic() + 30

        def load_pages() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=5)
            number = 0
            while state["requests"] < state["stop_at"] and time.monotonic() < deadline:
                path = PAGES[number % len(PAGES)]
                number += 1
                page, html = get(nginx.port, path, connection=conn)
                css_url = CSS_LINK.search(html.decode())
                style, css = get(nginx.port, css_url.group(1), connection=conn)
                state["requests"] += 2
                if page.status != 200 or style.status != 200:
                    failures.append(f"{path}: {page.status}, css {style.status}")
                    continue
                release = PAGE_MARKER.search(html).group(1).decode()
                css_release = CSS_MARKER.search(css).group(1).decode()
                loads.append((release, css_release))
                if state["requests"] >= 1000:
                    started.set()

        worker = threading.Thread(target=load_pages, daemon=True)
        worker.start()
        assert started.wait(20), "the request loop did not get going"
        deploy(releases["B"], target)
        # Keep loading for a while after the switch, then stop (2,000 at least).
        state["stop_at"] = max(2000, state["requests"] + 600)
        switched.set()
        worker.join(timeout=35)
        assert not worker.is_alive(), "the request loop did not end in time"

        assert state["requests"] >= 2000
        assert not failures, failures[:10]
        mixed = [load for load in loads if load[0] != load[1]]
        assert not mixed, f"{len(mixed)} page loads mixed releases"
        seen = {release for release, _ in loads}
        assert seen == {"A", "B"}, f"the loop did not span the switch: {seen}"
        assert loads[-1] == ("B", "B")

        # A page of A loaded just before the switch still gets A's stylesheet.
        old_css = CSS_LINK.search((releases["A"] / "index.html").read_text("utf-8"))
        response, css = get(nginx.port, old_css.group(1))
        assert response.status == 200 and b"/* release A */" in css


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(
    not CHROMIUM, reason="chromium is installed by .ci/install-system-deps"
)
def test_a_browser_finds_nothing_the_csp_blocks_on_the_demo_site(demo_site, tmp_path):
    """Headless Chromium loads demo pages through nginx with the production
    headers; its console reports every CSP violation and failed load."""
    root = tmp_path / "target"
    root.mkdir()
    for link in ("current", "previous"):
        (root / link).symlink_to(demo_site.output)
    pages = ["/", "/aktuelles/", "/kampagnen/tech-me-home/", "/initiativen/retrason/"]
    with LocalNginx(root, tmp_path / "nginx") as nginx:
        browsers = [
            subprocess.Popen(
                [
                    CHROMIUM,
                    *("--headless", "--no-sandbox", "--disable-gpu"),
                    *("--enable-logging=stderr", "--v=0", "--dump-dom"),
                    f"--user-data-dir={tmp_path / f'profile{number}'}",
                    f"http://127.0.0.1:{nginx.port}{page}",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for number, page in enumerate(pages)
        ]
        results = [browser.communicate(timeout=90) for browser in browsers]
    problems = []
    for page, (dom, log) in zip(pages, results, strict=True):
        assert "</main>" in dom, f"{page} did not load"
        problems += [
            f"{page}: {line}"
            for line in log.splitlines()
            if "Content Security Policy" in line or "Failed to load resource" in line
        ]
    assert not problems, "\n".join(problems)
