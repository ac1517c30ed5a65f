"""The desk's one door to the pipeline: read, validate, render and check a record.

Everything the web pages need from the rest of notice-gen goes through here, so that
moving the pipeline's modules means changing this file only.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ..docx.doctor import Issue, kind_of
from ..docx.doctor import diagnose as doctor_diagnose
from ..docx.template import available_templates, builtin_templates, find_template
from ..errors import NoticeGenError, Problem, RecordError
from ..i18n import choose_language, set_language
from ..pipeline.compose import number_line
from ..pipeline.document import check_rendered, render_record
from ..pipeline.variables import model_variables
from ..pipeline.write import OutputDir, atomic_write
from ..record.load import load, select_kind
from ..record.model import Record
from ..record.validate import validate
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
    "builtin_templates",
    "check",
    "diagnose",
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
    source = select_kind(load(path), kind, KINDS)
    if "register" not in Record.model_fields:  # the register block, until the model has it
        source.data.pop("register", None)
    return validate(source)


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


def symbol(record: Record) -> str:
    """The number and sign as the register writes them: `05/TB-VP`, `135-TB/TU`."""
    return re.sub(r"^Số:?\s*", "", number_line(record)).strip()


def diagnose(data: bytes, filename: str) -> tuple[list[Issue], set[str]]:
    """The template doctor's report on an uploaded template named `filename`."""
    kind = kind_of(Path(filename))
    return doctor_diagnose(data, kind, model_variables(kind))
