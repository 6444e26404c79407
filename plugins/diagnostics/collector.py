"""The problem collector shared by all regiosite plugins."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"


class ContentError(SystemExit):
    """Raised once per build when content has errors.

    A ``SystemExit`` on purpose: Pelican's command line logs any ``Exception``
    with its traceback, but editors must see only the problems (already
    printed) and this one line; the exit code is 1. Callers that build in
    process (tests, the live preview) catch it like any exception.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, order=True)
class Problem:
    """One content problem: where, how bad, what is wrong and how to fix it."""

    path: str
    line: int = 0
    severity: str = ERROR
    message: str = ""
    fix: str = ""

    def location(self, root: str | os.PathLike[str] | None = None) -> str:
        path = self.path
        if root and path:
            relative = os.path.relpath(path, root)
            if not relative.startswith(".."):
                path = relative
        return f"{path}:{self.line}" if self.line else path

    def format(self, root: str | os.PathLike[str] | None = None) -> str:
        location = self.location(root)
        text = f"{location}: {self.message}" if location else self.message
        if self.fix:
            text += f" — {self.fix}"
        return text


@dataclass
class Collector:
    """Problems of the current build, deduplicated, in a stable order."""

    _problems: set[Problem] = field(default_factory=set)

    def add(self, problem: Problem) -> None:
        self._problems.add(problem)

    def clear(self) -> None:
        self._problems.clear()

    def all(self) -> list[Problem]:
        return sorted(self._problems)

    def errors(self) -> list[Problem]:
        return [p for p in self.all() if p.severity == ERROR]

    def warnings(self) -> list[Problem]:
        return [p for p in self.all() if p.severity == WARNING]


collector = Collector()


def report(
    path: str | os.PathLike[str],
    message: str,
    *,
    line: int = 0,
    fix: str = "",
    severity: str = ERROR,
) -> Problem:
    """Record a content problem for the current build and return it."""
    if severity not in (ERROR, WARNING):
        raise ValueError(f"unknown severity {severity!r}")
    problem = Problem(str(path), line or 0, severity, message, fix)
    collector.add(problem)
    return problem


def problems() -> list[Problem]:
    """All problems recorded so far in this build, sorted by file and line."""
    return collector.all()


def line_of(path: str | os.PathLike[str], key: str) -> int:
    """Line number (1-based) of the metadata field ``key`` in a Markdown file.

    Pelican's reader drops line numbers; editors need them, so we look the
    field up in the header (the lines before the first blank line). Returns 0
    when the field is absent or the file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    wanted = key.strip().lower()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            break
        name, sep, _ = raw.partition(":")
        if sep and name.strip().lower() == wanted:
            return number
    return 0


def status(text: str, logger_name: str = "diagnostics") -> None:
    """One status line of the build, such as "Bilder: 12 verwendet …".

    Printed through Pelican's console like its own "Done: Processed …", so
    editors see it without ``-v`` (INFO log records are hidden by default),
    and logged for ``-v`` runs and log files.
    """
    from pelican.log import console

    console.print(text)
    logging.getLogger(logger_name).info(text)


def format_report(items: Iterable[Problem], root: str | None = None) -> str:
    """Problems grouped by file, one line each, ready for the terminal."""
    lines: list[str] = []
    current = None
    for problem in items:
        if problem.path != current:
            current = problem.path
        label = "error" if problem.severity == ERROR else "warning"
        lines.append(f"{label}: {problem.format(root)}")
    return "\n".join(lines)
