"""Signal wiring of the content_schema plugin.

Validation has to run *before* Pelican interprets a file: Pelican reads the
header through Python-Markdown, parses dates with dateutil and, on a value
it cannot read, logs "Could not process" without a line number (or, worse,
reads "12.03.2024" as 3 December). So the plugin wraps Pelican's Markdown
reader (``readers_init``): the wrapper parses the raw file with line
numbers, reports every problem to diagnostics, and hands Pelican only files
it can safely read. Files it cannot (not UTF-8, empty, no title, unreadable
date) are skipped with Pelican's own ``Status: skip`` mechanism, so no
second, vaguer message appears; the build still stops before writing,
because diagnostics sees the errors.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from diagnostics import report
from incremental.effects import reader_call
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican import signals
from pelican.readers import MarkdownReader

from .header import parse
from .site import duplicate_addresses, known_paths, missing_link
from .validate import (
    WARNING,
    Finding,
    check_body,
    check_header,
    missing_file_link,
    resolve_file_link,
)

logger = logging.getLogger(__name__)

#: Settings and their defaults.
DEFAULTS = {
    # Site paths other plugins or the theme generate that content may link to
    # and that Pelican does not know about (e.g. "/suche/"). A path ending in
    # "/" also accepts everything below it.
    "CONTENT_SCHEMA_EXTRA_URLS": [],
    # Stop after reading and checking, before anything is written
    # (``invoke check`` sets it).
    "CONTENT_SCHEMA_CHECK_ONLY": False,
}


class CheckComplete(Exception):
    """Raised after validation when ``CONTENT_SCHEMA_CHECK_ONLY`` is set."""


#: Metadata key under which the reader leaves the links of a file.
LINKS_KEY = "content_schema_links"


class _State:
    """What one build has seen; reset at ``initialized``."""

    def __init__(self) -> None:
        self.files: list[str] = []


state = _State()


class _SkipMessages(logging.Filter):
    """Drops Pelican messages about problems we already report with a line.

    "Skipping …: could not find information about 'title'" (we say "Title is
    missing" at the right line), "There are 2 items with lang de" (we say
    which slug is used twice) and "Unknown status" (we list the allowed ones).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not message.startswith(
            ("Skipping %s: could not find", "There are %s items", "Unknown status")
        )


_skip_messages = _SkipMessages()


def _kind(source_path: str, settings: dict) -> str:
    from content_kinds import KIND_DEFAULTS, kind_of

    kinds = settings.get("CONTENT_KINDS", KIND_DEFAULTS)
    return kind_of(source_path, settings["PATH"], kinds).get("kind", "")


def _report_all(path: str, findings) -> None:
    for finding in findings:
        report(
            path,
            finding.message,
            line=finding.line,
            fix=finding.fix,
            severity=finding.severity,
        )


class SchemaReaderMixin:
    """Validates a Markdown file against its kind's schema, then reads it."""

    def read(self, source_path: str):
        settings = self.settings
        _count_file(source_path)
        try:
            raw = Path(source_path).read_bytes()
        except OSError as error:
            report(
                source_path,
                f"the file cannot be opened ({error.strerror})",
                fix="check that it exists and is readable",
            )
            return "", {"status": "skip"}
        parsed = parse(raw)
        header = check_header(parsed, _kind(source_path, settings), source_path)
        _report_all(source_path, header.findings)
        if header.fatal:
            return "", {"status": "skip"}

        # Pelican's MarkdownReader.read, fed the cleaned text instead of the file.
        self._source_path = source_path
        body = self._markdown("body")
        content = body.convert(parsed.markdown_text())
        metadata = {}
        if hasattr(body, "Meta"):
            # Pelican converts formatted fields (Summary) with ``self._md``
            # after taking its meta preprocessor out: a second instance.
            self._md = self._markdown("fields")
            if "meta" not in self._md.preprocessors:
                self._md.preprocessors.register(_NoMeta(self._md), "meta", 0)
            metadata = self._parse_metadata(body.Meta)

        findings, links = check_body(parsed, content, source_path, settings["PATH"])
        _report_all(source_path, findings)
        cta = header.values.get("cta_url", "")
        if cta.startswith("/") and not cta.startswith("//"):
            links.append(("site", cta, header.lines["cta_url"]))
        # Kept with the content (and any reader cache), checked per build.
        metadata[LINKS_KEY] = links
        return content, metadata

    def _markdown(self, role: str) -> Markdown:
        """A Markdown instance kept for the reader's life, reset for each use.

        Pelican builds a new instance per file; with ``extra`` and ``toc``
        that costs about as much as converting a news item. ``reset()``
        clears every extension's per-document state.
        """
        kept = self.__dict__.setdefault("_regiosite_markdown", {})
        instance = kept.get(role)
        if instance is None:
            instance = kept[role] = Markdown(**self.settings["MARKDOWN"])
        else:
            instance.reset()
        return instance


