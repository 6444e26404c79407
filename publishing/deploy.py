"""Upload a published build to a target and switch it live atomically.

Layout on the target (a local folder or ``user@host:/srv/regiosite``)::

    releases/20261122T215012123456Z/   one complete site per deploy
    current  -> releases/<newest>      what nginx serves
    previous -> releases/<the one before>  nginx falls back here for hashed
                                           assets of pages loaded just before
                                           the switch

Every target-side step is a short POSIX shell script, run with ``sh -c``
locally or through ``ssh host sh -c`` remotely: the same commands either way,
so the tests on a local folder exercise exactly what runs on a server.
Needs rsync on both ends and GNU coreutils (``mv -T``) on the target.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .local import release_id

_PREPARE = r"""
set -e
mkdir -p "$1/releases"
if [ -L "$1/current" ]; then basename "$(readlink "$1/current")"; fi
"""

# Switch only to a release that looks like a site; previous first, so that
# at every instant both links point to a complete release.
_ACTIVATE = r"""
set -e
cd "$1"
test -f "releases/$2/index.html" || { echo "releases/$2 has no index.html" >&2; exit 3; }
if [ -L current ]; then
  ln -sfn "$(readlink current)" previous.tmp && mv -T previous.tmp previous
fi
ln -sfn "releases/$2" current.tmp && mv -T current.tmp current
"""

# Succeeds if two releases hold the same paths (names only; whether the
# bytes are the same, rsync's transfer count tells).
_SAME_PATHS = r"""
cd "$1/releases" || exit 3
[ "$(cd "$2" && find . | LC_ALL=C sort)" = "$(cd "$3" && find . | LC_ALL=C sort)" ]
"""

_DISCARD = r"""
cd "$1" && rm -rf "releases/$2"
"""

# Keep the newest $2 releases, and always those current and previous name.
_PRUNE = r"""
set -e
cd "$1"
cur=$(basename "$(readlink current 2>/dev/null)" 2>/dev/null || true)
prev=$(basename "$(readlink previous 2>/dev/null)" 2>/dev/null || true)
ls -1 releases | sort -r | tail -n +"$(($2 + 1))" | while read -r old; do
  if [ "$old" != "$cur" ] && [ "$old" != "$prev" ]; then
    rm -rf "releases/$old" && echo "$old"
  fi
done
"""

# The live release becomes `previous`; `current` goes to the newest release
# older than it.
_ROLLBACK = r"""
set -e
cd "$1"
[ -L current ] || { echo "nothing deployed yet" >&2; exit 3; }
cur=$(basename "$(readlink current)")
target=$(ls -1 releases | sort | awk -v c="$cur" '$0 < c' | tail -n 1)
[ -n "$target" ] || { echo "no release older than $cur" >&2; exit 3; }
ln -sfn "releases/$cur" previous.tmp && mv -T previous.tmp previous
ln -sfn "releases/$target" current.tmp && mv -T current.tmp current
echo "$target"
"""

_LIST = r"""
cd "$1" && ls -1 releases 2>/dev/null | sort
"""


class DeployError(RuntimeError):
    """A deploy step failed; ``current`` on the target is unchanged."""


@dataclass(frozen=True)
class Target:
    """Where releases go: ``/srv/site`` or ``user@host:/srv/site``."""

    spec: str
    ssh: str = "ssh"

    @property
    def host(self) -> str | None:
        head, sep, _ = self.spec.partition(":")
        return head if sep and "/" not in head else None

    @property
    def path(self) -> str:
        return self.spec.partition(":")[2] if self.host else self.spec

    def shell(self, script: str, *args: str) -> subprocess.CompletedProcess:
        """Run a POSIX shell script on the target with positional args."""
        command = ["sh", "-c", script, "sh", self.path, *args]
        if self.host:
            command = [
                *shlex.split(self.ssh),
                self.host,
                " ".join(shlex.quote(a) for a in command),
            ]
        return subprocess.run(command, capture_output=True, text=True, timeout=600)

    def rsync_destination(self, release: str) -> str:
        path = f"{self.path.rstrip('/')}/releases/{release}/"
        return f"{self.host}:{path}" if self.host else path


@dataclass
class DeployResult:
    release: str
    previous: str | None
    files_transferred: int
    stats: str
    pruned: list[str]
    #: The site equalled the live release: no new release, nothing switched.
    unchanged: bool = False


def _checked(result: subprocess.CompletedProcess, what: str) -> str:
    if result.returncode != 0:
        raise DeployError(f"{what} failed: {result.stderr.strip() or result.stdout}")
    return result.stdout


def files_transferred(stats: str) -> int:
    """rsync's own count from ``--stats``."""
    match = re.search(r"Number of regular files transferred:\s*([\d,.]+)", stats)
    if not match:
        raise DeployError("rsync printed no statistics")
    return int(re.sub(r"[,.]", "", match.group(1)))


