"""Development settings of regiosite (``invoke build``, ``invoke serve``).

publishconf.py imports this file and changes only what publishing needs.
Every custom setting belongs to one of our plugins and carries its prefix;
the defaults are documented in ``plugins/<name>/README.md``.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Our plugins import the shared ``diagnostics`` collector by name; putting the
# folder on sys.path makes that independent of the order of PLUGINS.
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

SITENAME = "RegioVerbund"
SITESUBTITLE = "Netzwerk regionaler Entwicklungsagenturen"
# Absolute origin for canonical URLs, feeds and the sitemap. Links inside the
# site are root-relative, so the same pages work on any host and port.
SITEURL = os.environ.get("SITEURL", "http://127.0.0.1:8000").rstrip("/")
AUTHOR = "Redaktion RegioVerbund"
DEFAULT_LANG = "de"
TIMEZONE = "Europe/Berlin"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"  # replaced by the german plugin's format

PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
THEME_STATIC_DIR = "theme"

ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages", "initiatives", "campaigns"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
}
IGNORE_FILES = [".#*", "*~", "*.swp", "README*"]
READERS = {"html": None}  # content is Markdown; stray HTML files are not pages

# Clean German URLs: folders with index.html.
ARTICLE_URL = "aktuelles/{slug}/"
ARTICLE_SAVE_AS = "aktuelles/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "aktuelles/thema/{slug}/"
CATEGORY_SAVE_AS = "aktuelles/thema/{slug}/index.html"
TAG_URL = "aktuelles/schlagwort/{slug}/"
TAG_SAVE_AS = "aktuelles/schlagwort/{slug}/index.html"
CATEGORIES_URL = "aktuelles/themen/"
CATEGORIES_SAVE_AS = "aktuelles/themen/index.html"
TAGS_URL = "aktuelles/schlagwoerter/"
TAGS_SAVE_AS = "aktuelles/schlagwoerter/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DRAFT_URL = "entwuerfe/{slug}/"
DRAFT_SAVE_AS = "entwuerfe/{slug}/index.html"
DRAFT_PAGE_URL = "entwuerfe/seiten/{slug}/"
DRAFT_PAGE_SAVE_AS = "entwuerfe/seiten/{slug}/index.html"

# Direct templates: "home" is the start page, "index" the news list.
DIRECT_TEMPLATES = [
    "home",
    "index",
    "initiatives",
    "categories",
    "tags",
    "robots",
    "search",
]
HOME_SAVE_AS = "index.html"
INDEX_URL = "aktuelles/"
INDEX_SAVE_AS = "aktuelles/index.html"
INITIATIVES_URL = "initiativen/"
INITIATIVES_SAVE_AS = "initiativen/index.html"
ROBOTS_SAVE_AS = "robots.txt"
SEARCH_URL = "suche/"
SEARCH_SAVE_AS = "suche/index.html"

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/seite/{number}/", "{base_name}/seite/{number}/index.html"),
)

# Feeds: one Atom feed of all news, plus one per category.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/aktuelles.atom.xml"
CATEGORY_FEED_ATOM = "feeds/thema/{slug}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
MENUITEMS = [
    ("Aktuelles", "/aktuelles/"),
    ("Initiativen", "/initiativen/"),
    ("Partner", "/partner/"),
    ("Über uns", "/ueber-uns/"),
    ("Kontakt", "/kontakt/"),
    ("Suche", "/suche/"),
]
FOOTER_LINKS = [
    ("Impressum", "/impressum/"),
    ("Datenschutz", "/datenschutz/"),
    ("Barrierefreiheit", "/barrierefreiheit/"),
    ("Leichte Sprache", "/leichte-sprache/"),
    ("Bildnachweis", "/bildnachweis/"),
]
CONTACT_EMAIL = "redaktion@example.org"
FEEDBACK_EMAIL = "barrierefreiheit@example.org"

# Escape every value a template prints: a "<" in a title or a partner name is
# text, never markup. HTML that our Markdown reader produced is marked `| safe`
# at the four places it is shown (article, page, initiative, campaign bodies).
# auto_reload off: every build makes new environments, so Jinja's check of each
# template's modification time on every page rendered (7,000 stats per 5,000
# news items) can never find a change.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# German quotes „…“ ‚…‘, apostrophes ’, dashes – — and … come from the german
# plugin's Markdown extension (GERMAN_TYPOGRAPHY, plugins/german/README.md),
# not from markdown.extensions.smarty (slower, and wrong apostrophes).
MARKDOWN = {
    "extension_configs": {
        # Footnote links are announced in German (screen readers read the title).
        "markdown.extensions.extra": {
            "footnotes": {
                "BACKLINK_TITLE": "Zurück zur Fußnote %d im Text",
            }
        },
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "diagnostics",  # first: the others report their problems to it
    "german",
    "content_kinds",
    "content_schema",  # header schemas, links, script policy (validates while reading)
    "quick_markdown",  # Markdown: patterns and blocks tried only where they can match
    "incremental",  # fast rebuilds (plugins/incremental/README.md)
    "image_credits",
    "partners",
    "structured_data",
    "search",  # indexes the finished output at ``finalized``
    "sitemap",
    "assets",
    "redirects",
    "reproducible",
]
# Image credits and responsive images (plugins/image_credits/README.md).
# Tests share one cache for all their builds through REGIOSITE_IMAGE_CACHE
# (unset or empty: cache/images, which CI keeps between runs).
IMAGE_CREDITS_CACHE_PATH = os.environ.get("REGIOSITE_IMAGE_CACHE") or str(
    ROOT / "cache" / "images"
)
IMAGE_CREDITS_EXEMPT = ["images/logos/*"]  # logos need no "Foto:" credit

# partners (plugins/partners/README.md): registry, directory and type
# vocabulary. The defaults fit; listed here so they are easy to find.
PARTNERS_FILE = "partners.yml"  # relative to content/
PARTNERS_URL = "partner/"
PARTNERS_SAVE_AS = "partner/index.html"

SITEMAP = {
    "format": "xml",
    "exclude": [r"^404\.html$", r"^entwuerfe/", r"^robots\.txt$"],
    "priorities": {"articles": 0.6, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}

# --- search (plugins/search/README.md) ---
# The pagefind index is written to output/pagefind/ after every build.
SEARCH_ENABLED = True
SEARCH_OUTPUT_SUBDIR = "pagefind"
# Overviews the search page links to when JavaScript is off.
SEARCH_OVERVIEWS = [
    ("Aktuelles", "/aktuelles/"),
    ("Themen", "/aktuelles/themen/"),
    ("Schlagwörter", "/aktuelles/schlagwoerter/"),
    ("Initiativen", "/initiativen/"),
    ("Partner", "/partner/"),
]

# --- structured_data (plugins/structured_data/README.md) ---
STRUCTURED_DATA_LOGO = "theme/favicon.svg"

# Reproducible output: Pelican's own content cache stays off; the incremental
# plugin caches by content hash with settings and code in the key instead.
LOAD_CONTENT_CACHE = False
# incremental: rebuilds keep output/ and remove only what became stale.
DELETE_OUTPUT_DIRECTORY = False
STATIC_CHECK_IF_MODIFIED = True
# INCREMENTAL_ENABLED = True  (see plugins/incremental/README.md)
OUTPUT_RETENTION = []
TYPOGRIFY = False

# --- Publishing (plugins/assets, plugins/redirects, plugins/reproducible) ---
# CSS/JS/fonts of the theme get a content hash in their name; templates link
# them with asset("css/site.css"). See plugins/assets/README.md.
ASSETS_EXTENSIONS = [".css", ".js", ".mjs", ".woff2", ".woff", ".ttf", ".otf"]
# `Aliases: /alte-adresse/` in any content → redirect page + nginx map entry.
REDIRECTS_MAP_SAVE_AS = "redirects.map"
