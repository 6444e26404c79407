"""Fingerprints: short digests of everything an output file depends on.

A page's key is built from the digests of the values its templates can see.
The digest of an object covers its whole reachable state (content objects,
the lists plugins attach to them, partner records, image data …), so a
plugin we have never heard of is covered as long as it keeps its data on
objects or in the context — nothing here knows about particular plugins.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import os
import re
import types
from collections.abc import Iterable, Mapping
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page as PaginationPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

#: Attributes never hashed: the shared settings (hashed once per build) and
#: the whole-site context each content object carries (a back reference).
SKIP_ATTRIBUTES = frozenset({"settings", "_context", "context"})

#: URLWrapper attributes Pelican sets lazily (hashed as name and slug).
_WRAPPER_LAZY = frozenset({"_name", "_slug", "name", "slug"})

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(
            part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        )
        h.update(b"\x00")
    return h.digest()


class Fingerprinter:
    """Digests of arbitrary values, memoized for one build.

    Memo entries keep a reference to the object, so an id is never reused by
    a different object while the fingerprinter lives (one build). Objects in
    a reference cycle are cut with a token at the back edge; digests computed
    below such a cut are not memoized, because they would be incomplete when
    reached from elsewhere.

    Scalars are fed straight into their container's hash (one hash object per
    container, not per value): fingerprinting must stay much cheaper than
    rendering, or a cold build pays twice.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}
        self.volatile_types: set[str] = set()

    def __call__(self, value: Any) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value, {})
        return h.digest()

    def _feed(self, h, value: Any, active: dict[int, str]) -> bool:
        """Add ``value`` to the hash ``h``; False if a cycle was cut below it."""
        kind = type(value)
        category = _CATEGORIES.get(kind)
        if category is None:
            category = _CATEGORIES[kind] = _category(kind)
        if category is _STR:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
            return True
        if category is _NUMBER:
            h.update(b"n" + repr(value).encode() + b";")
            return True
        if category is _BYTES:
            h.update(b"b%d:" % len(value))
            h.update(value)
            return True
        if category is _TIME:
            tz = getattr(value, "tzinfo", None)
            h.update(f"d{value.isoformat()}|{tz!r};".encode())
            return True
        if category is _REPR:
            h.update(f"e{value!r};".encode())
            return True
        if category is _CODE_NAME:
            # Code is covered by the build's code key; its name is enough.
            name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
            h.update(f"f{getattr(value, '__module__', '')}.{name};".encode())
            return True

        key = id(value)
        memo = self._memo.get(key)
        if memo is not None:
            h.update(memo[1])
            return True
        if key in active:
            h.update(b"cycle:" + active[key].encode() + b";")
            return False
        active[key] = _identity(value)
        try:
            inner = hashlib.blake2b(digest_size=16)
            complete = self._compound(inner, value, active)
        finally:
            del active[key]
        result = inner.digest()
        if complete:
            self._memo[key] = (value, result)
        h.update(result)
        return complete

    def _sequence(self, h, values: Iterable, active: dict) -> bool:
        complete = True
        for item in values:
            complete &= self._feed(h, item, active)
            h.update(b",")
        return complete

    def _compound(self, h, value: Any, active: dict) -> bool:
        if isinstance(value, list | tuple):
            h.update(b"l[")
            return self._sequence(h, value, active)
        if isinstance(value, set | frozenset):
            parts = []
            complete = True
            for item in value:
                part = hashlib.blake2b(digest_size=16)
                complete &= self._feed(part, item, active)
                parts.append(part.digest())
            h.update(b"S[" + b"".join(sorted(parts)))
            return complete
        if isinstance(value, Mapping):
            h.update(b"m{")
            return self._mapping(h, value.items(), active)
        if isinstance(value, Paginator):
            # Only what a pager shows; the full object list would make every
            # page of a list depend on every item of the list.
            h.update(b"P")
            return self._sequence(
                h,
                (value.name, value.url, value.per_page, value.count, value.num_pages),
                active,
            )
        if isinstance(value, PaginationPage):
            h.update(b"p")
            self._sequence(
                h,
                (
                    value.name,
                    value.url,
                    value.save_as,
                    value.number,
                    value.paginator.num_pages,
                    value.paginator.count,
                ),
                active,
            )
            return self._sequence(h, value.object_list, active)
        if isinstance(value, Content):
            h.update(b"c" + _qualname(value).encode())
            attributes = [
                (k, v) for k, v in vars(value).items() if k not in SKIP_ATTRIBUTES
            ]
            # The rendered HTML resolves {filename} links to the targets'
            # current URLs, so it is part of the state even when the source
            # is unchanged. (URLs follow from attributes and settings.)
            for name in ("content", "summary"):
                try:
                    attributes.append(("@" + name, getattr(value, name)))
                except Exception:  # a broken link shows up when rendering
                    attributes.append(("@" + name, None))
            return self._mapping(h, attributes, active)
        if isinstance(value, URLWrapper):
            # Name and slug as values: Pelican fills in ``_slug`` and, in
            # ``as_dict()``, ``name``/``slug`` lazily, and one category object
            # is shared by many articles, so the attributes depend on what
            # asked for a URL first, not on the input.
            h.update(b"u" + _qualname(value).encode())
            attributes = [
                (k, v)
                for k, v in vars(value).items()
                if k not in SKIP_ATTRIBUTES and k not in _WRAPPER_LAZY
            ]
            try:
                slug = value.slug
            except AttributeError:  # no settings attached (a detached copy)
                slug = value._slug
            attributes += [("@name", value.name), ("@slug", slug)]
            return self._mapping(h, attributes, active)
        state = _state_of(value)
        if state is not None:
            h.update(b"o" + _qualname(value).encode())
            return self._mapping(h, state.items(), active)
        text = repr(value)
        if _ADDRESS.search(text):
            # No stable identity: treat as changed on every build (slower,
            # never stale).
            self.volatile_types.add(_qualname(value))
            h.update(os.urandom(16))
            return True
        h.update(f"r{_qualname(value)}:{text};".encode())
        return True

    def _mapping(self, h, items: Iterable, active: dict) -> bool:
        items = list(items)
        complete = True
        if all(type(k) is str for k, _ in items):
            items.sort(key=lambda pair: pair[0])
            # The usual case (attributes, metadata): the same bytes as
            # _feed(k) followed by "=", without a call per key.
            feed, update = self._feed, h.update
            for k, v in items:
                data = k.encode("utf-8", "surrogatepass")
                update(b"s%d:%b=" % (len(data), data))
                complete &= feed(h, v, active)
                update(b";")
            return complete
        for k, v in items:
            complete &= self._feed(h, k, active)
            h.update(b"=")
            complete &= self._feed(h, v, active)
            h.update(b";")
        return complete


