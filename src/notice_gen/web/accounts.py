"""The desk's accounts: names and argon2 password hashes in the `desk_users` table of
the register's database (the same SQLite file, or the same PostgreSQL database)."""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import NoticeGenError
from ..i18n import _

NAME = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
_SCHEMA = "CREATE TABLE IF NOT EXISTS desk_users (name TEXT PRIMARY KEY, hash TEXT NOT NULL)"


@cache
def _nobody() -> str:
    """The hash checked for a name that has no account."""
    return _HASHER.hash(secrets.token_hex(16))


def location_of(location: str | Path | None) -> str:
    """Where the register is, as `open_register` reads it."""
    return str(location or os.environ.get("NOTICE_GEN_REGISTER") or "so-van-ban-di.sqlite")


class Accounts:
    """Desk users of one register database."""

    def __init__(self, location: str | Path | None = None) -> None:
        where = location_of(location)
        self.postgres = where.startswith(("postgresql://", "postgres://"))
        self.mark = "%s" if self.postgres else "?"
        if self.postgres:
            import psycopg

            self.db: Any = psycopg.connect(where, autocommit=True)
        else:
            path = where.removeprefix("sqlite:///")
            self.db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
        self.db.execute(_SCHEMA)

    def _one(self, sql: str, *args: str) -> Any:
        return self.db.execute(sql.replace("?", self.mark), args).fetchone()

    def count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM desk_users")[0])

    def add(self, name: str, password: str) -> None:
        """Create or change the account `name`."""
        if not NAME.match(name):
            raise NoticeGenError(
                _("{name}: a user name is letters, digits, '.', '@', '-' or '_'").format(name=name)
            )
        if len(password) < MIN_PASSWORD:
            raise NoticeGenError(
                _("the password needs at least {n} characters").format(n=MIN_PASSWORD)
            )
        digest = _HASHER.hash(password)
        self.db.execute(
            "INSERT INTO desk_users (name, hash) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash".replace("?", self.mark),
            (name, digest),
        )

    def verify(self, name: str, password: str) -> bool:
        """Whether `password` is `name`'s; as slow for a name that has no account, so
        that the time taken does not tell which names exist."""
        row = self._one("SELECT hash FROM desk_users WHERE name = ?", name)
        try:
            return _HASHER.verify(row[0] if row else _nobody(), password) and row is not None
        except (VerificationError, InvalidHashError):
            return False

    def close(self) -> None:
        self.db.close()
