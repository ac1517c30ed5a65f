"""Many documents in one run: folders of records, multi-record YAML, CSV and XLSX sheets.

The parent names the sources' jobs (files, sheet rows, `records:` entries, never their
texts), names every output and refuses collisions before anything is written; worker
processes then load, validate, render and write each document with the same engine as
`render`, a chunk of jobs at a time, and stream the results back. One failed record never stops the
others; a manifest (JSON and CSV) in the output folder says what became of each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError, OutputError, RecordError
from ..i18n import _
from ..record.limits import check_tree, head
from ..record.load import SUFFIXES, KeyPath, Source, load, merge, overlay, read, select_kind
from ..record.model import AUTO
from ..register.model import Entry, RegisterError, Request
from ..rules.profiles import KINDS
from .chunks import Here, Worker, in_chunks, mapped, two_steps
from .journal import Lock, finish, journal, recover, reserve, result_line, unreserve
from .journal import previous as finished_before
from .names import fields, from_pattern, inside_folder, refuse_collisions
from .numbering import (
    Numbered,
    Numbers,
    Taken,
    confirmed,
    files_mention_auto,
    given,
    mentions_auto,
    number_jobs,
    numbers_for,
    plan,
    request,
    symbol,
)
from .sheets import SHEETS, row_numbers, sheet_row
from .write import OutputDir, WriteError, os_message, put, sha256


@dataclass(slots=True)
class Job:
    """One document to make: where its record comes from and what to call it. The
    record itself is read where the document is made, never in the parent."""

    source: str  # file the record came from
    where: str  # "row 14", "record 3" or ""
    default_name: str  # output name without .docx when no pattern is given
    path: str | None = None  # a record file
    row: int | None = None  # or a row of the sheet `source`
    index: int | None = None  # or an entry of the `records:` list of `source`
    base: str | None = None  # a record whose keys are the defaults
    name: str = ""
    recorded: str | None = None  # SHA-256 notice-gen wrote for this output before
    note: str = ""  # how its sheet was read (encoding, separator), said once per run
    numbered: Numbered | None = None  # its record, numbered by the register (numbering.py)
    auto: bool | None = None  # its file (or one it extends) says `auto`; None: not looked

    def __reduce__(self) -> tuple[type[Job], tuple[Any, ...]]:
        return Job, _JOB_FIELDS(self)  # pickled as a tuple, for the workers


@dataclass(slots=True)
class Result:
    source: str
    where: str
    output: str
    status: str  # written, unchanged, skipped, kept, failed
    error: str = ""
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)  # as `render` prints them
    exit_code: int = 0
    number: str = ""  # the number and sign printed, `05/TB-VP`

    def __reduce__(self) -> tuple[type[Result], tuple[Any, ...]]:
        return Result, _RESULT_FIELDS(self)  # pickled as a tuple, back to the parent

    def row(self) -> dict[str, Any]:
        """Its row of the journal and the manifests."""
        return {
            "source": self.source,
            "where": self.where,
            "output": self.output,
            "number": self.number,
            "status": self.status,
            "error": self.error,
            "warnings": self.warnings,
            "sha256": self.sha256,
        }


_JOB_FIELDS = attrgetter(*Job.__slots__)
_RESULT_FIELDS = attrgetter(*Result.__slots__)


# -- sources ---------------------------------------------------------------

EXTENDS = re.compile(rb'^\s*"?extends"?\s*[:=]\s*"?([^"\n,]+)', re.M)
KIND = re.compile(rb'^\s*"?kind"?\s*[:=]', re.M)
RECORDS = re.compile(rb"^records\s*:", re.M)


def jobs_from(sources: list[Path], base: Path | None = None) -> list[Job]:
    """Every job the sources hold, in a stable order. Files are only named and glanced
    at here (what they extend, how many `records:`, whether they say `auto`); sheets
    are only counted."""
    jobs: list[Job] = []
    for source in sources:
        if source.is_dir():
            jobs += _folder_jobs(str(source), base)
        elif source.suffix.lower() in SHEETS:
            jobs += _sheet_jobs(source, base)
        else:
            scan = _scan(str(source))
            jobs += _file_jobs(str(source), base, source.stem, scan, _auto(str(source), scan, {}))
    return jobs


@dataclass(frozen=True, slots=True)
class Scan:
    """What a record file says of itself: the file it extends, how many records its
    `records:` list holds (None: one record), whether it says `auto`."""

    extends: str | None
    records: int | None = None
    auto: bool = False
    unreadable: bool = False  # its `records:` could not be read: the parent says why


def _scan(path: str) -> Scan:
    try:
        raw = head(path)
    except OSError:
        return Scan(None)
    extends = None
    if b"extends" in raw and (match := EXTENDS.search(raw)):
        extends = match.group(1).decode("utf-8", "replace").strip()
    auto = mentions_auto(raw)
    if b"records" not in raw or not path.lower().endswith((".yaml", ".yml")):
        return Scan(extends, None, auto)
    if not RECORDS.search(raw):
        return Scan(extends, None, auto)
    try:
        return Scan(extends, len(_records(read(Path(path)))), auto)
    except NoticeGenError:
        return Scan(extends, 0, auto, unreadable=True)


def _walk(folder: str) -> Iterator[tuple[str, bool]]:
    """The record files below `folder` (links to folders not followed), and whether
    each is a link."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif os.path.splitext(entry.name)[1].lower() in SUFFIXES and entry.is_file():
            yield entry.path, entry.is_symlink()


