"""Pydantic's errors in the clerk's words: what is wrong with a value and, for an
unknown key, the key that was probably meant."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from ..i18n import N_, _
from .load import KeyPath, Source
from .model import Record

_MESSAGES = {
    "missing": N_("required key is missing"),
    "string_type": N_("expected text"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "date_from_datetime_parsing": N_("expected a date written YYYY-MM-DD"),
    "date_parsing": N_("expected a date written YYYY-MM-DD"),
    "date_type": N_("expected a date written YYYY-MM-DD"),
    "list_type": N_("expected a list"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "dict_type": N_("expected a mapping of keys"),
    "model_type": N_("expected a mapping of keys"),
    "model_attributes_type": N_("expected a mapping of keys"),
}


def message(error: dict[str, Any], fields: list[str], source: Source | None = None) -> str:
    kind = error["type"]
    written = source.written.get(error_key(error)) if source else None
    comma = written and written.previous and written.fixed and text_like(error["loc"][-1])
    if kind == "extra_forbidden" and comma and written:
        return _(
            "unknown key: inside {{ }} a comma separates keys; if the comma belongs to "
            "the text, put the value in quotes: {fixed}"
        ).format(fixed=written.fixed)
    if kind == "extra_forbidden":
        from difflib import get_close_matches  # for a mistake only

        close = get_close_matches(str(error["loc"][-1]), fields, n=1)
        if close:
            return _("unknown key; did you mean {key!r}?").format(key=close[0])
        if text_like(error["loc"][-1]):
            return _(
                "unknown key: text with ': ' inside or ':' at its end is read as a key; "
                "if it is text, put the whole line in quotes"
            )
        return _("unknown key")
    items = error.get("input")
    if kind == "string_type" and isinstance(items, list) and all(isinstance(i, str) for i in items):
        fixed = '{key}: "{text}"'.format(key=error["loc"][-1], text=", ".join(items))
        return _(
            "expected one text, not a list: inside [ ] a comma separates items; "
            "if the commas belong to the text, put it in quotes: {fixed}"
        ).format(fixed=fixed)
    if kind == "missing" and error_key(error) == ("archive",):
        party = source is not None and str(source.data.get("profile", "")).startswith("party")
        return _("required key is missing: the storage line, such as {example}").format(
            example="archive: Văn phòng Tỉnh ủy" if party else "archive: VT, TH"
        )
    if kind == "literal_error":
        return _("expected one of {values}").format(values=error["ctx"]["expected"])
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "string_pattern_mismatch":
        if "numbering" in error["loc"]:
            return _("expected a label pattern without spaces, such as 1. / a) / - / I. / 2.1-")
        return _("expected capital letters and digits, groups joined by '-' (e.g. UBND, VPTU)")
    if kind == "greater_than_equal":
        return _("expected a whole number from {n}").format(n=error["ctx"]["ge"])
    if kind == "less_than_equal":
        return _("expected a whole number up to {n}").format(n=error["ctx"]["le"])
    if kind.startswith("date") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(error.get("input"))):
        return _("there is no such date as {date}").format(date=error["input"])
    if kind == "too_short":
        return _("must have at least one entry")
    return _(_MESSAGES[kind]) if kind in _MESSAGES else error["msg"]


def fields(loc: KeyPath) -> list[str]:
    """Names of the keys allowed next to the one at `loc`, for 'did you mean'."""
    model: Any = Record
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        named = {f.alias or n: f for n, f in getattr(model, "model_fields", {}).items()}
        info = named.get(part)
        if info is None:
            return []
        model = next((m for m in _models(info.annotation)), None)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _models(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in getattr(annotation, "__args__", ()) + getattr(annotation, "__metadata__", ()):
        found += _models(arg)
    return found


def error_key(error: Any) -> KeyPath:
    """The key path of a pydantic error, without the names of its validators."""
    return tuple(p for p in error["loc"] if not str(p).startswith("function-"))


def text_like(key: Any) -> bool:
    """A key that reads as words of a text, not as a mistyped key (`nam`, `positon`)."""
    return isinstance(key, str) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key)
