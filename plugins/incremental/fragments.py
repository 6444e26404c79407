"""``once`` in templates: a macro's output, rendered once per build and process.

Every news item is a teaser on about four list pages (the news list, its
topic, two tags): at 5,000 news items 20,000 calls of the same macro with
the same arguments, each building the same ``<picture>`` with its
``srcset``s again. ``{{ once(news_teaser, article, "h2") }}`` renders a
teaser the first time and returns the same markup for the other three.

Correct only for a macro whose output depends on nothing but its arguments
and the template globals, which is what a macro imported without context
(``{% from "macros/…" import news_teaser %}``) can see; and for arguments
that do not change while pages are rendered (content objects, strings).
Arguments are compared as dictionary keys: content objects by identity,
strings by value; with an unhashable argument the macro is simply called.

The memo is emptied at the start of rendering and when the build ends, so
an autoreload build in the same process never sees the last one's output.
Forked render workers start with what the parent had then and fill their
own copy.
"""

from __future__ import annotations

from typing import Any

_memo: dict[tuple, Any] = {}


def once(macro, *args: Any, **kwargs: Any) -> Any:
    """``macro(*args, **kwargs)``, kept from the first such call of this build."""
    key = (macro, args, tuple(sorted(kwargs.items())) if kwargs else ())
    try:
        return _memo[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable argument: not kept
        return macro(*args, **kwargs)
    result = _memo[key] = macro(*args, **kwargs)
    return result


def clear() -> None:
    """Forget every kept output (start and end of a build's rendering)."""
    _memo.clear()
