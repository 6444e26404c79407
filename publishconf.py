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
