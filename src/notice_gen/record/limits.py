"""Bounds on record files, checked before and right after parsing.

A record is small: its file, nesting, lists and texts are capped (see the README,
"Limits"), nesting is measured by a cheap scan of the text before any parser runs
(deep nesting crashes or stalls the YAML and JSON parsers), and YAML anchors and
aliases are refused (an alias bomb expands 1 KB into gigabytes).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RecordError
from ..i18n import _

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40  # mappings and lists inside one another
MAX_ITEMS = 5_000  # entries of one list or mapping
MAX_TEXT = 100_000  # characters of one value
MAX_NODES = 200_000  # values in one file
TOKENS = re.compile(r"""[\[\]{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|(?:^|\s)#[^\n]*""")
MARKERS = re.compile(r"(?:[-?:](?:\s+|$))*")
PREFIX = "-?:" + "".join(c for c in map(chr, range(0x3001)) if c.isspace())  # [-?:\s]


def _refuse(path: Path, line: int | None, key: str, message: str) -> RecordError:
    return RecordError([Problem(path, line, key, message)])


def is_file(path: Path) -> bool:
    """`path.is_file()`, false for a name the system refuses (too long, a NUL …)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def head(path: str | Path) -> bytes:
    """The regular file at `path`, up to one byte past the size a record may have (a
    larger one is refused where it is parsed), in as few system calls as it allows; b""
    for anything else (a device, a pipe). Raises OSError when it cannot be opened."""
    return head_and_status(path)[0]


def head_and_status(path: str | Path) -> tuple[bytes, os.stat_result]:
    """`head`, and the file's status as it was opened, before it was read."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        status = os.fstat(fd)
        return head_of(fd, status), status
    finally:
        os.close(fd)


def head_of(fd: int, status: os.stat_result) -> bytes:
    """`head` of the file open as `fd` (just opened, its `status`)."""
    if not stat.S_ISREG(status.st_mode):
        return b""
    parts, left = [], MAX_FILE_BYTES + 1
    while left and (part := os.read(fd, min(left, 1 << 16))):
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def check_size(path: Path, size: int) -> None:
    """Refuse a file larger than MAX_FILE_BYTES before reading it."""
    if size > MAX_FILE_BYTES:
        raise _refuse(
            path,
            None,
            "",
            _("the file is {size} KB; a record may have {limit} KB at most").format(
                size=size // 1024, limit=MAX_FILE_BYTES // 1024
            ),
        )


def check_depth(text: str, path: Path, block: bool = True) -> None:
    """Refuse nesting deeper than MAX_DEPTH, measured on the text (brackets, and for YAML
    block indentation and `- ` items on one line), before a parser sees it.

    Most records are shallow at a glance: the open columns of a line lie within its
    indentation and markers, all of them `[-?:\\s]` characters at its start, so there
    are never more than the longest such prefix plus one; flow nesting never passes the
    count of `[` and `{`. When both together stay within the limit, no line is read."""
    brackets = text.count("[") + text.count("{")
    if shallow(text, MAX_DEPTH - brackets):
        return
    lines = text.splitlines()
    widest = max((len(line) - len(line.lstrip(PREFIX)) for line in lines), default=0)
    if widest + 1 + brackets <= MAX_DEPTH:
        return
    columns: list[int] = []
    flow = 0
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        if block and flow == 0 and stripped and not stripped.startswith("#"):
            indent = len(line) - len(stripped)
            markers = MARKERS.match(stripped)
            width = markers.end() if markers else 0
            for column in [indent + m.start() for m in re.finditer(r"[-?:]", stripped[:width])]:
                while columns and columns[-1] >= column:
                    columns.pop()
                columns.append(column)
            content = indent + width
            while columns and columns[-1] >= content:
                columns.pop()
            columns.append(content)
        for token in TOKENS.finditer(line):
            value = token.group()
            if value in "[{":
                flow += 1
            elif value in "]}":
                flow = max(0, flow - 1)
            if len(columns) + flow > MAX_DEPTH:
                raise _refuse(
                    path,
                    number,
                    "",
                    _("nested more than {limit} levels deep; a record is never this deep").format(
                        limit=MAX_DEPTH
                    ),
                )
        if len(columns) > MAX_DEPTH:
            raise _refuse(
                path,
                number,
                "",
                _("nested more than {limit} levels deep; a record is never this deep").format(
                    limit=MAX_DEPTH
                ),
            )


_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines cuts, besides \n, \r


def shallow(text: str, width: int) -> bool:
    """Whether no line of `text` starts with `width` or more `[-?:\\s]` characters (a
    search of the text, not of each line; any line break but \\n and \\r\\n: not known)."""
    if width <= 0 or any(mark in text for mark in _BREAKS):
        return False
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False
    return _indented(width).search("\n" + text) is None


@lru_cache(maxsize=64)
def _indented(width: int) -> re.Pattern[str]:
    """A line break followed by `width` characters of PREFIX that do not end a line."""
    inside = "".join(c for c in PREFIX if c not in _BREAKS + "\r\n")
    return re.compile(f"\n[{re.escape(inside)}]{{{width}}}")


def check_nodes(root: yaml.Node, path: Path) -> None:
    """Refuse aliases (a node reached twice), and too many values, before building."""
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _refuse(
                path,
                node.start_mark.line + 1,
                "",
                _(
                    "YAML anchors and aliases (&name, *name) are not allowed in records; "
                    "write the value out in full"
                ),
            )
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _refuse(
                path,
                node.start_mark.line + 1,
                "",
                _("more than {limit} values in one file").format(limit=MAX_NODES),
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]


def check_tree(data: Any, path: Path, positions: dict[Any, int] | None = None) -> None:
    """Refuse lists and mappings longer than MAX_ITEMS, texts longer than MAX_TEXT, and
    text that is not Unicode (lone surrogates such as JSON's `\\ud800`)."""
    from .load import key_name

    def refuse(key: tuple[str | int, ...], message: str) -> RecordError:
        return _refuse(path, (positions or {}).get(key), key_name(key), message)

    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    count = 0
    while stack:
        key, value = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise refuse(key, _("more than {n} values").format(n=MAX_NODES))
        if isinstance(value, (dict, list)):
            if len(key) > MAX_DEPTH:
                raise refuse(key, _("nested more than {limit} levels deep").format(limit=MAX_DEPTH))
            if len(value) > MAX_ITEMS:
                raise refuse(
                    key,
                    _("{count} entries; a list or mapping may have {limit} at most").format(
                        count=len(value), limit=MAX_ITEMS
                    ),
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for name, item in items:
                if isinstance(name, str):
                    _check_text(name, key, refuse)
                stack.append(((*key, name), item))
        elif isinstance(value, str):
            _check_text(value, key, refuse)


def _check_text(text: str, key: tuple[str | int, ...], refuse: Callable[..., RecordError]) -> None:
    if len(text) > MAX_TEXT:
        raise refuse(
            key,
            _("a text of {count} characters; the limit is {limit}").format(
                count=len(text), limit=MAX_TEXT
            ),
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse(
            key,
            _("holds a broken character (a lone surrogate such as \\ud800); retype the text"),
        ) from None
