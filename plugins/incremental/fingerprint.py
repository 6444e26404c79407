"""Fingerprints: short digests of everything an output file depends on.

A page's key is built from the digests of the values its templates can see.
The digest of an object covers its whole reachable state (content objects,
the lists plugins attach to them, partner records, image data …), so a
plugin we have never heard of is covered as long as it keeps its data on
objects or in the context — nothing here knows about particular plugins.
"""

from __future__ import annotations

import contextlib
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

    A type may define ``__fingerprint__()``, returning a value (a string)
    from which everything its objects hold follows, such as the content
    hash of the file an object was made from: its objects are digested by
    that value instead of by their attributes. For objects that are a pure
    function of it only; anything else would let a page go stale.

    Scalars are fed straight into their container's hash (one hash object per
    container, not per value), and how a type is digested is decided once per
    type (``_HOW``), not once per value: a rebuild of 5,000 news items
    fingerprints a quarter of a million objects in every worker, and
    fingerprinting must stay much cheaper than rendering, or a cold build
    pays twice.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}
        self.volatile_types: set[str] = set()

    def __call__(self, value: Any) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value, {})
        return h.digest()

    def remembered(self, value: Any) -> bytes | None:
        """``value``'s digest, computed now or before; None if it was cut.

        Only objects and containers are remembered (and only when no cycle
        was cut below them); a page key fed this digest gets the same bytes
        as one that digests the object itself.
        """
        self(value)
        memo = self._memo.get(id(value))
        return None if memo is None else memo[1]

    def knows(self, value: Any) -> bool:
        """Whether ``value``'s digest is remembered already."""
        return id(value) in self._memo

    def remember(self, value: Any, value_digest: bytes) -> None:
        """Take ``value``'s digest from :meth:`remembered` in another process."""
        self._memo[id(value)] = (value, value_digest)

    def fields(self, pairs: Iterable[tuple[str, Any]]) -> bytes:
        """The digest of ``dict(pairs)``, without building the dict."""
        h = hashlib.blake2b(digest_size=16)
        h.update(b"m{")
        self._fields(h, sorted(pairs, key=_first), {})
        return h.digest()

    def _feed(self, h, value: Any, active: dict[int, Any]) -> bool:
        """Add ``value`` to the hash ``h``; False if a cycle was cut below it."""
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:%b" % (len(data), data))
            return True
        how = _HOW.get(kind)
        if how is None:
            how = _HOW[kind] = _how(kind)
        if how.__class__ is str:  # a scalar
            _SCALAR[how](h, value)
            return True

        key = id(value)
        memo = self._memo.get(key)
        if memo is not None:
            h.update(memo[1])
            return True
        if key in active:
            h.update(b"cycle:" + _identity(value).encode() + b";")
            return False
        active[key] = value
        try:
            inner = hashlib.blake2b(digest_size=16)
            complete = how(self, inner, value, active)
        finally:
            del active[key]
        result = inner.digest()
        if complete:
            self._memo[key] = (value, result)
        h.update(result)
        return complete

    # _sequence and _fields feed a ``str`` value themselves (the bytes of
    # ``_feed``): half of all values are strings, and the call per value was
    # a fifth of digesting a content object.

    def _sequence(self, h, values: Iterable, active: dict) -> bool:
        complete = True
        feed, update = self._feed, h.update
        for item in values:
            if type(item) is str:
                data = item.encode("utf-8", "surrogatepass")
                update(b"s%d:%b," % (len(data), data))
                continue
            complete &= feed(h, item, active)
            update(b",")
        return complete

    def _fields(self, h, items: Iterable[tuple[str, Any]], active: dict) -> bool:
        """Pairs with ``str`` keys, in order: the bytes of ``_mapping``."""
        complete = True
        feed, update = self._feed, h.update
        for k, v in items:
            key = k.encode("utf-8", "surrogatepass")
            if type(v) is str:
                data = v.encode("utf-8", "surrogatepass")
                update(b"s%d:%b=s%d:%b;" % (len(key), key, len(data), data))
                continue
            update(b"s%d:%b=" % (len(key), key))
            complete &= feed(h, v, active)
            update(b";")
        return complete

    def _mapping(self, h, items: Iterable, active: dict) -> bool:
        items = list(items)
        if all(type(k) is str for k, _ in items):
            # The usual case (attributes, metadata): the same bytes as
            # _feed(k) followed by "=", without a call per key.
            items.sort(key=_first)
            return self._fields(h, items, active)
        complete = True
        for k, v in items:
            complete &= self._feed(h, k, active)
            h.update(b"=")
            complete &= self._feed(h, v, active)
            h.update(b";")
        return complete

    # How each kind of compound value is digested (chosen by ``_how``).

    def _list(self, h, value, active: dict) -> bool:
        h.update(b"l[")
        return self._sequence(h, value, active)

    def _set(self, h, value, active: dict) -> bool:
        parts = []
        complete = True
        for item in value:
            part = hashlib.blake2b(digest_size=16)
            complete &= self._feed(part, item, active)
            parts.append(part.digest())
        h.update(b"S[" + b"".join(sorted(parts)))
        return complete

    def _dict(self, h, value, active: dict) -> bool:
        h.update(b"m{")
        return self._mapping(h, value.items(), active)

    def _paginator(self, h, value: Paginator, active: dict) -> bool:
        # Only what a pager shows; the full object list would make every
        # page of a list depend on every item of the list.
        h.update(b"P")
        return self._sequence(
            h,
            (value.name, value.url, value.per_page, value.count, value.num_pages),
            active,
        )

    def _page(self, h, value: PaginationPage, active: dict) -> bool:
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

    def _content(self, h, value: Content, active: dict) -> bool:
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
        attributes.sort(key=_first)
        return self._fields(h, attributes, active)

    def _wrapper(self, h, value: URLWrapper, active: dict) -> bool:
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
        attributes.sort(key=_first)
        return self._fields(h, attributes, active)

    def _declared(self, h, value, active: dict) -> bool:
        """An object that names its state itself (``__fingerprint__``)."""
        h.update(b"F" + _qualname(value).encode() + b":")
        return self._feed(h, value.__fingerprint__(), active)

    def _object(self, h, value, active: dict) -> bool:
        """Any other object: its attributes, else its ``repr``."""
        slots = _SLOTS.get(type(value))
        if slots is None:
            slots = _SLOTS[type(value)] = _slot_names(type(value))
        state = getattr(value, "__dict__", None)
        if state is not None:
            attributes = [(k, v) for k, v in state.items() if k not in SKIP_ATTRIBUTES]
        elif slots:
            attributes = []
        else:
            return self._repr(h, value)
        for slot in slots:
            with contextlib.suppress(AttributeError):  # an empty slot
                attributes.append((slot, getattr(value, slot)))
        h.update(b"o" + _qualname(value).encode())
        if attributes and not all(type(k) is str for k, _ in attributes):
            return self._mapping(h, attributes, active)
        attributes.sort(key=_first)
        return self._fields(h, attributes, active)

    def _repr(self, h, value) -> bool:
        text = repr(value)
        if _ADDRESS.search(text):
            # No stable identity: treat as changed on every build (slower,
            # never stale).
            self.volatile_types.add(_qualname(value))
            h.update(os.urandom(16))
            return True
        h.update(f"r{_qualname(value)}:{text};".encode())
        return True


