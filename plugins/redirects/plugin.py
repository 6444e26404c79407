"""Signal wiring and generator of the redirects plugin."""

from __future__ import annotations

import logging
from pathlib import Path

from diagnostics import line_of, report
from incremental.outputs import claim, produced, write_if_changed
from pelican import signals
from pelican.generators import Generator

from .aliases import Alias, nginx_map, parse_aliases

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Where the nginx map file is written, relative to the output folder
    # ("" writes none). deploy/nginx.conf includes it from the live release.
    "REDIRECTS_MAP_SAVE_AS": "redirects.map",
    # Theme template of the redirect pages.
    "REDIRECTS_TEMPLATE": "redirect",
}


def _addresses(contents: list) -> dict[str, str]:
    """Every address a page answers at (URL and file) → the page's source.

    Pelican computes ``url`` and ``save_as`` anew on each access; at 5,000
    news items that is a second's work, so it is done only for a site that
    has aliases at all.
    """
    urls: dict[str, str] = {}
    files: dict[str, str] = {}
    for content in contents:
        url, save_as = content.url, content.save_as
        if url:
            urls["/" + url] = content.source_path
        if save_as:
            files["/" + save_as] = content.source_path
    urls.update(files)
    return urls


class RedirectsGenerator(Generator):
    """Collects aliases once all content is read; writes pages and the map.

    A generator rather than a ``finalized`` receiver: Pelican runs generators
    in order, so every article and page is known in ``generate_context`` and
    problems reach diagnostics before its check stops the build, and the
    theme environment (with ``t`` and ``asset``) is at hand for the pages.
    """

    def generate_context(self) -> None:
        self.aliases: list[Alias] = []
        contents = [
            *self.context.get("articles", ()),
            *self.context.get("pages", ()),
            *self.context.get("hidden_pages", ()),
        ]
        taken: dict[str, str] | None = None  # made when the first alias needs it
        claimed: dict[str, str] = {}
        for content in sorted(contents, key=lambda c: c.source_path or ""):
            value = content.metadata.get("aliases")
            if not value:
                continue
            if taken is None:
                taken = _addresses(contents)
            source = content.source_path
            line = line_of(source, "Aliases") or 1
            paths, errors = parse_aliases(value)
            for message in errors:
                report(
                    source,
                    message,
                    line=line,
                    fix="write old addresses as paths like /alte-adresse/, separated by commas",
                )
            for path in paths:
                alias = Alias(path, "/" + content.url)
                if path in taken or "/" + alias.save_as in taken:
                    owner = taken.get(path) or taken.get("/" + alias.save_as)
                    report(
                        source,
                        f'alias "{path}" is the address of {Path(owner).name}',
                        line=line,
                        fix="remove it from Aliases: a page that exists is not redirected",
                    )
                elif path in claimed and claimed[path] != source:
                    report(
                        source,
                        f'alias "{path}" is also listed by {Path(claimed[path]).name}',
                        line=line,
                        fix="an old address can lead to one page only: remove one of them",
                    )
                else:
                    claimed[path] = source
                    self.aliases.append(alias)
        self.context["redirect_aliases"] = sorted(set(self.aliases))

    def generate_output(self, writer) -> None:
        del writer  # Pelican's writer would list redirect pages in the sitemap
        aliases = self.context.get("redirect_aliases", [])
        template = self.get_template(self.settings["REDIRECTS_TEMPLATE"])
        output = Path(self.output_path)
        for alias in aliases:
            path = output / alias.save_as
            # With incremental builds the output folder keeps last build's
            # files (this redirect page among them): only a page written by
            # this build is a clash.
            if produced(path) or (produced(path) is None and path.exists()):
                report(
                    alias.save_as,
                    f'alias "{alias.path}" would overwrite a generated page',
                    fix="remove it from the Aliases line",
                )
                continue
            html = template.render(
                {**self.context, "target": alias.target, "alias": alias}
            )
            write_if_changed(path, html.encode("utf-8"))
            claim(path)
        map_name = self.settings["REDIRECTS_MAP_SAVE_AS"]
        if map_name:
            write_if_changed(output / map_name, nginx_map(aliases).encode("utf-8"))
            claim(output / map_name)
        logger.debug("redirects: %d alias(es) written", len(aliases))


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(pelican):
    return RedirectsGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
