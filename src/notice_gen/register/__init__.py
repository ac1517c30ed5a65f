"""TEMPORARY stand-in for the register (issue 14), SQLite only, for the desk's tests.

It implements exactly the contract of REGISTER_API.md; the lead replaces this file with
the register branch's package when merging. Nothing else belongs here.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError


class DuplicateNumber(NoticeGenError):
    """A hand-typed number already registered for another document."""


@dataclass(frozen=True)
class Series:
    issuer: str
    scope: str
    kind: str
    secret: bool = False
    body: str = ""


@dataclass(frozen=True)
class Entry:
    series: Series
    number: int
    symbol: str
    date: date | None
    kind: str
    subject: str
    signer: str
    recipients: str
    archive: str
    copies: int | None = None
    note: str = ""
    source: str = ""
    status: str = "issued"
    void_reason: str = ""


def series_for(record: Any) -> Series:
    """State: one series per issuer per year; Party: per issuer, kind and five-year term."""
    year = record.date.year if record.date else (record.year or date.today().year)
    if record.rules.regime == "state":
        return Series(record.issuer.code, str(year), "*")
    start = year - year % 5
    return Series(record.issuer.code, f"{start}-{start + 5}", record.kind)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  issuer TEXT, scope TEXT, kind_series TEXT, secret INTEGER, body TEXT, number INTEGER,
  symbol TEXT, date TEXT, kind TEXT, subject TEXT, signer TEXT, recipients TEXT, archive TEXT,
  copies INTEGER, note TEXT, source TEXT, status TEXT, void_reason TEXT,
  PRIMARY KEY (issuer, scope, kind_series, secret, body, number));
"""


def open_register(location: str | Path | None = None) -> Register:
    where = str(location or os.environ.get("NOTICE_GEN_REGISTER") or "so-van-ban-di.sqlite")
    return Register(where.removeprefix("sqlite:///"))


class Register:
    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def _key(self, s: Series) -> tuple[str, str, str, int, str]:
        return (s.issuer, s.scope, s.kind, int(s.secret), s.body)

    def number_for(self, source: str, kind: str) -> int | None:
        row = self.db.execute(
            "SELECT number FROM entries WHERE source=? AND kind=? AND status!='void'",
            (source, kind),
        ).fetchone()
        return row[0] if row else None

    def reserve(self, series: Series, source: str, kind: str) -> int:
        where = "issuer=? AND scope=? AND kind_series=? AND secret=? AND body=?"
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row = self.db.execute(
                f"SELECT number FROM entries WHERE {where} AND source=? AND kind=? "
                "AND status!='void'",
                (*self._key(series), source, kind),
            ).fetchone()
            if row:
                number = int(row[0])
            else:
                top = self.db.execute(
                    f"SELECT MAX(number) FROM entries WHERE {where}", self._key(series)
                ).fetchone()[0]
                number = (top or 0) + 1
                self.db.execute(
                    "INSERT INTO entries (issuer, scope, kind_series, secret, body, number, "
                    "source, kind, status) VALUES (?,?,?,?,?,?,?,?,'reserved')",
                    (*self._key(series), number, source, kind),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return number

    def confirm(self, entry: Entry) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                *self._key(entry.series),
                entry.number,
                entry.symbol,
                entry.date.isoformat() if entry.date else None,
                entry.kind,
                entry.subject,
                entry.signer,
                entry.recipients,
                entry.archive,
                entry.copies,
                entry.note,
                entry.source,
                "issued",
                "",
            ),
        )

    def release(self, series: Series, number: int, reason: str) -> None:
        self.void(series, number, reason)

    def claim(self, entry: Entry) -> None:
        raise DuplicateNumber("claim is not part of the temporary register")

    def void(self, series: Series, number: int, reason: str) -> None:
        self.db.execute(
            "UPDATE entries SET status='void', void_reason=? WHERE issuer=? AND scope=? "
            "AND kind_series=? AND secret=? AND body=? AND number=?",
            (reason, *self._key(series), number),
        )

    def entries(self, year: int | None = None, kind: str | None = None) -> list[Entry]:
        rows = self.db.execute(
            "SELECT * FROM entries WHERE status!='reserved' ORDER BY date, number"
        ).fetchall()
        out = []
        for r in rows:
            day = date.fromisoformat(r[7]) if r[7] else None
            if (year and (not day or day.year != year)) or (kind and r[8] != kind):
                continue
            series = Series(r[0], r[1], r[2], bool(r[3]), r[4])
            kind, subject, signer, recipients, archive, copies = r[8:14]
            out.append(
                Entry(series, r[5], r[6], day, kind, subject, signer, recipients, archive,
                      copies, r[14] or "", r[15], r[16], r[17] or "")
            )  # fmt: skip
        return out

    def close(self) -> None:
        self.db.close()
