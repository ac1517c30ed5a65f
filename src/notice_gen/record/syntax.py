"""YAML syntax errors told the way a clerk can act on them.

The parser's own words (`while scanning a plain scalar found a tab character …`) become:
the line as written with a caret under the place, the likely cause (a tab, the
indentation, a quote inside quotes, `: ` inside a value, `#` starting a comment, a
bracket or quote left open) and the line written so that it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from ..i18n import _

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#\"'{}\[\],-][^:#\"'{}\[\]]*?):(?:\s+(.*?))?\s*$")
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][\w.]*):(?=[^\s/])")
_WORD = re.compile(r"[A-Za-z_][\w.]*")
_QUOTED = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s:#"'][^:#"']*:\s+)?)(["'])(.*)\2\s*$""")


@dataclass(frozen=True)
class _Cause:
    line: int  # 0-based
    column: int
    why: str
    fixed: str = ""


def explain(exc: yaml.MarkedYAMLError, text: str, path: Path) -> Problem:
    """The problem a YAML syntax error is, in the user's language, with the fixed line."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        detail = " ".join(s for s in (exc.context, exc.problem) if s)
        return Problem(path, None, "", _("not valid YAML: {detail}").format(detail=detail))
    cause = _cause(exc, lines, mark.line, mark.column)
    source = lines[cause.line] if cause.line < len(lines) else ""
    shown, column = _window(source.replace("\t", "→"), cause.column)
    caret = " " * column + "^"
    message = _("not valid YAML: {cause}").format(cause=cause.why)
    message += f"\n    {shown}\n    {caret}"
    if cause.fixed:
        message += "\n  " + _("write it so:") + "\n    " + cause.fixed.replace("\t", "→")
    return Problem(path, cause.line + 1, _key_path(lines, cause.line), message)


def _cause(exc: yaml.MarkedYAMLError, lines: list[str], at: int, column: int) -> _Cause:
    problem = f"{exc.context or ''} {exc.problem or ''}"
    context = exc.context_mark.line if exc.context_mark else at
    near = sorted({at, context, max(at - 1, 0)}, key=lambda n: (n != at, -n))
    line = lines[at] if at < len(lines) else ""
    for n in near:
        if n < len(lines) and "\t" in lines[n][: len(lines[n]) - len(lines[n].lstrip())]:
            fixed = " " * _indent_for(lines, n) + lines[n].lstrip()
            why = _("a tab character; YAML indents with spaces only")
            return _Cause(n, lines[n].index("\t"), why, fixed)
    if "tab" in problem:
        return _Cause(at, column, _("a tab character; YAML indents with spaces only"))
    for n in near:
        found = _QUOTED.match(lines[n]) if n < len(lines) else None
        if found and found.group(2) in found.group(3):
            inner = found.group(3)
            fixed = found.group(1) + (
                "'" + inner.replace("'", "''") + "'"
                if found.group(2) == '"'
                else '"' + inner.replace('"', '\\"') + '"'
            )
            why = _(
                "a quote inside quotes ends the text early; put the text in the other kind "
                "of quotes, or use “ ”"
            )
            return _Cause(n, lines[n].index(found.group(2)), why, fixed)
    if "quoted scalar" in problem and "end of stream" in problem:
        start = exc.context_mark.line if exc.context_mark else at
        why = _("a quote is opened and never closed")
        col = exc.context_mark.column if exc.context_mark else 0
        return _Cause(start, col, why, lines[start].rstrip() + lines[start][col])
    if "flow" in problem and exc.context_mark is not None:
        start = exc.context_mark.line
        if " #" in lines[start]:
            why = _("a # after a space starts a comment and hides the rest of the line")
            hash_at = lines[start].index(" #") + 1
            return _Cause(start, hash_at, why, _quote_item(lines[start], hash_at))
        for n in range(start, max(start - 50, -1), -1):
            line = lines[n]
            for opened, close in (("[", "]"), ("{", "}")):
                if line.count(opened) > line.count(close):
                    why = _("a {open} is opened and not closed on its line").format(open=opened)
                    col = line.rindex(opened)
                    fixed = line[:col].rstrip() if not line[col + 1 :].strip() else line + close
                    return _Cause(n, col, why, fixed)
    for n in near:
        found = _NO_SPACE.match(lines[n]) if n < len(lines) else None
        if found:
            why = _("a space is needed after the colon of a key")
            fixed = found.group(1) + ": " + lines[n][found.end() :]
            return _Cause(n, found.end(), why, fixed)
    if "mapping values are not allowed" in problem:
        found = _KEY_LINE.match(line)
        if (
            found
            and _WORD.fullmatch(found.group(2))
            and found.group(3)
            and ": " in f"{found.group(3)} "
            and found.group(3)[0] not in "\"'"
        ):
            why = _("': ' inside a value is read as a new key; put the value in quotes")
            if column >= len(line.rstrip()) - 1:
                why = _(
                    "a ':' ending the line of a value is read as a new key; put the value in quotes"
                )
            fixed = found.group(1) + found.group(2) + ": " + _quoted(found.group(3))
            return _Cause(at, column, why, fixed)
        plain = re.match(r"^(\s*-\s+)([^\"'].*?)\s*$", line)
        if plain and ":" in plain.group(2):
            why = _("': ' inside a value is read as a new key; put the value in quotes")
            return _Cause(at, column, why, plain.group(1) + _quoted(plain.group(2)))
    if re.search(r"expected key|block end|expected '-'|not allowed|expected <", problem):
        fixed = " " * _indent_for(lines, at) + line.lstrip()
        why = _("the indentation does not match the lines above; line up keys of the same level")
        if fixed != line:
            return _Cause(at, len(line) - len(line.lstrip()), why, fixed)
        return _Cause(at, column, why)
    detail = " ".join(s for s in (exc.context, exc.problem) if s)
    return _Cause(at, column, detail)


_WIDTH = 100  # the characters of a line shown around the caret


def _window(line: str, column: int) -> tuple[str, int]:
    """A long `line` cut around `column` (with `…` where cut), and the caret's column."""
    column = min(column, len(line))
    if len(line) <= _WIDTH:
        return line, column
    start = max(0, min(column - _WIDTH * 3 // 4, len(line) - _WIDTH))
    shown = ("…" if start else "") + line[start : start + _WIDTH]
    shown += "…" if start + _WIDTH < len(line) else ""
    return shown, column - start + (1 if start else 0)


def _key_path(lines: list[str], n: int) -> str:
    """The key path of line `n` (`meeting.start`, `conclusions[2]`), read from the
    indentation of the lines above it; "" when it cannot be told."""
    line = lines[n].expandtabs(2) if n < len(lines) else ""
    parts = [name] if (name := _key_of(line)) else []
    indent, item, items = _depth(line), _ITEM.match(line) is not None, 0
    for above in (a.expandtabs(2) for a in reversed(lines[:n])):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        depth, is_item = _depth(above), _ITEM.match(above) is not None
        if item and depth == indent and is_item:
            items += 1
        elif not item and is_item and depth + 2 == indent:
            indent, item, items = depth, True, 0  # a sibling key of the same list item
        elif depth < indent:
            name = _key_of(above)
            if not name:
                return ""
            if not above.rstrip().endswith(":"):
                indent = depth  # a key with its value: the line meant its level
                continue
            parts.insert(0, f"{name}[{items}]" if item else name)
            indent, item, items = depth, is_item, 0
    return ".".join(parts)


_ITEM = re.compile(r"\s*-(?:\s|$)")


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip())


def _key_of(line: str) -> str:
    """The key a line starts with, if it is a word."""
    found = _KEY_LINE.match(line)
    return found.group(2).strip() if found and _WORD.fullmatch(found.group(2).strip()) else ""


def _indent_for(lines: list[str], n: int) -> int:
    """The indentation line `n` most likely meant: the closest one used above it (on a
    tie, the line right above's, else the deeper), deeper than a line ending with `:`
    right above."""
    above = [line for line in lines[:n] if line.strip() and not line.lstrip().startswith("#")]
    if not above:
        return 0
    last = above[-1].expandtabs(2)
    last_indent = len(last) - len(last.lstrip())
    if last.rstrip().endswith(":"):
        return last_indent + 2
    own = lines[n].expandtabs(2)
    indent = len(own) - len(own.lstrip())
    used = {len(a.expandtabs(2)) - len(a.expandtabs(2).lstrip()) for a in above}
    return min(used, key=lambda u: (abs(u - indent), u != last_indent, -u))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_item(line: str, at: int) -> str:
    """`line` with the list or mapping item around column `at` put in quotes."""
    start = max(line.rfind(c, 0, at) for c in "[,{:") + 1
    ends = [i for i in (line.find(c, at) for c in ",]}") if i >= 0]
    end = min(ends) if ends else len(line)
    space = " " if start and line[start - 1] in ",:" else ""
    return line[:start] + space + _quoted(line[start:end].strip()) + line[end:]