def _folder_jobs(folder: str, base: Path | None) -> list[Job]:
    """The jobs of every record file below `folder`, in the order of their paths; an
    organisation file (extended by another file, naming no `kind`) is no record."""
    files = sorted(_walk(folder), key=lambda f: f[0].split(os.sep))
    scans = [_scan(path) for path, _link in files]
    extended: dict[str, str] = {}  # `extends` joined to its folder -> the real path
    for (path, _link), scan in zip(files, scans, strict=True):
        if scan.extends:
            target = os.path.join(os.path.dirname(path), scan.extends)
            if target not in extended:
                extended[target] = os.path.realpath(target)
    targets = set(extended.values())
    real = os.path.realpath(folder)
    auto_of: dict[str, bool] = {}
    jobs: list[Job] = []
    for (path, link), scan in zip(files, scans, strict=True):
        rel = path[len(folder) :].lstrip(os.sep)
        if targets and (
            (os.path.realpath(path) if link else os.path.join(real, rel)) in targets
            and not _names_kind(path)
        ):
            continue
        jobs += _file_jobs(path, base, os.path.splitext(rel)[0], scan, _auto(path, scan, auto_of))
    return jobs


def _auto(path: str, scan: Scan, known: dict[str, bool]) -> bool:
    """Whether the file at `path` or one it extends says `auto` (`known`: of the
    extended files looked at already)."""
    if scan.auto or not scan.extends:
        return scan.auto
    target = os.path.join(os.path.dirname(path), scan.extends)
    if target not in known:
        known[target] = files_mention_auto([target])
    return known[target]


def _names_kind(path: str) -> bool:
    try:
        return bool(KIND.search(head(path)))
    except OSError:
        return True


def _sheet_jobs(path: Path, base: Path | None) -> list[Job]:
    note, numbers, auto = row_numbers(path, base)  # its cells read: `auto` is not in its bytes
    source, stem, default = str(path), path.stem, str(base) if base else None
    return [
        Job(source, f"row {n}", f"{stem}-{n}", row=n, base=default, note=note, auto=auto)
        for n in numbers
    ]


def _file_jobs(path: str, base: Path | None, stem: str, scan: Scan, auto: bool) -> list[Job]:
    default = str(base) if base else None
    if scan.records is not None:
        if scan.unreadable:
            _records(read(Path(path)))  # raises, saying why
        return [
            Job(path, f"record {i + 1}", f"{stem}-{i + 1}", index=i, base=default, auto=auto)
            for i in range(scan.records)
        ]
    return [Job(path, "", stem, path=path, base=default, auto=auto)]


def _records(source: Source) -> list[Any]:
    """The `records:` list of a multi-record YAML file."""
    records = source.data.get("records")
    if not isinstance(records, list):
        raise RecordError([source.problem(("records",), _("expected a list of records"))])
    return records


def _entry(source: Source, i: int) -> Source:
    """Entry `i` of a YAML file of `defaults:` and `records:`, over its defaults."""
    record = _records(source)[i]
    if not isinstance(record, dict):
        record = {}
    defaults = source.data.get("defaults") or {}
    below = Source(source.path, defaults, _shift(source.positions, ("defaults",)))
    over = Source(source.path, record, _shift(source.positions, ("records", i)))
    return merge(below, over)


