"""notice-gen: Vietnamese administrative notices from structured records.

The pipeline is load -> validate -> format -> render -> write; this module joins
the stages. Heavy imports wait until a record is rendered, so the CLI starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NoticeGenError, OutputError, Problem, RecordError, TemplateError

if TYPE_CHECKING:
    from .validate import Record

__all__ = [
    "NoticeGenError",
    "OutputError",
    "Problem",
    "RecordError",
    "TemplateError",
    "read_record",
    "render_file",
    "render_record",
]


def read_record(path: Path) -> tuple[Record, list[Problem]]:
    """Load and validate a record file; returns the record and its warnings."""
    from .load import load
    from .validate import validate

    return validate(load(Path(path)))


def render_record(record: Record, template: Path | None = None) -> bytes:
    """The .docx bytes of `record`, through `template` or the built-in one."""
    from .format import context
    from .render import builtin_template, load_template

    profile = record.rules
    compiled = load_template(template or builtin_template(record.kind, profile), profile)
    return compiled.render(context(record))


def render_file(path: Path, out_dir: Path, *, force: bool = False) -> tuple[Path, list[Problem]]:
    """Render the record at `path` to `out_dir/<stem>.docx`; returns it and the warnings."""
    from .write import OutputDir

    path = Path(path)
    record, warnings = read_record(path)
    data = render_record(record)
    output = OutputDir(out_dir)
    name = f"{path.stem}.docx"
    output.write(name, data, path, force=force)
    return output.path / name, warnings
