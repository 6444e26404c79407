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
