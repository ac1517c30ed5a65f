"""Stage 2, validate: the record model of record-format.md, checked against its profile.

All problems of a record are reported together, each with its file, line and key
path. Text comes out NFC; control characters are refused, never written.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from ..errors import Problem, RecordError
from ..i18n import N_, _
from ..rules.profiles import KINDS, PROFILES, Profile
from ..rules.wording import COMMITTEE, archive_body, authority_marker, bare
from .load import KeyPath, Source, key_name
from .text import emphasis, hygiene

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def clean(text: str) -> str:
    """NFC text, trimmed, each line too (`text.hygiene` has already cleaned it)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise ValueError(_("must not be empty"))
    return "\n".join(line.strip() for line in text.split("\n"))


def _one_line(text: str) -> str:
    if "\n" in text:
        raise ValueError(_("must fit on one line"))
    return text


def _paragraphs(value: Any) -> Any:
    """A block of text or a list of strings -> list of paragraphs."""
    if isinstance(value, str):
        return [p for p in _BLANK_LINE.split(value.strip()) if p.strip()] or [value]
    if not isinstance(value, list):
        raise ValueError(_("expected text, or a list of paragraphs"))
    return value


def _lines(value: Any) -> Any:
    """One or more lines, given as a string or a list of strings."""
    if isinstance(value, str):
        return value.strip().split("\n")
    if not isinstance(value, list):
        raise ValueError(_("expected text, or a list of lines"))
    return value


def _as_mapping(key: str) -> Any:
    return lambda value: {key: value} if isinstance(value, str) else value


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})([/.-])(\d{1,2})\5(\d{4})")
_TIME = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{2})?(?:\s*phút)?", re.I)


def _date(value: Any) -> Any:
    """`2021-02-19`, `19/02/2021`, `19/2/2021` (day first, always) -> a date."""
    if not isinstance(value, str):
        return value
    found = _DATE.fullmatch(value.strip())
    if found is None:
        raise ValueError(_("expected a date written DD/MM/YYYY or YYYY-MM-DD"))
    year, month, day = (
        found.group(1, 2, 3) if found.group(1) else (found.group(7), found.group(6), found.group(4))
    )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(_("there is no such date as {date}").format(date=value.strip())) from None


def _clock(value: Any) -> Any:
    """`08:00`, `8:00`, `8h00`, `8h`, `8 giờ 30` -> `08:00`."""
    if not isinstance(value, str):
        return value
    found = _TIME.fullmatch(value.strip())
    hours, minutes = (int(found.group(1)), int(found.group(2) or 0)) if found else (99, 0)
    if hours > 23 or minutes > 59:
        raise ValueError(_("expected a time such as 08:00, 8:00, 8h00, 8h or 8 giờ 30 (24-hour)"))
    return f"{hours:02d}:{minutes:02d}"


def _number(value: Any) -> Any:
    """A whole number from 1, or `auto`: the next number of the register's series."""
    if isinstance(value, str) and value.strip().lower() == AUTO:
        return AUTO
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(_("expected a whole number, or auto"))
    if value < 1:
        raise ValueError(_("expected a whole number from {n}").format(n=1))
    if value > 999_999:
        raise ValueError(_("expected a whole number up to {n}").format(n=999_999))
    return value