def held_objects(value: Any) -> list:
    """The objects (not scalars, not containers) ``value``'s attributes hold."""
    state = getattr(value, "__dict__", None)
    if state is None:
        return []
    held = []
    for name, item in state.items():
        if name in SKIP_ATTRIBUTES:
            continue
        how = _HOW.get(type(item))
        if how is None:
            how = _HOW[type(item)] = _how(type(item))
        if how.__class__ is not str and hasattr(item, "__dict__"):
            held.append(item)
    return held


def _first(pair: tuple) -> Any:
    return pair[0]


# How _feed treats a value, decided once per type: scalars by name (fed into
# the container's hash), compound values by the method that digests them.
_SCALAR = {
    "number": lambda h, v: h.update(b"n" + repr(v).encode() + b";"),
    "bytes": lambda h, v: h.update(b"b%d:%b" % (len(v), v)),
    "time": lambda h, v: h.update(
        f"d{v.isoformat()}|{getattr(v, 'tzinfo', None)!r};".encode()
    ),
    "repr": lambda h, v: h.update(f"e{v!r};".encode()),
    # Code is covered by the build's code key; its name is enough.
    "code": lambda h, v: h.update(
        f"f{getattr(v, '__module__', '')}."
        f"{getattr(v, '__qualname__', getattr(v, '__name__', ''))};".encode()
    ),
    "str": lambda h, v: h.update(
        b"s%d:%b" % (len(d := v.encode("utf-8", "surrogatepass")), d)
    ),
}
_HOW: dict[type, Any] = {}
_SLOTS: dict[type, tuple[str, ...]] = {}

