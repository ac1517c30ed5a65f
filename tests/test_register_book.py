"""The Sổ đăng ký văn bản đi printed from the register, read back as a clerk would see it."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from notice_gen.register import Entry, RegisterError, Series
from notice_gen.register.book import export

HEADINGS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
VP = Series("VP", "2026", "*")
ENTRIES = [
    Entry(VP, 5, "05/TB-VP", date(2026, 2, 3), "thong-bao-ket-luan",
          "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp về tiến độ giải phóng mặt bằng",
          "Trần Văn Bình", "Sở Xây dựng; Sở Tài chính", "VT, TH", 6, "", "tb.yaml"),
    Entry(VP, 6, "06/GM-VP", date(2026, 2, 4), "giay-moi", "Mời họp giao ban", "Lê Văn Nam",
          "Các sở", "VT", None, "gửi qua mạng", "gm.yaml"),
    Entry(VP, 7, status="void", void_reason="ký nhầm"),
]  # fmt: skip
ROWS = [
    ["05/TB-VP", "03/02/2026",
     "Thông báo Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp về tiến độ giải phóng "
     "mặt bằng", "Trần Văn Bình", "Sở Xây dựng; Sở Tài chính", "VT, TH", "6", "", "", ""],
    ["06/GM-VP", "04/02/2026", "Giấy mời Mời họp giao ban", "Lê Văn Nam", "Các sở", "VT", "",
     "", "", "gửi qua mạng"],
    ["07", "", "", "", "", "", "", "", "", "Đã hủy số: ký nhầm"],
]  # fmt: skip


def test_the_word_book_is_the_form_of_phu_luc_iv(tmp_path):
    path = export(ENTRIES, tmp_path / "so-van-ban-di-2026.docx", 2026)
    document = Document(str(path))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Năm 2026"]
    assert all(run.bold for p in document.paragraphs[:2] for run in p.runs)
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == HEADINGS
    assert rows[1:] == ROWS
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    widths = sum(cell.width for cell in table.rows[1].cells)
    assert widths <= Mm(297 - 35)


def test_the_workbook_book_prints_landscape_with_the_heading_row_repeated(tmp_path):
    path = export(ENTRIES, tmp_path / "so-van-ban-di-2026.xlsx")
    sheet = load_workbook(path).active
    values = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and values[1][0] == "Năm 2026"
    assert values[3] == HEADINGS
    assert values[4:] == ROWS
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4 in SpreadsheetML
    assert sheet.print_title_rows == "$4:$4"
    assert sheet["A4"].font.name == "Times New Roman" and sheet["A4"].font.bold


def test_another_file_type_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(RegisterError, match=r"so.pdf: the book is written as .docx or .xlsx"):
        export(ENTRIES, tmp_path / "so.pdf")
    assert list(tmp_path.iterdir()) == []
