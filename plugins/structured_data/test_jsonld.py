"""Unit tests of the JSON-LD filter: safe inside <script>, identical as JSON."""

import json

from structured_data import absolute_url, to_json_ld


def test_json_ld_cannot_end_its_script_element():
    data = {"headline": "</script><script>alert(1)</script> <!-- & „Zitat“"}
    text = str(to_json_ld(data))
    assert "<" not in text and ">" not in text
    assert json.loads(text) == data


def test_empty_values_are_left_out():
    data = {"name": "A", "image": None, "author": {"name": ""}, "list": [None, "x"]}
    assert json.loads(str(to_json_ld(data))) == {"name": "A", "list": ["x"]}


def test_absolute_urls():
    site = "https://www.example.org"
    assert absolute_url("/aktuelles/x/", site) == f"{site}/aktuelles/x/"
    assert absolute_url("images/a.jpg", site) == f"{site}/images/a.jpg"
    assert absolute_url("", site) == f"{site}/"
    assert absolute_url("https://other.example/", site) == "https://other.example/"
