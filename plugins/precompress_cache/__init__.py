"""precompress_cache: a publish build compresses only pages it has not compressed before.

pelican-precompress writes ``.br`` (brotli, quality 11) and ``.gz`` (zlib
level 9) next to every text file of the output. That is most of a publish
build's time (at 1,000 news items 19 of its 25 CPU-seconds), and ``invoke
publish`` builds into a fresh folder every time, so every page was
compressed again although almost none had changed. This plugin keeps the
compressed files in a cache keyed by the bytes they were made from.
"""

from .plugin import register

__all__ = ["register"]
