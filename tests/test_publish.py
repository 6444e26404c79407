"""`invoke publish`: reproducible, checked, and switched live in one step.

The atomic-publish tests run the real tasks in a copy of the project with a
small fixture site (tests.support.copy_project), so the repository's own
output/ is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from publishing.checks import run_output_checks
from tests.images import photo
from tests.support import (
    DEMO_CONTENT,
    DEMO_OVERRIDES,
    PUBLISH_SITE,
    ROOT,
    build_site,
    copy_project,
    invoke,
    snapshot,
    write_files,
)

SITEURL = "https://www.example.org"


# --- reproducible output -------------------------------------------------------


def test_two_publish_builds_are_byte_identical(demo_site, tmp_path):
    # Another process with another hash seed: set and dict order, clock and
    # file mtimes must not leak into any byte (sitemap, feeds, .gz, .br).
    again = build_site(
        DEMO_CONTENT,
        tmp_path / "again",
        settings="publishconf.py",
        env={"SITEURL": SITEURL, "PYTHONHASHSEED": "12345"},
        overrides=DEMO_OVERRIDES,
    )
    assert again.ok, again.log
    first, second = snapshot(demo_site.output), snapshot(again.output)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"differ between two builds: {differing}"
    assert any(name.endswith(".gz") for name in first)
    assert any(name.endswith(".br") for name in first)
    assert "sitemap.xml" in first


def test_sitemap_lastmod_of_list_pages_is_the_newest_content_date(demo_site):
    sitemap = (demo_site.output / "sitemap.xml").read_text("utf-8")
    # Every lastmod is a date some content carries, never the build's clock.
    dates = {
        line[9:19] for line in sitemap.splitlines() if line.startswith("<lastmod>")
    }
    content_dates = set()
    for path in DEMO_CONTENT.rglob("*.md"):
        for line in path.read_text("utf-8").splitlines():
            if line.lower().startswith(("date:", "modified:")):
                content_dates.add(line.split(":", 1)[1].strip()[:10])
    assert dates and dates <= content_dates, dates - content_dates


def test_gzip_and_brotli_files_decompress_to_the_original(demo_site):
    import gzip

    import brotli

    html = demo_site.output / "index.html"
    assert (
        gzip.decompress(html.with_name("index.html.gz").read_bytes())
        == html.read_bytes()
    )
    assert (
        brotli.decompress(html.with_name("index.html.br").read_bytes())
        == html.read_bytes()
    )
    # No timestamp in the gzip header (bytes 4–7), so rebuilding changes nothing.
    assert html.with_name("index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"


def test_the_search_bundle_is_compressed_like_the_pages(demo_site):
    # The index is built in the background during ``finalized``; compression
    # comes after it (pelican-granular-signals' ``compress``), so pagefind's
    # script and the index entry have their compressed copies too.
    import gzip

    bundle = demo_site.output / "pagefind"
    for name in ("pagefind.js", "pagefind-entry.json"):
        packed = bundle / f"{name}.gz"
        assert packed.is_file(), f"{name} was not compressed"
        assert gzip.decompress(packed.read_bytes()) == (bundle / name).read_bytes()


# --- output checks ---------------------------------------------------------------


def test_demo_site_passes_the_output_checks(demo_site):
    assert run_output_checks(demo_site.output, SITEURL) == []


def test_output_checks_find_what_would_break_for_visitors(tmp_path):
    write_files(
        tmp_path,
        {
            "index.html": """
                <link rel="stylesheet" href="/theme/css/fehlt.css">
                <link rel="canonical" href="https://www.example.org/">
                <script src="https://cdn.example.net/tracker.js"></script>
                <a href="/gibt-es-nicht/">kaputt</a>
                <a href="https://www.example.org/auch-nicht/">kaputt absolut</a>
                <a href="https://partner.example.com/">Partner (erlaubt)</a>
                <a href="mailto:info@example.org">Mail</a>
                <a href="/seite/#anker">ok</a>
                <img src="bild.jpg" srcset="bild.jpg 1x, fehlt-2x.jpg 2x" alt="">
                <p style="color:red" onclick="x()">inline</p>
                <script>alert(1)</script>
                <script type="application/ld+json">{"@type": "Thing"}</script>
                """,
            "seite/index.html": "<p>ok</p>",
            "bild.jpg": b"jpg",
            "theme/css/site.css": "@import url(https://fonts.example.com/x.css);"
            " body { background: url(../../fehlt.png); }",
        },
    )
    problems = "\n".join(run_output_checks(tmp_path, SITEURL))
    for expected in [
        "/theme/css/fehlt.css",
        "/gibt-es-nicht/",
        "https://www.example.org/auch-nicht/",
        "fehlt-2x.jpg",
        "tracker.js'> loads from another host",
        "url(../../fehlt.png) leads to no file",
        "fonts.example.com/x.css) loads from another host",
        "inline style attribute",
        "inline event handler",
        "<script> with inline code",
    ]:
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"
    for allowed in ["partner.example.com", "mailto:", "/seite/#anker", "ld+json"]:
        assert allowed not in problems
    assert problems.count("<script> with inline code") == 1


# --- atomic publish ----------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project", PUBLISH_SITE)


def _published(project: Path):
    output = project / "output"
    return os.readlink(output), snapshot(output)


def test_publish_switches_output_only_after_build_and_checks_pass(project):
    first = invoke(project, "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    output = project / "output"
    assert output.is_symlink(), "output/ is switched as a symlink"
    assert (
        output / "aktuelles" / "jahresauftakt-der-zukunftsregion" / "index.html"
    ).exists()
    before = _published(project)

    # 1. The build fails (a news item without a title): nothing changes.
    write_files(project / "content", {"news/kaputt.md": "Date: 2024-05-01\n\nText.\n"})
    failed = invoke(project, "publish")
    assert failed.returncode != 0
    assert "news/kaputt.md" in failed.stdout + failed.stderr
    assert "output/ is unchanged" in failed.stderr
    assert _published(project) == before
    (project / "content" / "news" / "kaputt.md").unlink()

    # 2. The build succeeds but a check fails (a link to a missing page). The
    # link is relative: a root-relative one is caught earlier, while reading
    # (content_schema), and would stop the build itself.
    write_files(
        project / "content",
        {
            "news/2024-05-02-link.md": """
                Title: Meldung mit totem Link
                Date: 2024-05-02
                Category: Innovation

                Siehe [alte Seite](../../gibt-es-nicht/).
                """
        },
    )
    checked = invoke(project, "publish")
    assert checked.returncode != 0
    assert "/gibt-es-nicht/" in checked.stderr and "leads to no file" in checked.stderr
    assert _published(project) == before
    # Failed builds leave no folder behind either.
    assert len(list((project / ".publish").iterdir())) == 1

    # 3. Fixed: the new build goes live, in one step.
    write_files(
        project / "content",
        {
            "news/2024-05-02-link.md": """
                Title: Meldung mit totem Link
                Date: 2024-05-02
                Category: Innovation

                Siehe [Impressum](/impressum/).
                """
        },
    )
    fixed = invoke(project, "publish")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    after = _published(project)
    assert after[0] != before[0]
    assert "aktuelles/meldung-mit-totem-link/index.html" in after[1]


def test_development_build_never_writes_through_the_published_link(project):
    assert invoke(project, "publish").returncode == 0
    published = (project / "output").resolve()
    before = snapshot(published)
    built = invoke(project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert not (project / "output").is_symlink()
    assert snapshot(published) == before


# --- CI keeps cache/ between runs -----------------------------------------------

PHOTO_NEWS = {
    "news/2024-05-01-fachkraeftetag.md": """
        Title: Fachkräftetag mit Foto
        Date: 2024-05-01
        Category: Fachkräfte
        Tags: Ausbildung
        Summary: Ein Bericht mit Foto.
        Image: images/news/fachkraeftetag.jpg
        Image_alt: Besucherinnen und Besucher an einem Messestand

        Über 80 Betriebe stellten sich vor.
        """,
}


def _clone_with_photo(project: Path) -> Path:
    copy_project(project, {**PUBLISH_SITE, **PHOTO_NEWS})
    photo_path = project / "content" / "images" / "news" / "fachkraeftetag.jpg"
    photo_path.parent.mkdir(parents=True, exist_ok=True)
    photo_path.write_bytes(photo(artist="Lena Groß"))
    return project


def _images_line(result) -> tuple[int, int]:
    return _images_line_of(result.stdout, result.stderr)


def _images_line_of(log: str, errors: str = "") -> tuple[int, int]:
    found = re.search(r"Bilder: (\d+) verwendet, (\d+) neu berechnet", log)
    assert found, log + errors
    return int(found.group(1)), int(found.group(2))


def test_a_fresh_clone_with_the_cache_ci_keeps_renders_no_photo_again(tmp_path):
    """The workflow restores ``cache/`` before publishing; with it, the publish
    build of a fresh clone renders no photo and publishes the same bytes."""
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "publish.yml").read_text("utf-8")
    )
    steps = workflow["jobs"]["publish"]["steps"]
    (cache_step,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    publish_step = next(s for s in steps if "invoke publish" in s.get("run", ""))
    assert steps.index(cache_step) < steps.index(publish_step)
    kept = cache_step["with"]["path"]
    # A run whose sources changed misses the key and restores the newest cache.
    restore = cache_step["with"]["restore-keys"].split()
    assert any(cache_step["with"]["key"].startswith(prefix) for prefix in restore)

    # Without the tests' shared image cache: the project's own, as in CI.
    env = {"REGIOSITE_IMAGE_CACHE": ""}
    project = _clone_with_photo(tmp_path / "project")
    first = invoke(project, "publish", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    used, rendered = _images_line(first)
    assert used >= 1 and rendered == used
    assert list((project / kept / "images").rglob("*.avif"))
    assert (project / kept / "incremental").is_dir()
    published = snapshot(project / "output")

    # The runner's next checkout: a new clone at the same path, cache/ restored.
    (project / kept).rename(tmp_path / "restored")
    shutil.rmtree(project)
    _clone_with_photo(project)
    (tmp_path / "restored").rename(project / kept)
    second = invoke(project, "publish", env=env)

    assert second.returncode == 0, second.stdout + second.stderr
    assert _images_line(second) == (used, 0)
    assert snapshot(project / "output") == published


def _cached_files(cache: Path) -> set[Path]:
    return {path for path in cache.rglob("*") if path.is_file()}


@contextlib.contextmanager
def _another_build_holds(project: Path, cache: Path, alone: bool = False):
    """A process that holds the image cache as a build does while it renders
    and links (shared), or as a publish does while it prunes (``alone``)."""
    code = (
        "import sys; from pathlib import Path; "
        "from image_credits.pipeline import CacheUse; "
        "use = CacheUse(Path(sys.argv[1])); "
        "assert sys.argv[2] == 'shared' or use.exclusive(); "
        "print('held', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(cache), "alone" if alone else "shared"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project / "plugins")},
    )
    # Let go after a minute whatever happens: a build waiting for the lock
    # then finishes, and the test fails on what it printed, not by hanging.
    timer = threading.Timer(60, holder.stdin.close)
    timer.start()
    try:
        assert holder.stdout.readline() == "held\n"
        yield holder
    finally:
        timer.cancel()
        with contextlib.suppress(OSError, ValueError):
            holder.stdin.close()
        holder.wait(timeout=30)


def test_a_build_waits_while_a_publish_prunes_the_image_cache(tmp_path):
    """Pruning and linking never overlap: a build that reaches its images
    while a publish prunes the shared cache waits, says so, and then
    finishes with every variant in place."""
    env = {"REGIOSITE_IMAGE_CACHE": "", "PYTHONUNBUFFERED": "1"}
    project = _clone_with_photo(tmp_path / "project")
    cache = project / "cache" / "images"
    waiting = "Bilder: warte, bis ein anderer Build den Cache aufgeräumt hat"
    with _another_build_holds(project, cache, alone=True) as pruning:
        build = subprocess.Popen(
            [sys.executable, "-m", "invoke", "build"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "COLUMNS": "200", **env},
        )
        printed = []
        for line in build.stdout:
            printed.append(line)
            if waiting in line:
                break
        assert waiting in "".join(printed), "".join(printed)
        assert build.poll() is None  # still waiting
        assert pruning.poll() is None  # not let go by the timer
    printed += build.stdout.readlines()
    assert build.wait(timeout=120) == 0, "".join(printed)
    used, rendered = _images_line_of("".join(printed))
    assert used >= 1 and rendered == used
    assert list((project / "output").rglob("*.avif"))


def test_a_publish_removes_the_variants_of_a_replaced_photo_from_the_cache(tmp_path):
    """CI saves ``cache/`` after every changed run: without pruning, every
    replaced photo would stay in it for good."""
    env = {"REGIOSITE_IMAGE_CACHE": ""}
    project = _clone_with_photo(tmp_path / "project")
    cache = project / "cache" / "images"
    assert invoke(project, "publish", env=env).returncode == 0
    old_variants = {p for p in _cached_files(cache) if p.parent != cache}
    assert old_variants

    photo_path = project / "content" / "images" / "news" / "fachkraeftetag.jpg"
    photo_path.write_bytes(photo(color="darkred", artist="Lena Groß"))
    # A development build keeps what it does not use (the tests share a cache).
    built = invoke(project, "build", env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert old_variants < _cached_files(cache)

    # While another build uses the cache (a live preview), nothing is pruned:
    # it may be about to link exactly these files.
    with _another_build_holds(project, cache):
        held = invoke(project, "publish", env=env)
    assert held.returncode == 0, held.stdout + held.stderr
    assert "Cache nicht aufgeräumt (ein anderer Build benutzt ihn)" in held.stdout
    assert old_variants < _cached_files(cache)

    second = invoke(project, "publish", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"\b\d+ alte aus dem Cache entfernt", second.stdout)
    kept = _cached_files(cache)
    assert not old_variants & kept
    # What is left is exactly what the site publishes: every variant in the
    # output is a hard link to its cached file, and one description file.
    published = {
        (p.stat().st_ino, p.stat().st_dev)
        for p in (project / "output").resolve().rglob("*")
        if p.is_file()
    }
    variants = {p for p in kept if p.parent != cache}
    assert variants
    assert {(p.stat().st_ino, p.stat().st_dev) for p in variants} <= published
    assert len([p for p in kept if p.suffix == ".pickle"]) == 1
