"""Stage 1, load: read a record file (YAML, JSON or TOML) and its `extends` chain.

Every scalar is read as text: the record model, not the file format, decides what
is a number or a date, so `14:00`, `2.10`, `05` and `no` keep their wording.
Each value's position is kept to name the file and line in error messages.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RecordError
from ..i18n import _
from . import limits

KeyPath = tuple[str | int, ...]
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


@dataclass(frozen=True)
class Written:
    """A value YAML split into keys, and how the clerk wrote it.

    For a one-key mapping made of a line of text (`- UBND các huyện: Ba Tri`), `text` is
    that line. For a key inside `{ }` after the first, `text` is the previous key's value
    through this key (`Tỉnh ủy viên, Phó Trưởng Ban`), `previous` names that key and
    `fixed` is the source line with that value in quotes.
    """

    text: str
    line: int
    previous: str = ""
    fixed: str = ""
    bare: bool = True  # the key has no value of its own (no `: ` after it)


@dataclass
class Source:
    """A record's merged tree, with the file and line each value came from."""

    path: Path
    data: dict[str, Any]
    positions: dict[KeyPath, tuple[Path, int]] = field(default_factory=dict)
    written: dict[KeyPath, Written] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # a tree made by `overlay`: the base and the keys over it, so that the base is
    # validated once for all the records made over it (a sheet's rows over `--base`)
    layers: tuple[Source, Source] | None = field(default=None, compare=False, repr=False)

    def locate(self, key: KeyPath) -> tuple[Path, int | None]:
        """The file and line of `key`, or of its nearest ancestor that has one."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.positions:
                return self.positions[key[:end]]
        return self.path, None

    def problem(self, key: KeyPath, message: str) -> Problem:
        file, line = self.locate(key)
        return Problem(file, line, key_name(key), message)


def key_name(key: KeyPath) -> str:
    """`('conclusions', 2, 'text')` -> `conclusions[2].text`."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load(path: Path, raw: bytes | None = None) -> Source:
    """Read `path` (`raw`: its bytes, read already) and merge the organisation files it
    extends. The result may share its mappings with the cache of `read`: do not modify
    them."""
    return _load(Path(path), (), raw)


def _load(path: Path, chain: tuple[Path, ...], raw: bytes | None = None) -> Source:
    cached = read(path, raw)
    if "extends" not in cached.data:  # the common case: nothing to merge, nothing to copy
        return Source(cached.path, cached.data, cached.positions, cached.written, cached.warnings)
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise RecordError(
            [
                Problem(
                    path,
                    None,
                    "extends",
                    _("extends itself in a cycle: {cycle}").format(cycle=cycle),
                )
            ]
        )
    source = Source(
        cached.path,
        dict(cached.data),
        dict(cached.positions),
        dict(cached.written),
        list(cached.warnings),
    )
    parent = source.data.pop("extends", None)
    if parent is None:
        return source
    if not isinstance(parent, str) or not parent.strip():
        raise RecordError([source.problem(("extends",), _("expected the path of a record file"))])
    base_path = path.parent / parent.strip()
    if not limits.is_file(base_path):
        raise RecordError(
            [source.problem(("extends",), _("no such file: {path}").format(path=base_path))]
        )
    base = _load(base_path, (*chain, resolved))
    source.positions.pop(("extends",), None)
    return merge(base, source)


def merge(base: Source, over: Source) -> Source:
    """Mappings merge key by key, everything else (lists too) is replaced."""

    def combine(a: Any, b: Any) -> Any:
        if isinstance(a, dict) and isinstance(b, dict):
            return {**a, **{k: combine(a[k], v) if k in a else v for k, v in b.items()}}
        return b

    def leaves(node: Any, key: KeyPath) -> Iterator[KeyPath]:
        for name, value in node.items():
            yield from leaves(value, (*key, name)) if isinstance(value, dict) else [(*key, name)]

    replaced = set(leaves(over.data, ()))
    tops = over.data.keys()  # a key under no top key of `over` is never replaced

    def kept(k: KeyPath) -> bool:
        return not any(k[:n] in replaced for n in range(len(k)))

    positions = {k: v for k, v in base.positions.items() if not k or k[0] not in tops or kept(k)}
    positions.update(over.positions)
    written = {k: v for k, v in base.written.items() if not k or k[0] not in tops or kept(k)}
    written.update(over.written)
    return Source(
        over.path,
        combine(base.data, over.data),
        positions,
        written,
        base.warnings + over.warnings,
    )


def overlay(base: Source, over: Source) -> Source:
    """`merge(base, over)`, remembering both: `validate` then checks the base once and,
    for each tree made over it, what `over` changes."""
    merged = merge(base, over)
    merged.layers = (base, over)
    return merged


