"""reproducible: the same sources give the same bytes, build after build.

Pelican itself is deterministic for our settings; what is not is a "now"
that plugins fall back to (the sitemap's ``<lastmod>`` of list pages). This
plugin gives the build one date derived from the content instead.
"""

from .builddate import build_date
from .plugin import register

__all__ = ["build_date", "register"]
