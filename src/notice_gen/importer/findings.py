"""What the importer says about each line: recognised, guessed, or could not place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import N_, _

RECOGNISED, GUESSED, UNPLACED = N_("recognised"), N_("guessed"), N_("could not place")


@dataclass(frozen=True)
class Finding:
    """One line of the import report, with its place in the draft (`paragraph 14 «…»`)."""

    status: str  # RECOGNISED, GUESSED or UNPLACED
    message: str
    where: str

    def __str__(self) -> str:
        where = _(" (where: {where})").format(where=self.where) if self.where else ""
        return f"{_(self.status)}: {self.message}{where}"


def shown(value: Any) -> str:
    """A value as one short line for the report."""
    if isinstance(value, dict):
        value = ", ".join(map(str, value.values()))
    if isinstance(value, list):
        value = " / ".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "…"
