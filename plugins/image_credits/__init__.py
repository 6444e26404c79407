"""image_credits: every photo credited, collected on a Bildnachweis page, served small.

Images in Markdown and in templates become ``<figure><picture>…`` with the
credit in the ``<figcaption>``; one pipeline renders responsive variants
(AVIF/WebP plus JPEG/PNG) into a content-hash cache and publishes them.
"""

from .plugin import register

__all__ = ["register"]