AUTO = "auto"  # `number: auto`: the register gives the number; blank until it does
Day = Annotated[dt.date, BeforeValidator(_date)]
Text = Annotated[str, AfterValidator(clean)]
Line = Annotated[Text, AfterValidator(_one_line)]
Paragraphs = Annotated[list[Text], BeforeValidator(_paragraphs), Field(min_length=1)]
Lines = Annotated[list[Line], BeforeValidator(_lines), Field(min_length=1)]
Code = Annotated[str, Field(pattern=r"^[A-ZĐ][A-ZĐa-z0-9]*(-[A-ZĐ][A-ZĐa-z0-9]*)*$")]
Clock = Annotated[str, BeforeValidator(_clock)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Issuer(_Model):
    parent: Lines | None = None
    name: Lines
    code: Code


class Person(_Model):
    name: Line
    position: Line | None = None


class Speech(_Model):
    speaker: Line
    position: Line | None = None
    content: Paragraphs


class Meeting(_Model):
    model_config = ConfigDict(populate_by_name=True)

    date: Day | None = None
    start: Clock | None = None
    end: Clock | None = None
    location: Line | None = None
    chair: Annotated[Person, BeforeValidator(_as_mapping("name"))] | None = None
    with_: Line | None = Field(None, alias="with")
    attendees: list[Text] = []
    secretary: Annotated[Person, BeforeValidator(_as_mapping("name"))] | None = None
    agenda: Paragraphs | None = None
    reports: list[Text] = []
    speeches: list[Speech] = []
    name: Line | None = None  # the meeting's name: "Tới dự …" in an invitation
    invitees: list[Text] = []  # who a Giấy mời invites
    inviter: Line | None = None  # "<inviter> trân trọng kính mời:"
    notes: list[Text] = []  # closing notes of a Giấy mời


class Point(_Model):
    text: Paragraphs | None = None
    heading: Text | None = None
    label: Line | None = None
    points: list[Annotated[Point, BeforeValidator(_as_mapping("text"))]] = []


class Signer(_Model):
    authority: Line | None = None
    on_behalf_of: Line | None = None
    position: Line
    name: Line


class Record(_Model):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    profile: Literal[tuple(PROFILES)]  # type: ignore[valid-type]
    issuer: Issuer
    number: Annotated[int | Literal["auto"], BeforeValidator(_number)] | None = None
    place: Line
    date: Day | None = None
    year: Annotated[int, Field(ge=1945, le=2999)] | None = None
    title: Lines | None = None
    subject: Text
    meeting: Meeting | None = None
    intro: Paragraphs | None = None
    numbering: list[Annotated[Line, Field(pattern=r"^\S{1,12}$")]] | None = None
    conclusions: list[Annotated[Point, BeforeValidator(_as_mapping("text"))]] = []
    closing: Paragraphs | None = None
    recipients: list[Text] = []
    archive: Line
    signer: Signer | None = None
    template: Line | None = None  # a Word template of your own, relative to the record
    tone_marks: Literal["keep", "modern"] = "keep"  # "modern": hoà -> hòa, thuỷ -> thủy
    historical: bool = False  # a re-typed old document: dates outside the rulebook allowed

    @property
    def rules(self) -> Profile:
        return PROFILES[self.profile]


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


def _message(error: dict[str, Any], fields: list[str], source: Source | None = None) -> str:
    kind = error["type"]
    written = source.written.get(_loc(error)) if source else None
    comma = written and written.previous and written.fixed and _text_like(error["loc"][-1])
    if kind == "extra_forbidden" and comma:
        return _(
            "unknown key: inside {{ }} a comma separates keys; if the comma belongs to "
            "the text, put the value in quotes: {fixed}"
        ).format(fixed=written.fixed)
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][-1]), fields, n=1)
        if close:
            return _("unknown key; did you mean {key!r}?").format(key=close[0])
        return _("unknown key")
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


def _fields(loc: KeyPath) -> list[str]:
    """Names of the keys allowed next to the one at `loc`, for 'did you mean'."""
    model: Any = Record
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part) if hasattr(model, "model_fields") else None
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


def validate(source: Source) -> tuple[Record, list[Problem]]:
    """Check `source` against the record model and its profile.

    Returns the record and the warnings; raises `RecordError` with every problem found:
    the types, the rulebook and the cross-field checks together.
    """
    source, cleaned = hygiene(source)
    data = _copy(source.data)
    warnings = [*source.warnings, *cleaned, *_own_labels(data, source)]
    problems = _kind_requirements(source)
    record, errors, recovered = _model(data, source)
    warnings += recovered
    failed: list[str] = []
    for error in errors:
        loc = _loc(error)
        failed.append(key_name(loc))
        problems.append(source.problem(loc, _message(error, _fields(loc), source)))
    if record is None:
        record = _partial(data, errors)
    if record is not None:
        rule_problems, rule_warnings = _check_rules(record, source)
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


def _loc(error: Any) -> KeyPath:
    return tuple(p for p in error["loc"] if not str(p).startswith("function-"))


def _under(key: str, failed: str) -> bool:
    return key == failed or key.startswith((f"{failed}.", f"{failed}["))