def select_kind(source: Source, kind: str | None, kinds: tuple[str, ...]) -> Source:
    """The tree for one kind of document: a meeting record may hold a block per kind
    (`giay-moi: {number: 3, subject: …}`) whose keys win when that kind is rendered."""
    chosen = kind or source.data.get("kind")
    data = {k: v for k, v in source.data.items() if k not in kinds}
    if kind:
        data["kind"] = kind
    block = source.data.get(chosen) if isinstance(chosen, str) and chosen in kinds else None
    same = not kind and len(data) == len(source.data)  # the tree as it was
    layers = source.layers if same and not isinstance(block, dict) else None
    base = Source(source.path, data, source.positions, source.written, source.warnings, layers)
    if not isinstance(block, dict):
        return base
    n = 1
    positions = {k[n:]: v for k, v in source.positions.items() if k[:n] == (chosen,) and k[n:]}
    written = {k[n:]: v for k, v in source.written.items() if k[:n] == (chosen,) and k[n:]}
    return merge(base, Source(source.path, block, positions, written))


def read(path: Path, raw: bytes | None = None) -> Source:
    """Parse one file, without following `extends`; a recently read, unchanged file
    (an organisation file shared by a batch) is not parsed again. `raw`: the file's
    bytes, read already (parsed, not kept). Do not modify the result."""
    if raw is not None and len(raw) <= limits.MAX_FILE_BYTES:  # else it says the file's size
        return _parse(path, len(raw), raw)
    try:
        stat = path.stat()
    except OSError:
        return _read(path, 0, 0)
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read(path: Path, mtime: int, size: int) -> Source:
    return _parse(path, size)


