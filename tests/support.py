"""Shared helpers for the test suite: build sites with real Pelican, parse output.

One module instead of setup copied into every test file (as in Pelican's own
``tests/support.py``). Builds run Pelican's real command line in a subprocess,
so plugins, settings and exit codes are exactly what an editor gets.
"""

from __future__ import annotations

import ast
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

from bs4 import BeautifulSoup

from publishing.command import pelican_command

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONTENT = ROOT / "content"
#: Settings of every test build of the demo site: its 32 searchable pages in
#: parts of at most 12, as the index of a site with thousands of news items
#: is split (plugins/search/parts.py), so the browser tests search a merged
#: index.
DEMO_OVERRIDES = {"SEARCH_PART_PAGES": 12}


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

    def search_parts(self) -> dict[str, set[str]]:
        """Each part of the search index (its folder below ``pagefind/``, ""
        for the first) and the URLs it indexes, read from its fragments."""
        from search.bundle import SIGNATURE

        bundle = self.output / "pagefind"
        listed = json.loads((bundle / "parts.json").read_text("utf-8"))["merge"]
        parts = {}
        for folder in ["", *listed]:
            parts[folder] = {
                json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :])["url"]
                for path in (bundle / folder / "fragment").glob("*.pf_fragment")
            }
        return parts


def build_site(
    content: Path,
    output: Path,
    *,
    settings: str = "pelicanconf.py",
    overrides: dict | None = None,
    env: dict | None = None,
) -> Build:
    """Build ``content`` into ``output`` with the project's settings file."""
    # Build state (the incremental plugin's cache) lives next to the output,
    # never in the repository's cache/ folder.
    overrides = {"CACHE_PATH": str(output.parent / ".build-cache"), **(overrides or {})}
    command = pelican_command(content, output, settings=settings, overrides=overrides)
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=600,
    )
    return Build(result.returncode, output, result.stdout + result.stderr)


def project_settings(folder: Path, name: str = "conf.py", extra: str = "") -> Path:
    """A settings file ``folder/name``: the project's ``pelicanconf.py`` with
    its cache in ``folder/cache``, and ``extra`` lines after it."""
    path = folder / name
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"CACHE_PATH = {str(folder / 'cache')!r}\n" + extra,
        "utf-8",
    )
    return path


def run_script(script: str) -> subprocess.CompletedProcess:
    """Python ``script`` in a process of its own, from the repository root:
    for builds that must run in one process, as ``invoke livereload``'s do."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_probe(script: str, **paths: Path) -> object:
    """Run ``script`` (formatted with ``root`` and ``paths``) in a process of
    its own, as :func:`run_script`; the value it printed after ``PROBE ``."""
    values = {name: str(path) for name, path in paths.items()}
    result = run_script(script.format(root=str(ROOT), **values))
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE "))
    return ast.literal_eval(line.removeprefix("PROBE "))


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

# The preview server that `invoke serve` uses, so tests see what editors see.
from publishing.preview import serve_site as serve_site  # noqa: E402


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
