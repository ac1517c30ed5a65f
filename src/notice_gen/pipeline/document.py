"""One document from one record: read, compose, render, check, write.

The command line, the batch and any other front end make their documents here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..docx.template import builtin_template, find_template, load_template
from ..errors import Problem, TemplateError
from ..i18n import _
from ..record.load import load, select_kind
from ..record.model import Record
from ..record.validate import validate
from ..rules.profiles import KINDS
from . import numbering
from .compose import context
from .paths import record_template
from .write import OutputDir

if TYPE_CHECKING:
    from ..lint.findings import Finding

__all__ = [
    "check_rendered",
    "read_record",
    "render_file",
    "render_record",
    "render_values",
    "template_for",
]


def read_record(path: Path, kind: str | None = None) -> tuple[Record, list[Problem]]:
    """Load and validate a record file, as the document `kind` (default: its `kind:`);
    returns the record and its warnings."""
    return validate(select_kind(load(Path(path)), kind, KINDS))


def render_record(record: Record, template: Path | None = None) -> bytes:
    """The .docx bytes of `record`, through `template` or the built-in one."""
    return render_values(record, template)[0]


def render_values(record: Record, template: Path | None = None) -> tuple[bytes, dict[str, Any]]:
    """The .docx bytes of `record` and the values (`compose.context`) printed in it."""
    profile = record.rules
    compiled = load_template(template or builtin_template(record.kind, profile), profile)
    values = context(record)
    return compiled.render(values), values


def check_rendered(
    data: bytes,
    record: Record,
    template: Path,
    name: str,
    values: Mapping[str, Any] | None = None,
    *,
    remember: bool = False,
) -> list[Finding]:
    """Lint the rendered document `name`; its errors mean the template (or the values
    printed in it) break a rule, raised as `TemplateError`. Returns the warnings.

    With `values` (what the document was rendered from), only the rules the values decide
    are judged (`lint.values`): for a template whose first document was linted in full.
    With `remember`, the verdict is kept on disk (`lint.cache`) and a document rendered
    again to the same bytes is not linted again."""
    if values is not None:
        from ..lint.values import check_values

        findings = check_values(values, record.rules, name)
    elif remember:
        from ..lint.cache import checked

        findings = checked(data, name, record.profile)
    else:
        from ..lint.check import check_bytes

        findings = check_bytes(data, name, record.profile)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        lines = "\n".join(f"  {f.rule}: {f.message} ({f.where})" for f in errors)
        message = _("{template}: the rendered document breaks {profile}:\n{lines}")
        raise TemplateError(message.format(template=template, profile=record.profile, lines=lines))
    return [f for f in findings if f.severity == "warning"]


def template_for(record: Record, record_path: Path, folder: Path | None = None) -> Path:
    """The record's own `template:`, else one from `folder`, else the built-in one."""
    if record.template:
        return record_template(record_path, record.template, folder)
    return find_template(record.kind, record.rules, folder)


def render_file(
    path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    check: bool = True,
    kind: str | None = None,
    templates: Path | None = None,
    register: str | None = None,
    source: str | None = None,
) -> tuple[Path, list[Problem | Finding]]:
    """Render the record at `path` to `out_dir/<stem>.docx`, checked against its profile
    unless `check` is false; returns the document's path and the warnings.

    `number: auto` takes its number from the `register` (`numbering.in_use`) once the
    document is written, and the number is written back into `path`; the register knows
    the document as `source` (default: `path` relative to the working folder)."""
    path = Path(path)
    fingerprint = numbering.stamp(path)
    record, problems = read_record(path, kind)
    warnings: list[Problem | Finding] = list(problems)
    template = template_for(record, path, templates)
    name = f"{path.stem}.docx" if kind is None else f"{path.stem}.{kind}.docx"
    output = OutputDir(out_dir)
    with numbering.issued(record, path, source, register, fingerprint) as record:
        data = render_record(record, template)
        if check:
            warnings += check_rendered(data, record, template, name, remember=True)
        output.write(name, data, path, force=force)
    return output.path / name, warnings
