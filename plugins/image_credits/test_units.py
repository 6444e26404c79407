"""Unit tests of the pieces that need no Pelican build: IPTC, credits, widths."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from diagnostics import collector
from PIL import Image

from image_credits.credits import (
    EXIF_ARTIST,
    EXIF_COPYRIGHT,
    from_embedded,
    from_markdown,
    from_registry,
    resolve,
)
from image_credits.iptc import add_iptc, read_iptc
from image_credits.markdown_ext import split_title
from image_credits.pipeline import Descriptions, Options, target_widths
from image_credits.registry import load


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[EXIF_ARTIST] = "Kamera"
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_iptc_written_here_is_read_by_pillow_and_keeps_exif():
    data = add_iptc(
        _jpeg(), "Marek Kruszewski", "RegioVerbund", "© 2024 Rainer Weißflög"
    )
    with Image.open(io.BytesIO(data)) as image:
        assert read_iptc(image) == {
            "by_line": "Marek Kruszewski",
            "credit": "RegioVerbund",
            "copyright_notice": "© 2024 Rainer Weißflög",
        }
        assert image.getexif()[EXIF_ARTIST] == "Kamera"
        image.load()  # still a valid JPEG


def test_iptc_refuses_non_jpeg():
    with pytest.raises(ValueError):
        add_iptc(b"\x89PNG", "A")


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("Das Podium", ("Das Podium", "", "")),
        ("Das Podium | Foto: Anna", ("Das Podium", "Foto: Anna", "")),
        ("| © Anna | CC BY 4.0", ("", "© Anna", "CC BY 4.0")),
        ("", ("", "", "")),
    ],
)
def test_title_syntax(title, parts):
    assert split_title(title) == parts


def test_precedence_markdown_registry_embedded():
    written = from_markdown("Foto: Anna Beispiel")
    registry = from_registry(
        {"creator": "Rita", "licence": "CC BY 4.0", "source": "https://x.example"},
        "Foto",
    )
    embedded = from_embedded(
        {"by_line": "Ida", "credit": "", "copyright_notice": ""}, {}, "Foto"
    )
    assert (
        resolve(written, registry, embedded, registry=registry).text
        == "Foto: Anna Beispiel"
    )
    # The registry's licence completes a credit written in the text.
    assert (
        resolve(written, registry, embedded, registry=registry).licence == "CC BY 4.0"
    )
    assert resolve(None, registry, embedded, registry=registry).text == "Foto: Rita"
    assert resolve(None, None, embedded).text == "Foto: Ida"
    assert resolve(None, None, None) is None


def test_embedded_credit_prefers_iptc_and_shows_copyright_with_sign():
    iptc = {"by_line": "", "credit": "", "copyright_notice": ""}
    exif = {EXIF_ARTIST: None, EXIF_COPYRIGHT: "(c) Rainer Weisflog"}
    assert from_embedded(iptc, exif, "Foto").text == "© Rainer Weisflog"
    # UTF-8 in an EXIF "ASCII" field, as Pillow hands it back (Latin-1).
    exif = {EXIF_ARTIST: "Jürgen".encode().decode("latin-1"), EXIF_COPYRIGHT: None}
    assert from_embedded(iptc, exif, "Foto").text == "Foto: Jürgen"


@pytest.mark.parametrize(
    ("width", "widths"),
    [
        (2000, [480, 960, 1600]),
        (1600, [480, 960, 1600]),
        (700, [480, 700]),
        (300, [300]),
    ],
)
def test_widths_are_never_upscaled(width, widths):
    assert target_widths(width, [480, 960, 1600]) == widths


def test_registry_reports_problems_with_line_numbers(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.jpg").write_bytes(_jpeg())
    registry = images / "credits.yml"
    registry.write_text(
        "a.jpg:\n  credit: 'Foto: A'\n  lizenz: CC0\nfehlt.jpg: 'Foto: B'\na.jpg2:\n  licence: CC0\n",
        "utf-8",
    )
    collector.clear()
    loaded = load(registry, tmp_path)
    found = {(p.line, p.message) for p in collector.all()}
    collector.clear()
    assert loaded.get("images/a.jpg").fields["credit"] == "Foto: A"
    assert loaded.get("images/a.jpg").line == 1
    assert (3, "unknown field `lizenz` in the entry for a.jpg") in found
    assert (4, "credit for fehlt.jpg, but there is no such image") in found
    assert (5, "the entry for a.jpg2 names nobody") in found


def test_progress_line_only_on_long_runs():
    from image_credits.pipeline import Progress

    lines: list[str] = []
    quick = Progress(lines.append, every=60)
    for done in range(1, 4):
        quick(done, 3)
    assert lines == []  # a run shorter than the interval shows nothing
    slow = Progress(lines.append, every=0)
    slow(1, 4)
    slow(4, 4)
    assert lines == ["Bilder: 1/4 berechnet (25 %)", "Bilder: 4/4 berechnet (100 %)"]


def test_descriptions_are_reused_only_while_the_file_is_unchanged(tmp_path):
    """A later build takes an unchanged photo's description from the cache
    (no second read), and describes a replaced photo afresh."""
    import os

    options = Options(cache_path=tmp_path / "cache")
    photo = tmp_path / "content" / "foto.jpg"
    photo.parent.mkdir()
    photo.write_bytes(_jpeg())
    first = Descriptions(options, photo.parent)
    described = first.describe(photo, "foto.jpg")
    picture = described.picture
    first.save()

    again = Descriptions(options, photo.parent)
    cached = again.describe(photo, "foto.jpg")
    assert cached.digest == described.digest
    assert not again.changed  # served from the cache
    assert vars(cached)["picture"] == picture  # kept with it, not made again

    replacement = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(replacement, "JPEG")
    photo.write_bytes(replacement.getvalue())
    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    fresh = again.describe(photo, "foto.jpg")
    assert (fresh.width, fresh.height) == (80, 60)
    assert fresh.digest != described.digest
    assert fresh.embedded is None  # the old EXIF credit is not carried over
    # The page keys see the photo through its fingerprint.
    assert fresh.__fingerprint__() != described.__fingerprint__()
    assert (
        again.describe(photo, "foto.jpg").__fingerprint__() == fresh.__fingerprint__()
    )


def test_a_photo_with_a_new_time_or_path_but_the_same_bytes_is_not_parsed_again(
    tmp_path,
):
    """A fresh ``git clone`` (CI) gives every photo a new time, a moved photo
    has a new path: the bytes are the same, so the description is taken over,
    with variants named after the file's own path."""
    import os

    from image_credits.pipeline import describe

    options = Options(cache_path=tmp_path / "cache")
    content = tmp_path / "content"
    photo = content / "foto.jpg"
    photo.parent.mkdir()
    photo.write_bytes(_jpeg())
    first = Descriptions(options, content)
    described = first.describe(photo, "foto.jpg")
    first.save()

    stat = photo.stat()
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a checkout
    moved = content / "bilder" / "umbenannt.jpg"
    moved.parent.mkdir()
    moved.write_bytes(photo.read_bytes())
    later = Descriptions(options, content)
    checked_out = later.describe(photo, "foto.jpg")
    copy = later.describe(moved, "bilder/umbenannt.jpg")

    assert later.reused == 2  # neither file was parsed
    assert checked_out == described
    assert copy.embedded == described.embedded
    assert described.embedded.text == "Foto: Kamera"  # from the bytes, kept
    # Exactly what parsing the moved file gives: its own names, the same cache.
    assert copy == describe(moved, "bilder/umbenannt.jpg", options)
    assert {v.save_as.rsplit("-", 1)[0] for v in copy.variants} == {"bilder/umbenannt"}
    assert [v.cache_file for v in copy.variants] == [
        v.cache_file for v in described.variants
    ]
    assert copy.picture.src.startswith("/bilder/umbenannt-")
    later.save()
    assert (
        Descriptions(options, content).describe(moved, "bilder/umbenannt.jpg") == copy
    )

    other = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(other, "JPEG")
    moved.write_bytes(other.getvalue())
    os.utime(moved, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert later.describe(moved, "bilder/umbenannt.jpg").width == 80  # parsed
    assert later.reused == 2


def test_published_variants_are_linked_once_and_replaced_when_the_cache_changes(
    tmp_path,
):
    from image_credits.pipeline import publish

    cache, output = tmp_path / "cache", tmp_path / "output"
    (cache / "ab").mkdir(parents=True)
    first, second = cache / "ab" / "eins.webp", cache / "ab" / "zwei.webp"
    first.write_bytes(b"eins")
    second.write_bytes(b"zwei")
    files = [(str(first), "bilder/eins.webp"), (str(second), "bilder/zwei.webp")]

    assert publish(files, output) == 2
    assert publish(files, output) == 0  # already these very files
    # The cache gets a new file under the same name (a re-rendered variant):
    first.unlink()
    first.write_bytes(b"neu")
    assert publish(files, output) == 1
    assert (output / "bilder/eins.webp").read_bytes() == b"neu"
    assert (output / "bilder/eins.webp").stat().st_ino == first.stat().st_ino
    # A file in the output that only has the same bytes is replaced by the link.
    (output / "bilder/zwei.webp").unlink()
    (output / "bilder/zwei.webp").write_bytes(b"zwei")
    assert publish(files, output) == 1
    assert (output / "bilder/zwei.webp").stat().st_ino == second.stat().st_ino
    # The same file twice in one build (a photo and its original) is linked once.
    again = tmp_path / "again"
    assert publish([files[0], files[0]], again) == 1
    assert (again / "bilder/eins.webp").stat().st_ino == first.stat().st_ino


def test_a_variant_is_placed_even_when_its_folder_went_meanwhile(tmp_path):
    """The build's stale-file removal may empty and remove an output folder
    while the variants are published (the forked process): the link is made
    again in a new folder, and a variant missing from the cache still fails."""
    from image_credits.pipeline import Listing, _place

    cache = tmp_path / "cache"
    cache.mkdir()
    variant = cache / "eins.webp"
    variant.write_bytes(b"eins")
    target = tmp_path / "output" / "bilder" / "eins.webp"  # no folder (any more)

    _place(str(variant), str(target), Listing())
    assert target.stat().st_ino == variant.stat().st_ino

    with pytest.raises(FileNotFoundError):
        _place(str(cache / "fehlt.webp"), str(tmp_path / "weg" / "x.webp"), Listing())
    assert not (tmp_path / "weg").exists()  # no folder made for nothing


def test_variants_of_a_large_site_are_published_by_a_forked_process(
    tmp_path, monkeypatch
):
    """The build goes on while the links are made, and learns how it went."""
    from image_credits import pipeline

    monkeypatch.setattr(pipeline, "BACKGROUND_MIN_FILES", 1)
    cache, output = tmp_path / "cache", tmp_path / "output"
    cache.mkdir()
    files = []
    for number in range(5):
        variant = cache / f"{number}.webp"
        variant.write_bytes(b"%d" % number)
        files.append((str(variant), f"bilder/{number}.webp"))

    publishing = pipeline.Publishing(files, output)
    assert publishing._process is not None  # not published in this process
    assert publishing.result() == 5
    assert publishing.result() == 5  # asked again: the same answer
    assert not publishing._process.is_alive()
    for cache_file, save_as in files:
        assert (output / save_as).stat().st_ino == Path(cache_file).stat().st_ino

    # A variant missing from the cache fails the build with the reason.
    Path(files[2][0]).unlink()
    (output / files[2][1]).unlink()
    failing = pipeline.Publishing(files, output)
    with pytest.raises(pipeline.ImageProblem, match=r"could not be placed.*2\.webp"):
        failing.result()
