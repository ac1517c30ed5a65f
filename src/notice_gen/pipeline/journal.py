"""The books of a batch: a journal that survives a crash, a lock, an Excel-safe manifest.

While a batch runs, every document is noted in `.notice-gen.journal` (JSON lines,
appended with one write each, flushed to the system at once and to disk about once a
second): first the SHA-256 it is about to write (by the worker, before the rename),
then what became of it (by the parent, a group of documents in one write). After
`kill -9` the next run reads the journal back, so its own files are recognised and
`--resume` skips what was done; a document whose result was not noted yet is made
again and found `unchanged`. At the end the journal is compacted into manifest.json and
manifest.csv (and the hash store `.notice-gen.json`) and removed. A lock on
`.notice-gen.lock` keeps a second run out of the same folder.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..atomic import FILE_MODE, atomic_file
from ..errors import OutputError
from ..i18n import _
from .write import ENCODE, QUOTE, WriteError, os_message

JOURNAL = ".notice-gen.journal"
LOCK = ".notice-gen.lock"
RESERVE = ".notice-gen.reserve"
RUN_MANIFEST = "manifest"
COLUMNS = ["source", "where", "output", "number", "status", "error", "warnings", "sha256"]
SYNC_EVERY = 1024  # entries between two fsyncs, at most
SYNC_SECONDS = 1.0  # seconds between two fsyncs, at most
DONE = ("written", "unchanged", "skipped")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
WARNINGS = COLUMNS.index("warnings")
JSON_ROW = "{{" + ", ".join(f'"{k}": {{}}' for k in COLUMNS[:WARNINGS]) + ', "warnings": [{}]'
JSON_ROW += "".join(f', "{k}": {{}}' for k in COLUMNS[WARNINGS + 1 :]) + "}}"
quote = QUOTE


class Journal:
    """One process's handle on a folder's journal."""

    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / JOURNAL
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        try:
            self.fd = os.open(self.path, flags, FILE_MODE)
        except OSError as exc:
            raise WriteError(os_message(self.path, exc)) from None
        self.unsynced = 0
        self.synced_at = time.monotonic()

    def append(self, row: dict[str, Any]) -> None:
        """Note `row`."""
        self.write([ENCODE(row)])

    def write(self, lines: list[str]) -> None:
        """Note JSON `lines` in one write, so that lines from several processes never
        mix. A full disk does not stop the run: the manifest at the end still says
        what happened."""
        data = ("\n".join(lines) + "\n").encode("utf-8", "replace")
        with contextlib.suppress(OSError):
            os.write(self.fd, data)
            self.unsynced += len(lines)
            if self.unsynced >= SYNC_EVERY or time.monotonic() - self.synced_at > SYNC_SECONDS:
                self.sync()

    def sync(self) -> None:
        os.fsync(self.fd)
        self.unsynced, self.synced_at = 0, time.monotonic()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sync()
        with contextlib.suppress(OSError):
            os.close(self.fd)


_open: dict[tuple[int, str], Journal] = {}


def journal(folder: Path | str) -> Journal:
    """This process's journal for `folder`, opened once."""
    key = (os.getpid(), os.fspath(folder))
    found = _open.get(key)
    if found is None:
        found = _open[key] = Journal(folder)
    return found


def result_line(source: str, where: str, output: str, status: str, sha256: str) -> str:
    """The journal's line of what became of a document: what recovery and `--resume`
    read back (the manifest at the end says the rest)."""
    return (
        f'{{"source": {quote(source)}, "where": {quote(where)}, "output": {quote(output)}, '
        f'"status": {quote(status)}, "sha256": {quote(sha256)}}}'
    )


def replay(folder: Path) -> list[dict[str, Any]]:
    """The journal's rows, oldest first; a line torn by a crash is left out."""
    try:
        text = (Path(folder) / JOURNAL).read_text("utf-8", errors="replace")
    except OSError:
        return []
    rows = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            row = json.loads(line)
            if isinstance(row, dict):
                rows.append(row)
    return rows


