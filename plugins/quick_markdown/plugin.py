"""Signal wiring of the quick_markdown plugin."""

from __future__ import annotations

from pelican import signals

from .extension import QuickMarkdownExtension

#: Settings and their defaults.
DEFAULTS = {
    # Skip inline patterns and block processors that cannot match
    # (extension.py). Off: Python-Markdown's own loops; the HTML is the same
    # either way.
    "QUICK_MARKDOWN_ENABLED": True,
}


def use_quick_markdown(settings: dict) -> None:
    """Add (or, switched off, remove) the extension in ``MARKDOWN``.

    Replaces an instance already there instead of adding a second one, so
    running Pelican twice on the same settings (tools and tests in one
    process) registers it once.
    """
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = [
        e
        for e in markdown.setdefault("extensions", [])
        if not isinstance(e, QuickMarkdownExtension)
    ]
    if settings.get("QUICK_MARKDOWN_ENABLED", True):
        extensions.append(QuickMarkdownExtension())
    markdown["extensions"] = extensions


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    use_quick_markdown(pelican.settings)


def register() -> None:
    signals.initialized.connect(initialized)
