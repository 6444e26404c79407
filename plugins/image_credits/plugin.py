"""Signal wiring of the image_credits plugin, and the state of one build."""

from __future__ import annotations

import contextlib
import fnmatch
import logging
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from diagnostics import line_of, report, status
from incremental.effects import reader_call
from incremental.outputs import claim
from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader

from . import credits as credit_sources
from .figures import Figure
from .markdown_ext import CONTENT_SIZES, FigureExtension, current_source, split_title
from .pipeline import (
    RASTER_SUFFIXES,
    CacheUse,
    Descriptions,
    ImageProblem,
    Options,
    Progress,
    Publishing,
    SourceImage,
    prune_cache,
    render_all,
)
from .registry import Registry
from .registry import load as load_registry

logger = logging.getLogger(__name__)

#: Settings and their defaults (documented in README.md).
DEFAULTS = {
    # Folders below PATH whose raster images are published only as processed,
    # privacy-clean variants, never as the original file.
    "IMAGE_CREDITS_PATHS": ["images"],
    "IMAGE_CREDITS_REGISTRY": "images/credits.yml",
    # Images that need no credit and get no caption box (logos of partners).
    "IMAGE_CREDITS_EXEMPT": ["images/logos/*"],
    # True: an image without credit is an error even in a dev build. Publish
    # builds fail anyway through DIAGNOSTICS_STRICT.
    "IMAGE_CREDITS_REQUIRED": False,
    "IMAGE_CREDITS_PHOTO_LABEL": "Foto",
    "IMAGE_CREDITS_PAGE_URL": "bildnachweis/",
    "IMAGE_CREDITS_WIDTHS": [480, 960, 1600],
    "IMAGE_CREDITS_FORMATS": ["avif", "webp"],
    "IMAGE_CREDITS_QUALITY": {"avif": 50, "webp": 78, "jpeg": 82},
    "IMAGE_CREDITS_AVIF_SPEED": 9,
    "IMAGE_CREDITS_MAX_MB": 40,
    "IMAGE_CREDITS_MAX_PIXELS": 50_000_000,
    "IMAGE_CREDITS_CACHE_PATH": "cache/images",
    "IMAGE_CREDITS_WORKERS": 0,
    # True: once a build has placed its variants, remove the cached ones it
    # did not use. Only for a cache one site owns (publishconf.py): the tests
    # share one cache between many sites.
    "IMAGE_CREDITS_CACHE_PRUNE": False,
}

HERO_SIZES = "(min-width: 72rem) 70rem, 100vw"
NO_CREDIT_FIX = (
    'add the photographer to the image title ("Bildunterschrift | Foto: Name"), '
    "an `Image_credit:` line, or an entry in content/images/credits.yml"
)


@dataclass
class Usage:
    """An image shown by one content file."""

    content_path: str
    figure: Figure


@dataclass
class CreditEntry:
    """One row of the Bildnachweis page."""

    source: SourceImage
    figure: Figure
    credit: credit_sources.Credit | None
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, URL)


