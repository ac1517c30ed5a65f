"""Sheets: one record per row, columns named by key path (`signer.name`).

CSV as Excel writes it wherever it runs: `,` `;` or tab between columns (read from
the header), UTF-8 with or without BOM, UTF-16 ("Unicode text"), and the 8-bit
Windows-1258 and TCVN3 (ABC) bytes of older Vietnamese machines, told apart by which
reading gives Vietnamese words; the sheet's `note` says what was read. XLSX through
openpyxl, its date cells as dates.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Problem, RecordError
from ..i18n import _
from ..record.load import SUFFIXES, KeyPath, load
from ..record.model import AUTO
from ..record.text import from_tcvn3, from_vni
from ..rules.profiles import KINDS
from .paths import cell_file

SHEETS = (".csv", ".xlsx")
LIST_KEYS = {"recipients", "title", "intro", "closing", "numbering"}
SEPARATORS = {",": ",", ";": ";", "\t": "tab"}
_VIETNAMESE = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
_VIETNAMESE |= {ch.upper() for ch in _VIETNAMESE}


@dataclass
class Row:
    """One row's record: its sheet line, its keys and where each came from."""

    number: int
    data: dict[str, Any]
    positions: dict[KeyPath, tuple[str, int]] = field(default_factory=dict)
    base: str | None = None  # a record whose keys are the defaults (`extends` column)


@dataclass
class Sheet:
    rows: list[Row]
    note: str = ""  # how the file was read, when it is not plain UTF-8 with commas


def read_sheet(path: Path, base: Path | None = None) -> Sheet:
    """Every row of the CSV or XLSX sheet at `path` that holds something."""
    note, header, rows = _cells(path)
    records = (_record(path, header, n, values, base) for n, values in enumerate(rows, 2))
    return Sheet([row for row in records if row is not None], note)


NUMBER_COLUMNS = frozenset(["number", *(f"{kind}.number" for kind in KINDS)])


def row_numbers(path: Path, base: Path | None = None) -> tuple[str, list[int], bool]:
    """How the sheet was read, the numbers of its rows that hold something, and whether
    a `number` cell says `auto`; the rows themselves are read where they are rendered
    (`sheet_row`). A cell naming a file outside the sheet's folder is refused here,
    before anything is written."""
    note, header, rows = _cells(path)
    named = [bool(column) for column in header]
    files = [column.split(".")[-1] == "conclusions" for column in header]
    counters = [column in NUMBER_COLUMNS for column in header]
    numbers, auto = [], False
    for n, values in enumerate(rows, 2):
        for file, counter, value in zip(files, counters, values, strict=False):
            if file and isinstance(value, str) and value:
                cell_file(path, value)
            elif counter and isinstance(value, str) and value.strip().lower() == AUTO:
                auto = True
        if base or any(c and v not in (None, "") for c, v in zip(named, values, strict=False)):
            numbers.append(n)
    return note, numbers, auto


def sheet_row(path: Path, number: int, base: Path | None = None) -> Row:
    """Row `number` of the sheet at `path`, the sheet read once per process."""
    stat = path.stat()
    header, rows = _cached_cells(str(path), stat.st_mtime_ns, stat.st_size)
    row = _record(path, header, number, rows[number - 2], base)
    return row if row is not None else Row(number, {})


@lru_cache(maxsize=2)
def _cached_cells(path: str, _mtime: int, _size: int) -> tuple[list[str], list[list[Any]]]:
    _note, header, rows = _cells(Path(path))
    return header, list(rows)


def _cells(path: Path) -> tuple[str, list[str], Iterator[list[Any]]]:
    """How the sheet was read, its header, and the cells of each row below it."""
    note = ""
    if path.suffix.lower() == ".csv":
        text, encoding = decode(_read_bytes(path), path)
        separator = sniff(text)
        if encoding != "UTF-8" or separator != ",":
            note = _("{path}: read as {encoding}, columns separated by {separator}").format(
                path=path, encoding=encoding, separator=SEPARATORS[separator]
            )
        rows: Iterator[list[Any]] = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    else:
        rows = _xlsx_rows(path)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    return note, header, rows


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RecordError(
            [Problem(path, None, "", _("cannot read: {reason}").format(reason=exc.strerror))]
        ) from None


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was read in."""
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), name
            except UnicodeDecodeError:
                break
    else:
        if raw[1:200:2].count(0) > 20 or raw[0:200:2].count(0) > 20:
            codec = "utf-16-le" if raw[1:200:2].count(0) > raw[0:200:2].count(0) else "utf-16-be"
            try:
                return raw.decode(codec), "UTF-16"
            except UnicodeDecodeError:
                pass
        try:
            return raw.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    latin = raw.decode("latin-1")
    readings = {
        "Windows-1258": unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")),
        "TCVN3 (ABC)": unicodedata.normalize("NFC", from_tcvn3(latin)),
        "VNI-Windows": unicodedata.normalize("NFC", from_vni(latin)),
    }
    scores = {name: _score(text) for name, text in readings.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] <= 0:
        raise RecordError(
            [
                Problem(
                    path,
                    None,
                    "",
                    _(
                        "the encoding is not known; save the sheet from Excel as "
                        "CSV UTF-8 (Comma delimited)"
                    ),
                )
            ]
        )
    return readings[best], best


def _score(text: str) -> int:
    """Words that read as Vietnamese (one marked letter), less twice those that do not."""
    good = bad = 0
    for word in re.findall(r"\w+", text):
        marked = sum(ch in _VIETNAMESE for ch in word)
        foreign = any(not ch.isascii() and ch not in _VIETNAMESE for ch in word)
        if foreign or marked > 1:
            bad += 1
        elif marked == 1:
            good += 1
    return good - 2 * bad


def sniff(text: str) -> str:
    """The column separator: whichever of `,` `;` tab the header line uses most."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _record(
    path: Path, header: list[str], number: int, values: list[Any], base: Path | None
) -> Row | None:
    """The row's record, or None when it holds nothing."""
    row = Row(number, {}, base=str(base) if base else None)
    for column, value in zip(header, values, strict=False):
        if not column or value in (None, ""):
            continue
        if column == "extends":
            row.base = str(path.parent / value)
            continue
        keys = tuple(column.split("."))
        _put(row.data, keys, _cell_value(keys[-1], value, path))
        row.positions[keys] = (str(path), number)
    return row if row.data or row.base else None


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    for row in book.worksheets[0].iter_rows():
        yield [_xlsx_text(cell) for cell in row]


def _xlsx_text(cell: Any) -> Any:
    """Excel's typed value back to the text a person sees, so the record model converts it."""
    value = cell.value
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()[:5] if isinstance(value, time) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and re.fullmatch(r"0+", cell.number_format or ""):
        return str(value).zfill(len(cell.number_format))
    return str(value)


def _cell_value(key: str, value: Any, sheet: Path) -> Any:
    if key == "recipients" or (key in LIST_KEYS and isinstance(value, str) and ";" in value):
        return [v.strip() for v in re.split(r"[;\n]", value) if v.strip()]
    if key == "conclusions":
        file = cell_file(sheet, value)
        if len(value) < 256 and "\n" not in value and file.suffix in SUFFIXES and file.is_file():
            return load(file).data.get("conclusions", [])
        if len(value) < 256 and "\n" not in value and file.suffix == ".txt" and file.is_file():
            value = file.read_text("utf-8")
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def _put(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value
