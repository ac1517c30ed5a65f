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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..record.validate import AUTO, Record
from ..register.model import DuplicateNumber, Entry, RegisterError, source_key
from ..register.series import entry_for, series_for
from ..register.store import DEFAULT_FILE, ENVIRONMENT, open_register
from ..register.writeback import stamp, write_number
from .compose import number_line

__all__ = ["entry", "in_use", "issued", "numbered", "source_key", "stamp", "symbol"]


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
