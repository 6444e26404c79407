"""incremental: the shortcuts it gives Pelican's objects answer as Pelican would."""

from __future__ import annotations

import pickle

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime

from .plugin import ArticleList, _remember_relative_source_path


def _article(root, name: str) -> Article:
    settings = {**DEFAULT_CONFIG, "PATH": str(root)}
    return Article(
        "<p>Text</p>",
        metadata={"title": name, "date": SafeDatetime(2024, 5, 2)},
        settings=settings,
        source_path=str(root / "news" / f"{name}.md"),
    )


def test_article_list_membership_is_identity_and_follows_changes(tmp_path):
    one, two, three = (_article(tmp_path, n) for n in ("eins", "zwei", "drei"))
    articles = ArticleList([one, two])
    assert one in articles and two in articles and three not in articles
    articles.append(three)
    assert three in articles
    articles.remove(one)
    assert one not in articles
    # An equal-looking but different object is not a member (Pelican's own
    # list compares Content objects by identity, too).
    assert _article(tmp_path, "zwei") not in articles
    copy = pickle.loads(pickle.dumps(articles))
    assert [a.title for a in copy] == ["zwei", "drei"] and copy[0] in copy


def test_remembered_relative_source_path_follows_a_moved_source(tmp_path):
    article = _article(tmp_path, "eins")
    _remember_relative_source_path(article)
    assert article.get_relative_source_path() == "news/eins.md"
    assert article.save_as == "eins.html"
    other = str(tmp_path / "pages" / "x.md")
    assert article.get_relative_source_path(other) == "pages/x.md"
    article.source_path = str(tmp_path / "news" / "2024" / "eins.md")
    assert article.get_relative_source_path() == "news/2024/eins.md"
    assert pickle.loads(pickle.dumps(article)).get_relative_source_path() == (
        "news/2024/eins.md"
    )
