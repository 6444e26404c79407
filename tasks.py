"""Tasks for building, checking, testing and publishing regiosite.

Run ``invoke --list`` for an overview. Every task works from a fresh clone
once the requirements are installed (see README.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
OUTPUT = ROOT / "output"


def _pelican(c, settings: str, output: Path, extra: str = "") -> None:
    c.run(
        f'"{PYTHON}" -m pelican "{ROOT / "content"}" -s "{ROOT / settings}" '
        f'-o "{output}" {extra}',
        pty=False,
    )


@task
def clean(c):
    """Remove the built site."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c):
    """Build the site for local preview into output/."""
    _pelican(c, "pelicanconf.py", OUTPUT)


@task
def serve(c, port=8000, bind="127.0.0.1"):
    """Serve output/ at http://127.0.0.1:8000/ (build first)."""
    if not (OUTPUT / "index.html").exists():
        build(c)
    print(f"Die Website läuft auf http://{bind}:{port}/ – beenden mit Strg+C.")
    c.run(
        f'"{PYTHON}" -m pelican --listen -s "{ROOT / "pelicanconf.py"}" '
        f'-o "{OUTPUT}" -p {port} -b {bind}',
        pty=False,
    )


@task
def publish(c):
    """Build the site with publishconf.py (absolute URLs from $SITEURL)."""
    _pelican(c, "publishconf.py", OUTPUT)


@task
def system_deps(c):
    """Install what the tests need beyond pip (Debian packages, npm packages)."""
    c.run(f'bash "{ROOT / ".ci" / "install-system-deps"}"', pty=False)


@task
def lint(c):
    """ruff: lint and format check."""
    c.run(f'"{PYTHON}" -m ruff check "{ROOT}"', pty=False)
    c.run(f'"{PYTHON}" -m ruff format --check "{ROOT}"', pty=False)


@task
def test(c, k="", fast=False):
    """Install system test dependencies, lint, then run the whole test suite."""
    if not fast:
        system_deps(c)
    lint(c)
    selection = f'-k "{k}"' if k else ""
    env = {"PYTHONDONTWRITEBYTECODE": "1", **os.environ}
    c.run(f'"{PYTHON}" -m pytest {selection}', env=env, pty=False)


@task
def bench(c, sizes="100,1000,5000", runs=3, seed=8):
    """Build-speed benchmark against plain Pelican (prints a table, see bench/)."""
    c.run(
        f'"{PYTHON}" "{ROOT / "bench" / "run.py"}" --sizes {sizes} --runs {runs} '
        f"--seed {seed}",
        pty=False,
    )


# --- editors: check, new, live preview ---------------------------------------


def _plugins_on_path() -> None:
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))


@task
def check(c, content="content", settings="pelicanconf.py"):
    """Check all content (header fields, links, HTML) without building; lists every problem."""
    _plugins_on_path()
    from content_schema.check import run_check

    result = run_check(ROOT / content, ROOT / settings)
    for line in result.lines():
        print(line)
    print(result.summary())
    if result.errors:
        raise Exit(code=1)


@task(
    help={
        "kind": "news, initiative or campaign (or page)",
        "title": "the title, umlauts welcome",
        "category": "news: one of the categories",
        "region": "initiative: one of the regions",
        "field": "initiative: one of the fields of action",
    }
)
def new(c, kind, title, content="content", category="", region="", field=""):
    """Create a content file with every field explained: invoke new news "Titel"."""
    _plugins_on_path()
    from content_schema.scaffold import ScaffoldError, create

    values = {"Category": category, "Region": region, "Field": field}
    try:
        path = create(
            kind, title, ROOT / content, values={k: v for k, v in values.items() if v}
        )
    except ScaffoldError as error:
        print(f"invoke new: {error}", file=sys.stderr)
        raise Exit(code=1) from None
    print(
        f"Neu angelegt: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
    )


@task
def livereload(c, port=8000, bind="127.0.0.1", content="content", output="output"):
    """Serve the site and rebuild on every save; the browser reloads by itself."""
    sys.path.insert(0, str(ROOT))
    from tools.preview import serve as serve_preview

    serve_preview(
        port=int(port), bind=bind, content=ROOT / content, output=ROOT / output
    )
