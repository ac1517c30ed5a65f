"""The register: numbers taken atomically from a series, the same SQL on SQLite and
PostgreSQL. Every change runs in one transaction that first locks the series' counter row,
so two processes or two machines never give the same number and never leave a gap."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..i18n import _
from . import DEFAULT_FILE, ENVIRONMENT
from .backends import Backend, PostgresBackend, SQLiteBackend
from .model import DuplicateNumber, Entry, RegisterError, Request, Series

# the numbers a document holds: the rows of the index numbers_by_source, which a query
# uses only when its WHERE says all of this
HELD = "status <> 'void' AND source <> ''"
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS counters (
        issuer TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, secret INTEGER NOT NULL,
        body TEXT NOT NULL, last INTEGER NOT NULL,
        PRIMARY KEY (issuer, scope, kind, secret, body))""",
    """CREATE TABLE IF NOT EXISTS numbers (
        issuer TEXT NOT NULL, scope TEXT NOT NULL, kind TEXT NOT NULL, secret INTEGER NOT NULL,
        body TEXT NOT NULL, number INTEGER NOT NULL,
        origin TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
        doc_kind TEXT NOT NULL, year INTEGER NOT NULL, symbol TEXT NOT NULL, doc_date TEXT,
        subject TEXT NOT NULL, signer TEXT NOT NULL, recipients TEXT NOT NULL,
        archive TEXT NOT NULL, copies INTEGER, note TEXT NOT NULL, void_reason TEXT NOT NULL,
        changed TEXT NOT NULL,
        PRIMARY KEY (issuer, scope, kind, secret, body, number))""",
    f"CREATE UNIQUE INDEX IF NOT EXISTS numbers_by_source ON numbers (source, doc_kind) "
    f"WHERE {HELD}",
)
SERIES = "issuer = ? AND scope = ? AND kind = ? AND secret = ? AND body = ?"
ENTRY_COLUMNS = (
    "issuer, scope, kind, secret, body, number, symbol, doc_date, doc_kind, subject, signer, "
    "recipients, archive, copies, note, source, status, void_reason"
)


def open_register(location: str | Path | None = None) -> Register:
    """`None` -> $NOTICE_GEN_REGISTER, else `./so-van-ban-di.sqlite`. A path or
    `sqlite:///path` -> SQLite (WAL); `postgresql://…` -> PostgreSQL. Creates the schema."""
    location = location or os.environ.get(ENVIRONMENT) or DEFAULT_FILE
    text = str(location)
    backend: Backend
    if text.startswith(("postgresql://", "postgres://")):
        backend = PostgresBackend(text)
    else:
        backend = SQLiteBackend(Path(text.removeprefix("sqlite:///")))
    return Register(backend)


def _key(series: Series) -> tuple[Any, ...]:
    return (series.issuer, series.scope, series.kind, int(series.secret), series.body)


def _now() -> str:
    return _second(int(time.time()))


@lru_cache(maxsize=1)
def _second(now: int) -> str:
    """The time `now` as the book writes it (UTC, to the second)."""
    return datetime.fromtimestamp(now, timezone.utc).isoformat()


def _year(series: Series, day: date | None) -> int:
    """The year a number is listed under: its document's, else its State series' year."""
    if day:
        return day.year
    return int(series.scope) if series.scope.isdigit() else date.today().year


