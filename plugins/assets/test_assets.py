"""Hashed names for theme files: computed from the bytes, used via asset()."""

from __future__ import annotations

import hashlib
import re
import shutil

from assets import build_manifest
from tests.support import MINIMAL_SITE, ROOT, build_site, write_files


def test_a_changed_font_renames_the_font_and_the_stylesheet_that_loads_it(tmp_path):
    write_files(
        tmp_path,
        {
            "css/site.css": "@font-face { src: url('../fonts/sans.woff2') format('woff2'); }"
            " .logo { background: url(../img/logo.svg); }",
            "fonts/sans.woff2": b"font v1",
            "img/logo.svg": "<svg/>",
            "js/search.js": "console.log(1);",
        },
    )
    files = {
        p.relative_to(tmp_path).as_posix(): p
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    extensions = {".css", ".js", ".woff2"}
    first = build_manifest(files, extensions, 8)
    font = first.names["fonts/sans.woff2"]
    assert re.fullmatch(r"fonts/sans\.[0-9a-f]{8}\.woff2", font)
    assert (
        font[len("fonts/sans.") : -len(".woff2")]
        == (hashlib.sha256(b"font v1").hexdigest()[:8])
    )
    css = first.data["css/site.css"].decode()
    assert f"url('../{font}')" in css, "the stylesheet loads the hashed font"
    assert "url(../img/logo.svg)" in css, "SVG is not a hashed type here"
    assert "img/logo.svg" not in first.names

    (tmp_path / "fonts" / "sans.woff2").write_bytes(b"font v2")
    second = build_manifest(files, extensions, 8)
    assert second.names["fonts/sans.woff2"] != font
    assert second.names["css/site.css"] != first.names["css/site.css"]
    assert second.names["js/search.js"] == first.names["js/search.js"]


def test_pages_link_the_hashed_stylesheet_and_the_unhashed_copy_is_gone(tmp_path):
    write_files(tmp_path / "content", MINIMAL_SITE)
    result = build_site(tmp_path / "content", tmp_path / "output")
    assert result.ok, result.log
    href = result.html("/").find("link", rel="stylesheet")["href"]
    match = re.fullmatch(r"/theme/css/site\.([0-9a-f]{8})\.css", href)
    assert match, href
    source = (ROOT / "theme" / "static" / "css" / "site.css").read_bytes()
    assert match.group(1) == hashlib.sha256(source).hexdigest()[:8]
    assert result.file(href).read_bytes() == source
    assert not (result.output / "theme" / "css" / "site.css").exists()
    assert result.html("/impressum/").find("link", rel="stylesheet")["href"] == href
    # Not a hashed type: the icon keeps its name.
    assert result.html("/").find("link", rel="icon")["href"] == "/theme/favicon.svg"


def test_asset_with_a_name_the_theme_lacks_stops_the_build(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text("utf-8").replace(
            "{% block head %}",
            "<script src=\"{{ asset('js/gibt-es-nicht.js') }}\"></script>{% block head %}",
        ),
        "utf-8",
    )
    write_files(tmp_path / "content", MINIMAL_SITE)
    result = build_site(
        tmp_path / "content", tmp_path / "output", overrides={"THEME": str(theme)}
    )
    assert result.returncode == 1
    assert 'asset("js/gibt-es-nicht.js") names a file the theme does not have' in (
        result.log
    )
    assert "Traceback" not in result.log
