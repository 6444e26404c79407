"""German typography: quotes, apostrophes, dashes and ellipses in Markdown text.

Conversions go through a real ``markdown.Markdown`` built the way Pelican's
reader builds it from pelicanconf.py's ``MARKDOWN`` (extra, toc, meta) plus
what the german plugin adds; one test builds a site with real Pelican.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import markdown
import pytest
from bs4 import BeautifulSoup

import pelicanconf
from german.plugin import use_typography
from german.typography import TypographyExtension
from tests.support import MINIMAL_SITE, build_site, write_files


def site_markdown(typography: bool = True) -> markdown.Markdown:
    """A Markdown instance as Pelican's reader makes it from our settings."""
    settings = {
        "MARKDOWN": copy.deepcopy(pelicanconf.MARKDOWN),
        "GERMAN_TYPOGRAPHY": typography,
    }
    use_typography(settings)
    config = settings["MARKDOWN"]
    extensions = [
        *config.get("extensions", []),
        *config["extension_configs"],
        "markdown.extensions.meta",
    ]
    return markdown.Markdown(
        extensions=extensions,
        extension_configs=config["extension_configs"],
        output_format=config["output_format"],
    )


def convert(text: str) -> str:
    return site_markdown().convert(text)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ('Sie sagte "Hallo".', "<p>Sie sagte „Hallo“.</p>"),
        # Across inline elements: the quote before <em> opens, after it closes.
        ('"*Fachkräfte*" gesucht', "<p>„<em>Fachkräfte</em>“ gesucht</p>"),
        ('Ein "**starkes**" Jahr', "<p>Ein „<strong>starkes</strong>“ Jahr</p>"),
        ('Siehe ("Zitat").', "<p>Siehe („Zitat“).</p>"),
        # A paragraph start opens, even after a paragraph that ended in a word.
        ('Ende\n\n"Neu" hier', "<p>Ende</p>\n<p>„Neu“ hier</p>"),
        ('- "Punkt" eins', "<ul>\n<li>„Punkt“ eins</li>\n</ul>"),
        (
            "Wie geht's? Andrea's Laden, Andreas' Buch, die '90er.",
            "<p>Wie geht’s? Andrea’s Laden, Andreas’ Buch, die ’90er.</p>",
        ),
        ("Das 'Wort' hier", "<p>Das ‚Wort‘ hier</p>"),
        # Only a two-digit year is cut short; a whole one is quoted.
        ("Seit '1984' und in den '20ern", "<p>Seit ‚1984‘ und in den ’20ern</p>"),
        (
            "\"Er rief 'Halt!' und ging's an.\"",
            "<p>„Er rief ‚Halt!‘ und ging’s an.“</p>",
        ),
        ("'*Gedanke*' gefasst", "<p>‚<em>Gedanke</em>‘ gefasst</p>"),
        (
            "2020--2022 -- A --- B, und so...",
            "<p>2020–2022 – A — B, und so…</p>",
        ),
        # Typographic quotes typed by the editor stay; a straight one closes.
        ('„Schon“ und ‚so‘ und „halb"', "<p>„Schon“ und ‚so‘ und „halb“</p>"),
        # \" and \' keep a straight quote; a lone quote between spaces stays.
        ('Maße \\"19\\" und 5 " 6', '<p>Maße "19" und 5 " 6</p>'),
    ],
)
def test_quotes_dashes_and_ellipses(source, html):
    assert convert(source) == html


def test_characters_not_entities():
    html = convert('Der "Plan" -- geht\'s...')
    assert html == "<p>Der „Plan“ – geht’s…</p>"
    assert "&" not in html


