"""What the register holds: a series of numbers, and the documents issued from it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import NoticeGenError
from ..i18n import _

STATUSES = ("reserved", "issued", "void")


@dataclass(frozen=True)
class Series:
    """One number sequence: State per issuer per year, Party per issuer per kind per term."""

    issuer: str  # issuer code, e.g. "VP", "TU"
    scope: str  # State: the year "2026"; Party: the term "2025-2030"
    kind: str  # "*" for a single State series, else the kind ("thong-bao-ket-luan")
    secret: bool = False
    body: str = ""  # advisory body (Hội đồng/Ban/Tổ) with its own series, else ""

    def __str__(self) -> str:
        parts = [self.issuer, self.scope]
        if self.kind != "*":
            parts.append(self.kind)
        if self.body:
            parts.append(self.body)
        if self.secret:
            parts.append(_("secret"))
        return " ".join(parts)


@dataclass(frozen=True)
class Entry:
    """One number of a series: the row of the Sổ đăng ký văn bản đi."""

    series: Series
    number: int
    symbol: str = ""  # "05/TB-VP" / "42-TB/ĐU"
    date: date | None = None
    kind: str = ""
    subject: str = ""  # trích yếu
    signer: str = ""
    recipients: str = ""  # Nơi nhận, "; "-joined
    archive: str = ""  # Đơn vị, người nhận bản lưu
    copies: int | None = None
    note: str = ""
    source: str = ""  # "rec.yaml", "sheet.csv#row=12", "multi.yaml#record=3"
    status: str = "issued"  # reserved | issued | void
    void_reason: str = ""

    @property
    def label(self) -> str:
        """The symbol, or the bare number while no symbol was recorded."""
        return self.symbol or f"{self.number:02d}"

    def describe(self) -> str:
        """Which document holds this number, for messages."""
        return f"{self.label} ({self.source})" if self.source else self.label


@dataclass(frozen=True, slots=True)
class Request:
    """A number asked of the register for one document (`source`, `kind`): the next of
    `series`, or with `entry` the number typed by hand in it (claimed)."""

    series: Series
    source: str
    kind: str
    entry: Entry | None = None


class RegisterError(NoticeGenError):
    """The register cannot do what was asked; the message says why and what to do."""


class DuplicateNumber(RegisterError):
    """A number already registered for another document of the same series."""

    def __init__(self, series: Series, number: int, holder: str, newcomer: str) -> None:
        self.series, self.number, self.holder, self.newcomer = series, number, holder, newcomer
        super().__init__(
            _(
                "number {number:02d} of series {series} is already registered for {holder}; "
                "{newcomer} cannot take it too: use number: auto or another number"
            ).format(number=number, series=series, holder=holder, newcomer=newcomer)
        )


def source_key(
    path: Path, *, row: int | None = None, record: int | None = None, base: Path | None = None
) -> str:
    """The stable name of a document's source: its path relative to `base` (the working
    folder) when inside it, with `#row=N` for a sheet row or `#record=N` in a multi-record
    file: `data/tb.yaml`, `lich.xlsx#row=12`, `hop.yaml#record=3`."""
    absolute = os.path.abspath(path)
    root = os.path.join(os.path.abspath(base or os.getcwd()), "")  # ends with the separator
    name = absolute[len(root) :] if absolute.startswith(root) else absolute
    key = name.replace(os.sep, "/")
    if row is not None:
        key += f"#row={row}"
    if record is not None:
        key += f"#record={record}"
    return key