class BuildState:
    """Everything the plugin learns during one build."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.root = Path(settings["PATH"]).resolve()
        # PATH as Pelican spells source paths (absolute, symlinks kept), so
        # paths below it are found by string work alone (``below_root``).
        self.base = os.path.abspath(settings["PATH"])
        self.options = Options.from_settings(settings)
        self.descriptions = Descriptions(self.options, self.root)
        #: The lock on the variant cache while this build uses it.
        self.cache_use: CacheUse | None = None
        self.sources: dict[str, SourceImage] = {}
        self.broken: set[str] = set()
        self.usages: dict[str, list[Usage]] = {}
        self.originals: dict[str, str] = {}  # relpath → save_as of the static file
        self._registry: Registry | None = None
        self._seen_in_file: dict[tuple[str, str], int] = {}
        self._stats: dict[str, os.stat_result] = {}  # exists() → source()
        # Publishing the variants, from all_generators_finalized to finalized:
        # seconds spent before it (rendering), how many were rendered, the process.
        self.images_seconds = 0.0
        self.rendered = 0
        self.publishing: Publishing | None = None

    # --- sources ---------------------------------------------------------------

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            path = self.root / self.settings["IMAGE_CREDITS_REGISTRY"]
            self._registry = load_registry(path, self.root)
        return self._registry

    def source(self, relpath: str) -> SourceImage | None:
        """The described image, or None after reporting why it cannot be used."""
        if relpath in self.sources:
            return self.sources[relpath]
        if relpath in self.broken:
            return None
        path = self.root / relpath
        try:
            source = self.descriptions.describe(
                path, relpath, self._stats.pop(relpath, None)
            )
        except ImageProblem as problem:
            self.broken.add(relpath)
            report(path, problem.message, fix=problem.fix)
            return None
        self.sources[relpath] = source
        return source

    def exempt(self, relpath: str) -> bool:
        return any(
            fnmatch.fnmatch(relpath, pattern)
            for pattern in self.settings["IMAGE_CREDITS_EXEMPT"]
        )

    def credit(self, relpath: str, written: credit_sources.Credit | None):
        source = self.sources[relpath]
        entry = self.registry.get(relpath)
        label = self.options.photo_label
        from_registry = (
            credit_sources.from_registry(entry.fields, label) if entry else None
        )
        return credit_sources.resolve(
            written, from_registry, source.embedded, registry=from_registry
        )

    def missing_credit(self, content_path: str, relpath: str, line: int) -> None:
        strict = self.settings["IMAGE_CREDITS_REQUIRED"]
        report(
            content_path,
            f"the image {relpath} has no credit",
            line=line,
            fix=NO_CREDIT_FIX,
            severity="error" if strict else "warning",
        )

    # --- images in Markdown ----------------------------------------------------

    def figure_for(
        self,
        content_path: str,
        *,
        src: str,
        alt: str,
        title: str,
        attributes: dict,
        eager: bool,
    ) -> Figure | None:
        relpath = self.resolve_src(src, content_path)
        if relpath is None:
            return None  # an outside address; the privacy checks deal with it
        # Which use of ``src`` in the file this is; its line is looked up
        # (by reading the file again) only when there is something to report.
        occurrence = self._seen_in_file.get((content_path, src), 0)
        self._seen_in_file[content_path, src] = occurrence + 1

        def line() -> int:
            return self.line_in_text(content_path, src, occurrence)

        if not self.exists(relpath):
            report(
                content_path,
                f"the image {src} does not exist",
                line=line(),
                fix=f"check the path; it points to {relpath}",
            )
            return None
        if not alt.strip():
            report(
                content_path,
                f"the image {src} has no alt text",
                line=line(),
                fix="describe what the photo shows between the brackets: "
                "![Zwei Personen am Messestand](…)",
            )
        source = self.source(relpath)
        if source is None:
            return None
        caption, written, licence = split_title(title)
        written = attributes.get("credit") or attributes.get("data-credit") or written
        licence = attributes.get("licence") or licence
        exempt = self.exempt(relpath)
        credit = self.credit(relpath, credit_sources.from_markdown(written, licence))
        if credit is None and not exempt:
            self.missing_credit(content_path, relpath, line())
        figure = Figure(
            source,
            source.picture,
            alt=alt.strip(),
            caption=caption,
            credit=credit,
            exempt=exempt,
            eager=eager,
            sizes=attributes.get("sizes") or CONTENT_SIZES,
        )
        self.use(content_path, figure)
        return figure

    def resolve_src(self, src: str, content_path: str) -> str | None:
        """Path below PATH for a Markdown image address, None for other hosts."""
        for prefix in ("{static}", "{attach}", "{filename}", "|static|", "|attach|"):
            if src.startswith(prefix):
                src = src[len(prefix) :]
                break
        else:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                return None
        path = unquote(urlsplit(src).path)
        if path.startswith("/"):
            candidate = os.path.join(self.base, path.lstrip("/"))
        else:
            candidate = os.path.join(os.path.dirname(content_path), path)
            below = os.path.join(self.base, path)
            if not os.path.exists(candidate) and os.path.exists(below):
                candidate = below
        relpath = self.below_root(candidate)
        return path.lstrip("/") if relpath is None else relpath

    def exists(self, relpath: str) -> bool:
        """Whether the photo is there (one ``stat``, none once it is described).

        The ``stat`` is kept for :meth:`source`, which describes the photo next.
        """
        if relpath in self.sources:
            return True
        try:
            st = os.stat(os.path.join(self.base, relpath))
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):
            return False
        self._stats[relpath] = st
        return True

    def below_root(self, path: str) -> str | None:
        """``path`` relative to PATH in POSIX form, None when it lies outside.

        String work only: ``Path.resolve()`` costs a system call per path
        component, and this runs for every photo of every page (0.7 s of a
        rebuild at 5,000 news items). A symlink inside content/ counts as
        the place it is linked from, which is where the editor put it.
        """
        relative = os.path.relpath(os.path.abspath(path), self.base)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def line_in_text(self, content_path: str, src: str, occurrence: int) -> int:
        """Line of use number ``occurrence`` (from 0) of ``src`` in the file.

        Markdown keeps no line numbers, so the file is read again.
        """
        try:
            lines = Path(content_path).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            return 0
        hits = [n for n, text in enumerate(lines, start=1) if src in text]
        if not hits:
            return 0
        return hits[min(occurrence, len(hits) - 1)]

    # --- images named in metadata ----------------------------------------------

    def template_figure(self, content, field_name: str, *, sizes: str, eager: bool):
        """The figure for a metadata image such as ``Image:`` or ``Logo:``."""
        path = content.source_path
        meta = content.metadata
        value = str(meta[field_name]).strip()
        relpath = self.resolve_src(
            value if value.startswith(("{", "/")) else "/" + value, path
        )

        # Looking the line up reads the file again: only when reporting.
        def line() -> int:
            return line_of(path, field_name)

        if relpath is None:
            report(
                path,
                f"`{field_name.capitalize()}:` must be a file below content/",
                line=line(),
                fix="write it like `images/news/foto.jpg`",
            )
            return None
        if not self.exists(relpath):
            report(
                path,
                f"the image {value} does not exist",
                line=line(),
                fix=f"check the path; it points to content/{relpath}",
            )
            return None
        exempt = self.exempt(relpath)
        alt = str(meta.get(f"{field_name}_alt", "")).strip()
        if not alt and field_name == "logo":
            alt = f"Logo {content.title}" if hasattr(content, "title") else "Logo"
        if not alt:
            report(
                path,
                f"the image {value} has no alt text",
                line=line_of(path, f"{field_name}_alt") or line(),
                fix=f"add a line `{field_name.capitalize()}_alt: what the photo shows`",
            )
        source = self.source(relpath)
        if source is None:
            return None
        written = credit_sources.from_markdown(
            str(meta.get(f"{field_name}_credit", "")),
            str(meta.get(f"{field_name}_licence", "")),
        )
        credit = self.credit(relpath, written)
        if credit is None and not exempt:
            self.missing_credit(path, relpath, line())
        figure = Figure(
            source,
            source.picture,
            alt=alt,
            caption=str(meta.get(f"{field_name}_caption", "")).strip(),
            credit=credit,
            exempt=exempt,
            eager=eager,
            sizes=sizes,
        )
        self.use(path, figure)
        return figure

    def use(self, content_path: str, figure: Figure) -> None:
        self.usages.setdefault(figure.source.relpath, []).append(
            Usage(content_path, figure)
        )

    # --- the Bildnachweis --------------------------------------------------------

    def credit_entries(self, generated: dict) -> list[CreditEntry]:
        entries = []
        for relpath in sorted(self.usages):
            uses = self.usages[relpath]
            written = [
                u
                for u in uses
                if u.figure.credit and u.figure.credit.origin == credit_sources.MARKDOWN
            ]
            first = (written or uses)[0].figure
            entry = CreditEntry(self.sources[relpath], first, first.credit)
            for use in uses:
                content = generated.get(self._relative(use.content_path))
                if content is None or getattr(content, "status", "") == "draft":
                    continue
                link = (content.title, "/" + content.url)
                if link not in entry.pages:
                    entry.pages.append(link)
            if entry.pages:
                entries.append(entry)
        return entries

    def _relative(self, path: str) -> str:
        relpath = self.below_root(path)
        return path if relpath is None else relpath


_state: BuildState | None = None


def state() -> BuildState:
    if _state is None:
        raise RuntimeError("image_credits: the plugin is not initialised")
    return _state


# --- signals -------------------------------------------------------------------


def initialized(pelican) -> None:
    global _state
    if _state is not None and _state.publishing is not None:
        # A build of this process (the live preview) that failed before it
        # waited: its files must be in place before this build looks at them.
        with contextlib.suppress(ImageProblem):
            _state.publishing.result()
    if _state is not None and _state.cache_use is not None:
        _state.cache_use.release()  # that build failed before it let go
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    _state = BuildState(settings)
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = [
        e
        for e in markdown.setdefault("extensions", [])
        if not isinstance(e, FigureExtension)
    ]
    extensions.append(FigureExtension(figure_for=_figure_for))
    markdown["extensions"] = extensions
    # The Bildnachweis is a direct template of its own (credits.html).
    page_url = settings["IMAGE_CREDITS_PAGE_URL"]
    if page_url:
        settings.setdefault("CREDITS_URL", page_url)
        settings.setdefault("CREDITS_SAVE_AS", page_url + "index.html")
        if "credits" not in settings["DIRECT_TEMPLATES"]:
            settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], "credits"]


# A reader call: the incremental plugin's reader cache repeats it on a cache
# hit, so usages are recorded and a replaced photo invalidates the cached HTML.
@reader_call
def _figure_for(source_path: str, **kwargs) -> Figure | None:
    return state().figure_for(source_path, **kwargs)


class _TellsFigureExtension:
    """Mixin for Markdown readers: sets :data:`current_source` while reading."""

    def read(self, source_path):
        token = current_source.set(source_path)
        try:
            return super().read(source_path)
        finally:
            current_source.reset(token)


_reader_classes: dict[type, type] = {}


def readers_init(readers) -> None:
    """Tell the Markdown extension which file it converts.

    Pelican's Markdown reader does not pass the file to extensions. We derive
    from whatever Markdown reader class is registered (rather than replacing
    it with ours), so another plugin's reader keeps working.
    """
    for ext, reader_class in list(readers.reader_classes.items()):
        if (
            isinstance(reader_class, type)
            and issubclass(reader_class, MarkdownReader)
            and not issubclass(reader_class, _TellsFigureExtension)
        ):
            if reader_class not in _reader_classes:
                _reader_classes[reader_class] = type(
                    reader_class.__name__, (_TellsFigureExtension, reader_class), {}
                )
            readers.reader_classes[ext] = _reader_classes[reader_class]


def content_object_init(content) -> None:
    if not isinstance(content, Article | Page) or _state is None:
        return
    if content.metadata.get("image"):
        content.hero_image = _state.template_figure(
            content, "image", sizes=HERO_SIZES, eager=True
        )
    if content.metadata.get("logo"):
        content.logo_image = _state.template_figure(
            content, "logo", sizes="200px", eager=False
        )


def static_generator_finalized(generator) -> None:
    """Originals below IMAGE_CREDITS_PATHS are published only as processed copies."""
    current = state()
    folders = [p.strip("/") + "/" for p in current.settings["IMAGE_CREDITS_PATHS"]]
    registry = current.settings["IMAGE_CREDITS_REGISTRY"]
    kept = []
    for static in generator.staticfiles:
        relpath = static.get_relative_source_path()
        inside = any(relpath.startswith(folder) for folder in folders)
        if inside and relpath == registry:
            continue  # the registry is data, not a file to publish
        if inside and Path(relpath).suffix.lower() in RASTER_SUFFIXES:
            current.originals[relpath] = static.save_as
            current.source(relpath)
            continue
        kept.append(static)
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = generator.staticfiles


def all_generators_finalized(generators) -> None:
    """Render what the cache lacks, stop on errors, then publish the variants."""
    from diagnostics.plugin import check

    check(generators)  # a build that fails anyway need not render images
    current = state()
    sources = list(current.sources.values())
    started = time.monotonic()
    # Held until the variants are placed (finalized): no publish prunes them
    # meanwhile.
    current.cache_use = CacheUse(
        current.options.cache_path,
        on_wait=lambda: _status(
            "Bilder: warte, bis ein anderer Build den Cache aufgeräumt hat"
        ),
    )
    rendered, failures = render_all(sources, current.options, Progress(_status))
    for relpath, message in failures.items():
        report(
            current.root / relpath,
            message,
            fix="export the photo again as JPEG and replace the file",
        )
    check(generators)

    files = []
    for source in sources:
        files.extend((v.cache_file, v.save_as) for v in source.variants)
        save_as = current.originals.get(source.relpath)
        if save_as:
            suffix = os.path.splitext(save_as)[1]
            same_format = [v for v in source.variants if v.save_as.endswith(suffix)]
            largest = max(
                same_format or source.variants,
                key=lambda v: (v.fmt == source.fallback, v.width),
            )
            files.append((largest.cache_file, save_as))
    for _cache_file, save_as in files:
        claim(save_as)  # removed by plugins/incremental once no longer published
    # Time spent on images: rendering now, publishing when it is done.
    current.images_seconds = time.monotonic() - started
    # Placed while the pages are rendered; finalized() waits for it.
    current.publishing = Publishing(files, Path(current.settings["OUTPUT_PATH"]))
    current.rendered = rendered
    current.descriptions.save()
    context = generators[0].context
    context["image_credits"] = current.credit_entries(
        context.get("generated_content", {})
    )


def finalized(pelican) -> None:
    """Wait for the variants to be in place, prune the cache if this build
    may (and no other uses it), let go of it; say what the images cost."""
    current = _state
    if current is None or current.publishing is None:
        return
    publishing, current.publishing = current.publishing, None
    try:
        published = publishing.result()
    except ImageProblem as problem:
        # Not an editor's mistake in one file: the output cannot be written.
        logger.error("image_credits: %s (%s)", problem.message, problem.fix)
        raise SystemExit(1) from problem
    pruned = ""
    cache_use, current.cache_use = current.cache_use, None
    if current.settings["IMAGE_CREDITS_CACHE_PRUNE"]:
        if cache_use is not None and not cache_use.exclusive():
            pruned = ", Cache nicht aufgeräumt (ein anderer Build benutzt ihn)"
        else:
            used = {v.cache_file for s in current.sources.values() for v in s.variants}
            removed = prune_cache(
                current.options.cache_path, used, current.descriptions.file
            )
            pruned = f", {removed} alte aus dem Cache entfernt"
    if cache_use is not None:
        cache_use.release()
    _status(
        f"Bilder: {len(current.sources)} verwendet, {current.rendered} neu berechnet, "
        f"{published} Dateien veröffentlicht{pruned} in "
        f"{current.images_seconds + publishing.seconds:.1f} s"
    )


def _status(text: str) -> None:
    status(text, __name__)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.static_generator_finalized.connect(static_generator_finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
