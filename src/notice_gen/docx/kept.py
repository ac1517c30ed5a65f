"""Entries kept between runs in the user's cache folder, read back only when private.

An entry may hold compiled code, which runs once it is loaded. So it is read only when
its folder and the file itself belong to the user running notice-gen and neither can be
written by group or others (what Jinja's own bytecode cache demands of its folder), and
only when its checksum holds. Anything else — another owner, a folder others can write,
a truncated or altered file, no file at all — reads as no entry, silently: the caller
builds the value again. A new folder is made private (0o700); writes are atomic; a folder
keeps the newest entries of each kind (`KEEP`), the oldest go.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import stat
import sys
from functools import cache
from pathlib import Path

from ..atomic import atomic_write

HEADER = b"notice-gen entry 1\n"
CHECK = hashlib.sha256().digest_size
MAX_ENTRY = 256 * 2**20  # bytes; a larger file is not read
KEEP = 512  # entries of one kind (suffix) in a folder; past that, the oldest half goes


@cache
def code_digest(files: tuple[str, ...], versions: str) -> bytes:
    """A digest of Python's version and bytecode format, `versions` and the content of
    `files` (the source of the code an entry depends on; a missing one counts as empty)."""
    digest = hashlib.sha256(f"{sys.version}\0{importlib.util.MAGIC_NUMBER!r}\0{versions}".encode())
    for file in files:
        data = b""
        with contextlib.suppress(OSError):
            data = Path(file).read_bytes()
        digest.update(f"\0{file}\0{len(data)}\0".encode() + data)
    return digest.digest()


def key(*parts: bytes) -> str:
    """The name of the entry for `parts`, each told apart from the next."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def read(path: Path) -> bytes | None:
    """The body kept at `path`, or None when there is no trustworthy entry there."""
    if not hasattr(os, "getuid"):  # no owners to check: nothing from disk is trusted
        return None
    try:
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        if not _private(os.fstat(folder)):
            return None
        fd = os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
        with open(fd, "rb") as handle:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or not _private(found):
                return None
            data = handle.read(MAX_ENTRY + 1)
    except OSError:
        return None
    finally:
        os.close(folder)
    start = len(HEADER) + CHECK
    body = data[start:]
    if len(data) > MAX_ENTRY or data[: len(HEADER)] != HEADER:
        return None
    return body if hashlib.sha256(body).digest() == data[len(HEADER) : start] else None


def write(path: Path, body: bytes, keep: int = KEEP) -> None:
    """Keep `body` at `path` (atomically, readable by its owner only), in a folder made
    private when it is created; nothing when the folder is not private or not writable.
    When the folder then holds more than `keep` entries named like this one (its suffix),
    the oldest go, down to half as many."""
    if not hasattr(os, "getuid"):
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(path.parent)):
            return
        atomic_write(path, HEADER + hashlib.sha256(body).digest() + body, durable=False)
        os.chmod(path, 0o600)
        entries = [e for e in os.scandir(path.parent) if e.name.endswith(path.suffix)]
        if len(entries) > keep:
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[: len(entries) - keep // 2]:
                with contextlib.suppress(OSError):
                    os.remove(entry.path)


def _private(found: os.stat_result) -> bool:
    """Owned by this user, and not writable by group or others."""
    return found.st_uid == os.getuid() and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
