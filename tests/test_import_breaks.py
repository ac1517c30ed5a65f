"""Header and closing cells typed with Shift+Enter (line breaks, not paragraphs) are read
line by line, as if each line were its own paragraph."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafts import Draft
from notice_gen.cli import main
from notice_gen.record.load import load


def cell_lines(cell, lines: list[tuple[str, str]], align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """One paragraph in `cell`, its lines separated by Shift+Enter (`add_break`)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    for i, (text, fmt) in enumerate(lines):
        run = paragraph.add_run(text)
        run.bold = "b" in fmt or None
        run.italic = "i" in fmt or None
        if i < len(lines) - 1:
            run.add_break()


def ben_tre_with_breaks(path: Path) -> Path:
    d = Draft()
    header = d.doc.add_table(rows=2, cols=2)
    cell_lines(
        header.cell(0, 0), [("ĐẢNG BỘ TỈNH BẾN TRE", ""), ("TỈNH ỦY BẾN TRE", "b"), ("*", "")]
    )
    cell_lines(header.cell(0, 1), [("ĐẢNG CỘNG SẢN VIỆT NAM", "b")])
    cell_lines(header.cell(1, 0), [("Số 12-TB/TU", "")])
    cell_lines(header.cell(1, 1), [("Bến Tre, ngày 19 tháng 02 năm 2021", "i")])
    d.line("THÔNG BÁO", align=WD_ALIGN_PARAGRAPH.CENTER, fmt="b")
    d.line("KẾT LUẬN CỦA BÍ THƯ TỈNH ỦY", align=WD_ALIGN_PARAGRAPH.CENTER, fmt="b")
    d.line("tại hội nghị tổng kết công tác năm 2020", align=WD_ALIGN_PARAGRAPH.CENTER, fmt="b")
    d.line("-----", align=WD_ALIGN_PARAGRAPH.CENTER)
    d.body("Ngày 17/02/2021, Ban Thường vụ Tỉnh ủy họp; đồng chí Bí thư Tỉnh ủy kết luận:")
    d.body("1. Năm 2021 tập trung thi đua xây dựng nông thôn mới.")
    d.body("Văn phòng Tỉnh ủy thông báo để các cấp ủy biết, thực hiện.")
    closing = d.doc.add_table(rows=1, cols=2)
    cell_lines(
        closing.cell(0, 0),
        [
            ("Nơi nhận:", ""),
            ("- Thường trực Tỉnh ủy,", ""),
            ("- Các huyện ủy, thành ủy,", ""),
            ("- Lưu Văn phòng Tỉnh ủy.", ""),
        ],
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    cell_lines(
        closing.cell(0, 1),
        [("T/L BAN THƯỜNG VỤ", "b"), ("CHÁNH VĂN PHÒNG", ""), ("", ""), ("Nguyễn Văn Tài", "b")],
    )
    return d.save(path)


def test_lines_broken_with_shift_enter_are_separate_lines(tmp_path):
    draft = ben_tre_with_breaks(tmp_path / "ben-tre.docx")
    result = CliRunner().invoke(main, ["--lang", "en", "import", str(draft)])
    assert result.exit_code == 0, result.output
    data = load(tmp_path / "ben-tre.yaml").data
    assert data["issuer"] == {
        "parent": "ĐẢNG BỘ TỈNH BẾN TRE",
        "name": "TỈNH ỦY BẾN TRE",
        "code": "TU",
    }
    assert data["recipients"] == ["Thường trực Tỉnh ủy", "Các huyện ủy, thành ủy"]
    assert data["archive"] == "Văn phòng Tỉnh ủy"
    assert data["signer"] == {
        "authority": "T/L",
        "on_behalf_of": "BAN THƯỜNG VỤ",
        "position": "CHÁNH VĂN PHÒNG",
        "name": "Nguyễn Văn Tài",
    }


def test_a_draft_typed_with_shift_enter_is_reissued(tmp_path):
    draft = ben_tre_with_breaks(tmp_path / "ben-tre.docx")
    result = CliRunner().invoke(
        main, ["--lang", "en", "reissue", str(draft), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    document = Document(str(tmp_path / "out" / "ben-tre.docx"))
    left = [p.text for p in document.tables[0].cell(0, 0).paragraphs if p.text]
    assert left[:2] == ["ĐẢNG BỘ TỈNH BẾN TRE", "TỈNH ỦY BẾN TRE"]
    signature = [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text]
    assert signature[:2] == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]
    assert signature[-1] == "Nguyễn Văn Tài"


def test_the_parent_guess_says_what_was_taken_as_the_parent(tmp_path):
    draft = ben_tre_with_breaks(tmp_path / "ben-tre.docx")
    document = Document(str(draft))
    for run in document.tables[0].cell(0, 0).paragraphs[0].runs:
        run.bold = None  # nothing tells the issuing body from its parent but the order
    document.save(str(draft))
    result = CliRunner().invoke(main, ["--lang", "en", "import", str(draft)])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "ben-tre.yaml").read_text("utf-8").splitlines()
    parent = next(line for line in lines if line.strip().startswith("parent:"))
    name = next(line for line in lines if line.strip().startswith("name: TỈNH ỦY"))
    assert parent.endswith(
        "# guessed: the header lines above the issuing body taken as its parent body"
    )
    assert name.endswith("# guessed: the last header line taken as the issuing body")