_NUMBERS = (bool, int, float, complex)
_CODE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.ModuleType,
    type,
)


def _how(kind: type) -> Any:
    """A scalar's name in ``_SCALAR``, or the method for a compound value."""
    if issubclass(kind, str):
        return "str"
    if kind is type(None) or kind in _NUMBERS:
        return "number"
    if issubclass(kind, bytes | bytearray):
        return "bytes"
    if issubclass(kind, dt.datetime | dt.date | dt.time):
        return "time"
    if issubclass(kind, enum.Enum | Path | dt.timedelta):
        return "repr"
    if issubclass(kind, _CODE):
        return "code"
    if callable(getattr(kind, "__fingerprint__", None)):
        return Fingerprinter._declared
    if issubclass(kind, list | tuple):
        return Fingerprinter._list
    if issubclass(kind, set | frozenset):
        return Fingerprinter._set
    if issubclass(kind, Mapping):
        return Fingerprinter._dict
    if issubclass(kind, Paginator):
        return Fingerprinter._paginator
    if issubclass(kind, PaginationPage):
        return Fingerprinter._page
    if issubclass(kind, Content):
        return Fingerprinter._content
    if issubclass(kind, URLWrapper):
        return Fingerprinter._wrapper
    return Fingerprinter._object


def _slot_names(kind: type) -> tuple[str, ...]:
    names: list[str] = []
    for cls in kind.__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            special = slot in ("__dict__", "__weakref__")
            if isinstance(slot, str) and not special and slot not in names:
                names.append(slot)
    return tuple(names)


def _qualname(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _identity(value: Any) -> str:
    path = getattr(value, "source_path", None)
    return f"{_qualname(value)}:{path}" if isinstance(path, str) else _qualname(value)


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
    exclude: Iterable[str] = (),
    skip_files: Iterable[str] = (),
) -> bytes:
    """Digest of names and bytes of the files below ``root`` (small trees).

    ``include`` matches file names; ``exclude`` names paths relative to
    ``root`` and ``skip_files`` file names that are left out even so.
    """
    patterns, skipped = tuple(include), set(skip_dirs)
    unwanted = tuple(skip_files)
    excluded = {os.path.normpath(p) for p in exclude}
    root = os.fspath(root)
    if os.path.isfile(root):
        return digest("F", Path(root).read_bytes())
    parts: list[bytes | str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skipped)
        for name in sorted(files):
            if any(fnmatch(name, p) for p in patterns) and not any(
                fnmatch(name, p) for p in unwanted
            ):
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, root)
                if relative in excluded:
                    continue
                parts.append(relative)
                try:
                    parts.append(Path(path).read_bytes())
                except OSError:
                    parts.append("unreadable")
    return digest("T", *parts)
