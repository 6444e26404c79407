"""Running pagefind over an output folder."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .bundle import UnknownBundle, prune

logger = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    """pagefind could not be found or failed; the site would have no search."""


@dataclass(frozen=True)
class IndexResult:
    """What pagefind reported: pages indexed and the words in the index."""

    pages: int
    words: int
    log: str


def pagefind_command(output: Path, settings: dict) -> list[str]:
    """The pagefind command line for ``output`` under ``settings``.

    The binary comes from the PyPI package (``pagefind[extended]``), so
    nothing is downloaded at build time.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError(
            "pagefind is not installed — run `pip install -r requirements.txt`"
        )
    command = [
        str(executable),
        "--site",
        str(output),
        "--output-subdir",
        settings["SEARCH_OUTPUT_SUBDIR"],
        "--glob",
        settings["SEARCH_GLOB"],
    ]
    for selector in settings["SEARCH_EXCLUDE_SELECTORS"]:
        command += ["--exclude-selectors", selector]
    if settings["SEARCH_FORCE_LANGUAGE"]:
        command += ["--force-language", settings["SEARCH_FORCE_LANGUAGE"]]
    return command


def build_index(output: Path, settings: dict) -> IndexResult:
    """Index ``output`` with pagefind; raise :class:`SearchIndexError` on failure.

    The previous bundle is kept: pagefind skips files that exist (their names
    are content hashes), so a rebuild writes only what changed. Files the new
    index no longer refers to are removed afterwards (:mod:`.bundle`), so the
    bundle equals a clean build's; if that cannot be worked out, the bundle
    is built again from scratch.
    """
    command = pagefind_command(output, settings)
    bundle = (output / settings["SEARCH_OUTPUT_SUBDIR"]).resolve()
    if bundle.parent != output.resolve() and output.resolve() not in bundle.parents:
        raise SearchIndexError(f"SEARCH_OUTPUT_SUBDIR must lie inside {output}")
    result = _run(command)
    if bundle != output.resolve():
        try:
            prune(bundle)
        except UnknownBundle as error:
            logger.info("search: rebuilding the index from scratch (%s)", error)
            shutil.rmtree(bundle, ignore_errors=True)
            result = _run(command)
    return result


def _run(command: list[str]) -> IndexResult:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"pagefind did not run: {error}") from error
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed (exit {result.returncode}):\n{log}")
    return IndexResult(
        _count(r"Indexed (\d+) pages?", log), _count(r"Indexed (\d+) words?", log), log
    )


def _count(pattern: str, log: str) -> int:
    match = re.search(pattern, log)
    return int(match.group(1)) if match else 0
