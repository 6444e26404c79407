"""Every HTML page of the demo site is valid HTML (Nu HTML Checker, vnu.jar).

vnu runs once over the whole output folder; one JVM start instead of one
per page keeps this to seconds.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.support import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(folder) -> list[dict]:
    """All messages vnu has about the HTML files below ``folder``."""
    java = shutil.which("java")
    assert java, "java is missing — run .ci/install-system-deps as root"
    assert VNU.exists(), f"{VNU} is missing — run .ci/install-system-deps (npm ci)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu prints JSON on stderr, and nothing at all when every file is valid.
    text = (result.stderr or result.stdout).strip()
    messages = json.loads(text)["messages"] if text else []
    if result.returncode not in (0, 1):
        raise AssertionError(f"vnu did not run: {result.stderr}")
    return messages


def test_every_page_is_valid_html(demo_site):
    assert len(demo_site.pages()) >= 20
    errors = [
        f"{m['url'].removeprefix('file:')}:{m.get('lastLine', 0)}: {m['message']}"
        for m in run_vnu(demo_site.output)
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)


def test_the_checker_finds_invalid_html(tmp_path):
    """Guards the test above: an empty message list must mean 'valid'."""
    (tmp_path / "kaputt.html").write_text(
        '<!doctype html><html lang="de"><title>x</title><p><div></p>', "utf-8"
    )
    messages = run_vnu(tmp_path)
    assert any(m["type"] == "error" for m in messages)
