"""Rendered documents read back: text, punctuation and formatting per profile."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

from conftest import DATA, RECORDS, ROOT
from helpers import (
    body_paragraphs,
    bold,
    fmt,
    fonts_are_times,
    italic,
    mm,
    paragraph,
    rule_length_mm,
    size,
    texts,
    underline,
)


def page_setup(document) -> tuple[float, ...]:
    s = document.sections[0]
    return tuple(
        round(mm(x), 1)
        for x in (
            s.page_width,
            s.page_height,
            s.top_margin,
            s.bottom_margin,
            s.left_margin,
            s.right_margin,
        )
    )


def assert_page_numbers_from_page_2(document) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert "PAGE" in "".join(header._p.xpath(".//w:instrText/text()"))
    assert (
        header.alignment == WD_ALIGN_PARAGRAPH.CENTER
        or fmt(header, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    )
    first = section.first_page_header
    assert "".join(texts(first)).strip() == ""
    assert not first._element.xpath(".//w:instrText")


def signature_cells(document):
    table = document.tables[-1]
    assert table._tbl.xpath("./w:tr/w:trPr/w:cantSplit"), "the signature row may split"
    return table.cell(0, 0), table.cell(0, 1)


def test_state_notice(render):
    doc = render(RECORDS / "nd30-so-tai-chinh.json")
    assert page_setup(doc) == (210.0, 297.0, 20.0, 20.0, 30.0, 15.0)
    assert fonts_are_times(doc) == []

    left, right = doc.tables[0].cell(0, 0), doc.tables[0].cell(0, 1)
    assert texts(left)[:2] == ["UBND THÀNH PHỐ HÀ NỘI", "SỞ TÀI CHÍNH"]
    parent, issuer = left.paragraphs[0], left.paragraphs[1]
    assert (size(parent), bold(parent), size(issuer), bold(issuer)) == (12, False, 12, True)
    assert texts(right)[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    quoc_hieu, tieu_ngu = right.paragraphs[0], right.paragraphs[1]
    assert (size(quoc_hieu), bold(quoc_hieu)) == (12, True)
    assert (size(tieu_ngu), bold(tieu_ngu)) == (13, True)
    # line under the Tiêu ngữ as long as its text (≈ 56 mm at 13 pt, format-rules §13)
    assert 53 <= rule_length_mm(right, "NGRuleMotto") <= 59
    # line under the issuing body: 1/3 to 1/2 of "SỞ TÀI CHÍNH" (≈ 30 mm at 12 pt bold)
    assert 9 <= rule_length_mm(left, "NGRuleIssuer") <= 16

    number, date_line = (
        doc.tables[0].cell(1, 0).paragraphs[0],
        doc.tables[0].cell(1, 1).paragraphs[0],
    )
    assert number.text == "Số: 12/TB-STC"
    assert (size(number), bold(number), italic(number)) == (13, False, False)
    assert date_line.text == "Hà Nội, ngày 31 tháng 12 năm 2025"
    assert (size(date_line), italic(date_line)) == (13, True)

    title = paragraph(doc, "THÔNG BÁO")
    subject = paragraph(doc, "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 12 năm 2025")
    for p in (title, subject):
        assert (size(p), bold(p), fmt(p, "alignment")) == (14, True, WD_ALIGN_PARAGRAPH.CENTER)

    body = body_paragraphs(doc)
    assert [p.text for p in body] == [
        "Ngày 29/12/2025, Giám đốc Sở chủ trì cuộc họp giao ban.",
        "Sau khi nghe các phòng báo cáo, Giám đốc Sở kết luận:",
        "1. Phòng Ngân sách hoàn thành báo cáo quyết toán R&D < 5 tỷ đồng > 3 tỷ đồng.",
        "2. Về thu ngân sách: Dòng thứ nhất\nDòng thứ hai",
        "a) Rà soát các khoản thu.",
        "b) Đôn đốc nợ đọng.",
        "- Lập danh sách.",
        "- Gửi thông báo.",
        "Văn phòng Sở thông báo để các phòng biết, thực hiện./.",
    ]
    heading = [r for r in body[3].runs if r.text.startswith("Về thu")]
    text_run = next(r for r in body[3].runs if "Dòng" in r.text)
    assert heading and heading[0].bold and not text_run.bold
    assert body[3]._p.xpath(".//w:br"), "a single newline is a line break inside the paragraph"
    first = body[0]
    assert fmt(first, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(mm(fmt(first, "first_line_indent")), 1) == 12.7
    assert fmt(first, "space_before").pt >= 6
    assert size(first) == 14

    recipients, signer = signature_cells(doc)
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert (size(label), bold(label), italic(label)) == (12, True, True)
    assert texts(recipients)[1:] == [
        "- Giám đốc, các Phó Giám đốc Sở;",
        "- Các phòng thuộc Sở;",
        "- Lưu trữ cơ quan;",
        "- Lưu: VT, NSNN.",
    ]
    assert {size(p) for p in recipients.paragraphs[1:]} == {11}
    lines = [p for p in signer.paragraphs if p.text]
    assert [p.text for p in lines] == ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Lê Thị Mai"]
    assert all(bold(p) and size(p) == 14 for p in lines)
    assert_page_numbers_from_page_2(doc)


def test_party_hd05_notice_from_toml(render):
    doc = render(RECORDS / "hd05-chi-bo.toml")
    assert page_setup(doc) == (210.0, 297.0, 20.0, 20.0, 30.0, 15.0)
    assert fonts_are_times(doc) == []
    all_text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        p.text for t in doc.tables for c in t._cells for p in c.paragraphs
    )
    assert "CỘNG HÒA" not in all_text

    left, right = doc.tables[0].cell(0, 0), doc.tables[0].cell(0, 1)
    assert texts(left) == ["ĐẢNG BỘ CỤC LƯU TRỮ", "CHI BỘ PHÒNG", "HÀNH CHÍNH - QUẢN TRỊ", "*"]
    assert [(size(p), bold(p)) for p in left.paragraphs] == [
        (14, False),
        (14, True),
        (14, True),
        (14, False),
    ]
    title = right.paragraphs[0]
    assert (title.text, size(title), bold(title)) == ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True)
    assert 66 <= rule_length_mm(right, "NGRulePartyTitle") <= 80  # ≈ 73 mm, §6.2

    number = doc.tables[0].cell(1, 0).paragraphs[0].text
    assert re.fullmatch(r"Số\s{4,}-TB/CB", number)
    date_line = doc.tables[0].cell(1, 1).paragraphs[0]
    assert re.fullmatch(r"Hà Nội, ngày\s+tháng\s+năm 2026", date_line.text)
    assert (size(date_line), italic(date_line)) == (14, True)

    doc_type = paragraph(doc, "THÔNG BÁO")
    assert (size(doc_type), bold(doc_type)) == (16, True)
    subject = paragraph(doc, "về kết quả sinh hoạt chi bộ tháng 11")
    names = [p.text for p in doc.paragraphs]
    assert names[names.index(subject.text) + 1] == "-----"

    body = body_paragraphs(doc)
    assert [p.text for p in body] == [
        "I. Ưu điểm",
        "1. Đảng viên dự họp đầy đủ.",
        "2. Thu đảng phí đúng hạn.",
        "II. Hạn chế Một số đảng viên chưa phát biểu ý kiến.",
    ]
    first = body[0]
    assert fmt(first, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
    assert 18 <= fmt(first, "line_spacing").pt <= 22
    assert round(mm(fmt(first, "first_line_indent"))) == 10
    assert fmt(first, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY

    recipients, signer = signature_cells(doc)
    label = recipients.paragraphs[0]
    assert (label.text, size(label), underline(label), bold(label), italic(label)) == (
        "Nơi nhận:",
        14,
        True,
        False,
        False,
    )
    assert texts(recipients)[1:] == [
        "- Đảng ủy Cục Lưu trữ;",
        "- Đảng viên trong chi bộ;",
        "- Lưu Chi bộ.",
    ]
    assert {size(p) for p in recipients.paragraphs[1:]} == {12}
    position = paragraph(signer, "BÍ THƯ")
    name = paragraph(signer, "Trần Quốc Hùng")
    assert (bold(position), size(position), bold(name), size(name)) == (False, 14, True, 14)
    assert next(p.text for p in signer.paragraphs if p.text) == "BÍ THƯ"  # no authority line
    assert_page_numbers_from_page_2(doc)


def test_party_hd36_notice(render):
    doc = render(RECORDS / "hd36-huyen-uy.yaml")
    header = doc.tables[0]
    assert header.cell(1, 0).paragraphs[0].text == "Số 07-TB/HU"
    assert header.cell(1, 1).paragraphs[0].text == "Đồng Văn, ngày 09 tháng 01 năm 2019"
    body = [p.text for p in body_paragraphs(doc)]
    assert body == [
        "I- ĐÁNH GIÁ CHUNG",
        "2. Năm 2018, các cấp ủy đã lãnh đạo hoàn thành nhiệm vụ.",
        "Tuy nhiên, công tác kiểm tra còn hạn chế.",
        "Văn phòng Huyện ủy thông báo để các tổ chức đảng biết, thực hiện.",
    ]
    recipients, signer = signature_cells(doc)
    assert texts(recipients)[1:] == [
        "- Thường trực Tỉnh ủy (b/c),",
        "- Các tổ chức cơ sở đảng,",
        "- Lưu Văn phòng Huyện ủy.",
    ]
    authority = paragraph(signer, "K/T BÍ THƯ")
    position = paragraph(signer, "PHÓ BÍ THƯ")
    assert (bold(authority), bold(position)) == (True, False)


def test_markup_in_data_comes_out_literally_and_nfc(tmp_path, render):
    source = (RECORDS / "hd36-huyen-uy.yaml").read_text(encoding="utf-8")
    nasty = "Ban & <Tổ> {{ x }} {%p if %} ]]> \"q\" 'a'"
    decomposed = unicodedata.normalize("NFD", "Huyện ủy Đồng Văn")
    source = source.replace(
        "subject: tại hội nghị Ban Thường vụ Huyện ủy ngày 07/01/2019",
        f"subject: '{nasty.replace(chr(39), chr(39) * 2)}'",
    )
    source = source.replace("place: Đồng Văn", f"place: {decomposed}")
    record = tmp_path / "nasty.yaml"
    record.write_text(source, encoding="utf-8")
    doc = render(record)
    paragraph(doc, nasty.replace('"q"', "“q”"))  # straight quotes printed as typographic ones
    date_line = doc.tables[0].cell(1, 1).paragraphs[0].text
    assert date_line.startswith("Huyện ủy Đồng Văn, ")
    assert unicodedata.is_normalized("NFC", date_line)


@pytest.mark.parametrize("sample", sorted(DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_renders(sample, render):
    doc = render(sample)
    assert doc.tables[0].cell(1, 0).paragraphs[0].text.startswith("Số")
    assert fonts_are_times(doc) == []


def test_the_2014_notice_is_transcribed_in_full(render):
    """Every body paragraph of the 2014 original appears, word for word, in the render."""
    original = ROOT / "tests" / "examples" / "thong-bao-ket-luan-tuy-phong-2014.txt"
    text = original.read_text(encoding="utf-8").replace("*", "").replace("vấn\n\nđề", "vấn đề")
    start = text.index("Ngày 05/6/2014")
    body = text[start : text.index("Nơi nhận:")].split("\n\n")
    paragraphs = [p.strip() for p in body if p.strip()]
    doc = render(DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml")
    assert [p.text for p in body_paragraphs(doc)] == paragraphs
    recipients = text[text.index("Nơi nhận:") :].split("\n\n")[1].splitlines()
    rendered = texts(doc.tables[-1].cell(0, 0))[1:]
    # HD 36 separates the items with commas where the 2014 original used semicolons; a
    # no-break space joins the last two syllables of an item that wraps
    assert [r.replace("\u00a0", " ").rstrip(",.") for r in rendered] == [
        r.rstrip(";.") for r in recipients
    ]
    assert "Lê Tấn Lai" in texts(doc.tables[-1].cell(0, 1))


def test_a_render_without_a_register_loads_none_of_it(tmp_path):
    """Start-up: a record with its number typed and no register named opens no database
    module (the register's names load when first used)."""
    record = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
    code = (  # told by an exit handler: notice-gen ends without Python's teardown
        "import atexit, runpy, sys\n"
        f"sys.argv = ['notice-gen', 'render', {str(record)!r}, '-o', {str(tmp_path)!r}]\n"
        "names = ('sqlite3', 'psycopg', 'notice_gen.register.store', 'notice_gen.register.model')\n"
        "atexit.register(lambda: print(sorted(n for n in names if n in sys.modules)))\n"
        "runpy.run_module('notice_gen', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTICE_GEN_REGISTER")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.docx").is_file()
