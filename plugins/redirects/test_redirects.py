"""`Aliases:` → redirect pages and an nginx map (served in tests/test_nginx.py)."""

from __future__ import annotations

import pytest

from redirects import Alias, nginx_map, parse_aliases
from tests.support import MINIMAL_SITE, build_site, write_files


def test_aliases_are_paths_and_folders_get_a_slash():
    paths, errors = parse_aliases("/alte-adresse/, /noch-eine, /archiv/alt.html")
    assert paths == ["/alte-adresse/", "/noch-eine/", "/archiv/alt.html"]
    assert errors == []


def test_umlauts_may_be_written_or_percent_encoded():
    assert parse_aliases("/grüße/, /gr%C3%BC%C3%9Fe-2/")[0] == ["/grüße/", "/grüße-2/"]


@pytest.mark.parametrize(
    "value",
    ["alte-adresse/", '/a"b/', "/a b/", "/../etc/", "/a/./b/", "/", "/a?x=1", "/x;y/"],
)
def test_unusable_aliases_are_errors(value):
    paths, errors = parse_aliases(value)
    assert paths == [] and len(errors) == 1


def test_nginx_map_answers_every_spelling_of_a_folder():
    text = nginx_map([Alias("/b.html", "/neu/"), Alias("/alt/", "/aktuelles/neu/")])
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [
        '"/alt/" "/aktuelles/neu/";',
        '"/alt" "/aktuelles/neu/";',
        '"/alt/index.html" "/aktuelles/neu/";',
        '"/b.html" "/neu/";',
    ]


def test_build_writes_redirect_pages_and_map(tmp_path):
    write_files(tmp_path / "content", MINIMAL_SITE)
    write_files(
        tmp_path / "content",
        {
            "pages/ueber-uns.md": """
                Title: Über uns
                Aliases: /wir/, /ueber/team.html

                Text.
                """
        },
    )
    result = build_site(tmp_path / "content", tmp_path / "output")
    assert result.ok, result.log
    page = result.html("/wir/")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == (
        "0; url=/ueber-uns/"
    )
    assert page.find("a", href="/ueber-uns/")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert result.file("/ueber/team.html").exists()
    map_text = (result.output / "redirects.map").read_text("utf-8")
    assert '"/wir" "/ueber-uns/";' in map_text
    assert '"/ueber/team.html" "/ueber-uns/";' in map_text


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ("wir/", 'alias "wir/" must start with "/"'),
        ("/impressum/", 'alias "/impressum/" is the address of impressum.md'),
        ("/alt/", 'alias "/alt/" is also listed by'),
    ],
)
def test_alias_problems_stop_the_build_naming_file_and_line(tmp_path, aliases, message):
    write_files(tmp_path / "content", MINIMAL_SITE)
    write_files(
        tmp_path / "content",
        {
            "pages/ueber-uns.md": f"Title: Über uns\nAliases: {aliases}\n\nText.\n",
            "pages/kontakt.md": "Title: Kontakt\nAliases: /alt/\n\nText.\n",
        },
    )
    result = build_site(tmp_path / "content", tmp_path / "output")
    assert result.returncode == 1
    assert message in result.log
    assert ":2: " in result.log, "the line of the Aliases field"
    assert not (tmp_path / "output").exists()
