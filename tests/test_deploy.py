"""`invoke deploy` and `invoke rollback` against a local target folder.

Real rsync, real tasks, in a copy of the project (tests.support.copy_project).
The target-side steps are the same shell scripts a remote target runs over
ssh, so a local folder exercises the whole switch logic.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from publishing.deploy import Target, deploy, rollback
from tests.support import PUBLISH_SITE, copy_project, invoke, snapshot, write_files

ARTICLE = "news/2024-03-12-jahresauftakt.md"
ARTICLE_PAGE = "aktuelles/jahresauftakt-der-zukunftsregion/index.html"


def transferred(result) -> int:
    """rsync's own count, as printed by `invoke deploy`."""
    match = re.search(r"Number of regular files transferred: ([\d,]+)", result.stdout)
    assert match, result.stdout + result.stderr
    return int(match.group(1).replace(",", ""))


def live(target: Path) -> Path:
    return (target / "current").resolve()


@pytest.fixture
def setup(tmp_path):
    project = copy_project(tmp_path / "project", PUBLISH_SITE)
    target = tmp_path / "target"
    env = {"DEPLOY_TARGET": str(target), "DEPLOY_KEEP_RELEASES": "3"}
    return project, target, env


def test_unchanged_site_uploads_nothing_and_one_edit_uploads_only_its_files(setup):
    project, target, env = setup
    first = invoke(project, "publish", "deploy", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    files = [p for p in (project / "output").rglob("*") if p.is_file()]
    assert transferred(first) == len(files)
    assert (live(target) / ARTICLE_PAGE).is_file()
    first_release = live(target)

    # Nothing new (an hourly scheduled run, mostly): no upload, no release
    # that would push older ones out of DEPLOY_KEEP_RELEASES.
    second = invoke(project, "deploy", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "deploy: nothing changed" in second.stdout
    assert live(target) == first_release
    assert len(list((target / "releases").iterdir())) == 1

    # Edit the text of one article (not its summary or date).
    before = snapshot(project / "output")
    source = project / "content" / ARTICLE
    source.write_text(source.read_text("utf-8") + "\nEin neuer Absatz.\n", "utf-8")
    assert invoke(project, "publish", env=env).returncode == 0
    after = snapshot(project / "output")
    changed = sorted(name for name in after if before.get(name) != after[name])
    assert ARTICLE_PAGE in changed and f"{ARTICLE_PAGE}.gz" in changed
    assert "impressum/index.html" not in changed
    assert len(changed) < len(after) / 4

    third = invoke(project, "deploy", env=env)
    assert third.returncode == 0, third.stdout + third.stderr
    assert transferred(third) == len(changed)
    assert "Ein neuer Absatz" in (live(target) / ARTICLE_PAGE).read_text("utf-8")
    # Unchanged files are hard links to the previous release: no new space.
    previous = (target / "previous").resolve()
    impressum = "impressum/index.html"
    assert (live(target) / impressum).stat().st_ino == (
        previous / impressum
    ).stat().st_ino


def test_removed_page_is_gone_failed_publish_touches_nothing_rollback(setup):
    project, target, env = setup
    assert invoke(project, "publish", "deploy", env=env).returncode == 0
    campaign = "kampagnen/tech-me-home/index.html"
    assert (live(target) / campaign).is_file()
    first_release = live(target)

    (project / "content" / "campaigns" / "tech-me-home.md").unlink()
    removed = invoke(project, "publish", "deploy", env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not (live(target) / campaign).exists(), "removed pages are deleted"
    second_release = live(target)

    # A broken build stops before deploy: neither output/ nor the target change.
    output_before = (os.readlink(project / "output"), snapshot(project / "output"))
    target_before = snapshot(target)
    write_files(project / "content", {"news/kaputt.md": "Title: Ohne Datum\n\nText.\n"})
    failed = invoke(project, "publish", "deploy", env=env)
    assert failed.returncode != 0
    assert (
        os.readlink(project / "output"),
        snapshot(project / "output"),
    ) == output_before
    assert snapshot(target) == target_before

    rolled = invoke(project, "rollback", env=env)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert live(target) == first_release
    assert (live(target) / campaign).is_file()
    # The release we left stays as `previous` (its hashed assets stay reachable).
    assert (target / "previous").resolve() == second_release


def test_only_the_last_releases_are_kept(tmp_path):
    site = write_files(tmp_path / "site", {"index.html": "<h1>Start</h1>"})
    target = Target(str(tmp_path / "target"))
    for number in range(5):
        (site / "index.html").write_text(f"<h1>Start {number}</h1>")
        deploy(site, target, keep=3)
    # A site equal to the live one is no release of its own; a removed file is
    # a change.
    assert deploy(site, target, keep=3).unchanged
    write_files(site, {"alt.html": "<p>alt</p>"})
    deploy(site, target, keep=3)
    (site / "alt.html").unlink()
    assert not deploy(site, target, keep=3).unchanged
    assert not (live(tmp_path / "target") / "alt.html").exists()
    releases = sorted(p.name for p in (tmp_path / "target" / "releases").iterdir())
    assert len(releases) == 3
    assert live(tmp_path / "target").name == releases[-1]
    assert (tmp_path / "target" / "previous").resolve().name == releases[-2]


def test_deploy_refuses_a_development_build(setup):
    project, target, env = setup
    # A plain output/ folder, as `invoke build` leaves it: not checked, local URLs.
    write_files(project / "output", {"index.html": "<h1>Entwicklung</h1>"})
    result = invoke(project, "deploy", env=env)
    assert result.returncode != 0
    assert "invoke publish" in result.stderr
    assert not target.exists()


def test_remote_target_over_ssh(tmp_path):
    """`user@host:path`: every target step and rsync go through the ssh
    command (tests/fake_ssh.py runs them here, as sshd would there)."""
    site = write_files(tmp_path / "site", {"index.html": "<h1>Eins</h1>"})
    folder = tmp_path / "srv" / "regio site"  # a space survives the quoting
    fake_ssh = f"{sys.executable} {Path(__file__).with_name('fake_ssh.py')} -p 22"
    target = Target(f"deploy@web1.example.org:{folder}", ssh=fake_ssh)
    assert target.host == "deploy@web1.example.org"
    first = deploy(site, target)
    assert first.files_transferred == 1
    assert deploy(site, target).files_transferred == 0
    (site / "index.html").write_text("<h1>Zwei</h1>", "utf-8")
    third = deploy(site, target)
    assert third.files_transferred == 1
    assert (folder / "current" / "index.html").read_text("utf-8") == "<h1>Zwei</h1>"
    back = rollback(target)
    assert (folder / "current").resolve().name == back
    assert (folder / "current" / "index.html").read_text("utf-8") == "<h1>Eins</h1>"
