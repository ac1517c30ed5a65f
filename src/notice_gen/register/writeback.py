"""Write a number taken from the register back into its record file: only the value of
`number: auto` changes (comments, layout, line endings, BOM kept), atomically, and never
over a file that changed since it was read.

When a comment follows on the line (`number: auto      # số do sổ cấp`, as the starters
write it), the number and spaces take the room of `auto` and the comment keeps its column:
those few bytes are written in place, in one write inside one 512-byte sector, so that a
power cut leaves the old line or the new one, and the file keeps its owner, permissions and
links. Otherwise a new file with the number, and the record's permissions, replaces the
record (`atomic_write`): a hard link to it keeps the old text."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import time
from pathlib import Path

import yaml

from ..atomic import atomic_write
from ..errors import OutputError, RecordError
from ..i18n import _
from ..record.limits import head_and_status, head_of
from ..record.load import read

AUTO = "auto"
# a file's times tell a change only past their grain (2 s on FAT): a file changed less
# than this before it is read is compared by its bytes, as git does its racy entries
SETTLED_NS = 2_000_000_000
SECTOR = 512  # the smallest unit a disk writes whole
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: marks count characters too
# a line of YAML or JSON that is `number: auto` (its value in group 1) and a comment
_AUTO_LINE = re.compile(
    rb"""[ \t]*(?:number|"number"|'number')[ \t]*:[ \t]*"""
    rb"""("(?i:auto)"|'(?i:auto)'|(?i:auto))[ \t]*,?(?:[ \t]+#[^\n]*)?\r?"""
)
_VALUE = re.compile(rb"""(["']?)(?i:auto)\1""")  # the value alone, quoted or not
_OTHER_BREAKS = re.compile("\r(?!\n)|\x85|\u2028|\u2029".encode())  # YAML's, besides \n
_TOML_AUTO_LINE = re.compile(  # the same in TOML: `number = "auto"`, `giay-moi.number = …`
    rb"""[ \t]*(?:[^=\n]*\.[ \t]*)?(?:number|"number"|'number')[ \t]*=[ \t]*"""
    rb"""("(?i:auto)"|'(?i:auto)')"""
    rb"""[ \t]*(?:#[^\n]*)?\r?"""
)


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
    line: int | None = None,
) -> bool:
    """Replace `number: auto` by `number` in the record file `path`.

    `kind` is the kind being rendered: its block's `number: auto` (`giay-moi: {number: auto}`)
    is written first; the top level one only for the record's own kind. Returns False when
    no such `number: auto` is found where it could be replaced alone (it came from an
    organisation file, or is written in a way this does not change: the register remembers
    the source). Raises `OutputError` when the file changed since `fingerprint`, or is
    read-only.
    `durable=False` skips the sync to disk (a batch: the register remembers the source);
    `raw`: the bytes `fingerprint` was taken of (`snapshot`), not read again; `line`: where
    the record's parse found the `number` key `kind` takes (a batch knows it), looked at
    first.
    """
    path = Path(path)
    raw = unchanged(path, fingerprint) if raw is None else raw
    toml = path.suffix.lower() == ".toml"
    line = line or (_toml_line(path, raw, kind) if toml else None)
    span = line and _line_span(raw, line, toml)
    if not span and (toml or (span := _parsed_span(raw, kind)) is None):
        return False
    start, end = span
    if not _VALUE.fullmatch(raw, start, end):  # more than the value: `&anchor auto`
        return False
    digits, room = b"%d" % number, _room(raw, start, end)
    if len(digits) < room and start // SECTOR == (start + room - 1) // SECTOR:
        _in_place(path, start, digits.ljust(room), fingerprint, durable)
    else:
        spaced = digits + b" " if raw[end : end + 1] == b"#" else digits  # `'auto'# …`
        _replace(path, raw[:start] + spaced + raw[end:], fingerprint, durable)
    return True


def _room(raw: bytes, start: int, end: int) -> int:
    """How many bytes from `start` the value ending at `end` and the spaces after it fill
    before a comment on its line (`auto     # …`); 0 when no comment follows."""
    stop = end
    while raw[stop : stop + 1] == b" ":
        stop += 1
    return stop - start if stop > end and raw[stop : stop + 1] == b"#" else 0


def unchanged(path: Path, fingerprint: str) -> bytes:
    """The file at `path`, when it still has the bytes whose fingerprint was taken; else
    `OutputError`."""
    raw, now = snapshot(path)
    _compare(path, now, fingerprint)
    return raw