def _shift(
    positions: dict[KeyPath, tuple[Path, int]], prefix: KeyPath
) -> dict[KeyPath, tuple[Path, int]]:
    n = len(prefix)
    return {k[n:]: v for k, v in positions.items() if k[:n] == prefix}


# -- naming ----------------------------------------------------------------


def output_name(job: Job, data: dict[str, Any], pattern: str | None) -> str:
    if not pattern:
        return f"{job.default_name}.docx"
    values = {**data, "stem": job.default_name, "row": job.where}
    return from_pattern(pattern, values, Path(job.source))


# -- the work of one document ------------------------------------------------


def _source(job: Job, raw: bytes | None = None) -> Source:
    """The job's record, read here: its file (`raw`: its bytes, read already), its sheet
    row or its `records:` entry."""
    base = job.base
    if job.path:
        source = load(Path(job.path), raw or _bytes(job.path))
    elif job.row is not None:
        sheet = Path(job.source)
        row = sheet_row(sheet, job.row, Path(base) if base else None)
        positions = {
            k: (sheet if f == job.source else Path(f), n) for k, (f, n) in row.positions.items()
        }
        source, base = Source(sheet, row.data, positions), row.base
        check_tree(source.data, source.path)
    else:
        source = _entry(read(Path(job.source)), job.index or 0)
        check_tree(source.data, source.path)
    if base:  # the base is validated once, each record over it for what it changes
        source = overlay(_base(base), source)
    return select_kind(source, None, KINDS)


def _bytes(path: str) -> bytes | None:
    """A record file's bytes, read at once (bounded): each file of a folder is read once,
    past the cache of files read again (`load.read`); None when it cannot be read or is
    not a regular file, which `load` then words."""
    try:
        return head(path) or None
    except OSError:
        return None


@lru_cache(maxsize=8)
def _base(path: str) -> Source:
    """A `--base` or `extends` record, read once per process (never modified)."""
    return load(Path(path))


def name_job(job: Job, pattern: str | None) -> tuple[str, str]:
    """The job's output name, or an error message."""
    try:
        data = _source(job).data
        if job.numbered and job.numbered.record:
            data = {**data, "number": job.numbered.record.number}
        return output_name(job, data, pattern), ""
    except NoticeGenError as exc:
        return "", str(exc)


@dataclass
class Settings:
    out_dir: str
    force: bool
    check: str  # "first", "all" (values after the first), "full" or "none"
    templates: str | None = None  # a folder of user templates


_checked: set[tuple[str, str]] = set()


@lru_cache(maxsize=4)
def _folder(path: str) -> Path:
    return Path(path)


def produce(job: Job, settings: Settings, planned: Numbered | None = None) -> Result:
    """Load, validate, render, check and write one document (`planned`: its record,
    validated and numbered already)."""
    from ..record.validate import validate
    from .document import check_rendered, render_values, template_for

    result = Result(job.source, job.where, job.name, "failed")
    planned = planned or job.numbered
    try:
        if planned:
            record, warnings = planned.validated(), planned.warnings
        else:
            record, warnings = validate(_source(job))
        result.warnings = [str(w) for w in warnings]
        if record.number == AUTO:  # never printed blank as if numbered
            raise RegisterError(
                _("number: auto was given no number; name the register: --register")
            )
        result.number = symbol(record) if isinstance(record.number, int) else ""
        folder = Path(settings.templates) if settings.templates else None
        template = template_for(record, Path(job.path or job.source), folder)
        data, values = render_values(record, template)
        key = (str(template), record.profile)
        if settings.check == "full" or (settings.check != "none" and key not in _checked):
            result.warnings += map(str, check_rendered(data, record, template, job.name))
            _checked.add(key)
        elif settings.check == "all":  # the layout was linted with the first document
            result.warnings += map(str, check_rendered(data, record, template, job.name, values))
        if planned:
            planned.writable()  # not a document whose number cannot reach its record
        target = inside_folder(_folder(settings.out_dir), job.name)
        digest = sha256(data)
        intent = {"output": job.name, "status": "writing", "sha256": digest}
        journal(settings.out_dir).append(intent)  # before the file: recognised after a crash
        result.status, result.sha256 = put(
            target, data, job.recorded, force=settings.force, durable=False, digest=digest
        )
        if planned and result.status in ("written", "unchanged"):
            try:
                planned.write_back()
            except OutputError as exc:  # the document is written: its number stays its own
                result.warnings.append(str(exc))
    except WriteError as exc:
        result.error, result.exit_code = str(exc), 1
    except OSError as exc:
        result.error, result.exit_code = os_message(Path(settings.out_dir) / job.name, exc), 1
    except OutputError as exc:
        result.status, result.error, result.exit_code = "kept", str(exc), 1
    except NoticeGenError as exc:
        result.error, result.exit_code = str(exc), exc.exit_code
    return result


