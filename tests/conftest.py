"""Fixtures shared by all tests."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.support import DEMO_CONTENT, Build, build_site


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
    )
    assert result.ok, result.log
    return result


@pytest.fixture
def site_dir(tmp_path):
    """A scratch folder with ``content/`` and ``output/`` for fixture sites."""
    (tmp_path / "content").mkdir()
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)
