"""The desk's one door to the pipeline: read, validate, render and check a record.

Everything the web pages need from the rest of notice-gen goes through here, so that
moving the pipeline's modules means changing this file only.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..atomic import atomic_write
from ..docx.doctor import Issue, kind_of
from ..docx.doctor import diagnose as doctor_diagnose
from ..docx.template import available_templates, builtin_templates, find_template
from ..errors import NoticeGenError, Problem, RecordError
from ..i18n import choose_language, set_language
from ..pipeline.document import check_rendered, render_file, render_record
from ..pipeline.numbering import symbol
from ..pipeline.variables import model_variables
from ..pipeline.write import OutputDir
from ..record.load import load, select_kind
from ..record.model import Record
from ..record.validate import validate
from ..register import Entry, export
from ..rules.profiles import DOC_TYPES, KINDS, PROFILES

__all__ = [
    "DOC_TYPES",
    "KINDS",
    "PROFILES",
    "NoticeGenError",
    "Problem",
    "Record",
    "atomic_write",
    "available_templates",
    "book",
    "builtin_templates",
    "check",
    "diagnose",
    "issue",
    "language",
    "read",
    "render",
    "symbol",
    "write_output",
]

# The pipeline's messages come from one process-wide language; requests take turns.
_LANGUAGE = threading.RLock()


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Pipeline messages in `lang` for the duration of the block, then in the
    environment's language again."""
    with _LANGUAGE:
        set_language(lang)
        try:
            yield
        finally:
            choose_language([], os.environ)


def read(path: Path, kind: str | None = None) -> tuple[Record, list[Problem]]:
    """The validated record at `path` and its warnings; raises `RecordError`."""
    return validate(select_kind(load(path), kind, KINDS))


def check(text: str, folder: Path, kind: str | None = None) -> tuple[Record | None, list[Problem]]:
    """Validate record `text` as if it were a file in `folder` (so `extends` resolves);
    returns the record (None when it has errors) and every problem or warning."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=".desk-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            record, warnings = read(Path(name), kind)
        except RecordError as exc:
            return None, exc.problems
        return record, warnings
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def render(record: Record, templates: Path | None, name: str) -> bytes:
    """The checked .docx of `record`, through a template of `templates` or the built-in."""
    template = find_template(record.kind, record.rules, templates)
    data = render_record(record, template)
    check_rendered(data, record, template, name)
    return data


def write_output(folder: Path, name: str, data: bytes, source: Path) -> Path:
    """Write `name` into the output `folder`, never over a hand-edited file."""
    output = OutputDir(folder)
    output.write(name, data, source)
    return output.path / name


def issue(path: Path, output: Path, templates: Path, register: str, source: str) -> Path:
    """Render the record at `path` into `output` as `render` does: `number: auto` takes the
    next number of the `register` once the document is written (known there as `source`),
    and the number is written back into `path`. Returns the document's path."""
    written, _warnings = render_file(
        path, output, templates=templates, register=register, source=source
    )
    return written


def book(entries: list[Entry], year: int, suffix: str) -> bytes:
    """The printable Sổ đăng ký văn bản đi of `entries` (Phụ lục IV), .docx or .xlsx."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"so-van-ban-di-{year}{suffix}"
        export(entries, path, year)
        return path.read_bytes()


def diagnose(data: bytes, filename: str) -> tuple[list[Issue], set[str]]:
    """The template doctor's report on an uploaded template named `filename`."""
    kind = kind_of(Path(filename))
    return doctor_diagnose(data, kind, model_variables(kind))
