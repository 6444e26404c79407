"""Web benchmark: Lighthouse (mobile) on every page type, plus first-render bytes.

A benchmark, not a test: it prints figures to compare with the targets
(performance ≥ 98; accessibility, best practices, SEO 100; HTML+CSS for the
first render ≤ 14 KB gzip, i.e. one TCP round trip of a fresh connection).

    .venv/bin/invoke bench-web          # or: .venv/bin/python bench/web.py

Builds the demo site with publishconf.py into a temporary folder, serves it
on 127.0.0.1 with gzip (like production), and runs Lighthouse from
node_modules with Debian's chromium. Nothing is fetched from anywhere else.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from tests.page_types import NOT_FOUND, PAGE_TYPES, url_of  # noqa: E402
from tests.support import DEMO_CONTENT, build_site, free_port, serve_site  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
FIRST_RENDER_BUDGET = 14 * 1024


def first_render_bytes(output: Path, url: str) -> int:
    """gzip size of the HTML plus every render-blocking stylesheet it links."""
    relative = url.lstrip("/")
    html_file = output / (relative + "index.html" if url.endswith("/") else relative)
    html = html_file.read_bytes()
    total = len(gzip.compress(html, 6))
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select("link[rel~=stylesheet]"):
        if link.get("media") in ("print",):
            continue
        css = output / link["href"].lstrip("/")
        total += len(gzip.compress(css.read_bytes(), 6))
    return total


def lighthouse(url: str, report: Path) -> dict[str, int]:
    """The four category scores (0–100) of one Lighthouse mobile run."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(command, check=True, env=env, timeout=300, capture_output=True)
    result = json.loads(report.read_text("utf-8"))
    return {
        name: round((result["categories"][name]["score"] or 0) * 100)
        for name in CATEGORIES
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="page types, comma-separated")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("node_modules/lighthouse fehlt – erst .ci/install-system-deps ausführen")
        return 1

    wanted = args.only.split(",") if args.only else list(PAGE_TYPES)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as temp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        site = build_site(
            DEMO_CONTENT,
            Path(temp) / "output",
            settings="publishconf.py",
            env={"SITEURL": base},
        )
        if not site.ok:
            print(site.log)
            return 1
        rows = []
        with serve_site(site.output, compress=True, port=port):
            for name in wanted:
                url = url_of(site, name)
                if url is None:
                    rows.append((name, "–", None, None))
                    continue
                if name == NOT_FOUND:
                    url = "/404.html"  # Lighthouse refuses to audit a 404 answer
                scores = lighthouse(base + url, Path(temp) / "report.json")
                rows.append((name, url, scores, first_render_bytes(site.output, url)))
                print(f"  {name}: done", file=sys.stderr, flush=True)

    header = f"| page type | URL | {' | '.join(CATEGORIES)} | HTML+CSS gzip |"
    print(header)
    print("|" + "---|" * (len(CATEGORIES) + 3))
    misses = 0
    for name, url, scores, size in rows:
        if scores is None:
            print(f"| {name} | not built | {' | '.join('–' for _ in CATEGORIES)} | – |")
            continue
        cells = []
        for category in CATEGORIES:
            ok = scores[category] >= TARGETS[category]
            misses += not ok
            cells.append(f"{scores[category]}{'' if ok else ' ✗'}")
        ok = size <= FIRST_RENDER_BUDGET
        misses += not ok
        kb = f"{size / 1024:.1f} KB{'' if ok else ' ✗'}"
        print(f"| {name} | {url} | {' | '.join(cells)} | {kb} |")
    print(
        f"\ntargets: performance ≥ {TARGETS['performance']}, others 100, "
        f"HTML+CSS ≤ {FIRST_RENDER_BUDGET // 1024} KB gzip; "
        f"{misses} miss(es) marked ✗ (Lighthouse {_lighthouse_version()}, mobile preset)"
    )
    return 0


def _lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]


if __name__ == "__main__":
    sys.exit(main())
