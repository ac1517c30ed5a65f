"""Which series a record draws its number from, by its rulebook and its organisation's
`register:` block (record-format.md v1.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..i18n import _
from ..record.register import RegisterSettings
from ..rules.numbering import NUMBERING
from .model import Entry, RegisterError, Series

__all__ = ["RegisterSettings", "entry_for", "series_for"]


def series_for(
    record: Any, settings: RegisterSettings | None = None, *, today: date | None = None
) -> Series:
    """The series of a validated record (`profile`, `kind`, `issuer.code`, `date`, `year`,
    `secret`, `register_`: the `register:` block); `settings` overrides the record's block.

    State: per issuer code per year (the document's date, else `year`, else today), one
    series or one per kind; Party: per issuer, per kind, per `register.term`.
    """
    if settings is None:
        own = getattr(record, "register_", None)
        settings = own if isinstance(own, RegisterSettings) else RegisterSettings()
    rules = NUMBERING[record.profile]
    secret = bool(getattr(record, "secret", False))
    if rules.scope == "year":
        day = record.date or (date(record.year, 1, 1) if record.year else today or date.today())
        scope = str(day.year)
    else:
        scope = _term(settings, record)
    if rules.per_kind == "always" and settings.series == "single":
        raise RegisterError(
            _("{profile}: register.series: single is not allowed, Party numbers run per kind")
            .format(profile=record.profile)
        )  # fmt: skip
    if not rules.secret_apart and settings.secret:
        raise RegisterError(
            _("{profile}: register.secret: true is not allowed, secret documents share the "
              "series of their kind (format-rules §8.1)").format(profile=record.profile)
        )  # fmt: skip
    if not rules.advisory_apart and settings.body:
        raise RegisterError(
            _("{profile}: register.body is not allowed, the Party rules have no advisory-body "
              "series").format(profile=record.profile)
        )  # fmt: skip
    per_kind = (settings.series or rules.default_series) == "per-kind"
    apart = settings.secret if settings.secret is not None else rules.secret_apart
    return Series(
        issuer=record.issuer.code,
        scope=scope,
        kind=record.kind if per_kind else "*",
        secret=secret and apart,
        body=settings.body or "",
    )


def _term(settings: RegisterSettings, record: Any) -> str:
    """The party term, checked against the document's date."""
    if not settings.term:
        raise RegisterError(
            _("{profile}: numbers run per party term; add register.term (e.g. 2025-2030) to "
              "the organisation file").format(profile=record.profile)
        )  # fmt: skip
    first, last = (int(y) for y in settings.term.split("-"))
    if first >= last:
        raise RegisterError(
            _("register.term {term}: the first year must come before the last (e.g. 2025-2030)")
            .format(term=settings.term)
        )  # fmt: skip
    year = record.date.year if record.date else record.year
    if year is not None and not first <= year <= last:
        raise RegisterError(
            _("register.term {term} does not hold a document of {year}; write the current "
              "term (e.g. 2025-2030)").format(term=settings.term, year=year)
        )  # fmt: skip
    return settings.term


def entry_for(record: Any, series: Series, number: int, *, source: str, symbol: str) -> Entry:
    """The book's row for a validated record given `number` (`symbol` as printed, without
    `Số`: "05/TB-VP", "42-TB/ĐU")."""
    from ..rules.wording import archive_body, bare

    return Entry(
        series=series,
        number=number,
        symbol=symbol,
        date=record.date,
        kind=record.kind,
        subject=record.subject,
        signer=record.signer.name if record.signer else "",
        recipients="; ".join(bare(r) for r in record.recipients),
        archive=archive_body(record.archive, record.rules),
        source=source,
    )
