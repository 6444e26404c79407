"""search: a pagefind full-text index of the built site, for ``/suche/``.

Pagefind runs once after Pelican has written every page (``finalized``) and
writes a static index plus its small JavaScript/WebAssembly bundle next to the
pages, so searching needs no server and no third party. Only the elements
marked ``data-pagefind-body`` (the main content of articles, initiatives,
campaigns and pages) are indexed, never navigation or lists.
"""

from .indexer import SearchIndexError, build_index
from .plugin import register

__all__ = ["SearchIndexError", "build_index", "register"]
