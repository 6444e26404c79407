"""Every page type in a real browser: loads cleanly, privately and accessibly.

Debian's chromium, driven by Playwright, visits one page of every type on the
demo site served from 127.0.0.1. A page fails if it logs a console error, a
request fails, or *any* request goes to another host (fonts, CDNs, trackers:
each would leak visitors' IP addresses). axe-core checks WCAG 2.0/2.1 A and
AA rules; keyboard and no-JavaScript use are checked like a visitor would.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.page_types import NOT_FOUND, PAGE_TYPES, url_of
from tests.support import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (375, 1280)
MOBILE = {"width": 375, "height": 740}


@pytest.fixture(params=list(PAGE_TYPES))
def page_type(request, demo_site) -> tuple[str, str]:
    """(name, path) of one page type on the demo site."""
    name = request.param
    path = url_of(demo_site, name)
    if path is None:
        pytest.fail(f"the demo site has no page of type {name!r}")
    return name, path


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


class Visit:
    """One page visit with everything the browser saw."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request: self.failed.append(f"{request.url}: {request.failure}"),
        )
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.bad_status: list[str] = []

    def _response(self, response) -> None:
        if response.status >= 400:
            self.bad_status.append(f"{response.url}: HTTP {response.status}")

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location})")

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]


def _open(context, base: str, path: str) -> tuple[Visit, object]:
    page = context.new_page()
    visit = Visit(page, base)
    response = page.goto(base + path, wait_until="load")
    return visit, response


def test_page_loads_cleanly_and_only_from_our_origin(context, demo_url, page_type):
    name, path = page_type
    visit, response = _open(context, demo_url, path)
    expected = 404 if name == NOT_FOUND else 200
    assert response.status == expected, f"{path}: HTTP {response.status}"
    assert visit.page.locator("h1").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    for width in WIDTHS:
        visit.page.set_viewport_size({"width": width, "height": 900})
        visit.page.screenshot(path=ARTIFACTS / f"{slug}-{width}.png", full_page=True)
    visit.page.wait_for_load_state("load")

    if name == NOT_FOUND:
        # The document itself answers 404 on purpose; Chromium logs that.
        document = demo_url + path
        visit.bad_status = [s for s in visit.bad_status if not s.startswith(document)]
        visit.console_errors = [e for e in visit.console_errors if "404" not in e]
    assert visit.foreign_requests() == [], "requests to other hosts"
    assert visit.failed == [], "failed requests"
    assert visit.bad_status == [], "error responses"
    assert visit.console_errors == [], "console errors"


def test_page_has_no_axe_violations(context, demo_url, page_type):
    _, path = page_type
    assert AXE.exists(), f"{AXE} is missing — run .ci/install-system-deps (npm ci)"
    visit, _ = _open(context, demo_url, path)
    visit.page.add_script_tag(path=str(AXE))
    result = visit.page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        AXE_TAGS,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert problems == [], f"{path}:\n" + "\n".join(problems)
    assert len(result["violations"]) == 0


FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName, cls: el.className, href: el.getAttribute("href"),
        text: (el.textContent || "").trim().slice(0, 40),
        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
    };
}"""


def test_skip_link_is_first_tab_stop_and_focus_is_visible(context, demo_url, page_type):
    _, path = page_type
    visit, _ = _open(context, demo_url, path)
    page = visit.page
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["href"] == "#inhalt", f"first Tab stop is {first}"
    assert first["visible"], "the skip link must appear when focused"
    for _ in range(6):
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, (
            f"focus is not visible on {focused}"
        )
        page.keyboard.press("Tab")
    # The skip link moves the focus to the main content.
    page.keyboard.press("Shift+Tab")
    page.goto(demo_url + path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


@pytest.fixture(scope="module")
def no_js_context(browser):
    context = browser.new_context(java_script_enabled=False, viewport=MOBILE)
    yield context
    context.close()


def test_pages_fit_a_phone_without_javascript(no_js_context, demo_url, page_type):
    _, path = page_type
    page = no_js_context.new_page()
    page.goto(demo_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= MOBILE["width"], f"{path} scrolls sideways at 375 px"
    page.close()


def test_navigation_works_at_375_px_without_javascript(no_js_context, demo_url):
    page = no_js_context.new_page()
    page.goto(demo_url + "/")
    links = page.locator(".site-nav a")
    labels = links.all_text_contents()
    assert len(labels) >= 4
    for index, label in enumerate(labels):
        page.goto(demo_url + "/")
        link = page.locator(".site-nav a").nth(index)
        assert link.is_visible(), f"menu item {label} is hidden at 375 px"
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"], label
        link.click()
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path != "/", f"{label} did not navigate"
        assert page.locator("h1").count() >= 1, f"{label} leads to a page without h1"
        assert page.locator(".site-nav a[aria-current=page]").count() == 1, label
    page.close()


# --- search --------------------------------------------------------------------


def test_search_form_finds_pages_in_the_browser(context, demo_site, demo_url):
    parts = demo_site.search_parts()
    assert len(parts) > 1, "the demo's index should come in parts"
    visit, _ = _open(context, demo_url, "/suche/")
    page = visit.page
    assert page.locator("[data-search-nojs]").is_hidden()
    field = page.get_by_label("Suchbegriff")
    field.fill("Fachkräften")
    field.press("Enter")
    status = page.locator("[data-search-status]")
    status.filter(has_text="Treffer").wait_for()
    assert re.search(r"\d+ Treffer für „Fachkräften“", status.inner_text())
    hits = page.locator(".search-results a")
    assert hits.count() >= 1
    hrefs = [hits.nth(number).get_attribute("href") for number in range(hits.count())]
    found_in = {folder for folder, urls in parts.items() if set(hrefs) & urls}
    assert len(found_in) > 1, f"hits from one part of the index only: {hrefs}"
    first = hits.first.get_attribute("href")
    assert first.startswith("/") and "?" not in first
    assert "q=Fachkr" in page.url  # the query can be bookmarked and shared
    hits.first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == first
    assert visit.foreign_requests() == []
    assert visit.console_errors == [] and visit.failed == []


def _indexed_text(demo_site, path: Path, excluded: list[str]) -> str:
    soup = demo_site.html("/" + path.relative_to(demo_site.output).as_posix())
    body = soup.select_one("[data-pagefind-body]")
    if body is None:
        return ""
    for selector in excluded:
        for element in body.select(selector):
            element.decompose()
    return body.get_text(" ")


def test_search_stems_german_words(context, demo_site, demo_url):
    """'Fachkräften' finds pages that only say 'Fachkräfte'."""
    from search.plugin import DEFAULTS

    only_base_form = set()
    for path in demo_site.pages():
        text = _indexed_text(demo_site, path, DEFAULTS["SEARCH_EXCLUDE_SELECTORS"])
        if re.search(r"\bFachkräfte\b", text) and not re.search(
            r"\bFachkräften\b", text
        ):
            url = "/" + path.relative_to(demo_site.output).as_posix()
            only_base_form.add(url.removesuffix("index.html"))
    assert only_base_form, "the demo content needs a page that says only 'Fachkräfte'"

    visit, _ = _open(context, demo_url, "/suche/")
    found = visit.page.evaluate(
        """async (query) => {
            const pagefind = await import("/pagefind/pagefind.js");
            await pagefind.init();
            const parts = await (await fetch("/pagefind/parts.json")).json();
            await Promise.all(parts.merge.map((f) => pagefind.mergeIndex("/pagefind/" + f)));
            const search = await pagefind.search(query);
            const data = await Promise.all(search.results.map(r => r.data()));
            return data.map(d => d.url);
        }""",
        "Fachkräften",
    )
    missing = only_base_form - set(found)
    assert not missing, f"not found with 'Fachkräften': {sorted(missing)}"


def test_search_without_javascript_explains_and_links_overviews(
    no_js_context, demo_url
):
    page = no_js_context.new_page()
    response = page.goto(demo_url + "/suche/")
    assert response.status == 200
    assert page.locator("form[role=search]").is_hidden()
    message = page.locator("[data-search-nojs]")
    assert message.is_visible()
    assert "JavaScript" in message.inner_text()
    hrefs = [a.get_attribute("href") for a in message.locator("a").all()]
    assert {"/aktuelles/", "/initiativen/"} <= set(hrefs)
    for href in hrefs:
        assert page.request.get(demo_url + href).status == 200, href
    page.close()
