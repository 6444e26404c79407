"""Unit tests of the schemas, the header parser and the scaffold (no Pelican run)."""

from __future__ import annotations

import datetime as dt

import pytest

from content_schema.header import parse
from content_schema.scaffold import ScaffoldError, create
from content_schema.schema import SCHEMAS, Invalid, fields_of, parse_date
from content_schema.validate import check_body, check_header


def header_of(kind: str, **overrides: str) -> bytes:
    """A header with every field of ``kind`` set to its example value."""
    values = {
        spec.name: spec.example
        for spec in SCHEMAS[kind]
        if spec.name not in ("Template", "Save_as")
    }
    values.update(overrides)
    lines = [f"{name}: {value}" for name, value in values.items() if value is not None]
    return ("\n".join(lines) + "\n\nText.\n").encode()


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_field_of_every_kind_accepts_its_documented_example(kind):
    result = check_header(parse(header_of(kind)), kind, f"content/{kind}/x.md")
    assert result.findings == []
    assert not result.fatal


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_kind_requires_a_title(kind):
    result = check_header(parse(header_of(kind, Title=None)), kind, "x.md")
    assert [f.message for f in result.findings] == ["Title is missing"]
    assert result.fatal


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        ("news", {"Title", "Date", "Category"}),
        ("initiative", {"Title", "Region"}),
        ("campaign", {"Title"}),
        ("page", {"Title"}),
    ],
)
def test_required_fields_per_kind(kind, required):
    assert {f.name for f in SCHEMAS[kind] if f.required} == required


@pytest.mark.parametrize(
    ("kind", "foreign"),
    [
        ("news", "Region"),
        ("initiative", "Date"),
        ("campaign", "Category"),
        ("page", "Featured"),
    ],
)
def test_a_field_of_another_kind_is_unknown(kind, foreign):
    raw = header_of(kind).replace(b"\n\n", f"\n{foreign}: x\n\n".encode(), 1)
    result = check_header(parse(raw), kind, "x.md")
    assert [f.message for f in result.findings] == [f'Unknown field "{foreign}"']


def test_field_names_are_case_insensitive_like_pelicans():
    raw = b"title: A\ndate: 2024-03-12\nCATEGORY: Innovation\n\nText.\n"
    assert check_header(parse(raw), "news", "x.md").findings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-12", dt.datetime(2024, 3, 12)),
        ("2024-3-5", dt.datetime(2024, 3, 5)),
        ("2024-03-12 09:30", dt.datetime(2024, 3, 12, 9, 30)),
        ("2024-02-29", dt.datetime(2024, 2, 29)),
    ],
)
def test_iso_dates_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "fix"),
    [
        (
            "12.03.2024",
            '"12.03.2024" is written the German way',
            "write it as year-month-day: 2024-03-12",
        ),
        (
            "1.3.24",
            '"1.3.24" is written the German way',
            "write it as year-month-day: 2024-03-01",
        ),
        (
            "31.02.2024",
            '"31.02.2024" is not a date (February 2024 has 29 days)',
            "write an existing day as year-month-day, e.g. 2024-02-29",
        ),
        (
            "2023-02-29",
            '"2023-02-29" is not a date (February 2023 has 28 days)',
            "write an existing day as year-month-day, e.g. 2023-02-28",
        ),
        (
            "2024-13-01",
            '"2024-13-01" is not a date (there is no month 13)',
            "write it as year-month-day, e.g. 2024-03-12",
        ),
        (
            "2024-03-12 25:00",
            '"2024-03-12 25:00" has no valid time of day',
            "write the time as HH:MM, e.g. 2024-03-12 09:30",
        ),
        (
            "März 2024",
            '"März 2024" is not a date',
            "write it as year-month-day, e.g. 2024-03-12",
        ),
    ],
)
def test_dates_editors_get_wrong(text, message, fix):
    with pytest.raises(Invalid) as caught:
        parse_date(text)
    assert (caught.value.message, caught.value.fix) == (message, fix)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Website", "https://www.example.org"),
        ("Website", "https://example.org/pfad/?a=1#x"),
        ("Contact_email", "vorname.nachname+news@example-region.de"),
        ("Partners", "allianz-fuer-die-region (koordiniert), ihk-lueneburg-wolfsburg"),
        ("Founded", "2015"),
        ("Logo", "images/logos/x.png"),
    ],
)
def test_initiative_values_that_fit(name, value):
    fields_of("initiative")[name.lower()].check(value)


