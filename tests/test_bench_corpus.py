"""The benchmark corpus (bench/generate.py) is a site our build accepts as is.

The benchmark measures whatever the corpus makes the build do: a corpus the
build rejects, or whose photo credits come out garbled, measures the wrong
thing without anyone noticing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.support import ROOT, build_site

# Loaded from its file: bench/ on sys.path would shadow module names such as
# ``run`` or ``images`` for the whole test session.
_spec = importlib.util.spec_from_file_location(
    "bench_generate", ROOT / "bench" / "generate.py"
)
bench_generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_generate)


def test_the_benchmark_corpus_builds_and_credits_its_photographers(tmp_path: Path):
    content = bench_generate.generate(tmp_path / "corpus", 20, seed=8)
    result = build_site(content, tmp_path / "output")
    assert result.ok, result.log[-3000:]
    assert len(list((result.output / "aktuelles").glob("*/index.html"))) >= 20

    credits = {
        dd.get_text(strip=True)
        for item in result.html("/bildnachweis/").select(".credit-item")
        for dt, dd in zip(item.select("dt"), item.select("dd"), strict=True)
        if dt.get_text(strip=True) == "Urheber"
    }
    names = {credit.removeprefix("Foto: ") for credit in credits}
    # The EXIF Artist carries umlauts and "ß" (UTF-8, as cameras write it).
    assert names <= {*bench_generate.PHOTOGRAPHERS, "Agentur Beispiel"}, names
    assert any(not name.isascii() for name in names), names
