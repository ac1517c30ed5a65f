"""Many documents in one run: folders of records, multi-record YAML, CSV and XLSX sheets.

The parent reads the sources into jobs, names every output and refuses collisions
before anything is written; worker processes then load, validate, render and write
each document with the same engine as `render`. One failed record never stops the
others; a manifest (JSON and CSV) in the output folder says what became of each.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError, OutputError, RecordError
from ..i18n import _
from ..record.limits import check_tree
from ..record.load import SUFFIXES, KeyPath, Source, load, merge, overlay, read, select_kind
from ..rules.profiles import KINDS
from .journal import Lock, finish, journal, recover, reserve, unreserve
from .journal import previous as finished_before
from .names import fields, from_pattern, inside_folder
from .numbering import Numbered, Numbers, number_jobs, symbol
from .sheets import SHEETS, row_numbers, sheet_row
from .write import OutputDir, WriteError, os_message, put, sha256


@dataclass
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


@dataclass
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


# -- sources ---------------------------------------------------------------


def jobs_from(sources: list[Path], base: Path | None = None, workers: int = 1) -> list[Job]:
    """Every job the sources hold, in a stable order. Files are only named here: what
    tells organisation files and multi-record files apart is read by `workers`
    processes, sheets are only counted."""
    jobs: list[Job] = []
    for source in sources:
        if source.is_dir():
            files = sorted(p for p in source.rglob("*") if p.suffix.lower() in SUFFIXES)
            scans = dict(zip(files, _scan_all(files, workers), strict=True))
            extended = _extended(scans)
            for path in files:
                if path.resolve() not in extended:
                    stem = str(path.relative_to(source).with_suffix(""))
                    jobs += _file_jobs(path, base, stem, scans[path])
        else:
            scan = None if source.suffix.lower() in SHEETS else _scan(source)
            jobs += _file_jobs(source, base, source.stem, scan)
    return jobs


@dataclass(frozen=True)
class Scan:
    """What a record file says of itself: the file it extends, whether it names a
    `kind`, and how many records its `records:` list holds (None: one record)."""

    extends: str | None
    kind: bool
    records: int | None = None
    unreadable: bool = False  # its `records:` could not be read: the parent says why


def _scan(path: Path) -> Scan:
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return Scan(None, True)
    extends = None
    if "extends" in text and (
        match := re.search(r'^\s*"?extends"?\s*[:=]\s*"?([^"\n,]+)', text, re.M)
    ):
        extends = match.group(1).strip()
    kind = bool(re.search(r'^\s*"?kind"?\s*[:=]', text, re.M))
    if path.suffix.lower() not in (".yaml", ".yml") or not re.search(r"^records\s*:", text, re.M):
        return Scan(extends, kind)
    try:
        return Scan(extends, kind, len(_records(read(path))))
    except NoticeGenError:
        return Scan(extends, kind, 0, unreadable=True)


def _scan_all(files: list[Path], workers: int) -> list[Scan]:
    if workers <= 1 or len(files) < 64:
        return [_scan(path) for path in files]
    with ProcessPoolExecutor(workers) as pool:
        return list(_map(pool, _scan, files))


def _extended(scans: dict[Path, Scan]) -> set[Path]:
    """Files that other files extend and that name no `kind`: organisation files."""
    out = {(path.parent / scan.extends).resolve() for path, scan in scans.items() if scan.extends}
    return out - {path.resolve() for path, scan in scans.items() if scan.kind}


def _file_jobs(path: Path, base: Path | None, stem: str, scan: Scan | None) -> list[Job]:
    default = str(base) if base else None
    if path.suffix.lower() in SHEETS:
        note, numbers = row_numbers(path, base)
        return [
            Job(str(path), f"row {n}", f"{path.stem}-{n}", row=n, base=default, note=note)
            for n in numbers
        ]
    if scan is not None and scan.records is not None:
        if scan.unreadable:
            _records(read(path))  # raises, saying why
        return [
            Job(str(path), f"record {i + 1}", f"{stem}-{i + 1}", index=i, base=default)
            for i in range(scan.records)
        ]
    return [Job(str(path), "", stem, path=str(path), base=default)]


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


def _source(job: Job) -> Source:
    """The job's record, read here: its file, its sheet row or its `records:` entry."""
    base = job.base
    if job.path:
        source = load(Path(job.path))
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