def _model(data: dict[str, Any], source: Source) -> tuple[Record | None, list[Any], list[Problem]]:
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
    loc = _loc(error)
    written = source.written
    kind, value = error["type"], error.get("input")
    if kind in ("string_type", "value_error") and isinstance(value, dict) and loc in written:
        line = written[loc]
        if not line.previous and _put(data, loc, line.text):
            return source.problem(loc, _("read as the text written: {text}").format(text=line.text))
    if kind != "extra_forbidden" or len(loc) < 2:
        return None
    parent = loc[:-1]
    line = written.get(loc)
    if line and line.previous and line.bare and _text_like(loc[-1]):
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


def _text_like(key: Any) -> bool:
    """A key that reads as words of a text, not as a mistyped key (`nam`, `positon`)."""
    return isinstance(key, str) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key)


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


def _partial(data: dict[str, Any], errors: list[Any]) -> Record | None:
    """The record with its wrong values left out, so that the rulebook can still check
    the rest; None when the kind or the profile is not known."""
    data = copy.deepcopy(data)
    for _round in range(4):
        for error in errors:
            loc = _loc(error)
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


def _own_labels(data: dict[str, Any], source: Source) -> list[Problem]:
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


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _check_rules(record: Record, source: Source) -> tuple[list[Problem], list[Problem]]:
    """What the profile and the kind require beyond the shape of the record."""
    rules = record.rules
    problems: list[Problem] = []
    warnings: list[Problem] = []
    problems += _capitals(record, source) + _wording(record, source)
    warnings += _unpaired(record, source)
    signer = record.signer or Signer(position="-", name="-")
    if signer.authority is not None:
        marker = authority_marker(signer.authority, rules)
        if marker is None:
            others = [p for p in PROFILES.values() if authority_marker(signer.authority, p)]
            message = _("{marker!r} is not allowed by {profile}; use one of {markers}")
            if others:
                message = _(
                    "{marker!r} ({rulebook} marker) is not allowed by {profile}; "
                    "use one of {markers}"
                )
            problems.append(
                source.problem(
                    ("signer", "authority"),
                    message.format(
                        marker=signer.authority,
                        profile=rules.name,
                        rulebook=others[0].title if others else "",
                        markers=", ".join(rules.markers),
                    ),
                )
            )
        if signer.on_behalf_of is None:
            problems.append(
                source.problem(("signer", "on_behalf_of"), _("required with signer.authority"))
            )
    elif signer.on_behalf_of is not None:
        problems.append(
            source.problem(("signer", "authority"), _("required with signer.on_behalf_of"))
        )
    if record.date and record.year and record.date.year != record.year:
        problems.append(
            source.problem(
                ("year",), _("differs from the year of date ({year})").format(year=record.date.year)
            )
        )
    if record.date:
        outside = warnings if record.historical else problems
        historical = "" if record.historical else _(" (a re-typed old document: historical: true)")
        if rules.valid_from and record.date < rules.valid_from:
            outside.append(
                source.problem(
                    ("profile",),
                    _("{rulebook} applies from {day}").format(
                        rulebook=rules.title, day=f"{rules.valid_from:%d/%m/%Y}"
                    )
                    + historical,
                )
            )
        if rules.valid_until and record.date > rules.valid_until:
            outside.append(
                source.problem(
                    ("profile",),
                    _("{rulebook} was replaced on {day}").format(
                        rulebook=rules.title, day=f"{rules.valid_until:%d/%m/%Y}"
                    )
                    + historical,
                )
            )
    return problems, warnings


def _body_texts(record: Record) -> list[tuple[KeyPath, str]]:
    """The body text a clerk typed, with emphasis allowed: intro, points, closing."""
    out = [(("intro", i), t) for i, t in enumerate(record.intro or [])]
    out += [(("closing", i), t) for i, t in enumerate(record.closing or [])]

    def points(items: list[Point], key: KeyPath) -> None:
        for n, point in enumerate(items):
            out.extend(((*key, n, "text", i), t) for i, t in enumerate(point.text or []))
            points(point.points, (*key, n, "points"))

    points(record.conclusions, ("conclusions",))
    return out


