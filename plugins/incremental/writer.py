"""A Pelican writer that renders a page only when its inputs changed.

Every output file gets a key: the build's global key (settings, theme,
plugin code, data files) plus the fingerprints of exactly the values its
templates can reach — found by walking the template with Jinja's own
``meta`` helpers through ``extends``/``include``/``import``. A rebuild
re-renders a page only if that key changed or the file on disk is not the one
we wrote. Files whose new bytes equal the old ones are not rewritten.
"""

from __future__ import annotations

import logging

from jinja2 import meta
from pelican.plugins import signals
from pelican.utils import (
    get_relative_path,
    path_to_url,
    sanitised_join,
)
from pelican.writers import Writer

from .build import Build

logger = logging.getLogger(__name__)

#: The current build; set by the plugin for the duration of ``pelican.run()``.
current: Build | None = None

#: Template name → names it can reach (``None``: unknown, use everything).
_references: dict[tuple[int, str], frozenset[str] | None] = {}


def _direct(environment, name: str) -> tuple[frozenset[str], tuple]:
    """Variables one template reads and the templates it pulls in (memoized)."""
    cache_key = (id(environment), name)
    found = _direct_cache.get(cache_key)
    if found is None:
        source = environment.loader.get_source(environment, name)[0]
        ast = environment.parse(source)
        found = (
            frozenset(meta.find_undeclared_variables(ast)),
            tuple(meta.find_referenced_templates(ast)),
        )
        _direct_cache[cache_key] = found
    return found


_direct_cache: dict[tuple[int, str], tuple[frozenset[str], tuple]] = {}


def template_references(template) -> frozenset[str] | None:
    """Every variable the template (and what it extends, includes, imports) reads."""
    environment = template.environment
    cache_key = (id(environment), template.name)
    if cache_key in _references:
        return _references[cache_key]
    names: set[str] = set()
    seen: set[str] = set()
    pending = [template.name]
    result: frozenset[str] | None
    try:
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            variables, referenced = _direct(environment, name)
            names |= variables
            for other in referenced:
                if other is None:  # a computed template name
                    raise LookupError(name)
                pending.append(other)
        result = frozenset(names)
    except Exception:
        logger.debug("incremental: %s depends on everything", template.name)
        result = None
    _references[cache_key] = result
    return result


def clear_references() -> None:
    _references.clear()
    _direct_cache.clear()


class IncrementalWriter(Writer):
    """Pelican's writer plus keys: skips unchanged pages and unchanged bytes."""

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's overwrite rules (``Writer._open_w``) without opening the file."""
        if path in self._overridden_files:
            if override:
                raise RuntimeError(
                    f'Failed to overwrite "{path}" a second time (was previously '
                    "overwritten)"
                )
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files:
            if not override:
                raise RuntimeError(
                    f'Failed to overwrite "{path}" as Pelican has already written to '
                    "it previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', path)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    def _page(self, template, context, localcontext, name, override) -> None:
        build = current
        path = sanitised_join(self.output_path, name)
        if build is None:
            raise RuntimeError("incremental writer used outside a build")
        references = template_references(template)
        if references is None:
            names = sorted(set(localcontext) | set(template.globals))
        else:
            names = sorted(references)
        values = []
        for variable in names:
            if variable in localcontext:
                values.append((variable, localcontext[variable]))
            elif variable in template.globals:
                values.append((variable, template.globals[variable]))
        key = build.page_key("page", name, template.name, values)
        if not self._claim(path, override):
            return
        if build.reusable(path, key):
            build.keep(path, key)
        else:
            if localcontext["localsiteurl"]:
                context["localsiteurl"] = localcontext["localsiteurl"]
            output = template.render(localcontext)
            build.write(path, output.encode("utf-8"), key)
            logger.info('Writing "%s"', path)
        # Other plugins see every page, rendered now or kept from last time.
        signals.content_written.send(path, context=localcontext)

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        """Same contract as :meth:`pelican.writers.Writer.write_file`."""
        if not name:
            return
        from pelican.paginator import Paginator

        def local(name, page_kwargs):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = name
            localcontext.update(page_kwargs)
            return localcontext

        if paginated is None:
            paginated = {
                key: val for key, val in kwargs.items() if key in {"articles", "dates"}
            }
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = (
                self.settings["PAGINATED_TEMPLATES"][template_name]
                or self.settings["DEFAULT_PAGINATION"]
            )
            paginators = {
                key: Paginator(name, url, val, self.settings, per_page)
                for key, val in paginated.items()
            }
            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = paginator.page(page_num) if page_num > 0 else None
                    page = paginator.page(page_num + 1)
                    next_page = (
                        paginator.page(page_num + 2)
                        if page_num + 1 < paginator.num_pages
                        else None
                    )
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                self._page(
                    template,
                    context,
                    local(page.save_as, paginated_kwargs),
                    page.save_as,
                    override_output,
                )
        else:
            self._page(template, context, local(name, kwargs), name, override_output)

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Same contract as :meth:`pelican.writers.Writer.write_feed`."""
        build = current
        if not path or build is None:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        limit = self.settings["FEED_MAX_ITEMS"]
        shown = list(elements[:limit])
        visible = {
            k: context.get(k)
            for k in ("SITEURL", "FEED_DOMAIN", "SITENAME", "SITESUBTITLE")
        }
        key = build.page_key("feed", path, url, feed_type, feed_title, shown, visible)
        complete_path = sanitised_join(self.output_path, path)
        if not self._claim(complete_path, override_output):
            return None
        if build.reusable(complete_path, key):
            build.keep(complete_path, key)
            return None
        self.site_url = context.get("SITEURL", path_to_url(get_relative_path(path)))
        self.feed_domain = context.get("FEED_DOMAIN")
        self.feed_url = self.urljoiner(self.feed_domain, url or path)
        feed = self._create_new_feed(feed_type, feed_title, context)
        for element in shown:
            self._add_item_to_the_feed(feed, element)
        signals.feed_generated.send(context, feed=feed)
        build.write(complete_path, feed.writeString("utf-8").encode("utf-8"), key)
        logger.info('Writing "%s"', complete_path)
        signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed
