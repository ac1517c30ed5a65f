"""Findings of the linter and how they are shown."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..i18n import N_, _
from ..rules.bounds import Span

SEVERITIES = (N_("error"), N_("warning"), N_("unjudged"))


@dataclass(frozen=True)
class Finding:
    """One verdict: `error`, `warning`, or `unjudged` (could not be decided)."""

    file: str
    rule: str
    severity: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        where = _(" (where: {where})").format(where=self.where) if self.where else ""
        return f"{self.file}: {self.rule} {_(self.severity)}: {self.message}{where}"


def as_json(findings: list[Finding]) -> list[dict[str, str]]:
    return [asdict(f) for f in findings]


def points(sizes: set[float]) -> str:
    """`12/14 pt`: the sizes found."""
    return "/".join(f"{s:g}" for s in sorted(sizes)) + " pt"


def span(accepted: Span, unit: str = "pt") -> str:
    """`13–14 pt`, or `14 pt` for a single value."""
    low, high = accepted
    return f"{low:g} {unit}" if low == high else f"{low:g}–{high:g} {unit}"
