"""redirects: old addresses keep working after an editor renames a page.

``Aliases: /alte-adresse/, /noch-eine/`` in any content file makes the build
write a small redirect page at each old address (works on any static host)
and one nginx ``map`` file (``redirects.map``) that deploy/nginx.conf turns
into real ``301`` answers.
"""

from .aliases import Alias, nginx_map, parse_aliases
from .plugin import register

__all__ = ["Alias", "nginx_map", "parse_aliases", "register"]
