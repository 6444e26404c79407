"""``invoke check``: validate all content without writing a site.

Runs real Pelican with the project's settings, so the check sees exactly
what a build sees (same readers, plugins, links), but stops right after
reading (``CONTENT_SCHEMA_CHECK_ONLY``) with its output in a temporary
folder that is never written to. Problems come back as data; printing them
is the caller's job (tasks.py).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from diagnostics import ContentError, Problem, problems

from .plugin import CheckComplete, state

ERROR = "error"


@dataclass
class CheckResult:
    files: int
    problems: list[Problem]
    root: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]

    def lines(self) -> list[str]:
        """One plain line per problem: ``path:line: what is wrong — how to fix it``."""
        return [format_problem(p, self.root) for p in self.problems]

    def summary(self) -> str:
        if not self.problems:
            return f"check: {self.files} files, no problems"
        return f"check: {self.files} files, {_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def format_problem(problem: Problem, root: str | None = None) -> str:
    location = problem.location(root)
    label = "" if problem.severity == ERROR else "warning: "
    text = (
        f"{location}: {label}{problem.message}"
        if location
        else f"{label}{problem.message}"
    )
    return f"{text} — {problem.fix}" if problem.fix else text


def run_check(
    content: str | os.PathLike[str], settings_file: str | os.PathLike[str]
) -> CheckResult:
    """Read and validate every content file below ``content``; write nothing."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = Path(content).resolve()
    # Messages go to the caller as data, not through log handlers.
    root_logger = logging.getLogger()
    quiet = logging.NullHandler()
    root_logger.addHandler(quiet)
    try:
        with tempfile.TemporaryDirectory(prefix="regiosite-check-") as output:
            settings = read_settings(
                str(settings_file),
                override={
                    "PATH": str(content),
                    "OUTPUT_PATH": output,
                    "CONTENT_SCHEMA_CHECK_ONLY": True,
                    "DELETE_OUTPUT_DIRECTORY": False,
                    # A check never stops at warnings; a publish build does.
                    "DIAGNOSTICS_STRICT": False,
                    # Every file is read afresh, so every file is counted.
                    "INCREMENTAL_ENABLED": False,
                },
            )
            # Either way the build ends before writing; the problems are collected.
            with contextlib.suppress(CheckComplete, ContentError):
                Pelican(settings).run()
    finally:
        root_logger.removeHandler(quiet)
    return CheckResult(len(state.files), problems(), str(content.parent))
