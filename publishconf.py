"""Publish settings: pelicanconf.py plus only what publishing changes.

``SITEURL`` comes from the environment (``SITEURL=https://www.example.org
invoke publish``) so CI can publish staging and production from one file.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://www.example.org").rstrip("/")
FEED_DOMAIN = SITEURL

# Warnings such as an image without a credit stop a publish build.
DIAGNOSTICS_STRICT = True

# Drafts and scheduled news never reach the published site (content_schema
# README): "Status: draft" is not written at all, and a Date in the future
# turns the item into a draft until a build on or after that day.
WITH_FUTURE_DATES = False
DRAFT_URL = DRAFT_SAVE_AS = ""
DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_URL = DRAFT_PAGE_LANG_SAVE_AS = ""

# Pre-compressed .gz and .br next to every text file, served as they are by
# nginx (gzip_static/brotli_static, see deploy/nginx.conf). precompress_cache
# compresses on pelican-granular-signals' "compress" signal, which is sent
# after every "finalized" receiver (search index, hashed assets, redirects)
# has written, with pelican-precompress's settings (below) and compressors.
# The bytes are deterministic: zlib writes no timestamp, brotli has none.
# It keeps the compressed copies by the bytes they were made from (in
# cache/precompress, which CI keeps) and links them into the output: only
# changed pages are compressed again (plugins/precompress_cache/README.md).
PLUGINS = [*PLUGINS, "precompress_cache"]  # noqa: F405

# A publish build removes the image variants it no longer uses from
# cache/images, so the cache CI keeps holds the current photos only. Not for
# a cache named in $REGIOSITE_IMAGE_CACHE: the tests share one between sites.
IMAGE_CREDITS_CACHE_PRUNE = not os.environ.get("REGIOSITE_IMAGE_CACHE")

# Every publish builds into a new folder: pages and feeds whose key matches the
# last publish build's are linked from cache/incremental instead of rendered
# (plugins/incremental/README.md), and parts of the search index whose pages
# have the same bytes are linked from cache/search instead of indexed again
# (plugins/search/README.md).
INCREMENTAL_STORE_PAGES = True
SEARCH_STORE_PARTS = True
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
PRECOMPRESS_MIN_SIZE = 20
PRECOMPRESS_TEXT_EXTENSIONS = {
    ".atom",
    ".css",
    ".html",
    ".js",
    ".json",
    ".mjs",
    ".svg",
    ".txt",
    ".xml",
}

# Deploy (`invoke deploy`, publishing/deploy.py): everything from the
# environment so CI keeps secrets out of the repository.
# DEPLOY_TARGET: a folder or user@host:/srv/regiosite (releases/ + current).
DEPLOY_TARGET = os.environ.get("DEPLOY_TARGET", "")
DEPLOY_KEEP_RELEASES = int(os.environ.get("DEPLOY_KEEP_RELEASES", "5"))
DEPLOY_SSH = os.environ.get("DEPLOY_SSH", "ssh")
DEPLOY_RSYNC_OPTIONS = os.environ.get("DEPLOY_RSYNC_OPTIONS", "")
# Run on the target after the switch, e.g. "sudo systemctl reload nginx" so
# nginx reads the new redirects.map.
DEPLOY_RELOAD_COMMAND = os.environ.get("DEPLOY_RELOAD_COMMAND", "")
