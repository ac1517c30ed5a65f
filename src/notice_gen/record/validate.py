"""Stage 2, validate: a record checked against its model (`model.py`) and its profile
(`checks.py`), after taking back what YAML misread (`recover.py`).

All problems of a record are reported together, each with its file, line and key
path, in the clerk's words (`explain.py`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import Problem, RecordError
from .checks import check_rules, kind_requirements
from .explain import error_key, fields, message
from .load import Source, key_name
from .model import Record
from .recover import archive_from_recipients, own_labels, partial, read_model, split_authority
from .text import hygiene


def validate(source: Source) -> tuple[Record, list[Problem]]:
    """Check `source` against the record model and its profile.

    Returns the record and the warnings; raises `RecordError` with every problem found:
    the types, the rulebook and the cross-field checks together.
    """
    source, cleaned = hygiene(source)
    data = _copy(source.data)
    warnings = [*source.warnings, *cleaned, *own_labels(data, source)]
    warnings += split_authority(data, source)
    if moved := archive_from_recipients(data, source):
        if at := source.positions.get(("recipients", len(data["recipients"]))):
            source = replace(source, positions={**source.positions, ("archive",): at})
        warnings += moved
    problems = kind_requirements(source)
    record, errors, recovered = read_model(data, source)
    warnings += recovered
    failed: list[str] = []
    for error in errors:
        loc = error_key(error)
        failed.append(key_name(loc))
        problems.append(source.problem(loc, message(error, fields(loc), source)))
    if record is None:
        record = partial(data, errors)
    if record is not None:
        rule_problems, rule_warnings = check_rules(record, source)
        problems += [p for p in rule_problems if not any(_under(p.key, f) for f in failed)]
        warnings += rule_warnings
    if problems:
        raise RecordError(_unique(problems))
    assert record is not None
    return record, warnings


def _copy(value: Any) -> Any:
    """A copy of a record tree's mappings and lists (its texts are never changed)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _under(key: str, failed: str) -> bool:
    return key == failed or key.startswith((f"{failed}.", f"{failed}["))


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
