"""Signal wiring of the assets plugin."""

from __future__ import annotations

import logging
from pathlib import Path

from diagnostics import report
from incremental.outputs import claim, write_if_changed
from pelican import signals

from .fingerprint import Manifest, build_manifest, theme_static_files

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # File types that get a hashed name: what browsers may cache forever.
    # HTML is never hashed: its URL is the page's address.
    "ASSETS_EXTENSIONS": [".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf"],
    # Hex digits of the sha256 in the name (deploy/nginx.conf matches 8 or more).
    "ASSETS_HASH_LENGTH": 8,
    # Keep the unhashed copies too (for a tool that cannot ask asset()).
    "ASSETS_KEEP_ORIGINALS": False,
}

_state: dict[str, Manifest] = {}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    settings = pelican.settings
    # Hash once per build, before any template runs: templates need the names,
    # and the theme's source files do not change during a build.
    files = theme_static_files(Path(settings["THEME"]), settings["THEME_STATIC_PATHS"])
    _state["manifest"] = build_manifest(
        files,
        {e.lower() for e in settings["ASSETS_EXTENSIONS"]},
        int(settings["ASSETS_HASH_LENGTH"]),
    )


def asset_url(name: str, static_dir: str, manifest: Manifest) -> str:
    """Root-relative URL of a theme file, hashed when it is a fingerprinted type."""
    name = name.lstrip("/")
    return f"/{static_dir}/{manifest.hashed(name) or name}"


def generator_init(generator) -> None:
    """Give every template ``asset("css/site.css")``."""
    settings = generator.settings
    static_dir = settings["THEME_STATIC_DIR"].strip("/")
    theme_static = [Path(settings["THEME"]) / p for p in settings["THEME_STATIC_PATHS"]]

    found: set[str] = set()  # unhashed files seen: one stat per name, not per page

    def asset(name: str) -> str:
        manifest = _state["manifest"]
        if manifest.hashed(name) is None and name not in found:
            if any((base / name.lstrip("/")).exists() for base in theme_static):
                found.add(name)
            else:
                report(
                    str(Path(settings["THEME"]) / "templates"),
                    f'asset("{name}") names a file the theme does not have',
                    fix=f"add it below {settings['THEME_STATIC_PATHS']} or fix the name",
                )
        return asset_url(name, static_dir, manifest)

    generator.env.globals["asset"] = asset


def all_generators_finalized(generators) -> None:
    """Claim the hashed files before ``finalized``, where stale files go.

    ``incremental`` removes files no plugin claimed at the start of
    ``finalized``; claimed only when written, every hashed file was deleted
    and written again on each build, with a new modification time.
    """
    manifest = _state.get("manifest")
    if manifest is None or not generators:
        return
    generator = generators[0]
    target = Path(generator.output_path).absolute()
    target /= generator.settings["THEME_STATIC_DIR"]
    for hashed in manifest.names.values():
        claim(target / hashed)


def finalized(pelican) -> None:
    """Write the hashed files next to the copies Pelican made.

    ``finalized`` runs after the static generator copied the theme and before
    the compressed copies are written (precompress_cache, on the ``compress``
    signal sent after ``finalized``), so the hashed files get their .gz/.br too.
    """
    settings = pelican.settings
    manifest = _state.get("manifest")
    if manifest is None:
        return
    target = Path(pelican.output_path) / settings["THEME_STATIC_DIR"]
    for name, hashed in manifest.names.items():
        path = target / hashed
        write_if_changed(path, manifest.data[name])
        original = target / name
        if not settings["ASSETS_KEEP_ORIGINALS"] and original.exists():
            original.unlink()
    logger.debug("assets: %d hashed files written", len(manifest.names))


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
