"""The cache: compressed copies keyed by the bytes they were made from."""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: pelican-precompress's formats: setting that enables it, file suffix.
FORMATS = {
    "brotli": ("PRECOMPRESS_BROTLI", ".br"),
    "gzip": ("PRECOMPRESS_GZIP", ".gz"),
    "zopfli": ("PRECOMPRESS_ZOPFLI", ".gz"),
    "zstandard": ("PRECOMPRESS_ZSTANDARD", ".zst"),
}

#: The library whose version decides a format's bytes, besides the plugin's.
_LIBRARIES = {"brotli": "brotli", "zopfli": "zopfli", "zstandard": "zstandard"}


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    #: Names the cache folder: the same bytes in, the same bytes out.
    tag: str


@dataclass(frozen=True)
class Job:
    """One text file of the output and the digest of its bytes."""

    path: str
    digest: str


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def formats(pelican) -> list[Format]:
    """The formats pelican-precompress will write in this build, in its order."""
    from pelican.plugins.precompress import get_settings

    settings = get_settings(pelican)
    found = []
    for name, (setting, suffix) in FORMATS.items():
        if not settings[setting]:
            continue
        parts = [name, _version("pelican-precompress")]
        if name in _LIBRARIES:
            parts.append(_version(_LIBRARIES[name]))
        else:
            parts.append(zlib.ZLIB_RUNTIME_VERSION)
        tag = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]
        found.append(Format(name, suffix, f"{name}-{tag}"))
    return found


def variants(pelican, wanted: list[Format]) -> list[Job]:
    """Every file pelican-precompress will look at, as it chooses them."""
    from pelican.plugins.precompress import get_paths_to_compress, get_settings

    settings = get_settings(pelican)
    minimum = settings["PRECOMPRESS_MIN_SIZE"]
    jobs = []
    for path in get_paths_to_compress(settings):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if minimum and len(data) < minimum:
            continue
        jobs.append(Job(os.fspath(path), hashlib.sha256(data).hexdigest()))
    return jobs


class Store:
    """``<base>/<format tag>/<digest[:2]>/<digest>``, one file per input.

    Files are copied in and out, never hard-linked: a tool that rewrote an
    output file in place would otherwise change the cached copy with it (the
    copies cost little: 14 MB at 1,000 news items).
    """

    def __init__(self, base: str | os.PathLike, wanted: list[Format]) -> None:
        self.base = Path(base)
        self.wanted = wanted
        self.used: set[str] = set()
        self._reused: set[tuple[str, str]] = set()

    def _entry(self, fmt: Format, digest: str) -> str:
        return os.path.join(self.base, fmt.tag, digest[:2], digest)

    def fill(self, jobs: list[Job]) -> int:
        """Copy cached copies next to their files; return how many.

        A compressed copy already in the output is removed first, cached or
        not: pelican-precompress keeps an existing copy unless told to
        compare, and an output folder that is built into again would keep a
        copy of an earlier version of the page.
        """
        count = 0
        for job in jobs:
            for fmt in self.wanted:
                destination = job.path + fmt.suffix
                if os.path.lexists(destination):
                    os.unlink(destination)
                entry = self._entry(fmt, job.digest)
                if os.path.exists(entry):
                    shutil.copyfile(entry, destination)
                    self.used.add(entry)
                    self._reused.add((job.path, fmt.suffix))
                    count += 1
        return count

    def keep(self, jobs: list[Job]) -> int:
        """Add the copies pelican-precompress wrote; return how many.

        Written under a temporary name and renamed, so an interrupted build
        leaves no half file under a name that would be trusted.
        """
        count = 0
        for job in jobs:
            for fmt in self.wanted:
                if (job.path, fmt.suffix) in self._reused:
                    continue
                written = job.path + fmt.suffix
                if not os.path.isfile(written):  # too small, or larger compressed
                    continue
                entry = self._entry(fmt, job.digest)
                os.makedirs(os.path.dirname(entry), exist_ok=True)
                temporary = f"{entry}.{os.getpid()}.tmp"
                shutil.copyfile(written, temporary)
                os.replace(temporary, entry)
                self.used.add(entry)
                count += 1
        return count

    def prune(self) -> int:
        """Remove every file this build did not use; return how many."""
        removed = 0
        if not self.base.is_dir():
            return 0
        for folder, _dirs, files in os.walk(self.base, topdown=False):
            for name in files:
                path = os.path.join(folder, name)
                if path not in self.used:
                    os.unlink(path)
                    removed += 1
            if folder != os.fspath(self.base) and not os.listdir(folder):
                os.rmdir(folder)
        return removed
