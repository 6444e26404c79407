"""incremental: fast rebuilds that redo only what changed, parallel cold reads.

A rebuild where nothing changed stops at once; otherwise Markdown is read
from a content-hash cache (filled by all cores), and a page is rendered only
when the fingerprint of what its templates can see changed. Files whose bytes
are unchanged are never rewritten; outputs of deleted or renamed content are
removed. See README.md.
"""

from .plugin import DEFAULTS, register

__all__ = ["DEFAULTS", "register"]
