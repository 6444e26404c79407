"""partners: one registry of partner organisations, shown wherever needed.

``content/partners.yml`` is the single source of truth; initiatives name
partners by id, and the plugin renders the grouped partner section of every
initiative, the directory ``/partner/`` with back-links, ``[partner: …]``
lists inside any text, and schema.org JSON-LD. Every mistake in the registry
or in a reference is reported to diagnostics with file and line.
"""

from .plugin import register

__all__ = ["register"]
