"""Taking back what YAML misread: text split into keys at a comma or a colon, points
typed with their own label, and the record with its wrong values left out so that the
rulebook can still check the rest."""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..i18n import _
from .explain import error_key, text_like
from .load import KeyPath, Source
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
        notes = [note for error in errors if (note := _recover(data, error, source))]
        if not notes:
            return None, errors, recovered
        recovered += notes
    return None, errors, recovered


_TEXT_ITEMS = ("conclusions", "points")  # lists whose items may be plain text


def _recover(data: dict[str, Any], error: Any, source: Source) -> Problem | None:
    """Take back text the clerk wrote that YAML read as keys; the warning says so."""
    loc = error_key(error)
    written = source.written
    kind, value = error["type"], error.get("input")
    if kind in ("string_type", "value_error") and isinstance(value, dict) and loc in written:
        typed = written[loc]
        if not typed.previous and _put(data, loc, typed.text):
            return source.problem(
                loc, _("read as the text written: {text}").format(text=typed.text)
            )
    if kind != "extra_forbidden" or len(loc) < 2:
        return None
    parent = loc[:-1]
    line = written.get(loc)
    if line and line.previous and line.bare and text_like(loc[-1]):
        mapping = _at(data, parent)
        if isinstance(mapping, dict) and loc[-1] in mapping:
            del mapping[loc[-1]]
            current = mapping.get(line.previous)
            if not isinstance(current, str) or len(current) < len(line.text):
                mapping[line.previous] = line.text
            message = _(
                "read as {key}: {text} (inside {{ }} a comma separates keys; "
                "to say so, put the value in quotes: {fixed})"
            )
            key = (*parent, line.previous)
            return source.problem(
                key, message.format(key=line.previous, text=line.text, fixed=line.fixed)
            )
    item = written.get(parent)
    is_item = len(parent) >= 2 and isinstance(parent[-1], int) and parent[-2] in _TEXT_ITEMS
    as_text = is_item or parent[-1] in ("chair", "secretary")
    if item and not item.previous and as_text and _put(data, parent, item.text):
        text = item.text
        return source.problem(parent, _("read as the text written: {text}").format(text=text))
    return None


def _at(data: Any, loc: KeyPath) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _put(data: Any, loc: KeyPath, value: Any) -> bool:
    container = _at(data, loc[:-1])
    try:
        container[loc[-1]] = value
    except (KeyError, IndexError, TypeError):
        return False
    return True


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
                _put(data, loc, _PLACEHOLDERS.get(str(loc[-1]), "X"))
            elif isinstance(_at(data, loc[:-1]), list):
                _put(data, loc, "X")
            elif isinstance(container := _at(data, loc[:-1]), dict):
                container.pop(loc[-1], None)
        try:
            return Record.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
    return None


_OWN_LABEL = re.compile(
    r"^(\d+(?:\.\d+)*[.)-]|\d+\.\d+(?:\.\d+)*|[a-zđ][.)]|[IVXLC]+[.)]|[-–+•])\s+(?=\S)"
)


def own_labels(data: dict[str, Any], source: Source) -> list[Problem]:
    """Points typed with their own label (`1. Đánh giá cao …`): the typed label is the
    point's label, so it is not printed twice."""
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
            text = point.get("text")
            first = text[0] if isinstance(text, list) and text else text
            if "label" in point or not isinstance(first, str):
                continue
            found = _OWN_LABEL.match(first.strip())
            if found is None:
                continue
            rest = first.strip()[found.end() :]
            point["label"] = found.group(1)
            point["text"] = [rest, *text[1:]] if isinstance(text, list) else rest
            message = _("the point starts with its own label {label}: it is taken as the label")
            warnings.append(source.problem(where, message.format(label=found.group(1))))

    walk(data.get("conclusions"), ("conclusions",))
    return warnings