def test_code_and_raw_html_are_untouched():
    source = "\n\n".join(
        [
            'Code `"x" -- y...` und <kbd>"Strg"--C</kbd> und <samp>\'a\'</samp>.',
            '    "eingerückt" -- block',
            '```\n"fenced" --- block\n```',
            '<div class="x">"roh" -- html</div>',
            "<script>var s = 'a' + \"b\"; // --</script>",
        ]
    )
    soup = BeautifulSoup(convert(source), "html.parser")
    assert soup.find("code").get_text() == '"x" -- y...'
    assert soup.find("kbd").get_text() == '"Strg"--C'
    assert soup.find("samp").get_text() == "'a'"
    blocks = [pre.get_text() for pre in soup.find_all("pre")]
    assert blocks == ['"eingerückt" -- block\n', '"fenced" --- block\n']
    assert soup.find("div", class_="x").get_text() == '"roh" -- html'
    assert soup.find("script").get_text() == "var s = 'a' + \"b\"; // --"
    # Code still counts as the character before a quote: after it, one closes.
    assert convert('Der `code`" danach') == "<p>Der <code>code</code>“ danach</p>"


class KeysExtension(markdown.Extension):
    """Makes ``[[…]]`` a ``<kbd>`` element with plain (not atomic) text, as
    keyboard extensions do, to show the element itself is left alone."""

    def extendMarkdown(self, md):
        class Keys(markdown.treeprocessors.Treeprocessor):
            def run(self, root):
                for paragraph in root.iter("p"):
                    before, _, rest = (paragraph.text or "").partition("[[")
                    keys, _, after = rest.partition("]]")
                    if keys:
                        paragraph.text = before
                        kbd = ET.SubElement(paragraph, "kbd")
                        kbd.text = keys
                        kbd.tail = after

        md.treeprocessors.register(Keys(md), "keys", 15)


def test_code_elements_of_other_extensions_are_untouched():
    md = site_markdown()
    KeysExtension().extendMarkdown(md)
    html = md.convert('Mit [["Strg"--C]]" kopieren -- "fertig"')
    assert html == '<p>Mit <kbd>"Strg"--C</kbd>“ kopieren – „fertig“</p>'


def test_md_in_html_blocks():
    html = convert(
        '<div markdown="1">\n"Ja" -- <kbd>"Strg"</kbd>\n\n<pre>"x" -- y</pre>\n</div>'
    )
    assert html == '<div>\n<p>„Ja“ – <kbd>"Strg"</kbd></p>\n<pre>"x" -- y</pre>\n</div>'


def test_attributes_are_untouched():
    html = convert(
        "Der [\"Plan\" -- neu](https://example.org/a--b?x='1' \"Titel 'x' --\")"
        ' und ![Bild "A"...](bild--1.jpg)'
    )
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("a")
    assert link.get_text() == "„Plan“ – neu"
    assert link["href"] == "https://example.org/a--b?x='1'"
    assert link["title"] == "Titel 'x' --"
    image = soup.find("img")
    assert (image["alt"], image["src"]) == ('Bild "A"...', "bild--1.jpg")
    # An image title is the visible caption: converted, on its own.
    captioned = convert('"Ja" ![Bild](b.jpg "Das \'Team\' -- heute")')
    assert BeautifulSoup(captioned, "html.parser").find("img")["title"] == (
        "Das ‚Team‘ – heute"
    )


def test_autolinks_keep_their_address_text():
    html = convert("Siehe <https://example.org/a--b...>.")
    assert BeautifulSoup(html, "html.parser").find("a").get_text() == (
        "https://example.org/a--b..."
    )


def test_attribute_lists_still_work():
    # attr_list must read its {: …} before the quotes in it are replaced.
    html = convert('"Zitat" zum Einstieg\n{: .lead title="a--b" }')
    paragraph = BeautifulSoup(html, "html.parser").find("p")
    assert paragraph["class"] == ["lead"]
    assert paragraph["title"] == "a--b"
    assert paragraph.get_text() == "„Zitat“ zum Einstieg"