@pytest.mark.parametrize(
    ("name", "value", "fix"),
    [
        (
            "Website",
            "www.example.org",
            "write the full address, e.g. https://www.example.org",
        ),
        (
            "Website",
            "htps://example.org",
            "write the full address, e.g. https://www.example.org",
        ),
        (
            "Contact_email",
            "mailto:a@example.org",
            "write only the address: a@example.org",
        ),
        ("Contact_email", "a@example", "write it like name@example.org"),
        ("Founded", "seit 2015", "write four digits, e.g. 2015"),
        (
            "Logo",
            "/images/logos/x.png",
            "write the path below content/: images/logos/x.png",
        ),
        (
            "Logo",
            "images/logos/x.pdf",
            "use a file ending in .jpg, .jpeg, .png, .webp, .gif, .svg, .avif",
        ),
    ],
)
def test_initiative_values_that_do_not_fit(name, value, fix):
    with pytest.raises(Invalid) as caught:
        fields_of("initiative")[name.lower()].check(value)
    assert caught.value.fix == fix


def test_header_parser_keeps_line_numbers_through_bom_crlf_comments_and_continuations():
    raw = "\ufeff# a comment\r\nTitle: Ä\r\nSummary: one\r\n    two\r\n# Image: x\r\n\r\nBody\r\n".encode()
    parsed = parse(raw)
    assert [(e.name, e.value, e.line) for e in parsed.entries] == [
        ("Title", "Ä", 2),
        ("Summary", "one two", 3),
    ]
    assert parsed.body_start == 6  # the blank line after the header
    assert parsed.markdown_text() == "Title: Ä\nSummary: one\n    two\n\nBody\n"


def test_a_heading_right_after_the_header_is_not_taken_for_a_comment():
    parsed = parse(b"Title: A\n## Abschnitt\n\nText\n")
    assert "## Abschnitt" in parsed.markdown_text()


def test_body_checks_find_lines_in_the_source(tmp_path):
    raw = b"Title: A\n\nIntro\n\n<iframe src='https://video.example.org'></iframe>\n\n<p onclick=\"x()\">Hi</p>\n"
    parsed = parse(raw)
    html = (
        "<iframe src='https://video.example.org'></iframe>\n<p onclick=\"x()\">Hi</p>"
    )
    findings, _ = check_body(parsed, html, str(tmp_path / "a.md"), str(tmp_path))
    assert [(f.line, f.message) for f in findings] == [
        (
            5,
            "<iframe> is not allowed in content (embedded frames could run code or load other sites)",
        ),
        (7, '<p onclick="…"> runs code, which is not allowed in content'),
    ]


@pytest.mark.parametrize("kind", ["news", "initiative", "campaign", "page"])
def test_scaffold_explains_every_field_and_validates(kind, tmp_path):
    path = create(kind, "Größe & Maß: „Übersicht“", tmp_path, today=dt.date(2026, 5, 4))
    text = path.read_text("utf-8")
    for spec in SCHEMAS[kind]:
        if spec.name not in ("Template", "Save_as", "Aliases") or kind == "page":
            assert f"# {spec.name} – " in text
    parsed = parse(path.read_bytes())
    assert check_header(parsed, kind, str(path)).findings == []
    expected = (
        "2026-05-04-groesse-mass-uebersicht.md"
        if kind == "news"
        else "groesse-mass-uebersicht.md"
    )
    assert path.name == expected


def test_scaffold_refuses_an_unknown_category_and_an_existing_file(tmp_path):
    with pytest.raises(ScaffoldError, match='Category "Sport" is not allowed'):
        create("news", "A", tmp_path, values={"Category": "Sport"})
    create("campaign", "Tech me home", tmp_path)
    with pytest.raises(ScaffoldError, match="exists already"):
        create("campaign", "Tech me home", tmp_path)


def test_the_editors_guide_lists_every_field_of_the_schema():
    from pathlib import Path

    from content_schema.docs import german_tables, readme_tables

    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert readme_tables(readme) == german_tables(), "run: invoke schema-docs"
    for kind, fields in SCHEMAS.items():
        for spec in fields:
            assert f"| `{spec.name}` |" in german_tables(), (kind, spec.name)


def test_script_shown_as_code_is_text_not_a_script(tmp_path):
    import markdown

    raw = (
        b"Title: A\n\n```\n<script>alert(1)</script>\n```\n\nSo: `javascript:void(0)`\n"
    )
    parsed = parse(raw)
    html = markdown.markdown(parsed.markdown_text(), extensions=["meta", "fenced_code"])
    findings, _ = check_body(parsed, html, str(tmp_path / "a.md"), str(tmp_path))
    assert findings == []