class _NoMeta(Preprocessor):
    """Stands in for the meta preprocessor Pelican removes on every call."""

    def run(self, lines: list[str]) -> list[str]:
        return lines


# A reader call (plugins/incremental): repeated when the file comes from the
# reader cache, so `invoke check` counts every file.
@reader_call
def _count_file(source_path: str) -> None:
    state.files.append(source_path)


def initialized(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    state.__init__()
    logging.getLogger("pelican.contents").addFilter(_skip_messages)
    logging.getLogger("pelican.utils").addFilter(_skip_messages)


def readers_init(readers) -> None:
    """Wrap whichever Markdown reader is registered, keeping its name."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if (
            isinstance(reader_class, type)
            and issubclass(reader_class, MarkdownReader)
            and not issubclass(reader_class, SchemaReaderMixin)
        ):
            readers.reader_classes[extension] = type(
                reader_class.__name__, (SchemaReaderMixin, reader_class), {}
            )


def static_generator_finalized(generator) -> None:
    """Every page is known now (static files are the last generator): check links."""
    context = generator.context
    settings = generator.settings
    display_root = os.path.dirname(os.path.abspath(settings["PATH"]))
    # generated_content maps every source path to its content object, or to
    # None for a file that could not be read (already reported).
    generated = context.get("generated_content", {})
    contents = [c for c in generated.values() if c]
    for path, finding in duplicate_addresses(contents, display_root):
        _report_all(path, [finding])

    extra = list(settings.get("CONTENT_SCHEMA_EXTRA_URLS", []))
    # Every address of the site, made at the first root-relative link: Pelican
    # computes each URL anew, a second's work at 5,000 news items.
    known: set[str] | None = None
    prefixes = [url for url in extra if url.endswith("/")] + ["/theme/"]
    # Files Pelican read or copies, by path below PATH (its keys): a link
    # to one of them needs no ``stat`` (10,000 links at 5,000 news items).
    root = os.path.join(os.path.abspath(settings["PATH"]), "")
    files = set(generated) | set(context.get("static_content", {}))
    for content in contents:
        path = content.source_path
        for kind, target, line in content.metadata.get(LINKS_KEY, ()):
            if kind == "site":
                if known is None:
                    known = known_paths(context, settings, extra)
                finding = missing_link(target, known, prefixes)
                if finding:
                    report(path, finding.message, line=line, fix=finding.fix)
                continue
            resolved = os.path.abspath(
                resolve_file_link(target, path, settings["PATH"])
            )
            below = None
            if resolved.startswith(root):
                below = resolved[len(root) :].replace(os.sep, "/")
            finding = None
            if below not in files:
                finding = missing_file_link(kind, target, line, path, settings["PATH"])
            if finding is None and below is not None:
                linked = generated.get(below)
                finding = unpublished_target(content, kind, target, line, linked)
            if finding:
                _report_all(path, [finding])


def unpublished_target(content, kind, target, line, linked):
    """A warning for a link to a draft or a news item scheduled later.

    In the preview the link works; on the published site the target is not
    there (yet). A warning, so the preview goes on and publishing stops.
    ``linked`` is the content object the link leads to, if any.
    """
    if linked is None:
        return None
    when = getattr(linked, "date", None)
    own = getattr(content, "date", None)
    if getattr(content, "status", "") == "draft":
        return None  # a draft linking to a draft is fine until both are published
    if getattr(linked, "status", "") == "draft" and not (when and when > _now(when)):
        return Finding(
            line,
            f'Link target "{{{kind}}}{target}" is a draft, so the link leads nowhere on the published site',
            "publish the target first or remove the link",
            WARNING,
        )
    if when and when > _now(when) and not (own and own >= when):
        return Finding(
            line,
            f'Link target "{{{kind}}}{target}" is scheduled for {when:%Y-%m-%d}, so the link leads nowhere on the published site until then',
            "give this text the same date or a later one, or remove the link",
            WARNING,
        )
    return None


def _now(reference):
    from pelican.utils import SafeDatetime

    return SafeDatetime.now(tz=reference.tzinfo)


def all_generators_finalized(generators) -> None:
    # Runs after diagnostics' own check, which has stopped the build already
    # if there were errors; here the checking build ends without errors.
    if generators[0].settings.get("CONTENT_SCHEMA_CHECK_ONLY"):
        raise CheckComplete()


def register() -> None:
    signals.initialized.connect(initialized)
    signals.readers_init.connect(readers_init)
    signals.static_generator_finalized.connect(static_generator_finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