def test_headings_and_table_of_contents_agree():
    md = site_markdown()
    html = md.convert('## Der "Plan" -- jetzt\n\nText.')
    assert "<h2" in html
    assert "Der „Plan“ – jetzt</h2>" in html
    assert md.toc_tokens[0]["name"] == "Der „Plan“ – jetzt"


def test_tables_and_footnotes():
    html = convert(
        'Kopf | "Spalte"\n--- | ---\n"a" | b\'s\n\nText[^1].\n\n[^1]: "Quelle" -- 2024'
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [th.get_text() for th in soup.find_all("th")] == ["Kopf", "„Spalte“"]
    assert [td.get_text() for td in soup.find_all("td")] == ["„a“", "b’s"]
    assert (
        soup.find("div", class_="footnote")
        .find("p")
        .get_text()
        .startswith("„Quelle“ – 2024")
    )


def test_one_instance_for_many_documents():
    """No state survives ``reset()``: each document converts as if alone."""
    documents = [
        "Er sagte 'Hallo und <span>\"offen",  # unclosed quotes, inline HTML
        '"Neu" ist Andreas\' Buch. <b>Fett</b>"',
        '```\n"code"\n```\n\n"Zitat" nach <i>Code</i>',
        '"Neu" ist Andreas\' Buch. <b>Fett</b>"',
    ]
    md = site_markdown()
    reused = []
    for document in documents:
        md.reset()
        reused.append(md.convert(document))
    assert reused == [convert(document) for document in documents]
    assert reused[1] == "<p>„Neu“ ist Andreas’ Buch. <b>Fett</b>“</p>"
    assert reused[1] == reused[3]


def test_setting_switches_it_off_and_never_twice():
    settings = {"MARKDOWN": {"extensions": []}, "GERMAN_TYPOGRAPHY": True}
    use_typography(settings)
    use_typography(settings)
    extensions = settings["MARKDOWN"]["extensions"]
    assert sum(isinstance(e, TypographyExtension) for e in extensions) == 1
    settings["GERMAN_TYPOGRAPHY"] = False
    use_typography(settings)
    assert not any(
        isinstance(e, TypographyExtension) for e in settings["MARKDOWN"]["extensions"]
    )
    plain = site_markdown(typography=False).convert('Der "Plan" -- geht\'s')
    assert plain == '<p>Der "Plan" -- geht\'s</p>'


def test_built_article_has_german_quotes(tmp_path):
    files = dict(MINIMAL_SITE)
    files["news/2024-04-02-zitate.md"] = """
        Title: Zitate aus der Region: "Wir packen's an" -- 2024
        Date: 2024-04-02
        Category: Fachkräfte
        Summary: Was "die Betriebe" sagen.

        Die Kammer sagt: "*Fachkräfte* sind knapp -- wie geht's weiter?"

        Ein Code-Beispiel: `"wörtlich" -- bleibt`.
        """
    write_files(tmp_path / "content", files)
    result = build_site(tmp_path / "content", tmp_path / "output")
    assert result.ok, result.log
    # The Title header gets the same typography; its slug stays as before.
    soup = result.html("/aktuelles/zitate-aus-der-region-wir-packens-an-2024/")
    title = "Zitate aus der Region: „Wir packen’s an“ – 2024"
    assert soup.h1.get_text(strip=True) == title
    assert soup.title.get_text().startswith(title)
    quote = next(p for p in soup.find_all("p") if "Kammer" in p.get_text())
    assert quote.get_text() == (
        "Die Kammer sagt: „Fachkräfte sind knapp – wie geht’s weiter?“"
    )
    assert quote.find("em").get_text() == "Fachkräfte"
    code = next(c for c in soup.find_all("code") if "wörtlich" in c.get_text())
    assert code.get_text() == '"wörtlich" -- bleibt'
    # The Summary is Markdown too (Pelican's FORMATTED_FIELDS): the news list.
    listing = result.html("/aktuelles/").get_text()
    assert "Was „die Betriebe“ sagen." in listing
