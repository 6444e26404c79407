"""Checks on a built site, run by ``invoke publish`` before it goes live.

Standard library only (html.parser), so publishing needs nothing beyond
requirements.txt. Each check returns a list of problems as
``"path: what is wrong"``; an empty list means the site passes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Tags and attributes through which a browser loads something by itself
# (not links a visitor clicks).
_RESOURCE_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# <link rel=…> values that only describe, never load.
_DESCRIPTIVE_RELS = {
    "canonical",
    "alternate",
    "me",
    "author",
    "license",
    "next",
    "prev",
}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _Page(HTMLParser):
    """Collects references and inline code of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.resources: list[tuple[str, str, str]] = []
        self.inline: list[str] = []
        self._in_script = False
        self._script_has_src = False
        self._script_type = ""
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {k: (v or "") for k, v in attrs}
        for name, value in attributes.items():
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=…> (inline event handler)")
            if name == "style":
                self.inline.append(f"<{tag} style=…> (inline style attribute)")
            if value.strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.inline.append("<style> element (inline stylesheet)")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            _, _, url = attributes.get("content", "").partition("url=")
            if url.strip():
                self.links.append((tag, "content", url.strip()))
        for name in ("href", "src", "srcset", "poster", "data", "action"):
            if name not in attributes:
                continue
            values = (
                [c.split()[0] for c in attributes[name].split(",") if c.strip()]
                if name == "srcset"
                else [attributes[name].strip()]
            )
            for value in values:
                self.links.append((tag, name, value))
                if name in _RESOURCE_ATTRIBUTES.get(tag, ()):
                    self.resources.append((tag, name, value))
                elif tag == "link" and name == "href":
                    rels = set(attributes.get("rel", "").lower().split())
                    if not rels <= _DESCRIPTIVE_RELS:
                        self.resources.append((tag, name, value))
        if tag == "script":
            self._in_script = True
            self._script_has_src = "src" in attributes
            self._script_type = attributes.get("type", "").strip().lower()
            self._script_text = ""

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self._in_script = False
            if (
                not self._script_has_src
                and self._script_type in _EXECUTABLE_SCRIPT_TYPES
                and self._script_text.strip()
            ):
                self.inline.append("<script> with inline code")


def _html_files(output: Path) -> Iterator[Path]:
    yield from sorted(output.rglob("*.html"))


def _url_of(output: Path, path: Path) -> str:
    relative = path.relative_to(output).as_posix()
    return "/" + (
        relative[: -len("index.html")] if relative.endswith("index.html") else relative
    )


def _exists(output: Path, url_path: str) -> bool:
    """Would a static server answer this path with a file? (clean URLs)."""
    relative = unquote(url_path).lstrip("/")
    target = output / relative
    if url_path.endswith("/") or relative == "":
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file()


def _internal_path(value: str, page_url: str, own_hosts: set[str]) -> str | None:
    """The site path a reference points to, or None when it leaves the site."""
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, data:
    if parts.netloc and parts.netloc.lower() not in own_hosts:
        return None
    if not parts.path:
        return None  # "#anker" or "?x" on the same page
    if parts.path.startswith("/"):
        return parts.path
    return posixpath.normpath(
        posixpath.join(posixpath.dirname(page_url), parts.path)
    ) + ("/" if parts.path.endswith("/") else "")


def check_internal_links(output: Path, own_hosts: set[str]) -> list[str]:
    """Every link and source on our own site leads to a file that exists."""
    problems: list[str] = []
    for path in _html_files(output):
        page = _Page()
        page.feed(path.read_text("utf-8", errors="replace"))
        page_url = _url_of(output, path)
        for tag, attribute, value in page.links:
            target = _internal_path(value, page_url, own_hosts)
            if target is not None and not _exists(output, target):
                problems.append(
                    f"{page_url}: <{tag} {attribute}={value!r}> leads to no file"
                )
    for path in sorted(output.rglob("*.css")):
        css_url = _url_of(output, path)
        for match in _CSS_URL.finditer(path.read_text("utf-8", errors="replace")):
            value = match.group(2) or match.group(4)
            target = _internal_path(value.strip(), css_url, own_hosts)
            if target is not None and not _exists(output, target):
                problems.append(f"{css_url}: url({value}) leads to no file")
    return problems


def check_no_third_party(output: Path, own_hosts: set[str]) -> list[str]:
    """No page or stylesheet makes the browser contact another host."""
    problems: list[str] = []
    for path in _html_files(output):
        page = _Page()
        page.feed(path.read_text("utf-8", errors="replace"))
        for tag, attribute, value in page.resources:
            host = urlsplit(value).netloc.lower()
            if value.startswith("//") or (host and host not in own_hosts):
                problems.append(
                    f"{_url_of(output, path)}: <{tag} {attribute}={value!r}> loads from another host"
                )
    for path in sorted(output.rglob("*.css")):
        for match in _CSS_URL.finditer(path.read_text("utf-8", errors="replace")):
            value = (match.group(2) or match.group(4)).strip()
            host = urlsplit(value).netloc.lower()
            if host and host not in own_hosts:
                problems.append(
                    f"{_url_of(output, path)}: url({value}) loads from another host"
                )
    return problems


def check_csp_clean(output: Path, own_hosts: set[str]) -> list[str]:
    """Nothing inline that deploy/nginx.conf's Content-Security-Policy would
    block (it allows neither 'unsafe-inline' nor 'unsafe-eval'): no inline
    script code, event handlers, javascript: URLs, style attributes or
    ``<style>`` elements. JSON-LD data blocks are fine."""
    del own_hosts
    problems: list[str] = []
    for path in _html_files(output):
        page = _Page()
        page.feed(path.read_text("utf-8", errors="replace"))
        problems.extend(f"{_url_of(output, path)}: {item}" for item in page.inline)
    return problems


#: The output checks of a publish build, in order. Add a check here (a
#: function ``(output, own_hosts) -> problems``) and ``invoke publish`` runs it.
OUTPUT_CHECKS: list[tuple[str, Callable[[Path, set[str]], list[str]]]] = [
    ("internal links and sources resolve", check_internal_links),
    ("no resource from another host", check_no_third_party),
    ("nothing inline that the CSP blocks", check_csp_clean),
]


def run_output_checks(output: Path, siteurl: str) -> list[str]:
    """All output checks; problems prefixed with the check's name."""
    own_hosts = {urlsplit(siteurl).netloc.lower()} - {""}
    problems: list[str] = []
    for name, check in OUTPUT_CHECKS:
        problems.extend(f"[{name}] {p}" for p in check(Path(output), own_hosts))
    return problems
