"""`notice-gen check` on documents it did not make: built by hand with python-docx,
with direct formatting as clerks type them, right and then wrong in the ways offices
get them wrong."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import DATA
from notice_gen.cli import main
from notice_gen.lint.check import check_file

TNR = "Times New Roman"


def _run(paragraph, text, size, bold=False, italic=False, underline=False, font=TNR):
    run = paragraph.add_run(text)
    run.font.name, run.font.size = font, Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _para(container, text="", size=14, align="center", **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if text:
        _run(paragraph, text, size, **style)
    return paragraph


def _line(cell, length_mm, cell_mm):
    """An empty paragraph whose top border draws a centred line `length_mm` long."""
    paragraph = cell.add_paragraph()
    side = Mm((cell_mm - length_mm) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, "w:spacing", "w:ind", "w:jc")


def _cell(table, row, col, width_mm):
    cell = table.cell(row, col)
    cell.width = Mm(width_mm)
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def hand_made(path: Path, party: bool, **fault) -> Path:
    """A conclusion notice typed in Word by a clerk: right unless `fault` says otherwise."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(fault.get("left_margin", 30)), Mm(15)
    font = fault.get("font", TNR)
    header = doc.add_table(rows=2, cols=2)
    left, right = _cell(header, 0, 0, 70), _cell(header, 0, 1, 95)
    body_size = 14
    if party:
        _para(left, "ĐẢNG BỘ TỈNH LÂM ĐỒNG", 14, font=font)
        _para(left, "ĐẢNG ỦY PHƯỜNG CAM LY", 14, bold=True)
        _para(left, "*", 14)
        _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True)
        _line(right, 73, 95)
        number = fault.get("number", "Số 05-TB/ĐU")
        date_line = fault.get("date", "Cam Ly, ngày 05 tháng 10 năm 2026")
    else:
        _para(left, "UBND TỈNH LÂM ĐỒNG", 12, font=font)
        _para(left, "VĂN PHÒNG", 12, bold=True)
        _line(left, 12, 70)
        if not fault.get("no_quoc_hieu"):
            _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
        _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
        _line(right, 56, 95)
        number = fault.get("number", "Số: 05/TB-VP")
        date_line = fault.get("date", "Lâm Đồng, ngày 05 tháng 3 năm 2026")
    _para(_cell(header, 1, 0, 70), number, 14 if party else 13)
    _para(_cell(header, 1, 1, 95), date_line, 14 if party else 13, italic=True)

    _para(doc, "THÔNG BÁO", 16 if party else 14, bold=True)
    if party:
        _para(doc, "về công tác chuẩn bị tổng kết năm 2026", 14, bold=True)
        _para(doc, "-----", 14)
    else:
        _para(
            doc, "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh về cải cách hành chính", 14, bold=True
        )
        _line(doc, 60, 165)
    for text in (
        fault.get("body", "Các đơn vị triển khai kế hoạch đúng tiến độ."),
        "Văn phòng thông báo để các đơn vị biết, thực hiện.",
    ):
        paragraph = _para(doc, text, body_size, align="both", font=fault.get("body_font", TNR))
        if fault.get("legacy"):  # pasted from an old TCVN3 document, still in .VnTime
            _run(paragraph, " Th\u00a6ng b\u00b8o k\u00d5t lu\u00b9n.", 14, font=".VnTime")
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Mm(10 if party else 12.7)
        fmt.space_before = Pt(6)
        if party:
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(18)
        else:
            fmt.line_spacing = 1.15

    table = doc.add_table(rows=1, cols=2)
    recipients, signer = _cell(table, 0, 0, 80), _cell(table, 0, 1, 85)
    if party:
        _para(recipients, "Nơi nhận:", 14, align="left", underline=True)
    else:
        _para(recipients, "Nơi nhận:", 12, align="left", bold=True, italic=True)
    separator = fault.get("separator", "," if fault.get("hd36") else ";")
    for item in ("- Các chi bộ", "- Các ban"):
        _para(recipients, item + separator, 12 if party else 11, align="left")
    archive = "- Lưu Văn phòng Đảng ủy." if party else "- Lưu: VT, TH."
    _para(recipients, archive, 12 if party else 11, align="left")
    if party:
        _para(signer, "T/M BAN THƯỜNG VỤ", 14, bold=True)
        _para(signer, "BÍ THƯ", 14, bold=fault.get("bold_position", False))
    else:
        _para(signer, "KT. CHÁNH VĂN PHÒNG", 14, bold=True)
        _para(signer, "PHÓ CHÁNH VĂN PHÒNG", 14, bold=True)
    _para(signer, "Nguyễn Văn A", 14, bold=True)

    section.different_first_page_header_footer = not fault.get("number_on_page_1")
    number_paragraph = section.header.paragraphs[0]
    number_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = _run(number_paragraph, "", 14)
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    if fault.get("landscape"):
        section.orientation = WD_ORIENT.LANDSCAPE
    doc.save(str(path))
    return path


def rules(findings, severity="error") -> set[str]:
    return {f.rule for f in findings if f.severity == severity}


@pytest.mark.parametrize("party", [False, True], ids=["nd30", "party-hd05"])
def test_a_correct_hand_made_document_checks_clean(tmp_path, party):
    findings = check_file(hand_made(tmp_path / "ok.docx", party))
    assert [str(f) for f in findings if f.severity != "warning"] == []


