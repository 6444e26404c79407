"""The one loader for editors' YAML data files (partner registry, credits, …).

Editors need line numbers: "content/partners.yml:112: type "kamer" is unknown"
is fixable, "entry 37 is invalid" is not. PyYAML drops the positions once
it builds Python objects, so this loader keeps them: every mapping becomes a
:class:`LineDict` and every list a :class:`LineList` that know the line they
start on (and, for mappings, the line of each key). A syntax error is reported
to the collector with line and column instead of surfacing as a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .collector import report

# The C parser is ~10x faster on large registries and keeps the same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]

    def line_of(self, key: Any) -> int:
        """Line (1-based) of ``key`` in the file, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line it starts on."""

    line: int = 0


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that builds :class:`LineDict` / :class:`LineList`."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicate_keys = []
    yield data  # lets recursive structures resolve, as PyYAML's own does
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                "found a key that is a list or mapping",
                key_node.start_mark,
            ) from None
        line = key_node.start_mark.line + 1
        if key in data:
            # PyYAML keeps the last value silently; an editor should know.
            data.duplicate_keys.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


#: ``load_yaml`` returns this for a file that could not be read or parsed
#: (the problem is already reported), so callers can tell it from an empty one.
class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


FAILED = _Failed()


def load_yaml(path: str | os.PathLike[str]) -> Any:
    """Parse a YAML data file, keeping line numbers; report problems.

    Returns the data (``None`` for an empty file) or :data:`FAILED` when the
    file cannot be read or is not valid YAML; in that case an error with line
    and column has been reported. Duplicate keys inside one mapping are
    reported as errors too (YAML would silently keep the last one).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        report(
            path,
            f"the file is not UTF-8 text (byte {error.start})",
            line=line,
            fix="save the file as UTF-8 in your editor",
        )
        return FAILED
    except OSError as error:
        report(path, f"cannot read the file: {error.strerror}", fix="check the path")
        return FAILED
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = error.problem or error.context or "invalid YAML"
        where = f" (line {line}, column {column})" if mark else ""
        report(
            path,
            f"YAML syntax error{where}: {problem}",
            line=line,
            fix=_syntax_hint(problem),
        )
        return FAILED
    except yaml.YAMLError as error:
        report(path, f"YAML error: {error}", fix="check the file's syntax")
        return FAILED
    _report_duplicate_keys(path, data)
    return data


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return 'put values that contain ": " in quotes, e.g. name: "Netzwerk: Region"'
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "indentation" in problem or "expected <block end>" in problem:
        return "check the indentation: fields of one entry start in the same column"
    return "check quotes, colons and indentation in and just above this line"


def _report_duplicate_keys(path: str | os.PathLike[str], data: Any) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, LineDict):
            for key, line in item.duplicate_keys:
                report(
                    path,
                    f'field "{key}" appears twice in the entry starting at line {item.line}',
                    line=line,
                    fix="keep one of the two lines",
                )
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
