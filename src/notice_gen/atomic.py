"""Files written whole or not at all: a temporary file beside the target, renamed over it.

Every layer writes through here (documents, manifests, the register's book, a record's
number written back, caches), so that a crash or a full disk never leaves half a file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["FILE_MODE", "atomic_file", "atomic_write"]


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_temps = itertools.count()


def _temporary(path: str, mode: int = 0o666) -> tuple[int, str]:
    """A new file `.NAME.PID.N.tmp` beside `path` (unique in this process, O_EXCL against
    any other) with `mode` as open() applies it (the umask taken off)."""
    folder, name = os.path.split(path)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_temps)}.tmp")
        try:
            return os.open(tmp, CREATE, mode), tmp
        except FileExistsError:
            continue


def atomic_write(
    path: Path | str,
    data: bytes,
    *,
    durable: bool = True,
    ready: Callable[[], int] | None = None,
) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`;
    `durable` also waits until the data is on disk before the rename. `ready` is called
    just before the rename: it may refuse (raise) and returns the file's permissions,
    which are its owner's alone until then."""
    with _swapped(os.fspath(path), 0o666 if ready is None else 0o600) as fd:
        view = memoryview(data)
        while view:  # a write may take only part of it (a signal, a full disk)
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
        if ready is not None:
            os.fchmod(fd, ready())


@contextlib.contextmanager
def atomic_file(path: Path | str, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A file to write `path` piece by piece: a temporary file beside it, renamed over
    `path` when the block ends (`durable`: put on disk first), removed when it fails."""
    with _swapped(os.fspath(path)) as fd, open(fd, "wb", closefd=False) as handle:
        yield handle
        if durable:
            handle.flush()
            os.fsync(fd)


@contextlib.contextmanager
def _swapped(path: str, mode: int = 0o666) -> Iterator[int]:
    """A new temporary file beside `path` (`mode`: as `_temporary`), open for the block,
    then renamed over `path`; removed when the block fails."""
    fd, tmp = _temporary(path, mode)
    try:
        try:
            yield fd
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
