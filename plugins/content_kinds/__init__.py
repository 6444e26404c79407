"""content_kinds: news, initiatives, campaigns and pages from their folders.

The folder a file lives in decides its kind, its URL and its template, so
editors never write ``URL:`` or ``Template:`` lines. The plugin also puts the
lists the theme needs (initiatives by region, the featured campaign, latest
news) into the context once per build, never per page.
"""

from .kinds import KIND_DEFAULTS, kind_of
from .plugin import register

__all__ = ["KIND_DEFAULTS", "kind_of", "register"]