# -- numbered jobs, in a worker -------------------------------------------------

_planned: dict[int, tuple[Job, Numbered | None]] = {}  # validated here, waiting for numbers


def prepare(jobs: list[Job], indexes: list[int]) -> list[Request | str | None]:
    """Validate a chunk of jobs (their `indexes` in the run) and keep their records in this
    process; what each asks of the register goes back to the parent."""
    asks = []
    for i, job in zip(indexes, jobs, strict=True):
        planned = plan(job, _source)
        _planned[i] = (job, planned)
        asks.append(request(planned))
    return asks


def complete(
    indexes: list[int], taken: list[Taken], skip: list[bool], settings: Settings
) -> list[tuple[int, Result | None, Entry | None]]:
    """Make the documents of a chunk `prepare` kept, with the numbers the register gave
    them (a `skip`ped job is only confirmed): each job's result and its row of the book
    when its number is to be confirmed."""
    made: list[tuple[int, Result | None, Entry | None]] = []
    for i, number, skipped in zip(indexes, taken, skip, strict=True):
        job, planned = _planned.pop(i)
        given(planned, number)
        result = None if skipped else produce(job, settings, planned)
        done = result is None or result.status in ("written", "unchanged")
        made.append(
            (i, result, confirmed(planned, result.number if result else "") if done else None)
        )
    return made


# -- the run -----------------------------------------------------------------


def run(
    jobs: list[Job],
    out_dir: Path,
    *,
    workers: int,
    pattern: str | None = None,
    force: bool = False,
    resume: bool = False,
    check: str = "first",
    templates: Path | None = None,
    progress: Callable[[Result], None] = lambda result: None,
    wait: bool = False,
    register: str | None = None,
) -> list[Result]:
    """Make every job's document; returns one result per job, in job order. Documents
    with `number: auto` are numbered from the `register` (pipeline/numbering.py): each
    chunk of jobs is validated by a worker, numbered here and made by the same worker;
    with `{number}` in the output names, every job is numbered before any is made."""
    import_module("notice_gen.pipeline.document")  # loaded before workers fork

    fields(pattern or "")
    lock = Lock(OutputDir(out_dir).path, wait=wait)
    output = OutputDir(out_dir)
    recover(out_dir, output.files)
    spare = reserve(out_dir, len(jobs))
    results: list[Result | None] = [None] * len(jobs)
    entries: dict[int, Entry] = {}
    numbers, pool, pinned, settled = Numbers(None), None, list[Worker](), False
    try:
        numbers = numbers_for(jobs, register)
        if numbers.asked and not pattern:
            pinned += [Here()] if workers == 1 else [ProcessPoolExecutor(1) for _ in range(workers)]
        elif workers > 1:
            pool = ProcessPoolExecutor(workers)
        if numbers.asked and pattern:
            number_jobs(jobs, numbers, lambda *a: mapped(pool, *a), _source)
            entries = {i: e for i, job in enumerate(jobs) if (e := confirmed(job.numbered))}
        if pattern:
            names = mapped(pool, name_job, jobs, [pattern] * len(jobs))
        else:
            names = ((f"{job.default_name}.docx", "") for job in jobs)
        for i, (job, (name, error)) in enumerate(zip(jobs, names, strict=True)):
            job.name, job.recorded = name, output.recorded(name)
            if error:
                results[i] = Result(job.source, job.where, "", "failed", error, exit_code=2)
        refuse_collisions(jobs, results)
        done = finished_before(out_dir) if resume else {}
        todo, skip = [], set()
        for i, job in enumerate(jobs):
            if results[i] is not None:
                continue
            previous = done.get((job.source, job.where)) if done else None
            if previous and previous == job.recorded and _same(out_dir / job.name, previous):
                results[i] = Result(job.source, job.where, job.name, "skipped", sha256=previous)
                skip.add(i)
            else:
                todo.append(i)
        try:
            settings = Settings(str(out_dir), force, check, str(templates) if templates else None)
            book = journal(out_dir)
            if pinned:
                every = sorted([*todo, *skip])
                chunks = _numbered(pinned, jobs, every, skip, settings, numbers)
            else:
                made = in_chunks(pool, produce, [jobs[i] for i in todo], [settings] * len(todo))
                at = iter(todo)
                chunks = ([(next(at), r) for r in chunk] for chunk in made)
            for chunk in chunks:  # noted in one write, as they arrive
                book.write(
                    [
                        result_line(r.source, r.where, r.output, r.status, r.sha256)
                        for _i, r in chunk
                    ]
                )
                for i, result in chunk:
                    results[i] = result
                    if result.sha256 and result.status in ("written", "unchanged"):
                        where = f"{result.source} {result.where}".strip()
                        output.record(result.output, result.sha256, where)
                for _i, result in chunk:
                    progress(result)
        finally:
            _stop(pool, pinned)  # a chunk under way ends (journaled) before anything is settled
            unreserve(spare)
            try:
                settled = True
                _settle(numbers, results, entries)
            finally:
                try:
                    output.save()
                finally:
                    finish(out_dir, (r.row() for r in results if r is not None))
    finally:
        try:
            _stop(pool, pinned)
            if not settled:  # failed before any document was made
                _settle(numbers, results, entries)
        finally:
            lock.release()
    return [r for r in results if r is not None]


