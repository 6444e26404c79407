"""assets: content-hashed names for the theme's CSS, JS and font files.

A file whose name carries a hash of its bytes can be cached by browsers for a
year: a new version gets a new name. Templates never spell the hashed name,
they ask ``asset("css/site.css")`` and get ``/theme/css/site.3f2a1b9c.css``.
"""

from .fingerprint import Manifest, build_manifest
from .plugin import register

__all__ = ["Manifest", "build_manifest", "register"]
