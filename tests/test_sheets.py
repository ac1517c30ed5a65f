"""Sheets as Vietnamese Excel saves them: `;` and BOM, Windows-1258, TCVN3, UTF-16, dd/mm/yyyy."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import DATA
from legacy import to_cp1258, to_tcvn3
from notice_gen.cli import main

BASE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
# What a clerk types in Excel: day-first dates, Vietnamese names, several recipients.
ROWS = [
    ["number", "date", "signer.name", "recipients"],
    ["12", "19/02/2021", "Nguyễn Thị Hoa", "Sở Tài chính; UBND các huyện: Bảo Lâm, Di Linh"],
    ["13", "22/2/2021", "Trần Văn Đức", "Sở Nội vụ"],
]


def sheet_text(separator: str) -> str:
    """The sheet as Excel writes it: cells holding the separator in quotes."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows(ROWS)
    return buffer.getvalue()


def batch(tmp_path: Path, sheet: Path):
    return CliRunner().invoke(
        main, ["batch", str(sheet), "--base", str(BASE), "-o", str(tmp_path / "out"), "-j", "1"]
    )


def read_back(path: Path) -> tuple[str, str, list[str]]:
    document = Document(str(path))
    header = document.tables[0]
    date_line = header.cell(1, 1).paragraphs[0].text
    signer = [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text][-1]
    recipients = [p.text for p in document.tables[-1].cell(0, 0).paragraphs]
    return date_line, signer, recipients


@pytest.mark.parametrize(
    ("encode", "separator", "said"),
    [
        (lambda t: t.encode("utf-8-sig"), ";", "read as UTF-8 (BOM), columns separated by ;"),
        (lambda t: t.encode("utf-16"), "\t", "read as UTF-16, columns separated by tab"),
        (to_cp1258, ";", "read as Windows-1258, columns separated by ;"),
        (to_tcvn3, ",", "read as TCVN3 (ABC), columns separated by ,"),
        (lambda t: t.encode("utf-8"), ",", None),
    ],
    ids=["utf8-bom-semicolon", "utf16-tab", "windows-1258", "tcvn3", "utf8-comma"],
)  # fmt: skip
def test_every_row_of_a_sheet_saved_by_vietnamese_excel_renders(tmp_path, encode, separator, said):
    sheet = tmp_path / "don-vi.csv"
    sheet.write_bytes(encode(sheet_text(separator)))
    result = batch(tmp_path, sheet)
    assert result.exit_code == 0, result.output
    if said:
        assert f"{sheet}: {said}" in result.output
    else:
        assert "read as" not in result.output
    date_line, signer, recipients = read_back(tmp_path / "out" / "don-vi-2.docx")
    assert date_line == "Lâm Đồng, ngày 19 tháng 02 năm 2021"
    assert signer == "Nguyễn Thị Hoa"
    assert recipients[1:3] == ["- Sở Tài chính;", "- UBND các huyện: Bảo Lâm, Di Linh;"]
    date_line, signer, _ = read_back(tmp_path / "out" / "don-vi-3.docx")
    assert (date_line, signer) == ("Lâm Đồng, ngày 22 tháng 02 năm 2021", "Trần Văn Đức")


def test_xlsx_date_cells_and_day_first_text_both_work(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["number", "date", "meeting.start"])
    sheet.append([5, datetime(2021, 2, 19), "8h30"])
    sheet.append([6, "19/02/2021", "8 giờ 30"])
    book.save(tmp_path / "don-vi.xlsx")
    result = batch(tmp_path, tmp_path / "don-vi.xlsx")
    assert result.exit_code == 0, result.output
    for row in (2, 3):
        date_line, _, _ = read_back(tmp_path / "out" / f"don-vi-{row}.docx")
        assert date_line == "Lâm Đồng, ngày 19 tháng 02 năm 2021"


def test_bytes_in_no_known_encoding_are_refused_with_the_way_out(tmp_path):
    sheet = tmp_path / "hong.csv"
    sheet.write_bytes(b"number;place\n1;\x81\x8d\x8f\x90\x9d\n")
    result = batch(tmp_path, sheet)
    assert result.exit_code == 2
    assert (
        f"error: {sheet}: the encoding is not known; save the sheet from Excel as "
        "CSV UTF-8 (Comma delimited)"
    ) in result.output
