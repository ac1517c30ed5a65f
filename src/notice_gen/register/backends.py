"""The two databases behind a register, behind one small interface: SQLite (embedded,
WAL, local disk only) and PostgreSQL (psycopg 3, shared by several machines)."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from ..i18n import _
from .model import RegisterError

BUSY_TIMEOUT = 60.0  # seconds a writer waits for another one (SQLite)


class Backend(Protocol):
    """What the register needs from a database."""

    where: str  # the register's name for messages, without a password
    lock_clause: str  # appended to the SELECT that locks a series' counter

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...  # one statement, many rows
    def transaction(self) -> Any: ...  # a context manager; one writer at a time per series
    def backup(self, target: Path) -> None: ...
    def close(self) -> None: ...


def _failure(where: str, exc: Exception) -> RegisterError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return RegisterError(
        _("the register {where} cannot be used: {reason}").format(where=where, reason=reason)
    )


class SQLiteBackend:
    """A register in one SQLite file; writers take the database lock (`BEGIN IMMEDIATE`)."""

    lock_clause = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        if not path.parent.is_dir():
            raise RegisterError(
                _("the register {where} cannot be used: the folder {folder} does not exist")
                .format(where=path, folder=path.parent)
            )  # fmt: skip
        try:
            self.connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
            self.connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self._write_ahead()
        except sqlite3.Error as exc:
            raise _failure(self.where, exc) from None

    def _write_ahead(self) -> None:
        """Switch the file to WAL once. SQLite answers `locked` at once, without waiting,
        while another process is switching it too: try again until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                if self.connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.connection.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise _failure(self.where, exc) from None

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _failure(self.where, exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.query("BEGIN IMMEDIATE")
        try:
            yield
            self.query("COMMIT")
        except BaseException:
            if self.connection.in_transaction:
                self.connection.rollback()
            raise

    def backup(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup, written atomically."""
        handle, temp = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite", dir=target.parent)
        os.close(handle)
        try:
            copy = sqlite3.connect(temp)
            try:
                self.connection.backup(copy)
            finally:
                copy.close()
            os.replace(temp, target)
        except (sqlite3.Error, OSError) as exc:
            Path(temp).unlink(missing_ok=True)
            raise _failure(self.where, exc) from None

    def close(self) -> None:
        self.connection.close()


class PostgresBackend:
    """A register in a PostgreSQL database; a series' counter row is locked `FOR UPDATE`."""

    lock_clause = " FOR UPDATE"

    def __init__(self, url: str) -> None:
        import psycopg

        self.errors = psycopg.Error
        self.where = re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)
        try:
            self.connection = psycopg.connect(url, autocommit=True, connect_timeout=15)
        except psycopg.Error as exc:
            raise _failure(self.where, exc) from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            cursor = self.connection.execute(sql.replace("?", "%s"), tuple(params))
            return cursor.fetchall() if cursor.description else []
        except self.errors as exc:
            raise _failure(self.where, exc) from None

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)
        except self.errors as exc:
            raise _failure(self.where, exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with self.connection.transaction():
                yield
        except self.errors as exc:
            raise _failure(self.where, exc) from None

    def backup(self, target: Path) -> None:
        raise RegisterError(
            _("{where} is a PostgreSQL register: back it up with PostgreSQL's own tool, e.g. "
              "pg_dump --format=custom --file={target} {where}").format(
                where=self.where, target=target
            )
        )  # fmt: skip

    def close(self) -> None:
        self.connection.close()
