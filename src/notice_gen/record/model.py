"""The record model of record-format.md: its keys, and how typed values are read
(dates day first, times such as 8h30, `number: auto`). Text comes out NFC; control
characters are refused, never written."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..i18n import _
from ..rules.profiles import KINDS, PROFILES, Profile
from .register import RegisterSettings

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """NFC text, trimmed, each line too (`text.hygiene` has already cleaned it); cached,
    as a batch repeats its shared text in every record."""
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
Items = Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]
"""A list of entries; one entry may be written as plain text."""
Lines = Annotated[list[Line], BeforeValidator(_lines), Field(min_length=1)]
Code = Annotated[str, Field(pattern=r"^[A-ZĐ][A-ZĐa-z0-9]*(-[A-ZĐ][A-ZĐa-z0-9]*)*$")]
Clock = Annotated[str, BeforeValidator(_clock)]


class _Model(BaseModel):
    # the validators are built on first use: only Record's, which holds the others
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    attendees: Items = Field(default_factory=list)
    secretary: Annotated[Person, BeforeValidator(_as_mapping("name"))] | None = None
    agenda: Paragraphs | None = None
    reports: Items = Field(default_factory=list)
    speeches: list[Speech] = Field(default_factory=list)
    name: Line | None = None  # the meeting's name: "Tới dự …" in an invitation
    invitees: Items = Field(default_factory=list)  # who a Giấy mời invites
    inviter: Line | None = None  # "<inviter> trân trọng kính mời:"
    notes: Items = Field(default_factory=list)  # closing notes of a Giấy mời


class Point(_Model):
    text: Paragraphs | None = None
    heading: Text | None = None
    label: Line | None = None
    points: list[Annotated[Point, BeforeValidator(_as_mapping("text"))]] = Field(
        default_factory=list
    )


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
    conclusions: list[Annotated[Point, BeforeValidator(_as_mapping("text"))]] = Field(
        default_factory=list
    )
    closing: Paragraphs | None = None
    recipients: Items = Field(default_factory=list)
    archive: Line
    signer: Signer | None = None
    template: Line | None = None  # a Word template of your own, relative to the record
    tone_marks: Literal["keep", "modern"] = "keep"  # "modern": hoà -> hòa, thuỷ -> thủy
    historical: bool = False  # a re-typed old document: dates outside the rulebook allowed
    secret: bool = False  # a secret document: its own series where the rulebook allows it
    register_: RegisterSettings | None = Field(None, alias="register")  # numbering settings

    @property
    def rules(self) -> Profile:
        return PROFILES[self.profile]
