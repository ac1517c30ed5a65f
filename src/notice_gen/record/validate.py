"""Stage 2, validate: a record checked against its model (`model.py`) and its profile
(`checks.py`), after taking back what YAML misread (`recover.py`).

All problems of a record are reported together, each with its file, line and key
path, in the clerk's words (`explain.py`). A well-formed record takes a fast path
(`quick_validate`); any doubt sends it down the full one (`full_validate`), which alone
words problems, so both give the same record, warnings and errors.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from ..errors import Problem, RecordError
from .checks import check_rules, kind_requirements
from .explain import error_key, fields, message
from .load import Source, key_name
from .model import Record
from .recover import (
    archive_from_recipients,
    needs_recovery,
    own_labels,
    partial,
    read_model,
    split_authority,
)
from .text import hygiene, in_unicode, is_clean, tally


def validate(source: Source) -> tuple[Record, list[Problem]]:
    """Check `source` against the record model and its profile.

    Returns the record and the warnings; raises `RecordError` with every problem found:
    the types, the rulebook and the cross-field checks together.
    """
    return over_validate(source) or quick_validate(source) or full_validate(source)


def over_validate(source: Source) -> tuple[Record, list[Problem]] | None:
    """`quick_validate` of a tree made by `load.overlay`, checking only what the keys
    over the base change: the base's record (validated once) with the fields those
    keys name validated anew. The model has no check across fields, so each field
    reads the same alone as in the whole; what the rulebook and hygiene judge is
    judged on the whole tree. None when `quick_validate` would be None, or when the
    base is not clean and well-formed itself."""
    if source.layers is None:
        return None
    base, over = source.layers
    checked = _base_record(base)
    data = source.data
    if checked is None or needs_recovery(data, points="conclusions" in over.data):
        return None  # the base's conclusions were found without labels of their own
    if not _clean_over(source, base, over, checked[1]) or kind_requirements(source):
        return None
    changed = {}
    try:
        for key in over.data:
            name = _FIELDS.get(key)
            if name is None:
                return None
            changed[name] = _field(name).validate_python(data[key])
    except ValidationError:
        return None
    record = checked[0].model_copy(update=changed)
    rule_problems, rule_warnings = check_rules(record, source)
    if rule_problems:
        return None
    return record, [*source.warnings, *rule_warnings]


def _clean_over(source: Source, base: Source, over: Source, counts: dict[str, int]) -> bool:
    """`is_clean(source)` for a tree over a clean `base` whose texts `tally` counts: only
    the texts under the keys of `over` are looked at."""
    if "tone_marks" in over.data:
        return is_clean(source)
    tones = base.data.get("tone_marks", "keep")
    gone, _clean = tally({k: base.data[k] for k in over.data if k in base.data}, tones)
    new, clean = tally({k: source.data[k] for k in over.data}, tones)
    return clean and in_unicode({k: n - gone[k] + new[k] for k, n in counts.items()})


_FIELDS = {field.alias or name: name for name, field in Record.model_fields.items()}
_BASES: dict[int, tuple[Source, tuple[Record, dict[str, int]] | None]] = {}


def _base_record(base: Source) -> tuple[Record, dict[str, int]] | None:
    """The record of `base` and the count of its texts by encoding (`tally`), when it is
    clean and well-formed; checked once per base."""
    if (known := _BASES.get(id(base))) is not None and known[0] is base:
        return known[1]
    quick = quick_validate(base)
    checked = (
        (quick[0], tally(base.data, base.data.get("tone_marks", "keep"))[0]) if quick else None
    )
    if len(_BASES) >= 8:
        _BASES.clear()
    _BASES[id(base)] = (base, checked)
    return checked


@cache
def _field(name: str) -> TypeAdapter[Any]:
    """A validator of the record's field `name` alone, as the model reads it."""
    field = Record.model_fields[name]
    if not field.metadata:
        return TypeAdapter(field.annotation)
    return TypeAdapter(Annotated[(field.annotation, *field.metadata)])


def quick_validate(source: Source) -> tuple[Record, list[Problem]] | None:
    """The record and its warnings when `source` is clean and well-formed: nothing for
    hygiene or recovery to do, the model and the rulebook satisfied; None otherwise."""
    data = source.data
    if needs_recovery(data) or not is_clean(source) or kind_requirements(source):
        return None
    try:
        record = Record.model_validate(data)
    except ValidationError:
        return None
    rule_problems, rule_warnings = check_rules(record, source)
    if rule_problems:
        return None
    return record, [*source.warnings, *rule_warnings]


def full_validate(source: Source) -> tuple[Record, list[Problem]]:
    """`validate` the long way: hygiene, recovery, the model and the rulebook, with every
    problem in words.

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
