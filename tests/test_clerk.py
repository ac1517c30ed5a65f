"""Records typed the way clerks type them, from the real reports: no trap gives a wrong
document without a warning, and every error says where and how to fix it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document

from conftest import RECORDS
from helpers import body_paragraphs, notice_gen, record_problems, write_record
from notice_gen import read_record, render_file
from notice_gen.lint.check import check_file
from notice_gen.pipeline.compose import number_line

BEN_TRE = RECORDS / "clerk-ben-tre-2021.yaml"
STATE = """\
kind: thong-bao-ket-luan
profile: nd30
issuer: {parent: UBND TỈNH LÂM ĐỒNG, name: VĂN PHÒNG, code: VP}
number: 5
place: Lâm Đồng
date: 2026-03-09
subject: Kết luận của Chủ tịch UBND tỉnh
conclusions:
  - Giao Sở Tài chính chủ trì.
recipients: [Các sở]
archive: VT, TH
signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}
"""


def write(tmp_path: Path, text: str) -> Path:
    return write_record(tmp_path, text, "thong-bao.yaml")


def rendered(tmp_path: Path, record: Path):
    out, warnings = render_file(record, tmp_path / "out")
    return Document(str(out)), [str(w) for w in warnings]


def test_a_notice_typed_from_the_ben_tre_report_renders_as_typed(tmp_path):
    document, warnings = rendered(tmp_path, BEN_TRE)
    body = [p.text for p in body_paragraphs(document)]
    assert body[0].startswith(
        "Vào lúc 14 giờ 00 ngày 17/02/2021, đồng chí Phan Văn Mãi, "
        "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì cuộc họp."
    )
    assert body[1].startswith("1. Chủ trương “nắm”") or body[1].startswith('1. Chủ trương "nắm"')
    assert body[2].startswith("2. Cán bộ hỗ trợ")
    assert body[3] == "3. Về Chỉ thị số 01-CT/TU thi đua Đồng khởi mới:"
    recipients = [p.text for p in document.tables[-1].cell(0, 0).paragraphs]
    assert "- UBND các huyện: Ba Tri, Giồng Trôm, Mỏ Cày\u00a0Nam," in recipients  # it wraps
    assert document.tables[0].cell(1, 1).paragraphs[0].text == "Bến Tre, ngày 19 tháng 02 năm 2021"
    record = str(BEN_TRE)
    assert f"{record}:25: recipients[1]: read as the text written: " \
        "UBND các huyện: Ba Tri, Giồng Trôm, Mỏ Cày Nam" in warnings  # fmt: skip
    assert (
        f"{record}:12: meeting.chair.position: read as position: Ủy viên Trung ương Đảng, "
        "Bí thư Tỉnh ủy (inside { } a comma separates keys; to say so, put the value in quotes: "
        'chair: {name: Phan Văn Mãi, position: "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy"})'
    ) in warnings
    assert f"{record}:17: conclusions[0]: the point starts with its own label 1.: " \
        "it is taken as the label" in warnings  # fmt: skip
    assert (
        f"{record}:22: conclusions[2].points[0]: this line looks like a list item but is read "
        "as part of the text above (- Các cấp, các ngành phải hiểu được thi đua "
        '"Đồng khởi mới" để có giải pháp triển khai.): to make it a point of its own, '
        "put its '-' under the '-' of the point above; to make it a sub-point, write it "
        "under 'points:'"
    ) in warnings


def test_emphasis_gives_italic_and_bold_runs_in_the_body_only(tmp_path):
    text = STATE.replace("subject: Kết luận của Chủ tịch UBND tỉnh", "subject: Kết luận *số 5*")
    text = text.replace(
        "  - Giao Sở Tài chính chủ trì.",
        "  - Thực hiện Đề án “*Nâng cao chất lượng*”; **chậm nhất** ngày 15, hệ số 2 \\* 3.",
    )
    document, warnings = rendered(tmp_path, write(tmp_path, text))
    point = body_paragraphs(document)[-1]
    assert point.text == "1. Thực hiện Đề án “Nâng cao chất lượng”; chậm nhất ngày 15, hệ số 2 * 3."
    runs = [(r.text, bool(r.italic), bool(r.bold)) for r in point.runs if r.text]
    assert ("Nâng cao chất lượng", True, False) in runs
    assert ("chậm nhất", False, True) in runs
    assert ("” ;"[0] + "; ", False, False) in runs
    assert point.style.style_id == "NGBodyLast"  # the last one keeps with the closing block
    assert any(p.text == "Kết luận *số 5*" for p in document.paragraphs)
    assert not [w for w in warnings if "asterisk" in w]


def test_an_asterisk_without_its_pair_is_printed_and_warned(tmp_path):
    text = STATE.replace("  - Giao Sở Tài chính chủ trì.", "  - Giao Sở *Tài chính chủ trì.")
    document, warnings = rendered(tmp_path, write(tmp_path, text))
    assert body_paragraphs(document)[-1].text == "1. Giao Sở *Tài chính chủ trì."
    assert any(
        w.endswith(
            ":9: conclusions[0].text[0]: an asterisk without its pair is printed as it is: "
            "*nghiêng* and **đậm** need both, and \\* prints an asterisk"
        )
        for w in warnings
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [("8:00", "8 giờ 00"), ("8h00", "8 giờ 00"), ("8h", "8 giờ 00"), ("14 giờ 30", "14 giờ 30")],
)
def test_office_times_and_dates(tmp_path, written, shown):
    text = STATE.replace("date: 2026-03-09", "date: 9/3/2026") + (
        f"meeting: {{date: 05/03/2026, start: {written}, chair: {{name: Trần B}}}}\n"
    )
    record, _ = read_record(write(tmp_path, text))
    assert record.date.isoformat() == "2026-03-09"
    assert record.meeting.date.isoformat() == "2026-03-05"
    from notice_gen.pipeline.compose import intro_from

    assert intro_from(record.meeting)[0].startswith(f"Vào lúc {shown} ngày 05/3/2026")


def test_every_problem_of_a_record_is_reported_in_one_run(tmp_path):
    text = STATE.replace("number: 5", "number: năm").replace("date: 2026-03-09", "date: 31/02/2026")
    text = text.replace("position: CHÁNH VĂN PHÒNG", "position: Chánh Văn phòng")
    text = text.replace("meeting", "x") + "meeting: {start: 25h}\n"
    found = record_problems(write(tmp_path, text))
    assert any(p.endswith(":4: number: expected a whole number, or auto") for p in found)
    assert any(p.endswith(":6: date: there is no such date as 31/02/2026") for p in found)
    assert any(
        p.endswith(
            ":13: meeting.start: expected a time such as 08:00, 8:00, 8h00, 8h or 8 giờ 30 "
            "(24-hour)"
        )
        for p in found
    )
    assert any(
        p.endswith(":12: signer.position: written in capitals by the rulebook: CHÁNH VĂN PHÒNG")
        for p in found
    )


def test_number_auto_is_blank_until_the_register_gives_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default register: so-van-ban-di.sqlite here
    monkeypatch.delenv("NOTICE_GEN_REGISTER", raising=False)
    record, _ = read_record(write(tmp_path, STATE.replace("number: 5", "number: auto")))
    assert record.number == "auto"
    assert number_line(record).replace(" ", "") == "Số:/TB-VP"  # blank, as without a number
    document, _ = rendered(tmp_path, write(tmp_path, STATE.replace("number: 5", "number: auto")))
    assert document.tables[0].cell(1, 0).paragraphs[0].text.startswith("Số: 01/")
    assert (tmp_path / "so-van-ban-di.sqlite").is_file()


@pytest.mark.parametrize("written", ['"Lưu: VT, Văn phòng Tỉnh ủy"', "VT", "Lưu VT"])
def test_the_party_storage_line_refuses_vt_and_the_colon(tmp_path, written):
    text = BEN_TRE.read_text("utf-8").replace("archive: Văn phòng Tỉnh ủy", f"archive: {written}")
    found = record_problems(write(tmp_path, text))
    assert found == [
        f"{tmp_path / 'thong-bao.yaml'}:27: archive: the Party storage line has no colon and no "
        "VT (format-rules §10); write archive: Văn phòng Tỉnh ủy (printed - Lưu Văn phòng Tỉnh ủy.)"
    ]


def test_a_date_outside_the_rulebook_is_an_error_unless_historical(tmp_path):
    text = BEN_TRE.read_text("utf-8").replace("profile: party-hd36", "profile: party-hd05")
    found = record_problems(write(tmp_path, text))
    assert any(
        p.endswith(
            ":2: profile: Hướng dẫn 05-HD/VPTW (2026) applies from 27/05/2026 "
            "(a re-typed old document: historical: true)"
        )
        for p in found
    )
    document, warnings = rendered(tmp_path, write(tmp_path, text + "historical: true\n"))
    assert any(w.endswith(":2: profile: Hướng dẫn 05-HD/VPTW (2026) applies from 27/05/2026")
               for w in warnings)  # fmt: skip
    recipients = [p.text for p in document.tables[-1].cell(0, 0).paragraphs]
    assert recipients[1] == "- Ban Thường vụ Tỉnh ủy;"  # HD 05 punctuation, as declared


def test_the_document_declares_its_profile_and_check_judges_by_it(tmp_path):
    text = BEN_TRE.read_text("utf-8").replace("profile: party-hd36", "profile: party-hd05")
    out, _ = render_file(write(tmp_path, text + "historical: true\n"), tmp_path / "out")
    with zipfile.ZipFile(out) as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert "<vt:lpwstr>party-hd05</vt:lpwstr>" in custom and 'name="notice-gen.profile"' in custom
    core = Document(str(out)).core_properties
    assert core.title.startswith("tại hội nghị tổng kết 4 năm thực hiện phương châm")
    assert core.author == "TỈNH ỦY"  # dc:creator
    # dated 2021 with HD 05 punctuation: detection alone would judge it by HD 36
    assert [f for f in check_file(out) if f.severity == "error"] == []
    assert [f.rule for f in check_file(out, "party-hd36") if f.severity == "error"] == ["RECIP"] * 3


SYNTAX = [
    (
        "recipients:\n\t- Các sở\n",
        2,
        "recipients[0]: not valid YAML: a tab character; YAML indents with spaces only",
        ["    →- Các sở", "    ^", "  write it so:", "      - Các sở"],
    ),
    (
        'subject: "về thi đua "Đồng khởi mới" năm 2021"\n',
        1,
        "subject: not valid YAML: a quote inside quotes ends the text early; put the text in "
        "the other kind of quotes, or use “ ”",
        ["             ^", "  write it so:",
         "    subject: 'về thi đua \"Đồng khởi mới\" năm 2021'"],
    ),
    (
        "conclusions:\n  - text: Thời gian tới, đề nghị quan tâm một số vấn đề sau:\n"
        "    points: [Một]\n",
        2,
        "conclusions[0].text: not valid YAML: a ':' ending the line of a value is read as a new "
        "key; put the value in quotes",
        ["  write it so:", '      - text: "Thời gian tới, đề nghị quan tâm một số vấn đề sau:"'],
    ),
    (
        "signer:\n  name: Nguyễn Văn A\n   position: CHÁNH VĂN PHÒNG\n",
        3,
        "signer.position: not valid YAML: the indentation does not match the lines above; line up "
        "keys of the same level",
        ["       position: CHÁNH VĂN PHÒNG", "       ^", "  write it so:",
         "      position: CHÁNH VĂN PHÒNG"],
    ),
    (
        "title: [KẾT LUẬN, CỦA BAN # 3]\n",
        1,
        "title: not valid YAML: a # after a space starts a comment and hides the rest of the line",
        ["  write it so:", '    title: [KẾT LUẬN, "CỦA BAN # 3"]'],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "first", "rest"), SYNTAX)
def test_yaml_syntax_errors_show_the_line_the_cause_and_the_fix(tmp_path, text, line, first, rest):
    path = write(tmp_path, "kind: thong-bao-ket-luan\n" + text)
    message = record_problems(path)[0].split("\n")
    assert message[0] == f"{path}:{line + 1}: {first}"
    for expected in rest:
        assert expected in message[1:]


def test_yaml_syntax_errors_in_vietnamese(tmp_path):
    path = write(tmp_path, "kind: thong-bao-ket-luan\nrecipients:\n\t- Các sở\n")
    result = notice_gen("validate", str(path), lang="vi_VN.UTF-8")
    assert result.returncode == 2
    assert (
        f"lỗi: {path}:3: recipients[0]: YAML không hợp lệ: có ký tự tab; "
        "YAML chỉ thụt lề bằng dấu cách" in result.stderr
    )
    assert "lỗi:   hãy viết thành:" in result.stderr
    chair = write(
        tmp_path,
        STATE + "meeting: {chair: {name: Trần B, position: Phó Chủ tịch, Trưởng ban: X}}\n",
    )
    result = notice_gen("validate", str(chair), lang="vi_VN.UTF-8")
    assert (
        f"lỗi: {chair}:13: meeting.chair.Trưởng ban: khóa không có trong định dạng hồ sơ: "
        "trong { } dấu phẩy ngăn cách các khóa; nếu dấu phẩy thuộc về văn bản, hãy đặt giá trị "
        'trong ngoặc kép: meeting: {chair: {name: Trần B, position: "Phó Chủ tịch, Trưởng ban: X"}}'
    ) in result.stderr
