"""Numbers from the register (sổ đăng ký văn bản đi) for the documents being written.

`number: auto` takes the next number of the record's series, only for a document that is
written: reserve -> render -> check -> write -> confirm; any failure releases it. A number
typed by hand is claimed in the register when one is in use, so no two documents of a
series carry the same number. `render` numbers one document (`issued`), `batch` a whole
run in a few transactions (`number_jobs`, `Numbers.settle`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import register  # its names load when first used: a render without one loads none
from ..errors import NoticeGenError, OutputError, Problem
from ..i18n import _
from ..record.limits import head
from ..record.load import Source
from ..record.model import AUTO, Record
from ..register import DEFAULT_FILE, ENVIRONMENT
from ..register.writeback import snapshot, stamp, untouched, write_number
from .compose import number_line

if TYPE_CHECKING:
    from ..register import Entry, RegisterError, Request, Series

__all__ = [
    "Numbered",
    "Numbers",
    "Taken",
    "confirmed",
    "entry",
    "files_mention_auto",
    "given",
    "in_use",
    "issued",
    "mentions_auto",
    "number_jobs",
    "numbered",
    "numbers_for",
    "plan",
    "request",
    "stamp",
    "symbol",
]


def in_use(location: str | None, auto: bool = False) -> str | None:
    """The register to use: `location`, else $NOTICE_GEN_REGISTER, else the default file
    when it exists or a document needs a number from it (`auto`); None: no register."""
    chosen = location or os.environ.get(ENVIRONMENT)
    if chosen:
        return chosen
    return DEFAULT_FILE if auto or Path(DEFAULT_FILE).is_file() else None


def symbol(record: Record) -> str:
    """The number and sign as the book writes them: `05/TB-VP`, `135-TB/TU`."""
    return re.sub(r"^Số:?\s*", "", number_line(record)).strip()


def numbered(record: Record, number: int) -> Record:
    """The record with the number the register gave it."""
    return record.model_copy(update={"number": number})


@contextmanager
def _named(source: str) -> Iterator[None]:
    """Register failures name the document they concern."""
    try:
        yield
    except register.DuplicateNumber:
        raise
    except register.RegisterError as exc:
        raise register.RegisterError(f"{source}: {exc}") from None


def entry(record: Record, source: str) -> Entry:
    """The book's row of a numbered record."""
    assert isinstance(record.number, int)
    series = register.series_for(record)
    return register.entry_for(record, series, record.number, source=source, symbol=symbol(record))


@contextmanager
def issued(
    record: Record,
    path: Path,
    source: str | None,
    location: str | None,
    fingerprint: str | None = None,
) -> Iterator[Record]:
    """Number `record` (read from `path`, known to the register as `source`, by default
    `path` relative to the working folder) for the block, which writes its document.
    `number: auto` takes the next number, confirmed when the block ends and written back
    into `path` (`fingerprint`: the file as it was read); a number typed by hand is
    claimed. A failure in the block gives the number back."""
    auto = record.number == AUTO
    where = in_use(location, auto)
    if where is None:
        yield record
        return
    source = source or register.source_key(path)
    with _named(source), register.open_register(where) as book:
        series = register.series_for(record)
        if auto:
            with book.issuing(series, source, record.kind) as number:
                done = numbered(record, number)
                yield done
                book.confirm(entry(done, source))
            write_number(path, number, fingerprint or stamp(path), record.kind)
        elif isinstance(record.number, int):
            row = entry(record, source)
            book.claim(replace(row, status="reserved"))
            try:
                yield record
            except BaseException:
                book.release(series, row.number, "document not written")
                raise
            book.confirm(row)
        else:
            yield record


# -- a batch ------------------------------------------------------------------

AUTO_TEXT = re.compile(rb"\bauto\b", re.IGNORECASE)
EXTENDS = re.compile(rb"""^\s*["']?extends["']?\s*[:=]\s*["']?([^"'\n,}]+)""", re.MULTILINE)
Mapper = Callable[..., Iterable[Any]]


@dataclass
class Numbered:
    """What the numbering phase tells the worker making one document: its record, already
    validated and numbered, or why it gets no number."""

    record: Record | None = None
    source: str = ""  # the register's name of the document: `sheet.csv#row=12`
    auto: bool = False  # the number came from `number: auto`
    path: str | None = None  # the record file to write the number back into
    fingerprint: str = ""
    raw: bytes = b""  # the record file as read for its fingerprint
    line: int | None = None  # the line of its `number: auto` in that file
    error: str = ""  # the register refused it (a duplicate number): the job fails
    warnings: list[Problem] = field(default_factory=list)  # what validating it said
    series: Series | None = None  # the series it draws from, once `request` knows it

    def validated(self) -> Record:
        """The numbered record, or the register's refusal as a `RegisterError`."""
        if self.error or self.record is None:
            raise register.RegisterError(self.error)
        return self.record

    def writable(self) -> None:
        """Raise `RegisterError` when the number cannot be written back: the record file
        changed since it was read (checked again when it is written back)."""
        if self.auto and self.path:
            try:
                untouched(Path(self.path), self.fingerprint)
            except OutputError as exc:
                raise register.RegisterError(str(exc)) from None

    def write_back(self) -> None:
        """Write an `auto` number into its record file, when the file has `number: auto`;
        `OutputError` when it cannot."""
        if self.auto and self.path and isinstance(self.record, Record):
            number = self.record.number
            assert isinstance(number, int)
            if not write_number(
                Path(self.path), number, self.fingerprint, self.record.kind,
                durable=False, raw=self.raw or None, line=self.line,
            ):  # fmt: skip
                raise OutputError(
                    _("{path}: its number {number:02d} could not be written into the file; "
                      "write it there by hand: number: {number}").format(
                        path=self.path, number=number
                    )
                )  # fmt: skip


