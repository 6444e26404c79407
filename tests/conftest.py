"""Fixtures shared by all tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import DEMO_CONTENT, DEMO_OVERRIDES, Build, build_site, serve_site


@pytest.fixture(scope="session", autouse=True)
def shared_image_cache(tmp_path_factory):
    """One image cache for every build of the session (pelicanconf.py reads it).

    Image variants are keyed by content hash and settings, so sharing is safe
    and saves re-encoding the same photos in every fixture site.
    """
    path = tmp_path_factory.mktemp("image-cache")
    previous = os.environ.get("REGIOSITE_IMAGE_CACHE")
    os.environ["REGIOSITE_IMAGE_CACHE"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("REGIOSITE_IMAGE_CACHE", None)
    else:
        os.environ["REGIOSITE_IMAGE_CACHE"] = previous


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Build:
    """The demo site, built once per test session with the publish settings."""
    output = tmp_path_factory.mktemp("demo") / "output"
    result = build_site(
        DEMO_CONTENT,
        output,
        settings="publishconf.py",
        env={"SITEURL": "https://www.example.org"},
        overrides=DEMO_OVERRIDES,
    )
    assert result.ok, result.log
    return result


@pytest.fixture
def site_dir(tmp_path):
    """A scratch folder with ``content/`` and ``output/`` for fixture sites."""
    (tmp_path / "content").mkdir()
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)


# --- the browser suite: one server, one browser per session --------------------

CHROMIUM = "/usr/bin/chromium"
#: Flags for Debian's chromium in containers and CI: no sandbox (root), no
#: GPU, and none of the background traffic to Google a fresh profile makes.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def demo_url(demo_site) -> Iterator[str]:
    """Base URL of the demo site served on 127.0.0.1."""
    with serve_site(demo_site.output) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing — run .ci/install-system-deps as root")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