_NUMBERS = (bool, int, float, complex)

# How _feed treats a value, decided once per type: a dict lookup instead of
# a chain of isinstance checks for each of the millions of values a large
# site's keys reach.
_STR, _NUMBER, _BYTES, _TIME, _REPR, _CODE_NAME, _COMPOUND = (
    "str",
    "number",
    "bytes",
    "time",
    "repr",
    "code",
    "compound",
)
_CATEGORIES: dict[type, str] = {}


def _category(kind: type) -> str:
    if issubclass(kind, str):
        return _STR
    if kind is type(None) or kind in _NUMBERS:
        return _NUMBER
    if issubclass(kind, bytes | bytearray):
        return _BYTES
    if issubclass(kind, dt.datetime | dt.date | dt.time):
        return _TIME
    if issubclass(kind, enum.Enum | Path | dt.timedelta):
        return _REPR
    if issubclass(kind, _CODE):
        return _CODE_NAME
    return _COMPOUND


_CODE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.ModuleType,
    type,
)


def _qualname(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _identity(value: Any) -> str:
    path = getattr(value, "source_path", None)
    return f"{_qualname(value)}:{path}" if isinstance(path, str) else _qualname(value)


def _state_of(value: Any) -> dict | None:
    """An object's attributes (``__dict__`` and ``__slots__``), if it has any."""
    state: dict = {}
    has_state = False
    if hasattr(value, "__dict__"):
        state.update((k, v) for k, v in vars(value).items() if k not in SKIP_ATTRIBUTES)
        has_state = True
    for cls in type(value).__mro__:
        for slot in getattr(cls, "__slots__", ()) or ():
            if isinstance(slot, str) and hasattr(value, slot):
                state[slot] = getattr(value, slot)
                has_state = True
    return state if has_state else None


# --- files -------------------------------------------------------------------


def stamp_tree(root: str | os.PathLike, include: Iterable[str] = ("*",)) -> bytes:
    """Digest of names, sizes and modification times below ``root``.

    Cheap (one stat per file), used to notice that nothing changed at all.
    """
    patterns = tuple(include)
    entries: list[str] = []
    root = os.fspath(root)
    if os.path.isfile(root):
        st = os.stat(root)
        return digest("f", root, str(st.st_size), str(st.st_mtime_ns))
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not any(fnmatch(name, p) for p in patterns):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            entries.append(
                f"{os.path.relpath(path, root)}\t{st.st_size}\t{st.st_mtime_ns}"
            )
    return digest("t", root, *entries)


def hash_tree(
    root: str | os.PathLike,
    include: Iterable[str] = ("*",),
    skip_dirs: Iterable[str] = ("__pycache__", ".git", "node_modules"),
) -> bytes:
    """Digest of names and bytes of the files below ``root`` (small trees)."""
    patterns, skipped = tuple(include), set(skip_dirs)
    root = os.fspath(root)
    if os.path.isfile(root):
        return digest("F", Path(root).read_bytes())
    parts: list[bytes | str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skipped)
        for name in sorted(files):
            if any(fnmatch(name, p) for p in patterns):
                path = os.path.join(folder, name)
                parts.append(os.path.relpath(path, root))
                try:
                    parts.append(Path(path).read_bytes())
                except OSError:
                    parts.append("unreadable")
    return digest("T", *parts)
