"""The printable book: Sổ đăng ký văn bản đi in the form of Nghị định 30/2020 Phụ lục IV,
as a Word document or a workbook, A4 landscape, the heading row repeated on every page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from ..atomic import atomic_file
from ..i18n import _
from ..rules.profiles import DOC_TYPES, FONT
from .model import Entry, RegisterError

TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
COLUMNS = (  # Phụ lục IV, the heading and the width in millimetres (262 mm of text width)
    ("Số, ký hiệu văn bản", 25),
    ("Ngày tháng văn bản", 22),
    ("Tên loại và trích yếu nội dung văn bản", 62),
    ("Người ký", 28),
    ("Nơi nhận văn bản", 35),
    ("Đơn vị, người nhận bản lưu", 25),
    ("Số lượng bản", 15),
    ("Ngày chuyển", 18),
    ("Ký nhận", 17),
    ("Ghi chú", 15),
)
STATUS_NOTES = {"void": "Đã hủy số", "reserved": "Đã lấy số, chưa ghi văn bản"}


def row(entry: Entry) -> list[str]:
    """The ten cells of one document; Ngày chuyển and Ký nhận are filled in by hand."""
    name = DOC_TYPES[entry.kind][0].capitalize() if entry.kind in DOC_TYPES else ""
    notes = [STATUS_NOTES.get(entry.status, ""), entry.void_reason, entry.note]
    return [
        entry.label,
        f"{entry.date:%d/%m/%Y}" if entry.date else "",
        " ".join(p for p in (name, entry.subject) if p),
        entry.signer,
        entry.recipients,
        entry.archive,
        str(entry.copies) if entry.copies is not None else "",
        "",
        "",
        ": ".join(n for n in notes if n),
    ]


def export(entries: Sequence[Entry], path: Path, year: int | None = None) -> Path:
    """Write the book of `entries` to `path` (.docx or .xlsx), atomically."""
    path = Path(path)
    writers: dict[str, Callable[[Sequence[Entry], BinaryIO, str], None]] = {
        ".docx": _docx,
        ".xlsx": _xlsx,
    }
    writer = writers.get(path.suffix.lower())
    if writer is None:
        raise RegisterError(_("{path}: the book is written as .docx or .xlsx").format(path=path))
    heading = _heading(entries, year)
    try:
        with atomic_file(path) as handle:
            writer(entries, handle, heading)
    except OSError as exc:
        raise RegisterError(
            _("{path}: cannot write: {reason}").format(path=path, reason=exc.strerror)
        ) from None
    return path


def _heading(entries: Sequence[Entry], year: int | None) -> str:
    """`Năm 2026`: the year asked for, else the years of the documents."""
    if year:
        return f"Năm {year}"
    years = sorted({e.date.year for e in entries if e.date})
    if not years:
        return ""
    return f"Năm {years[0]}" + (f" - {years[-1]}" if years[-1] != years[0] else "")


def _docx(entries: Sequence[Entry], out: BinaryIO, heading: str) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(15)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    for text, size in ((TITLE, 14), (heading, 13)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, (text, _width) in zip(header.cells, COLUMNS, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True
    for entry in entries:
        cells = table.add_row().cells
        for cell, text in zip(cells, row(entry), strict=True):
            cell.text = text
    for column, (_text, width) in zip(table.columns, COLUMNS, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    document.save(out)


def _xlsx(entries: Sequence[Entry], out: BinaryIO, heading: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sổ đăng ký văn bản đi"
    width = len(COLUMNS)
    for line, (text, size) in enumerate(((TITLE, 14), (heading, 13)), 1):
        sheet.cell(line, 1, text).font = Font(name=FONT, size=size, bold=True)
        sheet.cell(line, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
    first = 4
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    rows = [[text for text, _width in COLUMNS], *(row(e) for e in entries)]
    for r, values in enumerate(rows, first):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(r, c, value)
            cell.font = Font(name=FONT, size=12, bold=r == first)
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if r == first else None
            )
            cell.border = box
    for c, (_text, mm) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(c)].width = round(mm / 2.1, 1)
    sheet.print_title_rows = f"{first}:{first}"
    sheet.freeze_panes = sheet.cell(first + 1, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(out)