def recover(folder: Path, files: dict[str, dict[str, str]]) -> None:
    """Put what an interrupted run wrote (or was about to) into the hash store `files`."""
    for row in replay(folder):
        if row.get("sha256") and row.get("output") and row.get("status") in (*DONE, "writing"):
            where = f"{row.get('source', '')} {row.get('where', '')}".strip()
            files[str(row["output"])] = {"sha256": str(row["sha256"]), "source": where}


def previous(folder: Path) -> dict[tuple[str, str], str]:
    """What earlier runs finished: (source, where) -> SHA-256 of its document, from the
    manifest and then the journal of a run that did not finish."""
    try:
        rows = json.loads((Path(folder) / f"{RUN_MANIFEST}.json").read_text("utf-8"))
        rows = rows["documents"] if isinstance(rows, dict) else []
    except (OSError, ValueError, KeyError, TypeError):
        rows = []
    done = {}
    for row in [*rows, *replay(folder)]:
        if not isinstance(row, dict) or row.get("status") == "writing":
            continue
        key = (str(row.get("source")), str(row.get("where")))
        if row.get("status") in DONE and row.get("sha256"):
            done[key] = str(row["sha256"])
        else:
            done.pop(key, None)
    return done


def finish(folder: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Compact: write manifest.json and manifest.csv, then remove the journal."""
    write_manifest(folder, rows)
    for key in [k for k in _open if k[1] == os.fspath(folder)]:
        _open.pop(key).close()
    with contextlib.suppress(OSError):
        (Path(folder) / JOURNAL).unlink()


def write_manifest(folder: Path, rows: Iterable[dict[str, Any]]) -> None:
    """manifest.json (a document a line) and manifest.csv: source, row or line, output,
    number, status, error, warnings (a list; in the CSV one a line of the cell), sha256;
    written as the rows come."""
    files = [Path(folder) / f"{RUN_MANIFEST}.{suffix}" for suffix in ("json", "csv")]
    at = files[0]
    try:
        with atomic_file(files[0]) as json_file, atomic_file(files[1]) as csv_file:
            text = io.TextIOWrapper(csv_file, "utf-8-sig", newline="", write_through=True)
            writer = csv.writer(text)
            writer.writerow(COLUMNS)
            json_file.write(b'{"version": 1, "documents": [')
            comma = "\n "
            for row in rows:
                cells = [row.get(k, "") for k in COLUMNS]
                warnings = cells[WARNINGS] or []
                cells[WARNINGS] = "\n".join(warnings)
                cells = [str(c) for c in cells]
                line = comma + JSON_ROW.format(
                    *map(quote, cells[:WARNINGS]),
                    ", ".join(map(quote, warnings)),
                    *map(quote, cells[WARNINGS + 1 :]),
                )
                json_file.write(line.encode("utf-8", "replace"))
                comma = ",\n "
                writer.writerow(["'" + c if c.startswith(FORMULA) else c for c in cells])
            json_file.write(b"\n]}\n")
            text.flush()
            text.detach()
            at = files[1]
    except OSError as exc:
        raise WriteError(os_message(at, exc)) from None


def reserve(folder: Path, count: int) -> Path:
    """Set disk space aside for the manifests of `count` documents, so that they can be
    written even when the documents fill the disk; `unreserve` gives it back."""
    path = Path(folder) / RESERVE
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            os.posix_fallocate(fd, 0, 64 * 1024 + 1024 * count)
        finally:
            os.close(fd)
    return path


def unreserve(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def excel_safe(cell: str) -> str:
    """A cell Excel shows as text: one starting with = + - @, tab or CR gets a `'` (OWASP)."""
    return "'" + cell if cell.startswith(FORMULA) else cell


class Lock:
    """An exclusive lock on an output folder, held by one run at a time."""

    def __init__(self, folder: Path, *, wait: bool = False) -> None:
        self.path = Path(folder) / LOCK
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except OSError as exc:
            raise WriteError(os_message(self.path, exc)) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(self.fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(self.fd)
            raise OutputError(
                _(
                    "{folder}: another notice-gen run (process {pid}) is writing here; "
                    "wait until it ends, run with --wait, or choose another folder with -o"
                ).format(folder=folder, pid=holder)
            ) from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