def job_source(job: Any) -> str:
    """The register's name of a batch job: the file, `#row=N` or `#record=N`."""
    where = job.where.split()
    number = int(where[1]) if len(where) == 2 and where[1].isdigit() else None
    row = number if where and where[0] == "row" else None
    record = number if where and where[0] == "record" else None
    return register.source_key(Path(job.source), row=row, record=record)


def plan(job: Any, load: Callable[[Any, bytes | None], Source]) -> Numbered | None:
    """Validate one job's record (`load(job, raw)` gives its source); a `Numbered` without
    a number yet when it has `number: auto` or its own number, else None. A record file
    that may say `auto` is read once, for its fingerprint and its record (`raw`)."""
    from ..record.validate import validate

    try:
        path = job.path if job.auto is not False else None
        raw, fingerprint = snapshot(Path(path)) if path else (b"", "")
        source = load(job, raw if path else None)
        record, warnings = validate(source)
    except NoticeGenError:
        return None  # the worker reports it
    if record.number is None:
        return None
    auto = record.number == AUTO
    file, line = source.positions.get(("number",), (None, None))
    if file is None and mentions_auto(raw):  # written where the parse keeps no line
        file = Path(path) if path else None
    if not auto or not path or file != Path(path):  # no number to write into this file
        return Numbered(record, job_source(job), auto, warnings=warnings)
    return Numbered(record, job_source(job), True, path, fingerprint, raw, line, warnings=warnings)


def mentions_auto(raw: bytes) -> bool:
    """Whether the word `auto` (any case) is in `raw`: the cheap test first."""
    return b"auto" in raw.lower() and bool(AUTO_TEXT.search(raw))


def files_mention_auto(paths: Iterable[str]) -> bool:
    """Whether `auto` is written in the files at `paths` or in those they extend."""
    files = list(paths)
    seen: set[str] = set()
    while files:
        path = os.path.realpath(files.pop())
        if path in seen:
            continue
        seen.add(path)
        try:
            raw = head(path)
        except OSError:
            continue
        if mentions_auto(raw):
            return True
        folder = os.path.dirname(path)
        files += [
            os.path.join(folder, m.decode("utf-8", "replace").strip()) for m in EXTENDS.findall(raw)
        ]
    return False


def _mentions_auto(jobs: list[Any]) -> bool:
    """Whether `auto` is written in the files the jobs read (their record, sheet or
    multi-record file, their base, the files these extend): a quick look deciding
    whether a batch without a register needs one. A job's `auto` says it for its file
    when the batch looked already."""
    files: set[str] = set()
    for job in jobs:
        if job.auto:
            return True
        if job.auto is None:
            files.add(job.path or job.source)
        if job.base:
            files.add(job.base)
    return files_mention_auto(files)


Taken = int | str | None  # the number given, why the register refused it, or none asked


def request(plan: Numbered | None) -> Request | str | None:
    """What a planned job asks of the register: the next number of its series (`auto`), a
    claim on the number typed in it, nothing (None), or why it cannot ask (a message)."""
    if plan is None or plan.record is None:
        return None
    record = plan.record
    try:
        series = plan.series = register.series_for(record)
    except register.RegisterError as exc:
        return f"{plan.source}: {exc}"
    if plan.auto:
        return register.Request(series, plan.source, record.kind)
    return register.Request(
        series, plan.source, record.kind, replace(entry(record, plan.source), status="reserved")
    )


def given(plan: Numbered | None, taken: Taken) -> None:
    """Hand a planned job the number the register gave it, or its refusal."""
    if plan is None or plan.record is None:
        return
    if isinstance(taken, str):
        plan.error = taken
    elif isinstance(taken, int) and plan.auto:
        plan.record = numbered(plan.record, taken)


def confirmed(plan: Numbered | None, printed: str = "") -> Entry | None:
    """The book's row of a planned job whose document was written (or left as it was);
    `printed`: its number and sign as the document prints them, when known."""
    if plan is None or plan.error or plan.record is None or plan.series is None:
        return None
    record = plan.record
    if not isinstance(record.number, int):
        return None
    sign = printed or symbol(record)
    series = plan.series
    return register.entry_for(record, series, record.number, source=plan.source, symbol=sign)


