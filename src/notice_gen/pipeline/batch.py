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
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError, OutputError, RecordError
from ..i18n import _
from ..record.limits import check_tree
from ..record.load import SUFFIXES, KeyPath, Source, load, merge, read, select_kind
from ..rules.profiles import KINDS
from .journal import Lock, finish, journal, recover, reserve, unreserve
from .journal import previous as finished_before
from .names import fields, from_pattern, inside_folder
from .sheets import SHEETS, read_sheet
from .write import OutputDir, WriteError, os_message, put, sha256


@dataclass
class Job:
    """One document to make: where its record comes from and what to call it."""

    source: str  # file the record came from
    where: str  # "row 14", "record 3" or ""
    default_name: str  # output name without .docx when no pattern is given
    path: str | None = None  # a record file, loaded in the worker
    data: dict[str, Any] | None = None  # or a record already read (sheet row, YAML list)
    positions: dict[KeyPath, tuple[str, int]] = field(default_factory=dict)
    base: str | None = None  # a record whose keys are the defaults
    name: str = ""
    recorded: str | None = None  # SHA-256 notice-gen wrote for this output before
    note: str = ""  # how its sheet was read (encoding, separator), said once per run


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


# -- sources ---------------------------------------------------------------


def jobs_from(sources: list[Path], base: Path | None = None) -> list[Job]:
    """Every job the sources hold, in a stable order. Record files are only named
    here; the workers read them."""
    jobs: list[Job] = []
    for source in sources:
        if source.is_dir():
            files = sorted(p for p in source.rglob("*") if p.suffix.lower() in SUFFIXES)
            texts = {path: path.read_text("utf-8", errors="replace") for path in files}
            extended = _extended(texts)
            for path in files:
                if path.resolve() not in extended:
                    stem = str(path.relative_to(source).with_suffix(""))
                    jobs += _file_jobs(path, base, stem, texts[path])
        else:
            jobs += _file_jobs(source, base, source.stem, None)
    return jobs


def _extended(texts: dict[Path, str]) -> set[Path]:
    """Files that other files extend and that name no `kind`: organisation files."""
    out = set()
    for path, text in texts.items():
        if match := re.search(r'^\s*"?extends"?\s*[:=]\s*"?([^"\n,]+)', text, re.M):
            out.add((path.parent / match.group(1).strip()).resolve())
    records = {p.resolve() for p, t in texts.items() if re.search(r'^\s*"?kind"?\s*[:=]', t, re.M)}
    return out - records


def _file_jobs(path: Path, base: Path | None, stem: str, text: str | None) -> list[Job]:
    suffix = path.suffix.lower()
    if suffix in SHEETS:
        sheet = read_sheet(path, base)
        return [
            Job(str(path), f"row {r.number}", f"{path.stem}-{r.number}", data=r.data,
                positions=r.positions, base=r.base, note=sheet.note)
            for r in sheet.rows
        ]  # fmt: skip
    if suffix in (".yaml", ".yml"):
        if text is None:
            text = path.read_text("utf-8", errors="replace")
        if re.search(r"^records\s*:", text, re.M):
            return _multi_jobs(read(path), base, stem)
    return [Job(str(path), "", stem, path=str(path), base=str(base) if base else None)]


def _multi_jobs(source: Source, base: Path | None, stem: str) -> list[Job]:
    """A YAML file of `defaults:` and `records:`."""
    records = source.data.get("records")
    if not isinstance(records, list):
        raise RecordError([source.problem(("records",), _("expected a list of records"))])
    defaults = source.data.get("defaults") or {}
    jobs = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            record = {}
        below = Source(source.path, defaults, _shift(source.positions, ("defaults",)))
        over = Source(source.path, record, _shift(source.positions, ("records", i)))
        merged = merge(below, over)
        positions = {k: (str(f), n) for k, (f, n) in merged.positions.items()}
        jobs.append(
            Job(
                str(source.path),
                f"record {i + 1}",
                f"{stem}-{i + 1}",
                data=merged.data,
                positions=positions,
                base=str(base) if base else None,
            )
        )
    return jobs


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
    if job.path:
        source = load(Path(job.path))
    else:
        positions = {k: (Path(f), n) for k, (f, n) in job.positions.items()}
        source = Source(Path(job.source), job.data or {}, positions)
        check_tree(source.data, source.path)
    if job.base:
        source = merge(load(Path(job.base)), source)
    return select_kind(source, None, KINDS)


def name_job(job: Job, pattern: str | None) -> tuple[str, str]:
    """The job's output name, or an error message."""
    try:
        return output_name(job, _source(job).data, pattern), ""
    except NoticeGenError as exc:
        return "", str(exc)


@dataclass
class Settings:
    out_dir: str
    force: bool
    check: str  # "first", "all" or "none"
    templates: str | None = None  # a folder of user templates


_checked: set[tuple[str, str]] = set()


def produce(job: Job, settings: Settings) -> Result:
    """Load, validate, render, check and write one document."""
    from ..record.validate import validate
    from .document import check_rendered, render_record, template_for

    result = Result(job.source, job.where, job.name, "failed")
    try:
        record, warnings = validate(_source(job))
        result.warnings = [str(w) for w in warnings]
        folder = Path(settings.templates) if settings.templates else None
        template = template_for(record, Path(job.path or job.source), folder)
        data = render_record(record, template)
        key = (str(template), record.profile)
        if settings.check == "all" or (settings.check == "first" and key not in _checked):
            result.warnings += map(str, check_rendered(data, record, template, job.name))
            _checked.add(key)
        target = inside_folder(Path(settings.out_dir), job.name)
        intent = {"output": job.name, "status": "writing", "sha256": sha256(data)}
        journal(Path(settings.out_dir)).append(intent)
        result.status, result.sha256 = put(
            target, data, job.recorded, force=settings.force, durable=False
        )
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
) -> list[Result]:
    """Make every job's document; returns one result per job, in job order."""
    import_module("notice_gen.pipeline.document")  # loaded before workers fork

    fields(pattern or "")
    lock = Lock(OutputDir(out_dir).path, wait=wait)
    output = OutputDir(out_dir)
    recover(out_dir, output.files)
    spare = reserve(out_dir, len(jobs))
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    results: dict[int, Result] = {}
    try:
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
