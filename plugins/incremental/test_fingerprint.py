"""incremental: a fingerprint changes exactly when reachable state changes.

Page keys are only as good as these digests: a change the fingerprint
misses serves a stale page, a change it invents re-renders for nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag

from .fingerprint import Fingerprinter


@dataclasses.dataclass(frozen=True)
class Variant:
    width: int
    fmt: str


@dataclasses.dataclass
class Figure:
    alt: str
    variants: list


class Slotted:
    __slots__ = ("name", "unset")

    def __init__(self, name: str) -> None:
        self.name = name


class Mixed(Slotted):
    """``__slots__`` in a base class and a ``__dict__`` in this one."""

    def __init__(self, name: str, extra: object) -> None:
        super().__init__(name)
        self.extra = extra


def _figure(alt: str = "Werkhalle", width: int = 480) -> Figure:
    return Figure(alt, [Variant(width, "webp"), Variant(960, "webp")])


def _article(tmp_path, text: str = "<p>Text</p>", **metadata) -> Article:
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    metadata = {"title": "Messe", "date": dt.datetime(2024, 5, 2), **metadata}
    return Article(
        text,
        metadata=metadata,
        settings=settings,
        source_path=str(tmp_path / "news" / "messe.md"),
    )


def fp(value) -> bytes:
    return Fingerprinter()(value)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("a", "b"),
        (1, 2),
        (1, 1.0),
        (1, "1"),
        (True, 1),
        (None, "None"),
        (b"x", "x"),
        (dt.date(2024, 5, 2), dt.date(2024, 5, 3)),
        (["a", "b"], ["b", "a"]),
        (["ab"], ["a", "b"]),
        ([["a"], "b"], [["a", "b"]]),
        ({"a"}, {"b"}),
        ({"a": 1}, {"a": 2}),
        ({"a": 1}, {"b": 1}),
        ({1: "a"}, {"1": "a"}),
        (_figure(), _figure(alt="Hafen")),
        (_figure(), _figure(width=481)),
        (Variant(480, "webp"), SimpleNamespace(width=480, fmt="webp")),
        (Slotted("a"), Slotted("b")),
        (Mixed("a", [1]), Mixed("a", [2])),
    ],
)
def test_different_state_gives_a_different_fingerprint(one, other):
    assert fp(one) != fp(other)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ["a", 1, None, 2.5, b"x"],
        lambda: {"b": 1, "a": [1, 2]},
        lambda: {2: "x", 1: "y"},
        lambda: {"x", "y", "z"},
        _figure,
        lambda: Slotted("a"),
        lambda: Mixed("a", {"k": _figure()}),
        lambda: Tag("Fachkräfte", DEFAULT_CONFIG),
    ],
)
def test_equal_state_gives_the_same_fingerprint(make):
    assert fp(make()) == fp(make())


def test_a_change_deep_inside_a_shared_object_is_seen(tmp_path):
    article = _article(tmp_path)
    article.hero = _figure()
    before = fp([article])
    article.hero.variants[1] = Variant(961, "webp")
    assert fp([article]) != before
    # One fingerprinter remembers what it digested (one build); a new one
    # sees the change.
    article.hero.variants.append(Variant(1920, "avif"))
    assert fp([article]) != before


def test_memo_and_nesting_do_not_change_the_answer():
    shared = _figure()
    fingerprinter = Fingerprinter()
    first = fingerprinter({"a": shared, "b": [shared]})
    assert fingerprinter({"a": shared, "b": [shared]}) == first
    assert fp({"a": _figure(), "b": [_figure()]}) == first


def test_content_is_fingerprinted_without_settings_but_with_its_html(tmp_path):
    article = _article(tmp_path)
    same = _article(tmp_path)
    same.settings = {**article.settings, "SITENAME": "anders"}
    assert fp(article) == fp(same)
    assert fp(article) != fp(_article(tmp_path, "<p>Anders</p>"))
    assert fp(article) != fp(_article(tmp_path, title="Andere Messe"))


def test_a_cycle_is_cut_and_stays_deterministic():
    one: list = ["eins"]
    two: list = ["zwei", one]
    one.append(two)
    assert fp(one) == fp(one)
    assert fp(one) != fp(two)
    shared = Fingerprinter()
    assert shared(one) == shared(one) == fp(one)
    # Digests cut at a cycle are not remembered: a change is still seen
    # by the same fingerprinter.
    two[0] = "drei"
    assert shared(one) != fp(["eins", ["zwei", None]])
    assert shared(one) == fp(one)


def test_an_object_without_stable_identity_is_new_in_every_build():
    fingerprinter = Fingerprinter()
    value = object()
    assert fingerprinter([value]) != Fingerprinter()([value])
    assert fingerprinter.volatile_types == {"builtins.object"}


def test_a_tag_is_fingerprinted_by_name_and_slug_not_by_lazy_attributes():
    tag = Tag("Fachkräfte", DEFAULT_CONFIG)
    before = fp(tag)
    tag.as_dict()  # fills in lazy attributes
    assert fp(tag) == before
    assert fp(tag) != fp(Tag("Ausbildung", DEFAULT_CONFIG))


class Declared:
    """Names its state itself; ``noise`` is not part of it."""

    def __init__(self, state: str, noise: object) -> None:
        self.state = state
        self.noise = noise

    def __fingerprint__(self) -> str:
        return self.state


def test_an_object_may_declare_its_state_with_fingerprint():
    # ``noise`` would make the object volatile if its attributes were walked.
    one, same = Declared("a", object()), Declared("a", object())
    assert fp(one) == fp(same)
    assert fp(one) != fp(Declared("b", object()))
    assert fp([one]) != fp(["a"])  # not just the bare string
    fingerprinter = Fingerprinter()
    fingerprinter([one])
    assert not fingerprinter.volatile_types
