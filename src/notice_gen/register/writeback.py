"""Write a number taken from the register back into its record file: only the value of
`number: auto` changes (comments, layout, line endings, BOM kept), atomically, and never
over a file that changed since it was read."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..atomic import atomic_file
from ..errors import OutputError
from ..i18n import _
from ..record.limits import head_and_status

AUTO = "auto"
# a file's times tell a change only past their grain (2 s on FAT): a file changed less
# than this before it is read is compared by its bytes, as git does its racy entries
SETTLED_NS = 2_000_000_000
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: marks count characters too
_TABLE = re.compile(r"^\s*\[\s*([^\]\[]+?)\s*\]\s*(#.*)?$")
# searched in "\n" + text, so that every line starts after a "\n"
_NUMBER_LINE = re.compile(r"\nnumber[ \t]*:")
_AUTO_LINE = re.compile(r"\nnumber[ \t]*:[ \t]*(auto)[ \t]*(?:#[^\r\n]*)?\r?(?=\n|\Z)")
_KIND_LINE = re.compile(r"\nkind[ \t]*:([^\n]*)")
# a line starting at the margin that is no comment, blank line or `key:`
_ODD_LINE = re.compile(r"\n(?![ \n]|#|[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|\r?(?:\n|\Z))|\r?(?:\n|\Z))")
_QUOTED_NUMBER = re.compile(r"[\"']number[\"']")
_ODD_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # ends of lines besides \n and \r\n
_TOML_NUMBER = re.compile(r"""^\s*number\s*=\s*(["']auto["'])\s*(#.*)?$""")


def stamp(path: Path) -> str:
    """A fingerprint of the file as read now; pass it to `write_number`."""
    return snapshot(path)[1]


def snapshot(path: Path) -> tuple[bytes, str]:
    """The file's bytes as read now and their fingerprint (`stamp`): the SHA-256 of the
    bytes, then the file's status before they were read (`_status`) when it was last
    changed long enough ago (`SETTLED_NS`) to tell a later change."""
    now = time.time_ns()
    try:
        raw, status = head_and_status(path)
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror)
        ) from None
    settled = max(status.st_mtime_ns, status.st_ctime_ns) < now - SETTLED_NS
    return raw, f"{hashlib.sha256(raw).hexdigest()} {_status(status) if settled else ''}"


def _status(status: os.stat_result) -> str:
    """What changes when a file is written or replaced: its inode, size and times."""
    seen = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    return ":".join(map(str, seen))


def write_number(
    path: Path,
    number: int,
    fingerprint: str,
    kind: str | None = None,
    *,
    durable: bool = True,
    raw: bytes | None = None,
) -> bool:
    """Replace `number: auto` by `number` in the record file `path`.

    `kind` is the kind being rendered: its block's `number: auto` (`giay-moi: {number: auto}`)
    is written first; the top level one only for the record's own kind. Returns False when the
    file has no such `number: auto` (it came from an organisation file: the register remembers
    the source instead). Raises `OutputError` when the file changed since `fingerprint`.
    `durable=False` skips the sync to disk (a batch: the register remembers the source);
    `raw`: the bytes `fingerprint` was taken of (`snapshot`), not read again.
    """
    path = Path(path)
    raw = unchanged(path, fingerprint) if raw is None else raw
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw[len(codecs.BOM_UTF8) if bom else 0 :].decode("utf-8")
    span = _toml_span(text, kind) if path.suffix.lower() == ".toml" else _yaml_span(text, kind)
    if span is None:
        return False
    changed = text[: span[0]] + str(number) + text[span[1] :]
    _replace(
        path, (codecs.BOM_UTF8 if bom else b"") + changed.encode("utf-8"), fingerprint, durable
    )
    return True


def unchanged(path: Path, fingerprint: str) -> bytes:
    """The file at `path`, when it still has the bytes whose fingerprint was taken; else
    `OutputError`."""
    raw, now = snapshot(path)
    if now.partition(" ")[0] != fingerprint.partition(" ")[0]:
        raise OutputError(
            _("{path} changed while its document was being made; its number was not written "
              "back: render it again").format(path=path)
        )  # fmt: skip
    return raw


