"""Text the clerk wrote that YAML or the clerk's habits turned into something else,
taken back as written, each with a warning: a line split at `: `, a value split at
a comma inside `{ }`, a point typed with its own label, a marker typed with the body
it signs for, the `Lưu` line typed as the last recipient; and the record with its wrong
values left out, so that the rulebook can still check the rest."""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..i18n import _
from ..rules.profiles import PROFILES
from .explain import error_key, text_like
from .load import KeyPath, Source, Written
from .model import Record


def read_model(
    data: dict[str, Any], source: Source
) -> tuple[Record | None, list[Any], list[Problem]]:
    """The record, after taking back text YAML split into keys; or the errors left."""
    recovered: list[Problem] = []
    for _round in range(4):
        try:
            return Record.model_validate(data), [], recovered
        except ValidationError as exc:
            errors = exc.errors()
        notes = [n for error in errors for n in recover(data, error, error_key(error), source)]
        if not notes:
            return None, errors, recovered
        recovered += notes
    return None, errors, recovered


_TEXT_ITEMS = ("conclusions", "points")  # lists whose items may be plain text


def recover(data: dict[str, Any], error: Any, loc: KeyPath, source: Source) -> list[Problem]:
    """Take back text the clerk wrote that YAML read as keys (the pydantic `error` at
    `loc`); the warnings say so."""
    written = source.written
    kind, value = error["type"], error.get("input")
    if kind in ("string_type", "value_error") and isinstance(value, dict) and loc in written:
        whole = written[loc]
        if not whole.previous and put_at(data, loc, whole.text):
            text = whole.text
            return [source.problem(loc, _("read as the text written: {text}").format(text=text))]
    if kind != "extra_forbidden" or len(loc) < 2:
        return []
    if heading := _heading_with_points(data, loc, source):
        return heading
    parent = loc[:-1]
    line = written.get(loc)
    if line and line.previous and line.bare and text_like(loc[-1]):
        mapping = value_at(data, parent)
        if isinstance(mapping, dict) and loc[-1] in mapping:
            del mapping[loc[-1]]
            if any(len(other.text) > len(line.text) for other in _rest_of(parent, line, source)):
                return []  # a later comma of the same value says it all
            current = mapping.get(line.previous)
            if not isinstance(current, str) or len(current) < len(line.text):
                mapping[line.previous] = line.text
            message = _(
                "read as {key}: {text} (inside {{ }} a comma separates keys; "
                "to say so, put the value in quotes: {fixed})"
            )
            key = (*parent, line.previous)
            return [
                source.problem(
                    key, message.format(key=line.previous, text=line.text, fixed=line.fixed)
                )
            ]
    item = written.get(parent)
    is_item = len(parent) >= 2 and isinstance(parent[-1], int) and parent[-2] in _TEXT_ITEMS
    as_text = is_item or parent[-1] in ("chair", "secretary")
    if not item or item.previous or not as_text:
        return []
    point: dict[str, Any] = {"text": item.text}
    label = _take_label(point) if is_item else None
    if not put_at(data, parent, point if label else item.text):
        return []
    notes = [source.problem(parent, _("read as the text written: {text}").format(text=item.text))]
    return [*notes, _label_taken(source, parent, label)] if label else notes


def _rest_of(parent: KeyPath, line: Written, source: Source) -> list[Written]:
    """The words after each comma of one value inside `{ }`, read back as keys."""
    return [
        other
        for key, other in source.written.items()
        if key[:-1] == parent and other.bare and other.previous == line.previous
    ]


def _heading_with_points(data: dict[str, Any], loc: KeyPath, source: Source) -> list[Problem]:
    """`- Các địa phương, đơn vị:` over indented sub-points, which YAML reads as a key
    holding a list: the line is the point's text, the list its sub-points."""
    where, name = loc[:-1], loc[-1]
    item = value_at(data, where)
    is_item = len(where) >= 2 and isinstance(where[-1], int) and where[-2] in _TEXT_ITEMS
    if not (is_item and text_like(name) and isinstance(item, dict) and len(item) == 1):
        return []
    if not isinstance(item.get(name), list):
        return []
    point: dict[str, Any] = {"text": f"{name}:", "points": item[name]}
    label = _take_label(point)
    put_at(data, where, point)
    message = _("read as a point with its sub-points: {text}")
    notes = [source.problem(where, message.format(text=point["text"]))]
    if label:
        notes.append(_label_taken(source, where, label))
    return notes + _label_points(point["points"], (*where, "points"), source)


def value_at(data: Any, loc: KeyPath) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def put_at(data: Any, loc: KeyPath, value: Any) -> bool:
    container = value_at(data, loc[:-1])
    try:
        container[loc[-1]] = value
    except (KeyError, IndexError, TypeError):
        return False
    return True


_OWN_LABEL = re.compile(
    r"^(\d+(?:\.\d+)*[.)-]|\d+\.\d+(?:\.\d+)*|[a-zđ][.)]|[IVXLC]+[.)]|[-–+•])\s+(?=\S)"
)


def own_labels(data: dict[str, Any], source: Source) -> list[Problem]:
    """Points typed with their own label (`1. Đánh giá cao …`): the typed label is the
    point's label, so it is not printed twice."""
    return _label_points(data.get("conclusions"), ("conclusions",), source)