def untouched(path: Path, fingerprint: str) -> int:
    """`unchanged`, without reading the file when its status is still the one seen;
    returns the file's mode. The file is opened, not only looked up: a network file system
    then asks its server (close-to-open) instead of answering from its cache."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        unchanged(path, fingerprint)  # says why it cannot be read, or that it changed
        raise _changed(path) from None  # gone, then back: saved again meanwhile
    try:
        return stat.S_IMODE(_same(path, fd, fingerprint).st_mode)
    finally:
        os.close(fd)


def _same(path: Path, fd: int, fingerprint: str) -> os.stat_result:
    """The status of the open file `fd` (`path`) when it still has the bytes whose
    fingerprint was taken: told by its status when that was seen, else by its bytes."""
    status = os.fstat(fd)
    seen = fingerprint.partition(" ")[2]
    if seen and _status(status) == seen:
        return status
    _compare(path, hashlib.sha256(head_of(fd, status)).hexdigest(), fingerprint)
    return status


def _compare(path: Path, now: str, fingerprint: str) -> None:
    if now.partition(" ")[0] != fingerprint.partition(" ")[0]:
        raise _changed(path)


def _changed(path: Path) -> OutputError:
    return OutputError(
        _("{path} changed while its document was being made; its number was not written "
          "back: render it again").format(path=path)
    )  # fmt: skip


def _yaml_span(text: str, kind: str | None) -> tuple[int, int] | None:
    """Where the value `auto` of the right `number:` key stands (YAML, and JSON)."""
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
        if isinstance(node, yaml.ScalarNode) and node.value.strip().lower() == AUTO:
            return node.start_mark.index, node.end_mark.index
        if node is not None:
            return None  # this place has its own number: nothing to write
    return None


def _line_span(raw: bytes, line: int, toml: bool = False) -> tuple[int, int] | None:
    """Where, in `raw`, the value of `number: auto` (`number = "auto"` in TOML) stands
    when it is all of `line` (1-based, as the parser counted it) but for a comment; None:
    any doubt."""
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    for _n in range(line - 1):
        start = raw.find(b"\n", start) + 1
        if not start:
            return None
    end = raw.find(b"\n", start)
    end = len(raw) if end < 0 else end
    if _OTHER_BREAKS.search(raw, 0, end + 1):
        return None  # lines the parser counts otherwise than "\n" does
    match = (_TOML_AUTO_LINE if toml else _AUTO_LINE).fullmatch(raw, start, end)
    return match.span(1) if match else None


def _parsed_span(raw: bytes, kind: str | None) -> tuple[int, int] | None:
    """Where, in `raw`, the value `auto` of the right `number` key of a YAML or JSON record
    stands, as a parse of the file finds it (`_yaml_span`)."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    text = raw[bom:].decode("utf-8")
    span = _yaml_span(text, kind)
    if span is None:
        return None
    start = bom + len(text[: span[0]].encode("utf-8"))
    return start, start + len(text[span[0] : span[1]].encode("utf-8"))


def _toml_line(path: Path, raw: bytes, kind: str | None) -> int | None:
    """The line of the `number = "auto"` a TOML record (`raw`, read from `path`) gives
    `kind`: its table's, else the top one for the record's own kind; None: none."""
    try:
        source = read(path, raw)
    except RecordError:
        return None
    data, block = source.data, source.data.get(kind) if kind else None
    if isinstance(block, dict) and "number" in block:
        place: tuple[str, ...] = (kind,) if kind else ()
        value = block["number"]
    elif kind is None or data.get("kind") == kind:
        place, value = (), data.get("number")
    else:
        return None
    if not (isinstance(value, str) and value.strip().lower() == AUTO):
        return None
    return source.positions.get((*place, "number"), (path, None))[1]


def _writable(path: Path, mode: int) -> int:
    """`mode`, when the owner may write the file (root may write any: the bit decides)."""
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise _read_only(path)
    return mode


def _read_only(path: Path) -> OutputError:
    return OutputError(
        _("{path} is read-only; its number was not written back: make it writable and render "
          "it again").format(path=path)
    )  # fmt: skip


def _cannot(path: Path, exc: OSError) -> OutputError:
    return OutputError(_("{path}: cannot write: {reason}").format(path=path, reason=exc.strerror))


def _in_place(path: Path, offset: int, data: bytes, fingerprint: str, durable: bool) -> None:
    """Write `data` at `offset` of the record file `path` (the file a link points to) while
    it is still the file that was read and is not read-only; a save that comes between the
    comparison and the write is told, not passed over."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC | os.O_NONBLOCK)
    except PermissionError:
        raise _read_only(path) from None
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        try:
            before = _same(path, fd, fingerprint)
            _writable(path, stat.S_IMODE(before.st_mode))
            view = memoryview(data)
            while view:  # one write: a few bytes are never cut short but by an error
                view = view[os.pwrite(fd, view, offset + len(data) - len(view)) :]
            if durable:
                os.fsync(fd)
            after, named = os.fstat(fd), os.stat(path)
        finally:
            os.close(fd)  # a network file system may say here that the write failed
    except FileNotFoundError:
        raise _changed(path) from None
    except OSError as exc:
        raise _cannot(path, exc) from None
    if after.st_size != before.st_size or (named.st_dev, named.st_ino) != (
        after.st_dev, after.st_ino,
    ):  # fmt: skip
        raise OutputError(
            _("{path} was saved while its number was being written into it: open it to check "
              "it, then render it again").format(path=path)
        )  # fmt: skip


def _replace(path: Path, content: bytes, fingerprint: str, durable: bool) -> None:
    """`content` over the record file `path` (over the file a link there points to) with
    its mode, atomically, while it is still the file that was read (`fingerprint`) and is
    not read-only."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        atomic_write(
            target, content, durable=durable,
            ready=lambda: _writable(path, untouched(path, fingerprint)),
        )  # fmt: skip
    except OSError as exc:
        raise _cannot(path, exc) from None
