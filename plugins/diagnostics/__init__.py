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
)
from .plugin import register

__all__ = [
    "ContentError",
    "Problem",
    "collector",
    "line_of",
    "problems",
    "register",
    "report",
]
