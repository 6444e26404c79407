"""Signal wiring of the quick_inline plugin."""

from __future__ import annotations

from pelican import signals

from .extension import QuickInlineExtension

#: Settings and their defaults.
DEFAULTS = {
    # Skip inline patterns that cannot match (extension.py). Off: Python-
    # Markdown's own processor; the HTML is the same either way.
    "QUICK_INLINE_ENABLED": True,
}


def use_quick_inline(settings: dict) -> None:
    """Add (or, switched off, remove) the extension in ``MARKDOWN``.

    Replaces an instance already there instead of adding a second one, so
    running Pelican twice on the same settings (tools and tests in one
    process) registers it once.
    """
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = [
        e
        for e in markdown.setdefault("extensions", [])
        if not isinstance(e, QuickInlineExtension)
    ]
    if settings.get("QUICK_INLINE_ENABLED", True):
        extensions.append(QuickInlineExtension())
    markdown["extensions"] = extensions


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    use_quick_inline(pelican.settings)


def register() -> None:
    signals.initialized.connect(initialized)