def _settle(numbers: Numbers, results: list[Result | None], entries: dict[int, Entry]) -> None:
    """Confirm the numbers of the documents written, release the others; a document whose
    number the register refused (cancelled while it was made) fails, saying why."""
    statuses = {i: r.status for i, r in enumerate(results) if r is not None}
    try:
        numbers.settle(statuses, entries)
    finally:  # refused at a take already, when the register fails here
        for i, why in numbers.refused.items():
            if (result := results[i]) is not None:
                result.error, result.exit_code = why, 1


def _stop(pool: ProcessPoolExecutor | None, pinned: list[Worker]) -> None:
    """End the workers: what is not started is dropped, what is under way ends."""
    for executor in [*([pool] if pool else []), *pinned]:
        executor.shutdown(wait=True, cancel_futures=True)
    _planned.clear()  # kept by `prepare` in this process when it is the worker (`Here`)


def _numbered(
    workers: list[Worker],
    jobs: list[Job],
    indexes: list[int],
    skip: set[int],
    settings: Settings,
    numbers: Numbers,
) -> Iterator[list[tuple[int, Result]]]:
    """The jobs `indexes` numbered from the register, results a chunk at a time in order:
    a worker validates a chunk and keeps its records (`prepare`), the register numbers it
    here, chunks in order (numbers follow the sources), and the same worker makes its
    documents (`complete`); the rows of the book to confirm go to `numbers`. While no
    register is named and no record said `auto` yet, prepared chunks wait: a number typed
    by hand is claimed only if the default register comes into use."""

    def first(span: list[int]) -> tuple[Any, ...]:
        return ([jobs[i] for i in span], span)

    def then(ready: list[tuple[list[int], Any]], last: bool) -> list[tuple[Any, ...]] | None:
        asks = list(chain.from_iterable(asks for _s, asks in ready))
        if not numbers.decide(asks, last):
            return None
        spans = [span for span, _asks in ready]
        taken = iter(numbers.take(list(chain.from_iterable(spans)), asks))  # one transaction
        return [(span, list(islice(taken, len(span))), [i in skip for i in span], settings)
                for span in spans]  # fmt: skip

    for chunk in two_steps(workers, indexes, (prepare, first), then, complete):
        made = []
        for i, result, entry in chunk:
            if entry is not None:
                numbers.written(i, entry)
            if result is not None:
                made.append((i, result))
        yield made


def _same(path: Path, digest: str) -> bool:
    from .write import sha256

    try:
        return sha256(path.read_bytes()) == digest
    except OSError:
        return False
