"""Signal wiring of the diagnostics plugin."""

from __future__ import annotations

import logging
import os

from pelican import signals

from .collector import ERROR, ContentError, collector, format_report, report

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Warnings that become errors, e.g. in publish builds (publishconf.py sets
    # it to True): an editor sees them while writing, visitors never do.
    "DIAGNOSTICS_STRICT": False,
}


class _PelicanErrorHandler(logging.Handler):
    """Turns Pelican's own ERROR log records into build errors.

    Pelican logs and skips a file it cannot read (bad date, missing title);
    for us such a file is an error that must stop the build.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("pelican") and not record.name.startswith(
            "pelican.plugins._utils"
        ):
            message = record.getMessage().splitlines()[0]
            report("", f"Pelican: {message}", severity=ERROR)


_handler = _PelicanErrorHandler()


def initialized(pelican) -> None:
    # A fresh list for every build: autoreload builds run in one process.
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    collector.clear()
    _shown.clear()
    logging.getLogger("pelican").addHandler(_handler)


def check(generators) -> None:
    """After reading all content and before writing any page: report, maybe stop."""
    settings = generators[0].settings
    _print_and_stop(settings)


def finalized(pelican) -> None:
    # Problems found while writing (e.g. links) are shown too; output already
    # exists then, which is why publishing builds into a staging folder.
    _print_and_stop(pelican.settings, final=True)
    logging.getLogger("pelican").removeHandler(_handler)


_shown: set = set()


def _print_and_stop(settings, final: bool = False) -> None:
    strict = settings.get("DIAGNOSTICS_STRICT", False)
    new = [p for p in collector.all() if p not in _shown]
    _shown.update(new)
    if new:
        text = format_report(new, os.getcwd())
        for line in text.splitlines():
            if line.startswith("error") or strict:
                logger.error(line)
            else:
                logger.warning(line)
    failing = [p for p in collector.all() if p.severity == ERROR or strict]
    if failing:
        if final:
            _shown.clear()
        raise ContentError(
            f"Build stopped: {len(failing)} content problem(s), see the messages above."
        )
    if final:
        _shown.clear()


def register() -> None:
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(check)
    signals.finalized.connect(finalized)