def rsync_command(
    source: Path, target: Target, release: str, link_dest: str | None, extra=()
) -> list[str]:
    """Checksum-based upload into a new release folder.

    ``--link-dest`` makes every file that is byte-identical to the live
    release a hard link to it: it is not sent and takes no space. Times are
    not preserved (a build gives every file a new mtime); permissions are set
    to fixed values so that unchanged files really compare equal.
    """
    command = [
        "rsync",
        "--recursive",
        "--links",
        "--perms",
        "--chmod=D755,F644",
        "--checksum",
        "--delete",
        "--stats",
    ]
    if target.host:
        command += ["-e", target.ssh]
    if link_dest:
        command.append(f"--link-dest=../{link_dest}")
    command += list(extra)
    command += [f"{Path(source)}/", target.rsync_destination(release)]
    return command


def deploy(
    source: Path,
    target: Target,
    *,
    keep: int = 5,
    rsync_options=(),
    reload_command: str = "",
) -> DeployResult:
    """Upload ``source`` as a new release, switch ``current`` to it, prune.

    Any failure before the switch removes the half-uploaded release and
    leaves ``current`` (what visitors get) exactly as it was. A site equal to
    the live release is not uploaded again (``unchanged``).
    """
    source = Path(source)
    if not (source / "index.html").is_file():
        raise DeployError(f"{source} is no built site (no index.html)")
    current = _checked(target.shell(_PREPARE), "preparing the target").strip() or None
    release = release_id()
    upload = subprocess.run(
        rsync_command(source, target, release, current, rsync_options),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if upload.returncode != 0:
        target.shell(_DISCARD, release)
        raise DeployError(
            f"rsync failed ({upload.returncode}): {upload.stderr.strip()}"
        )
    transferred = files_transferred(upload.stdout)
    if (
        current
        and transferred == 0
        and target.shell(_SAME_PATHS, release, current).returncode == 0
    ):
        # Every file is a hard link to the live one and none is missing: the
        # same site. Scheduled publish runs (hourly, for news dated in the
        # future) mostly end here; a release each would push the releases
        # worth rolling back to out of ``keep``.
        target.shell(_DISCARD, release)
        return DeployResult(current, None, 0, upload.stdout, [], unchanged=True)
    activated = target.shell(_ACTIVATE, release)
    if activated.returncode != 0:
        target.shell(_DISCARD, release)
        _checked(activated, "switching to the new release")
    if reload_command:
        _checked(target.shell(f'cd "$1" && {reload_command}'), "reloading the server")
    pruned = _checked(target.shell(_PRUNE, str(max(1, keep))), "pruning").split()
    return DeployResult(release, current, transferred, upload.stdout, pruned)


def rollback(target: Target, reload_command: str = "") -> str:
    """Switch ``current`` back to the release before it; return its name."""
    name = _checked(target.shell(_ROLLBACK), "rollback").strip()
    if reload_command:
        _checked(target.shell(f'cd "$1" && {reload_command}'), "reloading the server")
    return name


def releases(target: Target) -> list[str]:
    return _checked(target.shell(_LIST), "listing releases").split()