def untouched(path: Path, fingerprint: str) -> None:
    """`unchanged`, without reading the file when its status is still the one seen. The
    file is opened, not only looked up: a network file system then asks its server
    (close-to-open) instead of answering from its cache."""
    seen = fingerprint.partition(" ")[2]
    if seen:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
            try:
                if _status(os.fstat(fd)) == seen:
                    return
            finally:
                os.close(fd)
        except OSError:
            pass
    unchanged(path, fingerprint)


def _yaml_span(text: str, kind: str | None) -> tuple[int, int] | None:
    """Where the value `auto` of the right `number:` key stands (YAML, and JSON)."""
    quick = _plain_span(text, kind)
    if quick is not None:
        return quick
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    places = []
    if kind and isinstance(top.get(kind), yaml.MappingNode):
        places.append({k.value: v for k, v in top[kind].value if isinstance(k, yaml.ScalarNode)})
    own = top.get("kind")
    if kind is None or (isinstance(own, yaml.ScalarNode) and own.value == kind):
        places.append(top)
    for mapping in places:
        node = mapping.get("number")
        if isinstance(node, yaml.ScalarNode) and node.value.strip() == AUTO:
            return node.start_mark.index, node.end_mark.index
        if node is not None:
            return None  # this place has its own number: nothing to write
    return None


def _plain_span(text: str, kind: str | None) -> tuple[int, int] | None:
    """`_yaml_span` without parsing, for a plain block-style file whose only top-level
    `number:` is `auto` and which has no block of `kind`; None: any doubt (parse it)."""
    if "\t" in text or "\\" in text or any(c in text for c in _ODD_BREAKS):
        return None  # escapes, tabs, lines not ended by \n
    if "\r" in text and re.search(r"\r(?!\n)", text):
        return None
    if ("'number" in text or '"number' in text) and _QUOTED_NUMBER.search(text):
        return None
    body = "\n" + text  # every line starts after a "\n": quick searches for it
    if len(_NUMBER_LINE.findall(body)) != 1:
        return None
    auto = _AUTO_LINE.search(body)
    if auto is None:
        return None
    if kind is not None:
        own = _KIND_LINE.findall(body)
        value = own[0].split("#")[0].strip().strip("\"'") if len(own) == 1 else None
        if value != kind or re.search(rf"\n[\"']?{re.escape(kind)}[\"']?[ \t]*:", body):
            return None
    if _ODD_LINE.search(body):
        return None  # a document marker, a flow collection, a wrapped scalar
    for line in _marked(text):
        if line.count('"') % 2 or line.count("'") % 2 or line.count("[") != line.count("]"):
            return None  # a quoted scalar or flow collection going on to the next line
        if line.count("{") != line.count("}"):
            return None
    return auto.start(1) - 1, auto.end(1) - 1


def _marked(text: str) -> Iterator[str]:
    """The lines of `text` with a quote or a bracket, in order."""
    starts = set()
    for mark in "\"'[]{}":
        at = text.find(mark)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            end = text.find("\n", at)
            at = text.find(mark, len(text) if end < 0 else end)
    for start in sorted(starts):
        end = text.find("\n", start)
        yield text[start : len(text) if end < 0 else end]


def _toml_span(text: str, kind: str | None) -> tuple[int, int] | None:
    """The same for TOML: `number = "auto"` at the top or in the kind's `[table]`."""
    table, offset, own = "", 0, None
    found: dict[str, tuple[int, int]] = {}
    for line in text.splitlines(keepends=True):
        if match := _TABLE.match(line):
            table = match.group(1).strip().strip("\"'")
        elif match := _TOML_NUMBER.match(line):
            found.setdefault(table, (offset + match.start(1), offset + match.end(1)))
        elif not table and (own_match := re.match(r"""^\s*kind\s*=\s*["']([^"']+)["']""", line)):
            own = own_match.group(1)
        offset += len(line)
    if kind and kind in found:
        return found[kind]
    return found.get("") if kind is None or own == kind else None


def _replace(path: Path, content: bytes, fingerprint: str, durable: bool) -> None:
    """`content` over `path` with its mode, atomically, while `path` is still the file
    that was read (`fingerprint`)."""
    try:
        with atomic_file(path, durable=durable) as out:
            out.write(content)
            os.fchmod(out.fileno(), stat.S_IMODE(os.stat(path).st_mode))
            untouched(path, fingerprint)  # still the file that was read
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot write: {reason}").format(path=path, reason=exc.strerror)
        ) from None
