"""Compute hashed names for theme static files, independent of Pelican.

Plain functions on paths, so tests and other tools can call them directly.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

# url(...) and @import "..." in CSS: the references whose targets may be
# renamed, so the stylesheet's own bytes (and hash) must follow them.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")


@dataclass
class Manifest:
    """Logical asset name (``css/site.css``) → hashed file and its bytes."""

    #: logical name → hashed logical name, e.g. css/site.css → css/site.3f2a1b9c.css
    names: dict[str, str] = field(default_factory=dict)
    #: logical name → final bytes (CSS with rewritten references)
    data: dict[str, bytes] = field(default_factory=dict)

    def hashed(self, name: str) -> str | None:
        return self.names.get(name.lstrip("/"))


def hashed_name(name: str, data: bytes, length: int) -> str:
    """``css/site.css`` + bytes → ``css/site.<hash>.css`` (sha256, hex)."""
    digest = hashlib.sha256(data).hexdigest()[:length]
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return f"{name}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def build_manifest(
    files: dict[str, Path], extensions: set[str], length: int
) -> Manifest:
    """Hash every file in ``files`` (logical name → source path) that has one
    of ``extensions``.

    Stylesheets are hashed after their ``url()``/``@import`` references to
    other hashed files have been rewritten, so a changed font also changes the
    name of the stylesheet that loads it. References are resolved relative to
    the stylesheet, as a browser does.
    """
    manifest = Manifest()
    wanted = sorted(n for n in files if Path(n).suffix.lower() in extensions)
    resolving: set[str] = set()

    def resolve(name: str) -> str:
        if name in manifest.names:
            return manifest.names[name]
        resolving.add(name)
        data = files[name].read_bytes()
        if name.lower().endswith(".css"):
            data = _rewrite_css(name, data, files, wanted, resolving, resolve)
        manifest.data[name] = data
        manifest.names[name] = hashed_name(name, data, length)
        resolving.discard(name)
        return manifest.names[name]

    for name in wanted:
        resolve(name)
    return manifest


def _rewrite_css(name, data, files, wanted, resolving, resolve) -> bytes:
    text = data.decode("utf-8")
    base = posixpath.dirname(name)

    def replace(match: re.Match, template: str) -> str:
        quote, ref = match.group(1), match.group(2)
        path, _, rest = ref.partition("?")
        path, hashmark, fragment = path.partition("#")
        if re.match(r"^[a-z]+:|^/|^#", ref):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(base, path))
        if target not in wanted or target in resolving:
            return match.group(0)
        new = posixpath.relpath(resolve(target), base or ".")
        suffix = (f"?{rest}" if rest else "") + (f"#{fragment}" if hashmark else "")
        return template.format(quote=quote, ref=new + suffix)

    text = _CSS_URL.sub(lambda m: replace(m, "url({quote}{ref}{quote})"), text)
    text = _CSS_IMPORT.sub(lambda m: replace(m, "@import {quote}{ref}{quote}"), text)
    return text.encode("utf-8")


def theme_static_files(theme: Path, static_paths: list[str]) -> dict[str, Path]:
    """Logical name → source file, mirroring how Pelican copies
    ``THEME_STATIC_PATHS`` into ``THEME_STATIC_DIR`` (folders are merged,
    a single file lands at the top)."""
    found: dict[str, Path] = {}
    for entry in static_paths:
        source = theme / entry
        if source.is_file():
            found[source.name] = source
        elif source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file():
                    found[path.relative_to(source).as_posix()] = path
    return found