class Numbers:
    """The numbers of one batch run: taken a chunk of jobs at a time, in source order,
    each chunk in one transaction, which also confirms the numbers of the documents written
    since; the last confirmed, and those of the documents not written released, at the end."""

    def __init__(self, where: str | None, maybe: bool = False) -> None:
        self.book = register.open_register(where) if where else None
        self.maybe = maybe  # no register named, but a record may say `auto`: not known yet
        self.taken: dict[int, tuple[Series, int]] = {}  # job index -> its number, reserved
        self.made: dict[int, Entry] = {}  # job index -> its row: written, not confirmed yet
        self.refused: dict[int, str] = {}  # job index -> why the register refused its row

    @property
    def asked(self) -> bool:
        """Whether the jobs are numbered (or may be, once a record says `auto`)."""
        return self.book is not None or self.maybe

    def decide(self, requests: Iterable[Request | str | None], last: bool) -> bool:
        """Whether numbers can be taken now: a register is in use, or one of `requests`
        says `auto` (the default register is opened), or they are the `last`: none said
        `auto`, no register is used."""
        if not self.maybe:
            return True
        if any(isinstance(r, register.Request) and r.entry is None for r in requests):
            self.book, self.maybe = register.open_register(in_use(None, auto=True)), False
        elif last:
            self.maybe = False
        return not self.maybe

    def written(self, index: int, entry: Entry) -> None:
        """Job `index`'s document is written: its row `entry` is confirmed with the next
        numbers taken, in their transaction, or when the run settles."""
        self.made[index] = entry

    def take(self, indexes: list[int], requests: list[Request | str | None]) -> list[Taken]:
        """The numbers of the jobs `indexes` (what `request` said of each), in one
        transaction, which confirms the rows `written` since the last (those it refuses
        are kept in `refused`)."""
        if self.book is None:
            return [None] * len(requests)
        pairs = zip(indexes, requests, strict=True)
        asked = [(i, r) for i, r in pairs if isinstance(r, register.Request)]
        made = list(self.made.values())
        with self.book.together():
            self.book.lock([*(e.series for e in made), *(r.series for _i, r in asked)])
            refused = self.book.confirm_all(made)
            numbers = iter(self.book.take([r for _i, r in asked]))
        self._refused(self.made, refused)
        for i in self.made:
            self.taken.pop(i, None)
        self.made = {}
        taken: list[Taken] = []
        for i, r in zip(indexes, requests, strict=True):
            if not isinstance(r, register.Request):
                taken.append(r)
                continue
            number = next(numbers)
            if isinstance(number, register.RegisterError):
                taken.append(str(number))
            else:
                self.taken[i] = (r.series, number)
                taken.append(number)
        return taken

    def settle(self, statuses: dict[int, str], entries: dict[int, Entry]) -> dict[int, str]:
        """Confirm the numbers of the documents written (`statuses`: job index -> result
        status, `entries`: their rows of the book, besides those `written`), release those
        of the documents that failed. A job without a result (the run stopped: interrupted,
        or a failure here) keeps its number reserved: a worker may have printed it, and the
        next run of the same source is given it again. Returns, by job index, why the
        register refused a document's row (its number cancelled while it was made): the
        number is left as it is."""
        if self.book is None:
            return self.refused
        rows, confirm, release = {**entries, **self.made}, {}, []
        for i, number in self.taken.items():
            status = statuses.get(i)
            if status in ("written", "unchanged", "skipped") and i in rows:
                confirm[i] = rows[i]
            elif status:
                release.append(number)
        try:
            refused = self.book.settle(list(confirm.values()), release, "document not written")
        finally:
            self.book.close()
        self._refused(confirm, refused)
        return self.refused

    def _refused(self, rows: dict[int, Entry], refused: list[tuple[Entry, RegisterError]]) -> None:
        """Keep why the register refused some of `rows` (job index -> row), by job index."""
        index = {(e.series, e.number): i for i, e in rows.items()}
        for entry, exc in refused:
            self.refused[index[entry.series, entry.number]] = f"{entry.source}: {exc}"


def numbers_for(jobs: list[Any], location: str | None) -> Numbers:
    """The numbers of a batch: from the register in use, or maybe from the default one
    when a record of the jobs mentions `auto`, or none."""
    where = in_use(location)
    return Numbers(where, maybe=where is None and _mentions_auto(jobs))


def number_jobs(
    jobs: list[Any], numbers: Numbers, mapper: Mapper, load: Callable[[Any], Any]
) -> None:
    """Number every job before any is made (output names with `{number}`): validate each
    job's record through `mapper` (the worker pool), take the numbers in source order and
    hand each job its `numbered` record."""
    plans = list(mapper(plan, jobs, [load] * len(jobs)))
    requests = [request(p) for p in plans]
    numbers.decide(requests, last=True)
    if numbers.book is None:
        return
    taken = numbers.take(list(range(len(jobs))), requests)
    for job, planned, number in zip(jobs, plans, taken, strict=True):
        given(planned, number)
        job.numbered = planned