def produce(job: Job, settings: Settings) -> Result:
    """Load, validate, render, check and write one document."""
    from ..record.validate import validate
    from .document import check_rendered, render_values, template_for

    result = Result(job.source, job.where, job.name, "failed")
    try:
        if job.numbered:
            record, warnings = job.numbered.validated(), job.numbered.warnings
        else:
            record, warnings = validate(_source(job))
        result.warnings = [str(w) for w in warnings]
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
        target = inside_folder(Path(settings.out_dir), job.name)
        intent = {"output": job.name, "status": "writing", "sha256": sha256(data)}
        journal(Path(settings.out_dir)).append(intent)
        result.status, result.sha256 = put(
            target, data, job.recorded, force=settings.force, durable=False
        )
        if job.numbered and result.status in ("written", "unchanged"):
            job.numbered.write_back()
    except WriteError as exc:
        result.error, result.exit_code = str(exc), 1
    except OSError as exc:
        result.error, result.exit_code = os_message(Path(settings.out_dir) / job.name, exc), 1
    except OutputError as exc:
        result.status, result.error, result.exit_code = "kept", str(exc), 1
    except NoticeGenError as exc:
        result.error, result.exit_code = str(exc), exc.exit_code
    return result


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
    with `number: auto` are numbered from the `register` (pipeline/numbering.py)."""
    import_module("notice_gen.pipeline.document")  # loaded before workers fork

    fields(pattern or "")
    lock = Lock(OutputDir(out_dir).path, wait=wait)
    output = OutputDir(out_dir)
    recover(out_dir, output.files)
    spare = reserve(out_dir, len(jobs))
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    results: dict[int, Result] = {}
    numbers = Numbers(None, jobs)
    try:
        numbers = number_jobs(jobs, register, lambda *a: _map(pool, *a), _source)
        if pattern:
            names = list(_map(pool, name_job, jobs, [pattern] * len(jobs)))
        else:
            names = [(f"{job.default_name}.docx", "") for job in jobs]
        for i, (job, (name, error)) in enumerate(zip(jobs, names, strict=True)):
            job.name, job.recorded = name, output.recorded(name)
            if error:
                results[i] = Result(job.source, job.where, "", "failed", error, exit_code=2)
        _refuse_collisions(jobs, results)
        done = finished_before(out_dir) if resume else {}
        todo = []
        for i, job in enumerate(jobs):
            previous = done.get((job.source, job.where))
            if i in results:
                continue
            if previous and previous == job.recorded and _same(out_dir / job.name, previous):
                results[i] = Result(job.source, job.where, job.name, "skipped", sha256=previous)
            else:
                todo.append(i)
        try:
            settings = Settings(str(out_dir), force, check, str(templates) if templates else None)
            produced = _map(pool, produce, [jobs[i] for i in todo], [settings] * len(todo))
            for i, result in zip(todo, produced, strict=False):
                results[i] = result
                journal(out_dir).append(_row(result))
                if result.sha256 and result.status in ("written", "unchanged"):
                    where = f"{result.source} {result.where}".strip()
                    output.record(result.output, result.sha256, where)
                progress(result)
        finally:
            unreserve(spare)
            try:
                output.save()
            finally:
                finish(out_dir, [_row(results[i]) for i in sorted(results)])
    finally:
        try:
            numbers.settle({i: r.status for i, r in results.items()})
        finally:
            if pool:
                pool.shutdown(wait=True, cancel_futures=True)
            lock.release()
    return [results[i] for i in sorted(results)]


def _map(
    pool: ProcessPoolExecutor | None, fn: Callable[..., Any], *args: list[Any]
) -> Iterator[Any]:
    if pool is None:
        return map(fn, *args)
    cores = os.cpu_count() or 1
    return pool.map(fn, *args, chunksize=max(1, min(64, len(args[0]) // (4 * cores))))


def _refuse_collisions(jobs: list[Job], results: dict[int, Result]) -> None:
    seen: dict[str, Job] = {}
    clashes = []
    for i, job in enumerate(jobs):
        if i in results:
            continue
        if job.name in seen:
            first = seen[job.name]
            clashes.append(
                _("{name}: from {first} and {second}").format(
                    name=job.name,
                    first=f"{first.source} {first.where}".strip(),
                    second=f"{job.source} {job.where}".strip(),
                )
            )
        seen[job.name] = job
    if clashes:
        raise OutputError(
            _("two records would write the same document (use --name):")
            + "\n  "
            + "\n  ".join(clashes)
        )


def _same(path: Path, digest: str) -> bool:
    from .write import sha256

    try:
        return sha256(path.read_bytes()) == digest
    except OSError:
        return False


def _row(result: Result) -> dict[str, Any]:
    row = asdict(result)
    row.pop("exit_code")
    return row
