"""structured_data: JSON-LD for search engines, written safely into HTML.

Templates build the data (NewsArticle, Organization, BreadcrumbList) from the
same values they show; this plugin gives them the two filters that make that
safe and absolute: ``jsonld`` (JSON that cannot end its ``<script>`` block) and
``absolute_url`` (root-relative link → URL with ``SITEURL``).
"""

from .jsonld import absolute_url, to_json_ld
from .plugin import register

__all__ = ["absolute_url", "register", "to_json_ld"]
