"""incremental: ``once`` gives a macro's markup again only for the same arguments."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from tests.support import MINIMAL_SITE, project_settings, run_probe, write_files

from . import fragments
from .fragments import once


def test_once_calls_again_only_for_other_arguments():
    calls = []

    def macro(*args, **kwargs):
        calls.append((args, kwargs))
        return f"{args}{sorted(kwargs.items())}"

    fragments.clear()
    article, other = object(), object()
    first = once(macro, article, "h2")
    assert once(macro, article, "h2") == first
    assert len(calls) == 1
    # Another object, another string, a keyword: each its own call.
    assert once(macro, other, "h2") != first
    assert once(macro, article, "h3") != first
    assert once(macro, article, heading="h2") == once(macro, article, heading="h2")
    assert len(calls) == 4
    # Unhashable arguments are never kept: the macro is called each time.
    once(macro, ["a"])
    once(macro, ["a"])
    assert len(calls) == 6
    # After clear() nothing is kept: the next build renders afresh.
    fragments.clear()
    assert once(macro, article, "h2") == first
    assert len(calls) == 7
    fragments.clear()


def test_once_returns_what_the_jinja_macro_renders():
    environment = Environment(
        autoescape=True,
        loader=DictLoader(
            {
                "macros.html": '{% macro card(item, heading="h3") -%}'
                "<{{ heading }}>{{ item.title }}</{{ heading }}>{%- endmacro %}",
                "list.html": '{% from "macros.html" import card %}'
                '{% for item in items %}{{ once(card, item, "h2") }}|'
                "{{ card(item) }};{% endfor %}",
            }
        ),
    )
    environment.globals["once"] = once

    class Item:
        def __init__(self, title):
            self.title = title

    fragments.clear()
    forum = Item("Fachkräfte <Forum>")
    items = [forum, Item("Tech me home"), forum]  # the same item on a list twice
    template = environment.get_template("list.html")
    first = template.render(items=items)
    assert first == (
        "<h2>Fachkräfte &lt;Forum&gt;</h2>|<h3>Fachkräfte &lt;Forum&gt;</h3>;"
        "<h2>Tech me home</h2>|<h3>Tech me home</h3>;"
        "<h2>Fachkräfte &lt;Forum&gt;</h2>|<h3>Fachkräfte &lt;Forum&gt;</h3>;"
    )
    # A second page with the same items gets the same markup from the memo.
    assert template.render(items=items) == first
    fragments.clear()


MEMO_PROBE = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tools.preview import build_once
from incremental import fragments

sizes = []
for _ in range(2):
    problems = build_once(Path({settings!r}), Path({content!r}), Path({output!r}))
    assert not problems, problems
    sizes.append(len(fragments._memo))
print("PROBE", sizes)
"""


def test_a_build_leaves_nothing_in_the_memo(tmp_path):
    """Two builds in one process, as ``invoke livereload`` runs them: the
    teasers one build kept are gone when it ends (memory, not staleness:
    the next build's content objects are other keys)."""
    news = {
        f"news/2024-05-0{day}-meldung-{day}.md": f"""
            Title: Meldung {day}
            Date: 2024-05-0{day}
            Category: Fachkräfte
            Tags: Ausbildung

            Text {day}.
            """
        for day in range(1, 6)
    }
    content = write_files(tmp_path / "content", {**MINIMAL_SITE, **news})
    settings = project_settings(tmp_path, extra="INCREMENTAL_PROCESSES = 1\n")
    sizes = run_probe(
        MEMO_PROBE, settings=settings, content=content, output=tmp_path / "output"
    )
    assert sizes == [0, 0]
    listed = (tmp_path / "output" / "aktuelles" / "index.html").read_text("utf-8")
    assert all(f">Meldung {day}</a>" in listed for day in range(1, 6))
