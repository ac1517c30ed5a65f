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
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError, Problem
from ..record.model import AUTO, Record
from ..register.model import DuplicateNumber, Entry, RegisterError, Series, source_key
from ..register.series import entry_for, series_for
from ..register.store import DEFAULT_FILE, ENVIRONMENT, Register, open_register
from ..register.writeback import stamp, write_number
from .compose import number_line

__all__ = [
    "Numbered",
    "Numbers",
    "entry",
    "files_mention_auto",
    "in_use",
    "issued",
    "mentions_auto",
    "number_jobs",
    "numbered",
    "source_key",
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
    except DuplicateNumber:
        raise
    except RegisterError as exc:
        raise RegisterError(f"{source}: {exc}") from None


def entry(record: Record, source: str) -> Entry:
    """The book's row of a numbered record."""
    assert isinstance(record.number, int)
    return entry_for(
        record, series_for(record), record.number, source=source, symbol=symbol(record)
    )


@contextmanager
def issued(
    record: Record, path: Path, source: str, location: str | None, fingerprint: str | None = None
) -> Iterator[Record]:
    """Number `record` (read from `path`, known to the register as `source`) for the block,
    which writes its document. `number: auto` takes the next number, confirmed when the
    block ends and written back into `path` (`fingerprint`: the file as it was read); a
    number typed by hand is claimed. A failure in the block gives the number back."""
    auto = record.number == AUTO
    where = in_use(location, auto)
    if where is None:
        yield record
        return
    with _named(source), open_register(where) as book:
        series = series_for(record)
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
    error: str = ""  # the register refused it (a duplicate number): the job fails
    warnings: list[Problem] = field(default_factory=list)  # what validating it said

    def validated(self) -> Record:
        """The numbered record, or the register's refusal as a `RegisterError`."""
        if self.error or self.record is None:
            raise RegisterError(self.error)
        return self.record

    def write_back(self) -> None:
        """Write an `auto` number into its record file, when the file has `number: auto`."""
        if self.auto and self.path and isinstance(self.record, Record):
            assert isinstance(self.record.number, int)
            write_number(
                Path(self.path), self.record.number, self.fingerprint, self.record.kind,
                durable=False,
            )  # fmt: skip


def job_source(job: Any) -> str:
    """The register's name of a batch job: the file, `#row=N` or `#record=N`."""
    where = job.where.split()
    number = int(where[1]) if len(where) == 2 and where[1].isdigit() else None
    row = number if where and where[0] == "row" else None
    record = number if where and where[0] == "record" else None
    return source_key(Path(job.source), row=row, record=record)


def plan(job: Any, load: Callable[[Any], Any]) -> Numbered | None:
    """Validate one job's record (`load(job)` gives its source); a `Numbered` without a
    number yet when it has `number: auto` or its own number, else None."""
    from ..record.validate import validate

    try:
        fingerprint = stamp(Path(job.path)) if job.path else ""
        record, warnings = validate(load(job))
    except NoticeGenError:
        return None  # the worker reports it
    if record.number is None:
        return None
    auto = record.number == AUTO
    return Numbered(record, job_source(job), auto, job.path, fingerprint, warnings=warnings)


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
            with open(path, "rb") as handle:
                raw = handle.read()
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


class Numbers:
    """The numbers of one batch run: taken in source order in one transaction, confirmed
    for the documents written and released for the others in another."""

    def __init__(self, book: Register | None, jobs: list[Any]) -> None:
        self.book, self.jobs = book, jobs

    def take(self) -> None:
        """Reserve (`auto`) or claim (typed by hand) each planned job's number, series by
        series, in source order."""
        if self.book is None:
            return
        groups: dict[Series, list[Any]] = {}
        for job in self.jobs:
            if job.numbered is not None and job.numbered.record is not None:
                try:
                    groups.setdefault(series_for(job.numbered.record), []).append(job)
                except RegisterError as exc:
                    job.numbered.error = f"{job.numbered.source}: {exc}"
        with self.book.together():
            for series in sorted(groups, key=str):
                for job in groups[series]:
                    plan = job.numbered
                    try:
                        plan.record = self._one(series, plan)
                    except RegisterError as exc:
                        plan.error = str(exc)

    def _one(self, series: Series, plan: Numbered) -> Record:
        assert self.book is not None and plan.record is not None
        record = plan.record
        if plan.auto:
            return numbered(record, self.book.reserve(series, plan.source, record.kind))
        self.book.claim(replace(entry(record, plan.source), status="reserved"))
        return record

    def settle(self, statuses: dict[int, str]) -> None:
        """Confirm the numbers of the documents written (`statuses`: job index -> result
        status), release the others; when the run was interrupted, numbers of jobs without
        a result stay reserved for the next run of the same sources."""
        if self.book is None:
            return
        interrupted = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        confirm, release = [], []
        for i, job in enumerate(self.jobs):
            plan = job.numbered
            if plan is None or plan.error or plan.record is None:
                continue
            status = statuses.get(i)
            if status in ("written", "unchanged", "skipped"):
                confirm.append(entry(plan.record, plan.source))
            elif isinstance(plan.record.number, int) and (status or not interrupted):
                release.append((series_for(plan.record), plan.record.number))
        try:
            with self.book.together():
                for row in confirm:
                    self.book.confirm(row)
                for series, number in sorted(release, key=lambda r: (str(r[0]), -r[1])):
                    self.book.release(series, number, "document not written")
        finally:
            self.book.close()


def number_jobs(
    jobs: list[Any], location: str | None, mapper: Mapper, load: Callable[[Any], Any]
) -> Numbers:
    """The numbering phase of a batch: when a register is in use (or a record asks for
    `number: auto`), validate every job's record through `mapper` (the worker pool), take
    their numbers in one transaction and hand each job its `numbered` record."""
    where = in_use(location)
    if where is None and not _mentions_auto(jobs):
        return Numbers(None, jobs)
    plans = list(mapper(plan, jobs, [load] * len(jobs)))
    auto = any(p is not None and p.auto for p in plans)
    where = where or in_use(location, auto)
    if where is None:
        return Numbers(None, jobs)
    for job, planned in zip(jobs, plans, strict=True):
        job.numbered = planned
    numbers = Numbers(open_register(where), jobs)
    try:
        numbers.take()
    except BaseException:
        numbers.settle({})
        raise
    return numbers
