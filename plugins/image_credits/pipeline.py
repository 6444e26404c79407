"""The one image pipeline: describe a photo, plan its variants, render them once.

Templates and the Markdown extension never touch Pillow themselves: they ask
:func:`describe` for a :class:`SourceImage` (size, content hash, embedded
credit) and :func:`plan` for its variants, and render the :class:`Picture`
that :func:`picture` returns. Rendering happens once per build for all images
together (:func:`render_all`), spread over the cores, and only for variants the
cache does not already hold. The cache key is the source's content hash plus
every setting that changes the pixels, so a second build renders nothing and a
changed setting renders everything again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import math
import multiprocessing
import os
import pickle
import shutil
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError, features

try:
    import fcntl
except ImportError:  # Windows: no lock (pruning is for CI's Linux runners)
    fcntl = None

from .credits import EXIF_ARTIST, EXIF_COPYRIGHT, Credit, exif_text, from_embedded
from .iptc import read_iptc

logger = logging.getLogger(__name__)

#: Bump when the rendering code changes the bytes it writes.
PIPELINE_VERSION = 1

FALLBACK_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "jpeg"}
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
_ORIENTATION = 0x0112
_MB = 1024 * 1024


class ImageProblem(Exception):
    """Why a source image cannot be published, and how the editor fixes it."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Options:
    """Every setting the pipeline depends on (see README: IMAGE_CREDITS_*)."""

    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("avif", "webp")
    quality: tuple[tuple[str, int], ...] = (
        ("avif", 50),
        ("webp", 78),
        ("jpeg", 82),
    )
    avif_speed: int = 9
    max_bytes: int = 40 * _MB
    max_pixels: int = 50_000_000
    cache_path: Path = Path("cache/images")
    workers: int = 0  # 0: one per core
    photo_label: str = "Foto"

    @classmethod
    def from_settings(cls, settings: dict) -> Options:
        formats = tuple(
            f
            for f in settings["IMAGE_CREDITS_FORMATS"]
            if f != "avif" or features.check("avif")
        )
        return cls(
            widths=tuple(sorted(int(w) for w in settings["IMAGE_CREDITS_WIDTHS"])),
            formats=formats,
            quality=tuple(sorted(settings["IMAGE_CREDITS_QUALITY"].items())),
            avif_speed=int(settings["IMAGE_CREDITS_AVIF_SPEED"]),
            max_bytes=int(settings["IMAGE_CREDITS_MAX_MB"] * _MB),
            max_pixels=int(settings["IMAGE_CREDITS_MAX_PIXELS"]),
            cache_path=Path(settings["IMAGE_CREDITS_CACHE_PATH"]).resolve(),
            workers=int(settings["IMAGE_CREDITS_WORKERS"]),
            photo_label=settings["IMAGE_CREDITS_PHOTO_LABEL"],
        )

    def key(self) -> str:
        """Digest of everything that changes the rendered pixels or bytes."""
        text = repr(
            (
                PIPELINE_VERSION,
                self.formats,
                self.quality,
                self.avif_speed,
                Image.__version__,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Variant:
    """One published file: a width in a format."""

    width: int
    height: int
    fmt: str
    save_as: str  # below OUTPUT_PATH, POSIX
    # A str, not a Path: thousands of these are unpickled on every build.
    cache_file: str

    @property
    def url(self) -> str:
        return "/" + self.save_as


@dataclass
class SourceImage:
    """A source photo or logo as the pipeline sees it."""

    path: Path
    relpath: str  # below PATH, POSIX, e.g. "images/news/x.jpg"
    width: int
    height: int
    format: str
    alpha: bool
    digest: str
    embedded: Credit | None
    variants: list[Variant] = field(default_factory=list)

    @property
    def fallback(self) -> str:
        return "png" if self.alpha else FALLBACK_FORMATS.get(self.format, "jpeg")

    def __fingerprint__(self) -> str:
        """What the incremental plugin's page keys see of this photo.

        Every field, the variants by the names of their cache files, which
        hash the file's bytes and the options and carry width and format (the
        height follows from the width). Digesting all fields of every variant
        one by one took a fifth of the digest round of every build at 5,000
        photos (0.38 of 1.8 s).
        """
        fields = [self.path, self.relpath, self.width, self.height, self.format]
        fields += [self.alpha, self.digest, self.embedded]
        return "\0".join([*map(repr, fields), *(v.cache_file for v in self.variants)])

    @functools.cached_property
    def picture(self) -> Picture:
        """The ``<picture>`` data of the variants, made once per photo.

        Kept in the object's ``__dict__``, so it is pickled with the
        description (:class:`Descriptions`) and later builds take it from
        there: making it again for every photo cost 0.1 s per build at 5,000.
        """
        return picture(self)

    def largest(self, fmt: str | None = None) -> Variant:
        fmt = fmt or self.fallback
        return max((v for v in self.variants if v.fmt == fmt), key=lambda v: v.width)


@dataclass(frozen=True)
class Picture:
    """What a ``<picture>`` needs: sources per type, the fallback, its size."""

    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset)
    src: str
    srcset: str
    width: int
    height: int
    thumbnail: str  # the smallest fallback, for lists

    def source_attributes(self, sizes: str) -> list[dict[str, str]]:
        return [
            {"type": mime, "srcset": srcset, "sizes": sizes}
            for mime, srcset in self.sources
        ]

    def img_attributes(
        self, alt: str, sizes: str, eager: bool = False, css_class: str = ""
    ) -> dict[str, str]:
        """Attributes of the ``<img>``, in a stable order, for both renderers."""
        attributes = {"src": self.src, "srcset": self.srcset, "sizes": sizes}
        attributes |= {"width": str(self.width), "height": str(self.height)}
        attributes["alt"] = alt
        if css_class:
            attributes["class"] = css_class
        if eager:
            attributes["fetchpriority"] = "high"
        else:
            attributes["loading"] = "lazy"
        attributes["decoding"] = "async"
        return attributes


# --- describe and plan ---------------------------------------------------------


def describe(
    path: Path,
    relpath: str,
    options: Options,
    known: Callable[[str], SourceImage | None] | None = None,
) -> SourceImage:
    """Read what is needed to plan variants, without decoding the pixels.

    Size limits are checked from the file size and the image header *before*
    anything is decoded, so a decompression bomb costs a few bytes of memory.
    ``known``: an earlier description by content hash (:class:`Descriptions`);
    a file with those bytes is not parsed again, only its variants are
    planned for its own path.
    """
    try:
        size = path.stat().st_size
    except OSError:
        raise ImageProblem("the image file does not exist") from None
    if size > options.max_bytes:
        raise ImageProblem(
            f"the image file is {size / _MB:.1f} MB, more than the limit of "
            f"{options.max_bytes / _MB:.0f} MB",
            fix="resize it to at most 3000 px wide and save it as JPEG "
            "(quality 85) before adding it",
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    earlier = known(digest) if known else None
    if earlier is not None:
        source = replace(earlier, path=path, relpath=relpath, variants=[])
        source.variants = plan(source, options)
        return source
    Image.MAX_IMAGE_PIXELS = options.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(options) from None
    except UnidentifiedImageError:
        raise ImageProblem(
            "the file is not an image Pillow can read (JPEG, PNG or WebP); "
            "it may be damaged or have the wrong extension",
            fix="export the photo again as JPEG and replace the file",
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageProblem(
            f"the image file is damaged ({error})",
            fix="export the photo again as JPEG and replace the file",
        ) from None
    with image:
        width, height = image.size
        if width * height > options.max_pixels:
            raise _too_many_pixels(options, width, height)
        if image.format not in FALLBACK_FORMATS:
            raise ImageProblem(
                f"{image.format} images are not supported",
                fix="save it as JPEG (photos) or PNG (logos)",
            )
        exif = image.getexif()
        if exif.get(_ORIENTATION) in (5, 6, 7, 8):
            width, height = height, width
        alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        embedded = from_embedded(
            read_iptc(image),
            {tag: exif.get(tag) for tag in (EXIF_ARTIST, EXIF_COPYRIGHT)},
            options.photo_label,
        )
        source = SourceImage(
            path, relpath, width, height, image.format, alpha, digest, embedded
        )
    source.variants = plan(source, options)
    return source


class Descriptions:
    """:func:`describe` results of earlier builds, by file, size and mtime.

    ``describe`` reads every byte of a photo (its content hash keys the
    variant cache) and parses its header and metadata. With thousands of
    photos that costs seconds on every build for files that did not change,
    so the results are kept next to the variant cache. An entry counts only
    while the file's path, size and modification time are the same, and the
    whole file is dropped when an option or the code of the pipeline changes.
    Problems are never cached: a broken file is described (and reported)
    again on every build.

    A file with a new time or path is read and hashed again, but if its bytes
    are those of a described photo, that description is taken for its path
    (``reused``) instead of parsing the file: a fresh ``git clone`` gives
    every file a new time, so CI would otherwise parse every photo of the
    site on every publish (describing 5,001 photos after a checkout took
    0.78 CPU-s, 0.39 s with this; the rest is reading and hashing).
    """

    def __init__(self, options: Options, root: Path) -> None:
        code = b"".join(
            (Path(__file__).parent / name).read_bytes()
            for name in ("pipeline.py", "credits.py", "iptc.py")
        )
        key = hashlib.sha256(repr((options, options.key(), root)).encode() + code)
        self.options = options
        # One file per content folder: a build loads only its own entries.
        self.file = options.cache_path / f"describe-{key.hexdigest()[:16]}.pickle"
        self.used: set[str] = set()
        self.changed = False
        #: Files described from an earlier description of the same bytes.
        self.reused = 0
        self._by_digest: dict[str, SourceImage] | None = None

    @functools.cached_property
    def entries(self) -> dict[str, tuple[int, int, SourceImage]]:
        """The stored descriptions, read at the first image described.

        Not when the plugin starts: a build the incremental plugin skips
        never reads them, and a build that runs reads them while its
        garbage collector is paused (loading 5,000 entries with it running
        cost 0.27 s of collections).
        """
        try:
            with self.file.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, unreadable or from another Python: afresh
            return {}

    def describe(
        self, path: Path, relpath: str, st: os.stat_result | None = None
    ) -> SourceImage:
        """Like :func:`describe`, from the cache while the file is unchanged.

        ``st``: the file's ``stat`` if the caller has just taken it.
        """
        key = str(path)
        self.used.add(key)
        if st is None:
            try:
                st = path.stat()
            except OSError:
                st = None
        entry = self.entries.get(key)
        if st is not None and entry and entry[:2] == (st.st_size, st.st_mtime_ns):
            return entry[2]
        source = describe(path, relpath, self.options, self._same_bytes)
        if self._by_digest is not None:
            self._by_digest[source.digest] = source
        if st is not None:
            self.entries[key] = (st.st_size, st.st_mtime_ns, source)
            self.changed = True
        return source

    def _same_bytes(self, digest: str) -> SourceImage | None:
        """A description of a file with these bytes, under any path or time."""
        if self._by_digest is None:
            self._by_digest = {e[2].digest: e[2] for e in self.entries.values()}
        earlier = self._by_digest.get(digest)
        self.reused += earlier is not None
        return earlier

    def save(self) -> None:
        """Keep this build's entries (atomically; a cache is never half-written)."""
        if not self.changed and self.used == set(self.entries):
            return
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        temporary = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError as error:
            logger.debug("image_credits: descriptions not saved: %s", error)
            temporary.unlink(missing_ok=True)


def _too_many_pixels(options: Options, width: int = 0, height: int = 0) -> ImageProblem:
    size = f" ({width}×{height} pixels)" if width else ""
    return ImageProblem(
        f"the image is too large to process{size}: more than "
        f"{options.max_pixels / 1e6:.0f} megapixels; it may be a decompression bomb",
        fix="resize it to at most 3000 px wide before adding it",
    )


def target_widths(width: int, widths: Iterable[int]) -> list[int]:
    """The configured widths below the source's width plus the biggest possible.

    Never upscaled: a 800 px photo is published at 480 and 800 px.
    """
    widths = sorted(widths)
    chosen = {w for w in widths if w < width}
    chosen.add(min(width, widths[-1]))
    return sorted(chosen)


def plan(source: SourceImage, options: Options) -> list[Variant]:
    """The variants of ``source``; names carry a content hash (safe to cache forever)."""
    key = hashlib.sha256((source.digest + options.key()).encode()).hexdigest()
    stem = PurePosixPath(source.relpath).with_suffix("")
    formats = [f for f in options.formats if f != source.fallback] + [source.fallback]
    variants = []
    for fmt in formats:
        for width in target_widths(source.width, options.widths):
            height = max(1, round(source.height * width / source.width))
            extension = EXTENSION[fmt]
            variants.append(
                Variant(
                    width,
                    height,
                    fmt,
                    f"{stem}-{width}w.{key[:10]}.{extension}",
                    os.path.join(
                        options.cache_path, key[:2], f"{key}-{width}.{extension}"
                    ),
                )
            )
    return variants


def picture(source: SourceImage) -> Picture:
    def srcset(fmt: str) -> str:
        chosen = sorted(
            (v for v in source.variants if v.fmt == fmt), key=lambda v: v.width
        )
        return ", ".join(f"{v.url} {v.width}w" for v in chosen)

    fallback = source.largest()
    smallest = min(
        (v for v in source.variants if v.fmt == source.fallback), key=lambda v: v.width
    )
    modern = dict.fromkeys(v.fmt for v in source.variants if v.fmt != source.fallback)
    return Picture(
        sources=tuple((MIME[fmt], srcset(fmt)) for fmt in modern),
        src=fallback.url,
        srcset=srcset(source.fallback),
        width=fallback.width,
        height=fallback.height,
        thumbnail=smallest.url,
    )


# --- render --------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Everything a worker process needs to render one source (picklable)."""

    path: Path
    relpath: str
    variants: tuple[Variant, ...]
    quality: tuple[tuple[str, int], ...]
    avif_speed: int
    max_pixels: int
    alpha: bool


class Listing:
    """What a few folders hold, with one ``scandir`` per folder.

    Whether each variant is in the cache, and whether the output already
    holds that very file, was a ``stat`` per variant and folder (three sets of
    35,000 calls at 5,000 photos); the cache has 256 folders, the output's
    variants share a few, and ``scandir`` tells an entry's inode without a
    ``stat``.
    """

    def __init__(self) -> None:
        self._files: dict[str, tuple[int, int]] = {}
        self._listed: set[str] = set()

    def identity(self, path: str) -> tuple[int, int] | None:
        """``(inode, device)`` of the entry ``path``, None if there is none."""
        found = self._files.get(path)
        if found is not None:
            return found
        folder = os.path.dirname(path)
        if folder in self._listed:
            return None
        self._listed.add(folder)
        try:
            device = os.stat(folder).st_dev
            with os.scandir(folder) as entries:
                for entry in entries:
                    self._files[entry.path] = (entry.inode(), device)
        except OSError:
            return None
        return self._files.get(path)

    def changed(self, path: str, identity: tuple[int, int] | None = None) -> None:
        """``path`` was made or replaced after its folder was listed.

        ``identity``: the file it now is, when known (a hard link is the very
        file it links to); otherwise it is looked up.
        """
        if identity is not None:
            self._files[path] = identity
            return
        try:
            st = os.lstat(path)
            self._files[path] = (st.st_ino, st.st_dev)
        except OSError:
            self._files.pop(path, None)


def missing(source: SourceImage, cache: Listing) -> bool:
    """Whether a variant of ``source`` is not in the cache (listed in ``cache``)."""
    return any(cache.identity(v.cache_file) is None for v in source.variants)


def render_all(
    sources: Iterable[SourceImage],
    options: Options,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, dict[str, str]]:
    """Render every source whose variants are not cached yet.

    Returns how many sources were rendered and ``{relpath: problem}`` for the
    ones that failed (e.g. a JPEG whose header is fine but whose data is cut off).

    Even a single photo is rendered in a worker process, unless there is to
    be only one process (``IMAGE_CREDITS_WORKERS = 1``, or one core): what
    Pillow and its encoders allocate stays out of the build process, which
    holds the whole site and is the build's largest (and, in the live
    preview, long-lived) process. At 5,000 news items a rebuild after
    replacing one photo peaked at 235 instead of 240 MB, in the same time
    (``bench/ab.py --scenario image``).
    """
    listing = Listing()
    todo = [s for s in sources if missing(s, listing)]
    jobs = [
        Job(
            s.path,
            s.relpath,
            tuple(s.variants),
            options.quality,
            options.avif_speed,
            options.max_pixels,
            s.alpha,
        )
        for s in todo
    ]
    failures: dict[str, str] = {}
    processes = options.workers or os.cpu_count() or 1
    if not jobs or processes == 1:
        for number, job in enumerate(jobs, start=1):
            relpath, problem = render(job)
            if problem:
                failures[relpath] = problem
            if progress:
                progress(number, len(jobs))
        return len(jobs), failures
    with ProcessPoolExecutor(max_workers=min(processes, len(jobs))) as pool:
        futures = [pool.submit(render, job) for job in jobs]
        for number, future in enumerate(as_completed(futures), start=1):
            relpath, problem = future.result()
            if problem:
                failures[relpath] = problem
            if progress:
                progress(number, len(jobs))
    return len(jobs), failures


def render(job: Job) -> tuple[str, str | None]:
    """Worker: write all variants of one source into the cache.

    Files are written under a temporary name and renamed, so an interrupted
    build never leaves a half-written variant that a later build would trust.
    """
    Image.MAX_IMAGE_PIXELS = job.max_pixels
    quality = dict(job.quality)
    try:
        with Image.open(job.path) as opened:
            largest = max(job.variants, key=lambda v: v.width)
            if opened.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 size when that is still big enough:
                # several times faster and less memory for large photos.
                oriented = opened.getexif().get(_ORIENTATION) in (5, 6, 7, 8)
                want_w, want_h = (
                    (largest.height, largest.width)
                    if oriented
                    else (largest.width, largest.height)
                )
                opened.draft("RGB", (want_w, want_h))
            opened.load()
            exif = _credit_exif(opened)
            icc = opened.info.get("icc_profile")
            image = ImageOps.exif_transpose(opened)
            image = image.convert("RGBA" if job.alpha else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        return job.relpath, f"the image file is damaged or cut off ({error})"
    widths = sorted({v.width for v in job.variants}, reverse=True)
    for width in widths:
        variants = [v for v in job.variants if v.width == width]
        frame = image.resize(
            (width, variants[0].height), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        for variant in variants:
            _save(frame, variant, quality, job.avif_speed, exif, icc)
    return job.relpath, None


def _credit_exif(image: Image.Image) -> bytes:
    """EXIF with only the credit: no GPS position, no camera, no timestamps."""
    source = image.getexif()
    iptc = read_iptc(image)
    exif = Image.Exif()
    # IPTC first, as when the credit is shown (see credits.from_embedded).
    artist = iptc["by_line"] or exif_text(source.get(EXIF_ARTIST))
    copyright_ = iptc["copyright_notice"] or exif_text(source.get(EXIF_COPYRIGHT))
    # Bytes are written verbatim (UTF-8); a str would be squeezed to ASCII.
    if artist:
        exif[EXIF_ARTIST] = artist.encode("utf-8")
    if copyright_:
        exif[EXIF_COPYRIGHT] = copyright_.encode("utf-8")
    return exif.tobytes() if len(exif) else b""


def _save(frame, variant: Variant, quality, avif_speed, exif, icc) -> None:
    folder, name = os.path.split(variant.cache_file)
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    options: dict = {"exif": exif} if exif else {}
    if icc:
        options["icc_profile"] = icc
    if variant.fmt == "jpeg":
        options |= {
            "quality": quality.get("jpeg", 82),
            "optimize": True,
            "progressive": True,
        }
        fmt = "JPEG"
    elif variant.fmt == "webp":
        # method 2: a quarter of the time of the default 4 for ~10 % more bytes.
        options |= {"quality": quality.get("webp", 78), "method": 2}
        fmt = "WEBP"
    elif variant.fmt == "avif":
        options |= {"quality": quality.get("avif", 50), "speed": avif_speed}
        fmt = "AVIF"
    else:
        options |= {"optimize": True}
        fmt = "PNG"
    frame.save(temporary, fmt, **options)
    os.replace(temporary, variant.cache_file)


# --- publish -------------------------------------------------------------------


def publish(files: Iterable[tuple[str, str]], output_path: Path) -> int:
    """Copy cached files to their place in the output (hard links where possible).

    Runs for every variant on every build (tens of thousands of files on a
    big site), so it lists folders instead of asking about each file: a
    file already in place costs no system call at all. The caller claims
    the files for the incremental plugin.
    """
    count = 0
    output = os.fspath(output_path)
    folders: set[str] = set()
    cache, published = Listing(), Listing()  # the cache listed after rendering
    for cache_file, save_as in files:
        target = os.path.join(output, save_as)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        existing = published.identity(target)
        if existing is not None:
            if cache.identity(cache_file) == existing:
                continue  # already this very file (a hard link from last build)
            os.unlink(target)
        linked = _place(cache_file, target, cache)
        published.changed(target, linked)
        count += 1
    return count


def _place(cache_file: str, target: str, cache: Listing) -> tuple[int, int] | None:
    """Link (else copy) ``cache_file`` to ``target``; the new file's identity if known."""
    for attempt in (1, 2):
        try:
            os.link(cache_file, target)
            return cache.identity(cache_file)  # no lstat per new link
        except FileNotFoundError:
            if attempt == 2 or not os.path.exists(cache_file):
                raise
            # The folder went while we worked: removing a stale file of the
            # same folder removes the folder once it looks empty.
            os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError:
            break
    shutil.copyfile(cache_file, target)
    return None


#: The file builds lock in the cache folder (hidden: pruning ignores it).
LOCK_NAME = ".lock"


class CacheUse:
    """A build's hold on the variant cache, from rendering until its files are placed.

    A publish build prunes the cache (:func:`prune_cache`) of the variants
    its site does not use, and a development build of the same cache
    (``invoke livereload`` beside ``invoke publish``) may be about to link
    exactly those. So every build holds a shared lock on ``<cache>/.lock``
    while it renders and places variants; pruning needs the lock alone
    (:meth:`exclusive`) and is skipped while another build holds it: the
    files stay until the next publish. POSIX record locks
    (``fcntl.lockf``): forked workers do not inherit them, and they go with
    the process, so a build that crashed blocks nothing.
    """

    def __init__(self, cache_path: Path, on_wait: Callable[[], None] | None = None):
        self._file = None
        if fcntl is None:
            return
        cache_path.mkdir(parents=True, exist_ok=True)
        self._file = open(cache_path / LOCK_NAME, "a+b")  # noqa: SIM115 (held)
        try:
            fcntl.lockf(self._file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # a build is pruning it: a second or so
            if on_wait:
                on_wait()
            fcntl.lockf(self._file, fcntl.LOCK_SH)

    def exclusive(self) -> bool:
        """Hold the cache alone (to prune it); False while another build uses it."""
        if self._file is None:
            return fcntl is None
        try:
            fcntl.lockf(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def prune_cache(cache_path: Path, used: set[str], descriptions: Path) -> int:
    """Remove the variants and description files this build did not use.

    Variants are kept by content hash forever, so every replaced photo left
    its files behind, and CI saves the whole cache after each changed run.
    Only what :func:`plan` and :class:`Descriptions` name is touched: the
    256 hash folders and ``describe-*.pickle``; hidden names are another
    build's files being written. Returns the number of files removed.
    """
    try:
        listing = list(os.scandir(cache_path))
    except FileNotFoundError:  # nothing was ever cached
        return 0
    stale = []
    for entry in listing:
        if entry.name.startswith("describe-") and entry.name.endswith(".pickle"):
            if entry.path != os.fspath(descriptions):
                stale.append(entry.path)
        elif len(entry.name) == 2 and entry.is_dir():
            with os.scandir(entry.path) as files:
                stale += [
                    file.path
                    for file in files
                    if not file.name.startswith(".") and file.path not in used
                ]
    for path in stale:
        os.unlink(path)
    return len(stale)


#: Fewer files than this are published in the build's own process.
BACKGROUND_MIN_FILES = 2000


class Publishing:
    """:func:`publish` in a forked process, while the build renders its pages.

    Publishing is mostly system calls (a hard link per variant: 35,000 at
    5,000 photos, 0.7 s of a cold build, 0.25 s of a rebuild that only
    checks them), and the build's own process has other work meanwhile: a
    thread would hold the interpreter lock against it (tried, no gain). A
    small batch, or a system without ``fork``, is published at once.
    """

    def __init__(self, files: list[tuple[str, str]], output_path: Path) -> None:
        self._count: int | None = None
        #: How long publishing itself took (not the wait for it).
        self.seconds = 0.0
        self._process = None
        if (
            len(files) < BACKGROUND_MIN_FILES
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            started = time.monotonic()
            self._count = publish(files, output_path)
            self.seconds = time.monotonic() - started
            return
        context = multiprocessing.get_context("fork")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_publish_and_answer,
            args=(files, output_path, sender),
            name="image_credits-publish",
            daemon=True,  # a build that fails before waiting does not wait for it
        )
        self._process.start()
        sender.close()

    def result(self) -> int:
        """The number of files published; waits, and raises what went wrong."""
        if self._count is None:
            try:
                outcome, value, self.seconds = self._answer.recv()
            except EOFError:
                outcome, value = "error", "the process ended without an answer"
            self._process.join()
            self._answer.close()
            if outcome == "error":
                raise ImageProblem(
                    f"the image variants could not be placed in the output: {value}",
                    fix="check that the output folder is writable and the disk not full",
                )
            self._count = value
        return self._count


def _publish_and_answer(files, output_path: Path, sender) -> None:
    """The forked process: publish, then tell the build how it went."""
    started = time.monotonic()
    try:
        count = publish(files, output_path)
    except Exception as error:  # reported by the build's process
        sender.send(("error", f"{type(error).__name__}: {error}", 0.0))
    else:
        sender.send(("ok", count, time.monotonic() - started))
    finally:
        sender.close()


class Progress:
    """A progress line every few seconds while many images are rendered."""

    def __init__(self, show: Callable[[str], None], every: float = 3.0) -> None:
        self.show = show
        self.every = every
        self.started = time.monotonic()
        self.last = self.started

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every:
            return
        if done == total and now - self.started < self.every:
            return  # a short run needs no progress line
        self.last = now
        percent = math.floor(100 * done / total)
        self.show(f"Bilder: {done}/{total} berechnet ({percent} %)")