def _parse(path: Path, size: int, raw: bytes | None = None) -> Source:
    """The tree of the file `path` of `size` bytes (`raw`: those bytes, else read here)."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(SUFFIXES)
        raise RecordError(
            [
                Problem(
                    path, None, "", _("unknown file type; use one of {known}").format(known=known)
                )
            ]
        )
    limits.check_size(path, size)
    try:
        text = _text(path.read_bytes() if raw is None else raw)
    except UnicodeDecodeError as exc:
        message = _(
            "not UTF-8 text ({reason}); if it was typed with TCVN3 (.VnTime) or VNI fonts, "
            "`notice-gen convert {path}` turns it into Unicode"
        )
        raise RecordError(
            [Problem(path, None, "", message.format(reason=exc.reason, path=path.name))]
        ) from None
    except OSError as exc:
        raise RecordError(
            [Problem(path, None, "", _("cannot read: {reason}").format(reason=exc.strerror))]
        ) from None
    limits.check_depth(text, path, block=kind == "yaml")
    if kind == "yaml":
        data, builder = _yaml(text, path)
        positions, written, warnings = builder.positions, builder.written, builder.warnings
    else:
        data, lines = {"json": _json, "toml": _toml}[kind](text, path)
        limits.check_tree(data, path, lines)
        positions, written, warnings = {k: (path, n) for k, n in lines.items()}, {}, []
    if not isinstance(data, dict):
        raise RecordError(
            [Problem(path, 1, "", _("expected a mapping of keys (kind:, profile:, …)"))]
        )
    return Source(path, data, positions, written, warnings)


def _text(raw: bytes) -> str:
    """A file's text, as `path.read_text(encoding="utf-8-sig")` reads it (a BOM dropped,
    `\\r\\n` and `\\r` read as `\\n`), in fewer steps."""
    if codecs.BOM_UTF8.startswith(raw):  # empty, or a BOM cut short: nothing, as there
        return ""
    text = (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A YAML loader (libyaml's parser where installed) that resolves plain scalars
    to text, except null."""

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag of a node without one: null for a plain `~`, `null`, `Null`, `NULL`
        or nothing (what YAML's null resolver matches), text for any other scalar."""
        if kind is yaml.ScalarNode:
            return _NULL if implicit[0] and value in _NULLS else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing: no path resolvers (`resolve` needs no path), no call into them."""

    def ascend_resolver(self) -> None:
        """Nothing, as `descend_resolver`."""


_NULL, _STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_ITEM = re.compile(r"\s*[-–+•]\s")
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")  # `&name`; `&` before a space or an end is text


def _yaml(text: str, path: Path) -> tuple[Any, _Builder]:
    """The tree of a YAML record and its builder (positions, written, warnings), bounded
    as `limits` says: aliases and the count of values before building, and the sizes
    of lists, mappings and texts after. The builder measures all of these as it goes;
    when anything comes near a bound, or a mark of aliases or escapes is in the text,
    `limits` checks the whole tree, so that its message is the one given."""
    node = _compose(text, path)
    if node is not None and _ANCHOR.search(text):  # no alias without an anchor
        limits.check_nodes(node, path)
    builder = _Builder(text, path)
    try:
        data = builder.build(node)
    except (RecordError, _TooMany):
        if node is not None:
            limits.check_nodes(node, path)  # too many values is said first
        raise
    if builder.near or "\\" in text:  # an escape may write a lone surrogate
        limits.check_tree(data, path, builder.lines_of())
    return data, builder


class _TooMany(Exception):
    """More values than `limits.MAX_NODES`: building stops, `limits` says so."""


def _compose(text: str, path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        from .syntax import explain  # loaded for a mistake only

        raise RecordError([explain(exc, text, path)]) from None
    except yaml.YAMLError as exc:
        raise RecordError(
            [Problem(path, None, "", _("not valid YAML: {detail}").format(detail=exc))]
        ) from None


class _Builder:
    """The tree of a composed YAML document, with each value's file and line, the
    source of values YAML split into keys, and warnings about text that reads otherwise
    than it looks. It counts the values (keys too) and stops past `limits.MAX_NODES`,
    and `near` says whether a list, mapping, text or nesting reached a bound of
    `limits.check_tree`."""

    def __init__(self, text: str, path: Path, bounded: bool = True) -> None:
        self.text, self.path = text, path
        self.positions: dict[KeyPath, tuple[Path, int]] = {}
        self.written: dict[KeyPath, Written] = {}
        self.warnings: list[Problem] = []
        self.count, self.near = 0, False
        self.most = limits.MAX_NODES if bounded else sys.maxsize
        self.items, self.depth, self.longest = limits.MAX_ITEMS, limits.MAX_DEPTH, limits.MAX_TEXT

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def lines_of(self) -> dict[KeyPath, int]:
        """The line of each value, by its key."""
        return {key: line for key, (_file, line) in self.positions.items()}

    def build(self, node: yaml.Node | None) -> Any:
        """The value of the document `node` (the root: {} for an empty document)."""
        return {} if node is None else self._value(node, ())

    def _value(self, node: yaml.Node, key: KeyPath) -> Any:
        """The value of `node`, whose line is kept already."""
        self.count += 1
        if self.count > self.most:
            raise _TooMany
        if type(node) is yaml.ScalarNode:
            if node.tag == _NULL:
                return None
            value = node.value
            if len(value) > self.longest:
                self.near = True
            if not node.style and node.end_mark.line > node.start_mark.line:
                self._continuations(node, key)
            return value
        if len(node.value) > self.items or len(key) > self.depth:
            self.near = True
        if type(node) is yaml.MappingNode:
            return self._mapping(node, key)
        positions, path, out = self.positions, self.path, []
        for i, item in enumerate(node.value):
            here = (*key, i)
            positions[here] = (path, item.start_mark.line + 1)
            out.append(self._value(item, here))
        return out

    def _mapping(self, node: yaml.MappingNode, key: KeyPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        previous: tuple[str, yaml.Node] | None = None
        flow = node.flow_style
        positions, path = self.positions, self.path
        for key_node, value_node in node.value:
            self.count += 1
            if type(key_node) is not yaml.ScalarNode:
                raise RecordError(
                    [
                        Problem(
                            self.path, key_node.start_mark.line + 1, "", _("a key must be a word")
                        )
                    ]
                )
            name = key_node.value
            if name in out:
                where = key_name((*key, name))
                raise RecordError(
                    [Problem(self.path, key_node.start_mark.line + 1, where, _("key given twice"))]
                )
            if len(name) > self.longest:
                self.near = True
            here = (*key, name)
            positions[here] = (path, key_node.start_mark.line + 1)
            if flow and previous is not None:
                self._flow_key(here, previous, key_node, value_node)
            out[name] = self._value(value_node, here)
            if value_node.tag != _NULL:
                previous = (name, value_node)
        if not flow and len(node.value) == 1:
            self._line_of_text(node, key)
        return out

    def _line_of_text(self, node: yaml.MappingNode, key: KeyPath) -> None:
        """`- UBND các huyện: Ba Tri` read as a mapping: keep the line as written."""
        key_node, value_node = node.value[0]
        if not isinstance(value_node, yaml.ScalarNode) or key_node.style or value_node.style:
            return
        if value_node.tag == _NULL:
            text = self.text[key_node.start_mark.index : key_node.end_mark.index] + ":"
        else:  # the value may go on below its key: `- Đề nghị các đơn vị:` ⏎ `    tiếp tục …`
            text = self.text[key_node.start_mark.index : value_node.end_mark.index]
        text = re.sub(r"[ \t]*\n[ \t]*", " ", text)
        self.written[key] = Written(text, key_node.start_mark.line + 1)

    def _flow_key(
        self, key: KeyPath, previous: tuple[str, yaml.Node], key_node: yaml.Node, value: yaml.Node
    ) -> None:
        """A key inside `{ }` that may be the rest of the previous value, split at a comma."""
        name, before = previous
        bare = value.tag == _NULL and value.start_mark.index <= key_node.end_mark.index + 1
        end = key_node.end_mark.index if bare else value.end_mark.index
        text = self.text[before.start_mark.index : end]
        fixed = ""
        if before.start_mark.line == value.end_mark.line:
            line = self.lines[before.start_mark.line]
            start, stop = before.start_mark.column, before.start_mark.column + len(text)
            fixed = line[:start] + _quoted(text) + line[stop:]
        self.written[key] = Written(text, key_node.start_mark.line + 1, name, fixed.strip(), bare)

    def _continuations(self, node: yaml.ScalarNode, key: KeyPath) -> None:
        """A line inside plain text that starts with `- ` was probably meant as a list item."""
        for number in range(node.start_mark.line + 1, node.end_mark.line + 1):
            line = self.lines[number] if number < len(self.lines) else ""
            if _ITEM.match(line):
                message = _(
                    "this line looks like a list item but is read as part of the text above "
                    "({text}): to make it a point of its own, put its '-' under the '-' of "
                    "the point above; to make it a sub-point, write it under 'points:'"
                ).format(text=line.strip())
                self.warnings.append(Problem(self.path, number + 1, key_name(key), message))


def _quoted(text: str) -> str:
    """`text` as a YAML quoted value."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json(text: str, path: Path) -> tuple[Any, dict[KeyPath, int]]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in items:
            if name in out:
                raise ValueError(f"key {name!r} given twice")
            out[name] = value
        return out

    try:
        data = json.loads(text, parse_float=str, parse_int=str, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise RecordError(
            [Problem(path, exc.lineno, "", _("not valid JSON: {detail}").format(detail=exc.msg))]
        ) from None
    except ValueError as exc:
        raise RecordError(
            [Problem(path, None, "", _("not valid JSON: {detail}").format(detail=exc))]
        ) from None
    try:  # JSON is YAML: borrow its positions
        builder = _Builder(text, path, bounded=False)
        builder.build(yaml.compose(text, Loader=_TextLoader))
        positions = builder.lines_of()
    except (yaml.YAMLError, RecordError):
        positions = {}
    return data, positions


def _toml(text: str, path: Path) -> tuple[Any, dict[KeyPath, int]]:
    if sys.version_info >= (3, 11):  # loaded for a TOML record only
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(text, parse_float=str)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise RecordError(
            [Problem(path, line, "", _("not valid TOML: {detail}").format(detail=exc))]
        ) from None
    return _as_text(data), _toml_positions(text)


def _as_text(value: Any) -> Any:
    """TOML's typed scalars back to text, as the other formats give them."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r'^\s*("[^"]*"|[\w.\- ]+?)\s*=')
# where a string starts (a string on one line, whole), or a comment
_TOML_TOKEN = re.compile(r'"""' + r"""|'''|"(?:[^"\\]|\\.)*"|'[^']*'|#""")
_TOML_CLOSE = {  # the rest of a multi-line string, through its closing quotes
    '"""': re.compile(r'(?:[^"\\]|\\.|"(?!""))*"{3,5}'),
    "'''": re.compile(r"(?:[^']|'(?!''))*'{3,5}"),
}


