"""Signal wiring of the partners plugin, and its directory generator.

Order within one build (one ``Pelican.run``):

1. ``initialized``: defaults; the Markdown extension joins ``MARKDOWN``.
2. ``get_generators``: the registry is loaded and the initiatives' headers
   scanned, once per build, before any text is read (texts may list the
   partners of an initiative that is read later). Hooked here rather than at
   ``initialized`` so every autoreload build sees the current files.
3. reading: ``[partner: …]`` lines become lists (``_select`` is a reader
   call of plugins/incremental: on a reader-cache hit it is made again, and
   a changed result, e.g. after a registry edit, means the text is read
   again); what cannot be resolved travels in the content's metadata and is
   reported at ``content_object_init`` with the file's path.
4. :class:`PartnersGenerator` (after pages): every initiative gets its
   grouped partners and JSON-LD, the back-link index is built in one pass,
   and unknown ids in ``Partners:`` are reported, all before diagnostics
   decides at ``all_generators_finalized`` whether the build may write.
5. writing: initiative pages render ``page.partner_groups``; the generator
   writes the directory ``/partner/``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diagnostics import line_of, report
from pelican import signals
from pelican.generators import Generator

try:  # the reader cache of plugins/incremental replays and checks these calls
    from incremental.effects import reader_call
except ImportError:  # pragma: no cover - the plugin works without it

    def reader_call(function):
        return function


from .jsonld import organization, script_data
from .listing import Listing, count, group_by_type
from .markdown_ext import PROBLEMS_KEY, PartnerListExtension
from .references import (
    InitiativeIndex,
    line_of_reference,
    parse_references,
    scan_initiatives,
)
from .registry import DEFAULT_TYPES, Registry, load_registry
from .selection import Selection, select

logger = logging.getLogger(__name__)

#: Settings and their defaults (documented in README.md).
DEFAULTS: dict[str, Any] = {
    # The registry, relative to PATH (the content folder).
    "PARTNERS_FILE": "partners.yml",
    # Type vocabulary: key used in the registry → heading on the site. The
    # order is the order of the groups.
    "PARTNERS_TYPES": DEFAULT_TYPES,
    # Content kinds (plugins/content_kinds) whose "Partners:" field is read.
    "PARTNERS_KINDS": ["initiative"],
    # The directory of all partners; an empty SAVE_AS turns it off.
    "PARTNERS_URL": "partner/",
    "PARTNERS_SAVE_AS": "partner/index.html",
    "PARTNERS_TEMPLATE": "partners",
    # schema.org Organization with member entries on initiative pages.
    "PARTNERS_JSONLD": True,
    # How many similar ids an "unknown id" error suggests.
    "PARTNERS_CLOSE_MATCHES": 3,
}

#: The metadata field initiatives list their partners in (``Partners:``).
FIELD = "partners"


@dataclass
class BuildState:
    """What one build knows about partners; replaced at every build."""

    settings: dict = field(default_factory=dict)
    registry: Registry = field(
        default_factory=lambda: Registry("", dict(DEFAULT_TYPES))
    )
    initiatives: InitiativeIndex = field(default_factory=InitiativeIndex)


state = BuildState()


def initialized(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    markdown_settings = settings.setdefault("MARKDOWN", {})
    extensions = markdown_settings.setdefault("extensions", [])
    if not any(isinstance(e, PartnerListExtension) for e in extensions):
        extensions.append(PartnerListExtension(select=_select))
    # The registry reaches pages only through _select (a reader call) and the
    # values generate_context puts on initiatives and in the context, so the
    # incremental plugin need not re-render every page when it changes.
    tracked = settings.get("INCREMENTAL_TRACKED_DATA_FILES", [])
    if settings["PARTNERS_FILE"] not in tracked:
        settings["INCREMENTAL_TRACKED_DATA_FILES"] = [
            *tracked,
            settings["PARTNERS_FILE"],
        ]


def get_generators(pelican):
    """Load the registry and scan initiatives: once per build, before reading."""
    global state
    settings = pelican.settings
    content_root = settings["PATH"]
    registry = load_registry(
        Path(content_root) / settings["PARTNERS_FILE"],
        settings["PARTNERS_TYPES"],
        content_root,
        list(settings.get("STATIC_PATHS", [])),
    )
    initiatives = scan_initiatives(_kind_folders(settings), settings)
    state = BuildState(settings, registry, initiatives)
    return PartnersGenerator


def _kind_folders(settings: dict) -> list[Path]:
    """Folders whose files are of a kind that lists partners (initiatives)."""
    kinds = settings.get("CONTENT_KINDS") or {}
    wanted = set(settings["PARTNERS_KINDS"])
    root = Path(settings["PATH"])
    return [
        root / folder
        for folder, kind in kinds.items()
        if kind.get("kind") in wanted and (root / folder).is_dir()
    ]


# A reader call (plugins/incremental): repeated on a reader-cache hit, so the
# cached HTML is used only while the selection is unchanged.
@reader_call
def _select(selector: str) -> Selection:
    return select(
        selector,
        state.registry,
        state.initiatives,
        state.settings.get("PARTNERS_CLOSE_MATCHES", 3),
    )


def content_object_init(content) -> None:
    """Report the ``[partner: …]`` lines of this file that could not be resolved."""
    unresolved = content.metadata.get(PROBLEMS_KEY)
    if not unresolved:
        return
    if isinstance(unresolved, str):
        unresolved = [unresolved]
    path = content.source_path or ""
    for item in unresolved:
        marker, message, fix = json.loads(item)
        report(path, message, line=_line_of_text(path, marker), fix=fix)


def _line_of_text(path: str, needle: str) -> int:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if needle in line:
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0


class PartnersGenerator(Generator):
    """Connects initiatives and registry once, then writes the directory."""

    def generate_context(self) -> None:
        settings = self.settings
        registry = state.registry
        kinds = set(settings["PARTNERS_KINDS"])
        published = self.context.get("pages", [])
        others = [
            *self.context.get("hidden_pages", []),
            *self.context.get("draft_pages", []),
        ]
        published_ids = {id(page) for page in published}
        backlinks: dict[str, list[tuple[Any, str]]] = {}
        siteurl = settings.get("SITEURL", "")
        directory_url = settings["PARTNERS_URL"] if settings["PARTNERS_SAVE_AS"] else ""

        for page in [*published, *others]:
            if getattr(page, "kind", None) not in kinds:
                continue
            listings = self._listings_of(page, registry)
            page.partner_groups = group_by_type(listings, registry.types)
            page.partner_count = len(listings)
            if settings["PARTNERS_JSONLD"]:
                page.partner_jsonld = script_data(
                    organization(page, listings, siteurl, directory_url)
                )
            if id(page) in published_ids:
                for listing in listings:
                    backlinks.setdefault(listing.partner.id, []).append(
                        (page, listing.role)
                    )

        directory = [
            Listing(
                partner,
                initiatives=tuple(
                    sorted(
                        backlinks.get(partner.id, ()),
                        key=lambda pr: pr[0].title.casefold(),
                    )
                ),
            )
            for partner in registry.alphabetical
        ]
        groups = group_by_type(directory, registry.types)
        self.context["partner_registry"] = registry
        self.context["partner_directory"] = groups
        self.context["partner_directory_count"] = count(groups)

    def _listings_of(self, page, registry: Registry) -> list[Listing]:
        """The page's partners in the editor's order; problems reported."""
        references, unreadable = parse_references(page.metadata.get(FIELD))
        path = page.source_path
        # Line numbers only on the error path: finding them re-reads the file.
        field_line = line_of(path, "Partners") if unreadable else 0
        for item in unreadable:
            report(
                path,
                f'cannot read the partner reference "{item}"',
                line=field_line,
                fix="write ids separated by commas, a role in parentheses: "
                "ihk-lueneburg-wolfsburg (koordiniert), landkreis-harburg",
            )
        listings: list[Listing] = []
        seen: set[str] = set()
        for reference in references:
            if reference.id in seen:
                field_line = field_line or line_of(path, "Partners")
                report(
                    path,
                    f'partner "{reference.id}" is listed twice in Partners',
                    line=line_of_reference(path, field_line, reference.id),
                    fix="remove one of the two",
                    severity="warning",
                )
                continue
            seen.add(reference.id)
            partner = registry.get(reference.id)
            if partner is None:
                if registry.readable:
                    self._report_unknown(path, field_line, reference.id, registry)
                continue
            listings.append(Listing(partner, reference.role))
        return listings

    def _report_unknown(
        self, path: str, field_line: int, partner_id: str, registry: Registry
    ) -> None:
        closest = registry.closest(partner_id, self.settings["PARTNERS_CLOSE_MATCHES"])
        registry_name = registry.display_path
        if not registry.exists:
            fix = f"there is no partner registry yet: create {registry_name}"
        elif closest:
            fix = f"closest known ids: {', '.join(closest)} — or add the partner to {registry_name}"
        else:
            fix = f"add the partner to {registry_name} or correct the id"
        report(
            path,
            f'unknown partner id "{partner_id}" in Partners',
            line=line_of_reference(
                path, field_line or line_of(path, "Partners"), partner_id
            ),
            fix=fix,
        )

    def generate_output(self, writer) -> None:
        save_as = self.settings["PARTNERS_SAVE_AS"]
        if not save_as:
            return
        writer.write_file(
            save_as,
            self.get_template(self.settings["PARTNERS_TEMPLATE"]),
            self.context,
            url=self.settings["PARTNERS_URL"],
            template_name=self.settings["PARTNERS_TEMPLATE"],
            page_name=os.path.splitext(save_as)[0],
        )


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.content_object_init.connect(content_object_init)