def _unpaired(record: Record, source: Source) -> list[Problem]:
    message = _(
        "an asterisk without its pair is printed as it is: *nghiêng* and **đậm** need "
        "both, and \\* prints an asterisk"
    )
    return [
        source.problem(key, message)
        for key, text in _body_texts(record)
        if "*" in text and emphasis(text) is None
    ]


def _wording(record: Record, source: Source) -> list[Problem]:
    """Nơi nhận lines need words: the profile adds the dash and the punctuation."""
    problems = [
        source.problem(("recipients", i), _("needs words, not only punctuation"))
        for i, item in enumerate(record.recipients)
        if not bare(item)
    ]
    if record.rules.regime == "party" and re.search(r":|\bVT\b", record.archive):
        body = re.sub(r"^Lưu\b|\bVT\b|:", "", bare(record.archive)).strip(" ,")
        example = body or "Văn phòng Tỉnh ủy"
        message = _(
            "the Party storage line has no colon and no VT (format-rules §10); "
            "write archive: {example} (printed - Lưu {example}.)"
        )
        problems.append(source.problem(("archive",), message.format(example=example)))
    elif not archive_body(record.archive, record.rules).strip(" ,"):
        example = "Văn phòng Tỉnh ủy" if record.rules.regime == "party" else "VT, TH"
        message = _("needs who keeps the copy, e.g. {example}").format(example=example)
        problems.append(source.problem(("archive",), message))
    return problems


def _capitals(record: Record, source: Source) -> list[Problem]:
    """Text the rulebooks print in capitals, or starting with one, checked where written."""
    problems = []
    upper: list[tuple[KeyPath, str]]
    upper = [(("issuer", "name", i), line) for i, line in enumerate(record.issuer.name)]
    upper += [(("issuer", "parent", i), line) for i, line in enumerate(record.issuer.parent or [])]
    if record.signer:
        upper += [(("signer", "position"), record.signer.position)]
        if record.signer.on_behalf_of:
            upper += [(("signer", "on_behalf_of"), record.signer.on_behalf_of)]
    for key, text in upper:
        if text != text.upper():
            problems.append(
                source.problem(
                    key, _("written in capitals by the rulebook: {text}").format(text=text.upper())
                )
            )
    first = next((ch for ch in record.subject if ch.isalpha()), "A")
    if record.rules.regime == "state" and not first.isupper():
        problems.append(
            source.problem(("subject",), _("under nd30 the subject starts with a capital"))
        )
    if (
        record.rules.regime == "party"
        and record.signer
        and COMMITTEE.search(record.signer.position)
    ):
        problems.append(
            source.problem(
                ("signer", "position"),
                _(
                    "under the Party rules the position does not repeat "
                    "the body's name (PHÓ BÍ THƯ, not PHÓ BÍ THƯ TỈNH ỦY)"
                ),
            )
        )
    return problems


# kind -> key path -> what it is, beyond the model's required keys
KIND_NEEDS: dict[str, dict[tuple[str, ...], str]] = {
    "thong-bao-ket-luan": {
        ("conclusions",): N_("at least one point"),
        ("recipients",): N_("recipients"),
        ("signer",): N_("the signature block"),
    },
    "giay-moi": {
        ("recipients",): N_("recipients"),
        ("signer",): N_("the signature block"),
        ("meeting", "date"): N_("the meeting's date"),
        ("meeting", "start"): N_("its start"),
        ("meeting", "location"): N_("its place"),
        ("meeting", "invitees"): N_("who is invited"),
    },
    "bien-ban": {
        ("meeting", "date"): N_("the meeting's date"),
        ("meeting", "start"): N_("its start"),
        ("meeting", "end"): N_("its end"),
        ("meeting", "chair"): N_("who chaired"),
        ("meeting", "secretary"): N_("who kept the minutes"),
    },
}


def _kind_requirements(source: Source) -> list[Problem]:
    """Keys a kind of document cannot do without, looked up in the raw tree."""
    kind = source.data.get("kind")
    problems = []
    needs: dict[tuple[str, ...], str] = KIND_NEEDS.get(kind, {}) if isinstance(kind, str) else {}
    for key, what in needs.items():
        value: Any = source.data
        for part in key:
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, "", [], {}):
            message = _("required key is missing ({what}, for {kind})")
            problems.append(source.problem(key, message.format(what=_(what), kind=kind)))
    return problems
