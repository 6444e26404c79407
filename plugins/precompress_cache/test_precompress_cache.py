"""precompress_cache: publish builds compress only what changed, never stale.

Real publish builds (publishconf.py, pelican-precompress on) of a fixture
site into fresh output folders, as ``invoke publish`` makes them.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from textwrap import dedent

import brotli
import pytest

from tests.support import MINIMAL_SITE, build_site, write_files

# The news item of the fixture site, and its page.
NEWS = "news/2024-03-12-jahresauftakt.md"
PAGE = "aktuelles/jahresauftakt-der-zukunftsregion/index.html"

DECOMPRESS = {".br": brotli.decompress, ".gz": gzip.decompress}


class Publish:
    def __init__(self, base: Path, site: dict[str, str] = MINIMAL_SITE) -> None:
        self.base = base
        self.content = write_files(base / "content", site)
        self.cache = base / "cache"
        self.count = 0

    def build(self, output: Path | None = None) -> tuple[Path, tuple[int, int, int]]:
        if output is None:
            self.count += 1
            output = self.base / f"output-{self.count}"
        result = build_site(
            self.content,
            output,
            settings="publishconf.py",
            overrides={"CACHE_PATH": str(self.cache)},
        )
        assert result.ok, result.log
        found = re.search(
            r"Komprimierung: (\d+) Dateien, (\d+) aus dem Cache, (\d+) neu", result.log
        )
        assert found, result.log
        return output, tuple(int(n) for n in found.groups())


def compressed(output: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in output.rglob("*")
        if p.suffix in DECOMPRESS
    }


def assert_all_current(output: Path) -> None:
    """Every compressed copy holds exactly the bytes of its file now."""
    stale = [
        name
        for name, data in compressed(output).items()
        if DECOMPRESS[Path(name).suffix](data)
        != (output / name).with_suffix("").read_bytes()
    ]
    assert stale == []


@pytest.fixture
def publish(tmp_path) -> Publish:
    return Publish(tmp_path)


def test_a_second_publish_build_takes_every_compressed_file_from_the_cache(publish):
    first, (total, reused, fresh) = publish.build()
    assert total > 20 and (reused, fresh) == (0, total)

    second, counts = publish.build()

    assert counts == (total, total, 0)
    assert compressed(second) == compressed(first)
    assert_all_current(second)
    # Linked from the cache, not copied (0.1 s instead of 2.3 s for 14,280
    # copies at 5,000 news items): the output and the cache share the files.
    assert all((second / name).stat().st_nlink >= 2 for name in compressed(second))


def test_an_edit_compresses_only_changed_files_and_the_cache_forgets_the_old(
    publish,
):
    _, (total, _, _) = publish.build()
    news = publish.content / NEWS
    news.write_text(news.read_text("utf-8") + "\nNeu: Anmeldung ab Mai.\n", "utf-8")

    output, (after, reused, fresh) = publish.build()

    assert 0 < fresh < total / 4 and reused + fresh == after
    assert "Anmeldung ab Mai" in brotli.decompress(
        (output / (PAGE + ".br")).read_bytes()
    ).decode("utf-8")
    assert_all_current(output)
    # Pruned: one cached copy per compressed file of this build, no more.
    cached = [p for p in publish.cache.glob("precompress/*/*/*") if p.is_file()]
    assert len(cached) == len(compressed(output))


def test_a_stale_copy_in_an_output_built_into_again_is_replaced(publish):
    output, _ = publish.build()
    stale = output / (PAGE + ".br")
    stale.write_bytes(brotli.compress(b"<p>Eine alte Fassung der Seite</p>"))
    # Another page changes, so the build runs (and keeps the news page).
    imprint = publish.content / "pages" / "impressum.md"
    imprint.write_text(imprint.read_text("utf-8") + "\nStand: Mai.\n", "utf-8")

    publish.build(output)

    assert_all_current(output)
    # And the cache was not changed through the output's copy.
    fresh, _ = publish.build()
    assert_all_current(fresh)


def test_a_cached_copy_changed_in_place_is_compressed_again(publish):
    output, (total, _, _) = publish.build()
    # Same length, other bytes: only the recorded time tells.
    copy = output / (PAGE + ".br")
    with copy.open("r+b") as handle:
        data = handle.read()
        handle.seek(0)
        handle.write(bytes(b ^ 0xFF for b in data))

    fresh, counts = publish.build()

    assert counts == (total, total - 1, 1)
    assert_all_current(fresh)


def test_files_with_the_same_bytes_share_one_compressed_file(tmp_path):
    """Redirect pages of one article are identical: compressed once (two
    threads writing the same cache file at once made the build fail)."""
    site = dict(MINIMAL_SITE)
    site[NEWS] = dedent(site[NEWS]).replace(
        "Date: 2024-03-12",
        "Date: 2024-03-12\nAliases: /alte-adresse/, /archiv/alt.html, /grüße/",
    )
    output, _ = Publish(tmp_path, site).build()

    redirects = ["alte-adresse/index.html", "archiv/alt.html", "grüße/index.html"]
    assert len({(output / r).read_bytes() for r in redirects}) == 1
    for suffix in DECOMPRESS:
        inodes = {(output / (r + suffix)).stat().st_ino for r in redirects}
        assert len(inodes) == 1
    assert_all_current(output)
