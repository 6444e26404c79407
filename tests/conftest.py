"""Fixtures shared by all tests."""

from __future__ import annotations

import shutil

import pytest

from tests.support import DEMO_CONTENT, Build, build_site


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
