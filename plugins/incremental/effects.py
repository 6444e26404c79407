"""Reader calls: what Markdown extensions ask other plugins while converting.

Some extensions consult state outside the file being read (image_credits
looks up the photo and its credit, partners renders an initiative's partner
list) and some record side effects there (usages for the Bildnachweis,
problems to report). A cached read would miss both. A plugin marks such a
callback with :func:`reader_call`; while a file is read, every top-level call
is recorded with its arguments and a fingerprint of its result. On a cache
hit the calls are made again, in order: their side effects happen as in an
uncached build, and if any result differs (a replaced photo, an edited
registry entry) the cache entry is not used and the file is read again.

Recorded functions must tolerate being called again with the same arguments.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from typing import Any

from .fingerprint import Fingerprinter

_functions: dict[str, Callable] = {}
_recording: list | None = None
_depth = 0


def reader_call(function: Callable) -> Callable:
    """Decorator: record calls made while a file is read (see module doc)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _functions[name] = function

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _depth
        _depth += 1
        try:
            result = function(*args, **kwargs)
        finally:
            _depth -= 1
        if _recording is not None and _depth == 0:
            _recording.append((name, args, kwargs, Fingerprinter()(result)))
        return result

    return wrapper


def start() -> None:
    global _recording
    _recording = []


def stop() -> tuple:
    """The calls recorded since :func:`start`; raises if they cannot be stored."""
    global _recording
    calls, _recording = tuple(_recording or ()), None
    pickle.dumps(calls)
    return calls


def replay(calls: tuple) -> bool:
    """Make the recorded calls again; True if every result is unchanged."""
    global _recording
    saved, _recording = _recording, None
    try:
        for name, args, kwargs, expected in calls:
            function = _functions.get(name)
            if function is None:
                return False
            if Fingerprinter()(function(*args, **kwargs)) != expected:
                return False
        return True
    except Exception:
        return False
    finally:
        _recording = saved
