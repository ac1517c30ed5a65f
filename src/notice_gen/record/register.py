"""The register keys of a record (record-format.md v1.1): the organisation file's
`register:` block and a record's `secret: true`, checked against the rulebook's numbering
rules (`rules/numbering.py`)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..i18n import _
from ..rules.numbering import NUMBERING

TERM = re.compile(r"^(\d{4})-(\d{4})$")


def _term(value: str) -> str:
    found = TERM.fullmatch(value.strip())
    if found is None:
        raise ValueError(_("expected a party term written as two years, e.g. 2025-2030"))
    if int(found.group(1)) >= int(found.group(2)):
        raise ValueError(_("the first year of the term must come before the last (e.g. 2025-2030)"))
    return value.strip()


def _body(value: str) -> str:
    if not value.strip() or "\n" in value:
        raise ValueError(_("expected the advisory body's name on one line, e.g. Hội đồng thi đua"))
    return value.strip()


class RegisterSettings(BaseModel):
    """The `register:` block of an organisation file (or a record)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    series: Literal["single", "per-kind"] | None = None  # State: one series or one per kind
    term: Annotated[str, AfterValidator(_term)] | None = None  # Party: 2025-2030
    secret: bool | None = None  # secret documents (`secret: true`) keep their own series
    body: Annotated[str, AfterValidator(_body), Field(max_length=200)] | None = None


_UNSET = RegisterSettings()  # a record without a `register:` block


def register_problems(record: Any) -> list[tuple[tuple[str, ...], str]]:
    """(key path, message) of each register key the record's rulebook does not allow."""
    settings: RegisterSettings = record.register_ or _UNSET
    rules, profile = NUMBERING[record.profile], record.profile
    found: list[tuple[tuple[str, ...], str]] = []
    if record.number == "auto" and rules.scope == "term" and not settings.term:
        found.append((("number",), _(
            "{profile} numbers run per party term: add register.term (e.g. 2025-2030) to the "
            "organisation file, or type the number"
        ).format(profile=profile)))  # fmt: skip
    if rules.per_kind == "always" and settings.series == "single":
        found.append((("register", "series"), _(
            "{profile} numbers run per kind of document: remove series: single"
        ).format(profile=profile)))  # fmt: skip
    if not rules.secret_apart and settings.secret:
        found.append((("register", "secret"), _(
            "{profile}: secret documents share the series of their kind (format-rules §8.1): "
            "remove secret: true here"
        ).format(profile=profile)))  # fmt: skip
    if not rules.advisory_apart and settings.body:
        found.append((("register", "body"), _(
            "{profile}: the Party rules have no advisory-body series: remove body"
        ).format(profile=profile)))  # fmt: skip
    if rules.scope == "year" and settings.term:
        found.append((("register", "term"), _(
            "{profile} numbers run per year, not per party term: remove term"
        ).format(profile=profile)))  # fmt: skip
    year = record.date.year if record.date else record.year
    if settings.term and year is not None and rules.scope == "term":
        first, last = (int(y) for y in settings.term.split("-"))
        if not first <= year <= last:
            found.append((("register", "term"), _(
                "the term {term} does not hold a document of {year}: write the current term "
                "(e.g. 2025-2030)"
            ).format(term=settings.term, year=year)))  # fmt: skip
    return found