def _label_points(items: Any, start: KeyPath, source: Source) -> list[Problem]:
    """`own_labels` for the points `items` found at `start`."""
    warnings: list[Problem] = []

    def walk(points: Any, key: KeyPath) -> None:
        if not isinstance(points, list):
            return
        for i, point in enumerate(points):
            where = (*key, i)
            if isinstance(point, str):
                point = points[i] = {"text": point}
            elif not isinstance(point, dict):
                continue
            walk(point.get("points"), (*where, "points"))
            if label := _take_label(point):
                warnings.append(_label_taken(source, where, label))

    walk(items, start)
    return warnings


def needs_recovery(data: dict[str, Any], points: bool = True) -> bool:
    """Whether `own_labels`, `split_authority` or `archive_from_recipients` might take
    anything back from `data` (read only: nothing is changed); with `points` false, the
    conclusions are known to hold no label of their own."""
    signer = data.get("signer")
    authority = signer.get("authority") if isinstance(signer, dict) else None
    if (
        isinstance(signer, dict)
        and signer.get("on_behalf_of") is None
        and isinstance(authority, str)
    ):
        return True
    recipients = data.get("recipients")
    if "archive" not in data and isinstance(recipients, list) and recipients:
        return True
    return points and _labelled(data.get("conclusions"))


def _labelled(points: Any) -> bool:
    """Whether any point of `points` starts with its own label (see `_take_label`)."""
    if not isinstance(points, list):
        return False
    for point in points:
        if isinstance(point, str):
            point = {"text": point}
        elif not isinstance(point, dict):
            continue
        if _labelled(point.get("points")):
            return True
        text = point.get("text")
        first = text[0] if isinstance(text, list) and text else text
        if "label" not in point and isinstance(first, str) and _OWN_LABEL.match(first.strip()):
            return True
    return False


def _take_label(point: dict[str, Any]) -> str | None:
    """Move a label typed at the start of the point's text into `label`; the label."""
    text = point.get("text")
    first = text[0] if isinstance(text, list) and text else text
    if "label" in point or not isinstance(first, str):
        return None
    found = _OWN_LABEL.match(first.strip())
    if found is None:
        return None
    rest = first.strip()[found.end() :]
    point["label"] = found.group(1)
    point["text"] = [rest, *text[1:]] if isinstance(text, list) else rest
    return found.group(1)


def _label_taken(source: Source, where: KeyPath, label: str) -> Problem:
    message = _("the point starts with its own label {label}: it is taken as the label")
    return source.problem(where, message.format(label=label))


_MARKERS = sorted({m for p in PROFILES.values() for m in p.markers}, key=len, reverse=True)


def split_authority(data: dict[str, Any], source: Source) -> list[Problem]:
    """`authority: KT. CHÁNH VĂN PHÒNG` typed on one line, as it is printed: the marker
    is the authority and the rest `on_behalf_of`."""
    signer = data.get("signer")
    if not isinstance(signer, dict) or signer.get("on_behalf_of") is not None:
        return []
    value = signer.get("authority")
    if not isinstance(value, str):
        return []
    for marker in _MARKERS:
        found = re.match(rf"({re.escape(marker.rstrip('.'))}\.?)\s+(\S.*)", value.strip())
        if found:
            signer["authority"], signer["on_behalf_of"] = found.groups()
            message = _("read as authority: {marker} and on_behalf_of: {rest}")
            where = ("signer", "authority")
            return [source.problem(where, message.format(marker=found[1], rest=found[2]))]
    return []


_ARCHIVE_LINE = re.compile(r"-?\s*Lưu\b\s*:?\s*(\S.*?)\s*[.;,]?\s*$")


def archive_from_recipients(data: dict[str, Any], source: Source) -> list[Problem]:
    """`- Lưu: VT, TH.` typed as the last recipient, as it is printed: it is the archive."""
    recipients = data.get("recipients")
    if "archive" in data or not isinstance(recipients, list) or not recipients:
        return []
    last = recipients[-1]
    if isinstance(last, dict) and (line := source.written.get(("recipients", len(recipients) - 1))):
        last = line.text  # `- Lưu: VT` is a mapping to YAML
    found = _ARCHIVE_LINE.fullmatch(last) if isinstance(last, str) else None
    if found is None:
        return []
    data["archive"] = found[1]
    del recipients[-1]
    where = ("recipients", len(recipients))
    message = _("the last recipient is the storage line: read as archive: {archive}")
    return [source.problem(where, message.format(archive=found[1]))]


_PLACEHOLDERS: dict[str, Any] = {
    "issuer": {"name": "X", "code": "X"},
    "signer": {"position": "X", "name": "X"},
    "content": "X",
}


def partial(data: dict[str, Any], errors: list[Any]) -> Record | None:
    """The record with its wrong values left out, so that the rulebook can still check
    the rest; None when the kind or the profile is not known."""
    data = copy.deepcopy(data)
    for _round in range(4):
        for error in errors:
            loc = error_key(error)
            if not loc or loc[0] in ("kind", "profile"):
                return None
            if error["type"] == "missing":
                put_at(data, loc, _PLACEHOLDERS.get(str(loc[-1]), "X"))
            elif isinstance(value_at(data, loc[:-1]), list):
                put_at(data, loc, "X")
            elif isinstance(container := value_at(data, loc[:-1]), dict):
                container.pop(loc[-1], None)
        try:
            return Record.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
    return None
