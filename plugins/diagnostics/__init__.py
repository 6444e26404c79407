"""diagnostics: one collector for every content problem of a build.

Plugins never print or raise on their own for a content problem; they call
:func:`report`. At the end of the reading phase the collected problems are
printed grouped by file, and any error stops the build *before* a single page
is written, so a broken build never leaves a half-written site behind.
"""

from .collector import (
    ContentError,
    Problem,
    collector,
    line_of,
    problems,
    report,
    status,
)
from .datafiles import FAILED, LineDict, LineList, load_yaml
from .plugin import register

__all__ = [
    "FAILED",
    "ContentError",
    "LineDict",
    "LineList",
    "Problem",
    "collector",
    "line_of",
    "load_yaml",
    "problems",
    "register",
    "report",
    "status",
]
