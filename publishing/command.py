"""The one way regiosite runs Pelican's command line.

tasks.py, the tests and the benchmarks all build with the real ``pelican``
command in a subprocess (exit codes, logging and plugins exactly as an editor
gets them); this function is the single place that spells that command out.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def pelican_command(
    content: str | Path | None,
    output: str | Path,
    *,
    settings: str | Path = ROOT / "pelicanconf.py",
    overrides: Mapping[str, Any] | None = None,
) -> list[str]:
    """Arguments for ``python -m pelican``; ``overrides`` become ``-e KEY=json``.

    ``content`` may be ``None`` when the settings file names the content path.
    """
    command = [sys.executable, "-m", "pelican"]
    if content is not None:
        command.append(str(content))
    command += ["-s", str(Path(ROOT, settings)), "-o", str(output)]
    if overrides:
        command.append("-e")
        command.extend(f"{key}={json.dumps(value)}" for key, value in overrides.items())
    return command
