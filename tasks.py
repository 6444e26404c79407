"""Tasks for building, checking, testing and publishing regiosite.

Run ``invoke --list`` for an overview. Every task works from a fresh clone
once the requirements are installed (see README.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shlex
import shutil
import signal
import sys
from pathlib import Path

from invoke import Exit, task
from invoke.exceptions import UnexpectedExit

ROOT = Path(__file__).resolve().parent
PYTHON = sys.executable
OUTPUT = ROOT / "output"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from publishing import deploy as releases  # noqa: E402
from publishing import local  # noqa: E402
from publishing.checks import run_output_checks  # noqa: E402
from publishing.command import pelican_command  # noqa: E402
from publishing.preview import make_server  # noqa: E402


def _pelican(c, settings: str, output: Path, extra: str = "") -> None:
    command = shlex.join(pelican_command(ROOT / "content", output, settings=settings))
    c.run(f"{command} {extra}", pty=False)


@task
def clean(c):
    """Remove the built site."""
    local.detach(OUTPUT)
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c):
    """Build the site for local preview into output/."""
    # output/ may be the symlink to a publish build: never write through it.
    local.detach(OUTPUT)
    _pelican(c, "pelicanconf.py", OUTPUT)


@task
def serve(c, port=8000, bind="127.0.0.1"):
    """Serve output/ at http://127.0.0.1:8000/ like production (build first)."""
    if not (OUTPUT / "index.html").exists():
        build(c)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = make_server(OUTPUT, port=int(port), bind=bind, quiet=False)
    print(f"Die Website läuft auf http://{bind}:{port}/ – beenden mit Strg+C.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _publish_settings() -> dict:
    from pelican.settings import get_settings_from_file

    return get_settings_from_file(str(ROOT / "publishconf.py"))


def _check_output(c, staging: Path) -> None:
    """Every internal link and source resolves; nothing loads from another
    host; nothing inline that the CSP would block (publishing/checks.py)."""
    problems = run_output_checks(staging, _publish_settings()["SITEURL"])
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        raise Exit(f"{len(problems)} problem(s) in the built site, see above.")


#: What a publish build must pass before it replaces output/, in order. Each
#: entry is (name, function(c, staging_folder)) and fails by raising (e.g.
#: invoke's Exit or UnexpectedExit). The build's own diagnostics come first:
#: a content error already stops the build itself.
PUBLISH_CHECKS = [
    ("output", _check_output),
]


@task
def publish(c):
    """Build with publishconf.py into a fresh folder, check it, then switch
    output/ to it in one step. On any failure output/ stays as it was."""
    staging = local.new_staging(ROOT)
    try:
        _pelican(c, "publishconf.py", staging)
        for name, check in PUBLISH_CHECKS:
            print(f"publish: check {name} …")
            check(c, staging)
    except BaseException as error:
        local.discard(staging)
        if isinstance(error, UnexpectedExit):
            reason = "The build failed, see the messages above."
        else:
            reason = getattr(error, "message", "") or str(error) or repr(error)
        raise Exit(f"Publish stopped, output/ is unchanged. {reason}", code=1) from None
    previous = local.activate(OUTPUT, staging)
    print(f"publish: output/ → {OUTPUT.resolve().relative_to(ROOT)}", end="")
    print(f" (was {previous.relative_to(ROOT)})" if previous else "")


def _target(target: str) -> releases.Target:
    settings = _publish_settings()
    spec = target or settings.get("DEPLOY_TARGET", "")
    if not spec:
        raise Exit(
            "No deploy target: set DEPLOY_TARGET (a folder or user@host:/path) "
            "or pass --target."
        )
    return releases.Target(spec, ssh=settings.get("DEPLOY_SSH", "ssh"))


@task
def deploy(c, target="", keep=0):
    """Upload the published output/ as a new release to the target and switch
    `current` to it (rsync, checksum-based; only changed files travel)."""
    source = local.published(OUTPUT)
    if source is None:
        raise Exit("output/ is no publish build: run `invoke publish` first.")
    settings = _publish_settings()
    where = _target(target)
    try:
        result = releases.deploy(
            source,
            where,
            keep=int(keep or settings.get("DEPLOY_KEEP_RELEASES", 5)),
            rsync_options=shlex.split(settings.get("DEPLOY_RSYNC_OPTIONS", "")),
            reload_command=settings.get("DEPLOY_RELOAD_COMMAND", ""),
        )
    except releases.DeployError as error:
        raise Exit(f"Deploy failed, the live site is unchanged: {error}") from None
    if result.unchanged:
        print(
            f"deploy: nothing changed, {where.spec}/current stays "
            f"releases/{result.release}"
        )
        return
    print(result.stats.strip())
    print(
        f"deploy: {where.spec}/current → releases/{result.release}"
        f" ({result.files_transferred} file(s) transferred)"
    )
    if result.pruned:
        print(f"deploy: removed old releases {', '.join(result.pruned)}")


@task
def rollback(c, target=""):
    """Switch the target's `current` back to the release before it."""
    where = _target(target)
    try:
        name = releases.rollback(
            where, _publish_settings().get("DEPLOY_RELOAD_COMMAND", "")
        )
    except releases.DeployError as error:
        raise Exit(str(error)) from None
    print(f"rollback: {where.spec}/current → releases/{name}")


@task(name="nginx-config")
def nginx_config(
    c,
    root="/srv/regiosite",
    server_name="www.example.org",
    certificate="",
    key="",
    brotli=False,
):
    """Print deploy/nginx.conf rendered for a server (see README.md)."""
    from publishing.nginx import render_site

    print(
        render_site(
            root,
            server_name=server_name,
            certificate=certificate or None,
            key=key or None,
            brotli=brotli,
        ),
        end="",
    )


@task(name="nginx-preview")
def nginx_preview(c, port=8080):
    """Serve output/ with the production nginx config on 127.0.0.1 (Ctrl+C ends)."""
    import tempfile

    from publishing.nginx import LocalNginx

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "target"
        root.mkdir()
        (root / "current").symlink_to(OUTPUT.resolve())
        (root / "previous").symlink_to(OUTPUT.resolve())
        with LocalNginx(root, Path(folder) / "nginx", port=int(port)) as server:
            print(f"nginx: http://127.0.0.1:{server.port}/ – beenden mit Strg+C.")
            # Ctrl+C or a plain `kill` ends nginx too, never leaving it behind.
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            with contextlib.suppress(KeyboardInterrupt):
                server.process.wait()


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


@task(name="bench-web")
def bench_web(c, only=""):
    """Lighthouse (mobile) on every page type and first-render bytes (a benchmark)."""
    system_deps(c)
    selection = f'--only "{only}"' if only else ""
    c.run(f'"{PYTHON}" "{ROOT / "bench" / "web.py"}" {selection}', pty=False)


# --- editors: check, new, live preview ---------------------------------------


def _plugins_on_path() -> None:
    if str(ROOT / "plugins") not in sys.path:
        sys.path.insert(0, str(ROOT / "plugins"))


@task
def check(c, content="content", settings="pelicanconf.py"):
    """Check all content (header fields, links, HTML) without building; lists every problem."""
    _plugins_on_path()
    from content_schema.check import run_check

    try:
        result = run_check(ROOT / content, ROOT / settings)
    except Exception as error:  # a bug of ours; editors still see one plain line
        print(
            f"check: internal error ({type(error).__name__}: {error}) — tell the web team"
        )
        raise Exit(code=2) from None
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


@task(name="bench-partners")
def bench_partners(c, sizes="1000/100,2500/250,5000/500", runs=3):
    """Partners plugin's share of the build time by registry size (prints a table)."""
    c.run(
        f'"{PYTHON}" "{ROOT / "bench" / "partners.py"}" --sizes {sizes} --runs {runs}',
        pty=False,
    )


@task(name="bench-images")
def bench_images(c, count=300):
    """Image pipeline benchmark: COUNT photos built twice (prints figures, see bench/)."""
    c.run(f'"{PYTHON}" "{ROOT / "bench" / "images.py"}" --count {count}', pty=False)


@task(name="schema-docs")
def schema_docs(c):
    """Regenerate the field tables in README.md from plugins/content_schema/schema.py."""
    _plugins_on_path()
    from content_schema.docs import update_readme

    changed = update_readme(ROOT / "README.md")
    print("README.md updated." if changed else "README.md is up to date.")
