"""Signal wiring of the content_kinds plugin."""

from __future__ import annotations

import logging

from pelican import signals
from pelican.contents import Article, Page

from .kinds import KIND_DEFAULTS, as_flag, group_by, kind_of

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    "CONTENT_KINDS": KIND_DEFAULTS,
    # How many news items the home page shows.
    "CONTENT_KINDS_LATEST_NEWS": 4,
}


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def generator_init(generator) -> None:
    # Content links are written root-relative ("/aktuelles/…/") so the same
    # HTML works on any host and port; SITEURL stays absolute for feeds,
    # canonical URLs and the sitemap.
    generator.context["localsiteurl"] = ""


def content_object_init(content) -> None:
    if not isinstance(content, Article | Page):
        return
    settings = content.settings
    kind = kind_of(
        content.source_path or "", settings["PATH"], settings["CONTENT_KINDS"]
    )
    content.kind = kind.get("kind", "news" if isinstance(content, Article) else "page")

    if "featured" in content.metadata:
        content.featured = as_flag(content.metadata["featured"])

    pattern = kind.get("url")
    if pattern and "url" not in content.metadata and getattr(content, "slug", None):
        content.override_url = pattern.format(slug=content.slug)
        if "save_as" not in content.metadata:
            content.override_save_as = content.override_url + "index.html"
    template = kind.get("template")
    if template and "template" not in content.metadata:
        content.template = template


def page_generator_finalized(generator) -> None:
    """Lists the theme shows, computed once per build."""
    pages = generator.pages
    initiatives = sorted(
        (p for p in pages if p.kind == "initiative"), key=lambda p: p.title.casefold()
    )
    campaigns = [p for p in pages if p.kind == "campaign"]
    context = generator.context
    context["initiatives"] = initiatives
    context["initiatives_by_region"] = group_by(initiatives, "region")
    context["initiatives_by_field"] = group_by(initiatives, "field")
    context["campaigns"] = campaigns
    featured = [c for c in campaigns if getattr(c, "featured", False)]
    context["featured_campaign"] = featured[0] if featured else None
    context["site_pages"] = [p for p in pages if p.kind == "page"]


def article_generator_finalized(generator) -> None:
    count = generator.settings.get("CONTENT_KINDS_LATEST_NEWS", 4)
    generator.context["latest_news"] = generator.articles[:count]
    # The categories alone, for navigation: templates that only link to the
    # categories should not depend on every article (see plugins/incremental).
    generator.context["news_categories"] = [c for c, _ in generator.categories]


def register() -> None:
    signals.initialized.connect(initialized)
    signals.generator_init.connect(generator_init)
    signals.content_object_init.connect(content_object_init)
    signals.page_generator_finalized.connect(page_generator_finalized)
    signals.article_generator_finalized.connect(article_generator_finalized)