def _toml_positions(text: str) -> dict[KeyPath, int]:
    """Lines of tables and keys, read from the text (tomllib keeps none); the lines
    inside a multi-line string are text."""
    positions: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}
    table: KeyPath = ()
    inside = ""  # the quotes of the multi-line string the line starts in
    for number, line in enumerate(text.split("\n"), 1):
        if inside:
            pass
        elif match := _TABLE.match(line):
            table = tuple(p.strip().strip('"') for p in match.group(2).split("."))
            if match.group(1) == "[[":
                index = counts[table] = counts.get(table, -1) + 1
                table = (*table, index)
            positions.setdefault(table, number)
        elif match := _KEY.match(line):
            key = tuple(p.strip().strip('"') for p in match.group(1).split("."))
            positions.setdefault((*table, *key), number)
        inside = _string_at_end(line, inside)
    return positions


def _string_at_end(line: str, inside: str) -> str:
    """The quotes of the multi-line string a TOML `line` ends in ("": none), when it
    starts in the one of `inside`."""
    at = 0
    while True:
        if inside:
            closed = _TOML_CLOSE[inside].match(line, at)
            if closed is None:
                return inside
            at, inside = closed.end(), ""
        token = _TOML_TOKEN.search(line, at)
        if token is None or token.group() == "#":
            return ""
        inside = token.group() if token.group() in _TOML_CLOSE else ""
        at = token.end()