@pytest.mark.parametrize(
    ("party", "fault", "rule"),
    [
        (False, {"left_margin": 25}, "PAGE-MARGIN"),
        (True, {"left_margin": 35}, "PAGE-MARGIN"),
        (False, {"font": "Arial"}, "FONT"),
        (True, {"body_font": "Arial"}, "FONT"),
        (False, {"number": "Số: 5/TB-VP"}, "NUM"),
        (True, {"number": "Số: 05-TB/ĐU"}, "NUM"),
        (False, {"date": "Lâm Đồng, ngày 05 tháng 03 năm 2026"}, "DATE"),
        (True, {"date": "Cam Ly, ngày 5 tháng 10 năm 2026"}, "DATE"),
        (False, {"separator": ""}, "RECIP"),
        (True, {"bold_position": True}, "SIGN"),
        (False, {"number_on_page_1": True}, "PAGENUM"),
        (True, {"legacy": True}, {"UNICODE", "FONT"}),
        (False, {"no_quoc_hieu": True}, "HDR-QH"),
        (False, {"landscape": True}, "PAGE-A4"),
    ],
)
def test_each_office_mistake_is_caught_with_its_rule(tmp_path, party, fault, rule):
    findings = check_file(hand_made(tmp_path / "bad.docx", party, **fault))
    expected = rule if isinstance(rule, set) else {rule}
    assert rules(findings) == expected, [str(f) for f in findings]


def test_semicolons_in_a_party_hd36_document(tmp_path):
    path = hand_made(
        tmp_path / "hd36.docx", True, separator=";", date="Cam Ly, ngày 05 tháng 10 năm 2019"
    )
    findings = check_file(path)
    assert rules(findings) == {"RECIP"}
    assert all(
        "','" in f.message and "party-hd36" in f.message for f in findings if f.rule == "RECIP"
    )
    assert rules(check_file(path, "party-hd05")) == set()


def test_the_profile_is_detected_from_the_header(tmp_path):
    state = check_file(hand_made(tmp_path / "a.docx", False, separator=","))
    assert "RECIP" in rules(state)  # judged as nd30: items end with ';'
    party = check_file(hand_made(tmp_path / "b.docx", True))
    assert rules(party) == set()


def test_every_sample_checks_clean_and_the_cli_reports(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    assert (
        runner.invoke(main, ["render", *map(str, DATA.glob("*.yaml")), "-o", str(out)]).exit_code
        == 0
    )
    result = runner.invoke(main, ["check", *map(str, out.glob("*.docx"))])
    assert result.exit_code == 0, result.output
    assert " error:" not in result.output
    bad = hand_made(tmp_path / "bad.docx", False, number="Số: 5/TB-VP", font="Arial")
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: NUM error: 'Số: 5/TB-VP' does not follow" in result.output
    assert "(where: table 1 row 2 cell 1 paragraph 1 «Số: 5/TB-VP»)" in result.output
    data = json.loads(runner.invoke(main, ["check", str(bad), "--json"]).output)
    assert {"file", "rule", "severity", "message", "where"} <= set(data[0])
    assert {d["rule"] for d in data} >= {"NUM", "FONT"}


def test_unjudgeable_documents_say_so(tmp_path):
    doc = Document()
    doc.add_paragraph("Một văn bản không có tiêu đề")
    path = tmp_path / "plain.docx"
    doc.save(str(path))
    findings = check_file(path)
    assert [f.severity for f in findings] == ["unjudged"]
    assert "give --profile" in findings[0].message
    assert check_file(tmp_path / "missing.docx")[0].severity == "error"


def test_render_refuses_a_document_that_breaks_a_rule(tmp_path, monkeypatch):
    from notice_gen import TemplateError, render_file
    from notice_gen.docx import template as render
    from notice_gen.rules import profiles

    upright = {**profiles.ND30.styles, "NGDate": profiles.Style(13)}  # the date line upright
    monkeypatch.setitem(profiles.PROFILES, "nd30", replace(profiles.ND30, styles=upright))
    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    render._compiled.cache_clear()
    with pytest.raises(TemplateError) as exc:
        render_file(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml", tmp_path, force=True)
    render._compiled.cache_clear()
    assert "DATE: the date line should be italic; make it italic" in str(exc.value)
    assert "van-ban.state.docx" in str(exc.value)
    assert not list(tmp_path.glob("*.docx"))


def test_check_rejects_an_element_word_does_not_know(tmp_path_factory):
    """A document Word would refuse is an error of `notice-gen check` (rule OOXML)."""
    folder = tmp_path_factory.mktemp("refused")  # outside tmp_path: the fixture would refuse it
    from notice_gen import render_file

    good, _warnings = render_file(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml", folder)
    with zipfile.ZipFile(good) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:body>", b"<w:body><w:bogus/>", 1
    )
    bad = folder / "bad.docx"
    with zipfile.ZipFile(bad, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = CliRunner().invoke(main, ["--lang", "en", "check", str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if " OOXML " in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}: OOXML error: ")
    assert "bogus" in lines[0] and "word/document.xml" in lines[0]
    assert result.output.rstrip().endswith("1 document(s), 1 error(s), 0 warning(s)")