class Register:
    """The sổ đăng ký văn bản đi of one office, in one database."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.where = backend.where
        self.depth = 0  # transactions open (`together`)
        with backend.transaction():
            if isinstance(backend, PostgresBackend):  # concurrent CREATE IF NOT EXISTS
                backend.query("SELECT pg_advisory_xact_lock(14)")
            for statement in SCHEMA:
                backend.query(statement)

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.backend.close()

    @contextmanager
    def together(self) -> Iterator[None]:
        """One transaction for every call in the block: a batch reserves, confirms or
        releases many numbers with one commit. The series stay locked until it ends."""
        if self.depth:
            yield
            return
        self.depth += 1
        try:
            with self.backend.transaction():
                yield
        finally:
            self.depth -= 1

    # -- reading --------------------------------------------------------------

    def number_for(self, source: str, kind: str) -> int | None:
        """The number already given to this source and kind (not a cancelled one)."""
        rows = self._q(
            f"SELECT number FROM numbers WHERE source = ? AND doc_kind = ? AND {HELD}",
            (source, kind),
        )
        return rows[0][0] if rows and source else None

    def entries(self, year: int | None = None, kind: str | None = None) -> list[Entry]:
        """Every number given, in series order: issued, reserved (not yet confirmed), void."""
        where, params = ["1 = 1"], list[Any]()
        if year is not None:
            where.append("year = ?")
            params.append(year)
        if kind:
            where.append("(doc_kind = ? OR kind = ?)")
            params += [kind, kind]
        rows = self._q(
            f"SELECT {ENTRY_COLUMNS} FROM numbers WHERE {' AND '.join(where)} "
            "ORDER BY year, issuer, scope, secret, body, kind, number",
            params,
        )
        return [_entry(row) for row in rows]

    def series(self) -> list[Series]:
        """Every series that has given a number."""
        rows = self._q(
            "SELECT issuer, scope, kind, secret, body FROM counters "
            "ORDER BY issuer, scope, kind, secret, body"
        )
        return [Series(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    def backup(self, target: Path) -> None:
        """A consistent copy of a SQLite register (PostgreSQL: pg_dump's job)."""
        self.backend.backup(Path(target))

    # -- numbering ------------------------------------------------------------

    def reserve(self, series: Series, source: str, kind: str) -> int:
        """The next number of the series for this document, or the one it already has."""
        return _given(self.take([Request(series, source, kind)])[0])

    @contextmanager
    def issuing(
        self, series: Series, source: str, kind: str, reason: str = "document not written"
    ) -> Iterator[int]:
        """`reserve` a number for the block, which writes the document and `confirm`s its
        entry; any failure in the block `release`s the number and goes on."""
        number = self.reserve(series, source, kind)
        try:
            yield number
        except BaseException:
            self.release(series, number, reason)
            raise

    def confirm(self, entry: Entry) -> None:
        """The document was written: record its row in the book; `RegisterError` when it
        cannot be (`confirm_all`)."""
        refused = self.confirm_all([entry])
        if refused:
            raise refused[0][1]

    def lock(self, series: Iterable[Series]) -> None:
        """Lock `series` until the transaction under way (`together`) ends, in the fixed
        order every change takes them in, so that two runs never wait on each other: what
        changes several series locks them all first."""
        for one in sorted(set(series), key=_key):
            self._lock(one)

    def claim(self, entry: Entry) -> None:
        """Register a number typed by hand; `DuplicateNumber` when another document has it."""
        _given(self.take([Request(entry.series, entry.source, entry.kind, entry)])[0])

    def release(self, series: Series, number: int, reason: str) -> None:
        """The document was not written: free its reserved number if it is still the series'
        last, else cancel it with `reason` (never reused). Issued numbers are left alone."""
        self.release_all([(series, number)], reason)

    def take(self, requests: Sequence[Request]) -> list[int | RegisterError]:
        """Numbers for many documents in one transaction, a few statements per series:
        series by series in a fixed order (two runs never wait on each other), each
        series' requests in the order given. `auto` gets the next number of its series (or
        the one its document has already), a number typed by hand is claimed. A request
        refused gets its `RegisterError` (a duplicate, a cancelled number, a document
        registered in another series); the others are not affected."""
        given: list[int | RegisterError] = [RegisterError("")] * len(requests)
        groups: dict[Series, list[int]] = {}
        for i, request in enumerate(requests):
            groups.setdefault(request.series, []).append(i)
        with self.together():
            for series in sorted(groups, key=_key):
                self._take(series, [(i, requests[i]) for i in groups[series]], given)
        return given

    def confirm_all(self, entries: Sequence[Entry]) -> list[tuple[Entry, RegisterError]]:
        """The documents were written: record their rows in the book, in one transaction. A
        row that cannot be confirmed (its number cancelled meanwhile, or never reserved for
        its document) is left as it is: returns those entries, each with why."""
        refused: list[tuple[Entry, RegisterError]] = []
        with self.together():
            for series, group in _by_series(entries, lambda e: e.series):
                self._lock(series)
                rows = self._rows(series, [e.number for e in group])
                done = []
                for entry in group:
                    try:
                        self._check_written(entry, rows.get(entry.number))
                    except RegisterError as exc:
                        refused.append((entry, exc))
                    else:
                        done.append(entry)
                self.backend.many(UPDATE, [_updated(e) for e in done])
        return refused

    def settle(
        self, entries: Sequence[Entry], numbers: Sequence[tuple[Series, int]], reason: str
    ) -> list[tuple[Entry, RegisterError]]:
        """`confirm_all(entries)` and `release_all(numbers, reason)` in one transaction,
        every series they touch locked first (`lock`); returns the entries refused."""
        with self.together():
            self.lock([*(e.series for e in entries), *(s for s, _n in numbers)])
            refused = self.confirm_all(entries)
            self.release_all(numbers, reason)
        return refused

    def release_all(self, numbers: Sequence[tuple[Series, int]], reason: str) -> None:
        """`release` each of `numbers` (series, number), in one transaction."""
        with self.together():
            for series, group in _by_series(numbers, lambda n: n[0]):
                last = self._lock(series)
                rows = self._rows(series, [n for _s, n in group])
                top, gone, void = last, [], []
                for number in sorted({n for _s, n in group}, reverse=True):
                    row = rows.get(number)
                    if row is None or row["status"] != "reserved":
                        continue
                    if row["origin"] == "hand" or number == top:
                        gone.append((*_key(series), number))
                        top = number - 1 if row["origin"] == "auto" else top
                    else:
                        void.append((reason, _now(), *_key(series), number))
                self.backend.many(f"DELETE FROM numbers WHERE {SERIES} AND number = ?", gone)
                self.backend.many(VOID, void)
                if top != last:
                    self._q(f"UPDATE counters SET last = ? WHERE {SERIES}", (top, *_key(series)))

    def void(self, series: Series, number: int, reason: str) -> None:
        """Mark a number cancelled; it is never given again."""
        if not reason.strip():
            raise RegisterError(_("say why the number is cancelled (--reason)"))
        if number < 1:
            raise RegisterError(_("a number starts at 1"))
        with self.together():
            self._lock(series)
            row = self._row(series, number)
            if row is None:
                doc_kind = "" if series.kind == "*" else series.kind
                blank = Entry(series, number, kind=doc_kind, status="void", void_reason=reason)
                self._insert(blank, "hand")
            elif row["status"] == "void":
                raise RegisterError(
                    _("number {number:02d} of series {series} is already cancelled: {reason}")
                    .format(number=number, series=series, reason=row["void_reason"])
                )  # fmt: skip
            else:
                self._void(series, number, reason)

    # -- helpers --------------------------------------------------------------

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.backend.query(sql, params)

    def _lock(self, series: Series) -> int:
        """Create the series' counter when new, lock it until the transaction ends, and
        return the last number given from it."""
        key = _key(series)
        self._q(
            "INSERT INTO counters (issuer, scope, kind, secret, body, last) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
            key,
        )
        rows = self._q(f"SELECT last FROM counters WHERE {SERIES}{self.backend.lock_clause}", key)
        return int(rows[0][0])

    def _take(
        self, series: Series, requests: list[tuple[int, Request]], given: list[int | RegisterError]
    ) -> None:
        """`take` for the requests of one series (index in `given`, request)."""
        last = self._lock(series)
        typed = sorted({r.entry.number for _i, r in requests if r.entry is not None})
        auto = any(r.entry is None for _i, r in requests)  # some take the next number
        rows = self._rows(series, typed, above=last if auto else None)  # and those past it
        held = self._held({r.source for _i, r in requests if r.source})
        top, added, claimed = last, list[tuple[Any, ...]](), list[tuple[Any, ...]]()
        for i, request in requests:
            entry, source, kind = request.entry, request.source, request.kind
            holds = held.get((source, kind)) if source else None
            try:
                if entry is None and holds is not None:
                    if holds[0] != series:
                        raise RegisterError(
                            _("{source} ({kind}) already has number {number:02d} of series "
                              "{series}; cancel it first with: notice-gen register void "
                              "{number} --reason …").format(
                                source=source, kind=kind, number=holds[1], series=holds[0]
                            )
                        )  # fmt: skip
                    given[i] = holds[1]
                    continue
                if entry is not None and entry.number in rows:
                    self._check_holder(entry, rows[entry.number])
                    claimed.append(_updated(entry))
                    rows[entry.number]["status"] = "issued"
                    given[i] = entry.number
                    continue
                if entry is not None and holds is not None:
                    raise RegisterError(
                        _("{source} ({kind}) is registered with number {number:02d} of series "
                          "{series}; cancel that number first with: notice-gen register void "
                          "{number} --reason …").format(
                            source=source, kind=kind, number=holds[1], series=holds[0]
                        )
                    )  # fmt: skip
            except RegisterError as exc:
                given[i] = exc
                continue
            origin = "hand" if entry is not None else "auto"
            if entry is None:
                top += 1
                while top in rows:  # numbers typed by hand or cancelled ahead of the series
                    top += 1
                entry = Entry(series, top, kind=kind, source=source, status="reserved")
            added.append(_inserted(entry, origin))
            rows[entry.number] = dict(
                origin=origin, status=entry.status, source=source, doc_kind=kind,
                symbol=entry.symbol, void_reason="",
            )  # fmt: skip
            held[(source, kind)] = (series, entry.number)
            given[i] = entry.number
        self.backend.many(INSERT, added)
        self.backend.many(UPDATE, claimed)
        if top != last:
            self._q(f"UPDATE counters SET last = ? WHERE {SERIES}", (top, *_key(series)))

    def _held(self, sources: set[str]) -> dict[tuple[str, str], tuple[Series, int]]:
        """(source, kind) -> the series and number each of `sources` holds (not cancelled)."""
        held = {}
        for part in _parts(sorted(sources)):
            for r in self._q(
                "SELECT issuer, scope, kind, secret, body, number, source, doc_kind FROM numbers "
                f"WHERE {HELD} AND source IN ({', '.join('?' * len(part))})",
                part,
            ):
                held[(r[6], r[7])] = (Series(r[0], r[1], r[2], bool(r[3]), r[4]), int(r[5]))
        return held

    def _row(self, series: Series, number: int) -> dict[str, Any] | None:
        return self._rows(series, [number]).get(number)

    def _rows(
        self, series: Series, numbers: Sequence[int], above: int | None = None
    ) -> dict[int, dict[str, Any]]:
        """number -> its row, for `numbers` of the series and every number past `above`."""
        names = ("origin", "status", "source", "doc_kind", "symbol", "void_reason")
        rows: dict[int, dict[str, Any]] = {}
        parts = _parts(sorted(set(numbers))) or [[]]
        for n, part in enumerate(parts):
            wanted = [f"number IN ({', '.join('?' * len(part))})"] if part else []
            if above is not None and n == 0:
                wanted.append("number > ?")
            if not wanted:
                continue
            for r in self._q(
                f"SELECT number, {', '.join(names)} FROM numbers "
                f"WHERE {SERIES} AND ({' OR '.join(wanted)})",
                (*_key(series), *part, *([above] if above is not None and n == 0 else [])),
            ):
                rows[int(r[0])] = dict(zip(names, r[1:], strict=True))
        return rows

    def _check_written(self, entry: Entry, row: dict[str, Any] | None) -> None:
        """Raise `RegisterError` when the number of a document written is not its own."""
        if row is None:
            raise RegisterError(
                _("number {number:02d} of series {series} was never reserved for {source}")
                .format(number=entry.number, series=entry.series, source=entry.source)
            )  # fmt: skip
        own = (row["source"], row["doc_kind"]) == (entry.source, entry.kind)
        if row["status"] == "void" and own:
            raise RegisterError(
                _("number {number:02d} of series {series} was cancelled ({reason}) while its "
                  "document was being made; render it again for a new number")
                .format(number=entry.number, series=entry.series, reason=row["void_reason"])
            )  # fmt: skip
        self._check_holder(entry, row)

    def _check_holder(self, entry: Entry, row: dict[str, Any]) -> None:
        if row["status"] == "void":
            raise RegisterError(
                _("number {number:02d} of series {series} was cancelled ({reason}) and is "
                  "never given again; use number: auto or another number").format(
                    number=entry.number, series=entry.series, reason=row["void_reason"]
                )
            )  # fmt: skip
        if (row["source"], row["doc_kind"]) != (entry.source, entry.kind):
            symbol = row["symbol"] or f"{entry.number:02d}"
            holder = f"{symbol} ({row['source']})" if row["source"] else symbol
            raise DuplicateNumber(entry.series, entry.number, holder, entry.describe())

    def _insert(self, entry: Entry, origin: str) -> None:
        self._q(INSERT, _inserted(entry, origin))

    def _void(self, series: Series, number: int, reason: str) -> None:
        self._q(VOID, (reason, _now(), *_key(series), number))


INSERT = (
    "INSERT INTO numbers (issuer, scope, kind, secret, body, number, origin, status, source, "
    "doc_kind, year, symbol, doc_date, subject, signer, recipients, archive, copies, note, "
    "void_reason, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
UPDATE = (
    "UPDATE numbers SET status = 'issued', year = ?, symbol = ?, doc_date = ?, subject = ?, "
    "signer = ?, recipients = ?, archive = ?, copies = ?, note = ?, changed = ? "
    f"WHERE {SERIES} AND number = ?"
)
VOID = (
    "UPDATE numbers SET status = 'void', void_reason = ?, changed = ? "
    f"WHERE {SERIES} AND number = ?"
)
PART = 500  # values in one IN (…): far below the limits of SQLite and PostgreSQL


def _parts(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + PART] for i in range(0, len(values), PART)]


def _by_series(items: Sequence[Any], series_of: Any) -> list[tuple[Series, list[Any]]]:
    """`items` grouped by series, the series in a fixed order (locks taken in that order)."""
    groups: dict[Series, list[Any]] = {}
    for item in items:
        groups.setdefault(series_of(item), []).append(item)
    return sorted(groups.items(), key=lambda g: _key(g[0]))


def _given(number: int | RegisterError) -> int:
    if isinstance(number, RegisterError):
        raise number
    return number


def _inserted(entry: Entry, origin: str) -> tuple[Any, ...]:
    return (*_key(entry.series), entry.number, origin, entry.status, entry.source, entry.kind,
            _year(entry.series, entry.date), entry.symbol,
            entry.date.isoformat() if entry.date else None, entry.subject, entry.signer,
            entry.recipients, entry.archive, entry.copies, entry.note, entry.void_reason,
            _now())  # fmt: skip


def _updated(entry: Entry) -> tuple[Any, ...]:
    return (_year(entry.series, entry.date), entry.symbol,
            entry.date.isoformat() if entry.date else None, entry.subject, entry.signer,
            entry.recipients, entry.archive, entry.copies, entry.note, _now(),
            *_key(entry.series), entry.number)  # fmt: skip


def _entry(row: Sequence[Any]) -> Entry:
    (issuer, scope, kind, secret, body, number, symbol, day, doc_kind, subject, signer,
     recipients, archive, copies, note, source, status, reason) = row  # fmt: skip
    return Entry(
        series=Series(issuer, scope, kind, bool(secret), body),
        number=int(number),
        symbol=symbol,
        date=date.fromisoformat(day) if day else None,
        kind=doc_kind,
        subject=subject,
        signer=signer,
        recipients=recipients,
        archive=archive,
        copies=copies,
        note=note,
        source=source,
        status=status,
        void_reason=reason,
    )
