"""What the body says about the meeting: the Biên bản's agenda, and the notice intro
composed from the meeting (agenda, attendees, the chair's title before kết luận)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from conftest import RECORDS
from helpers import body_paragraphs, write_record
from notice_gen import render_file

TRIAL = RECORDS / "trial"


def body_text(tmp_path: Path, record: Path) -> list[str]:
    out, _ = render_file(record, tmp_path / "out")
    return [p.text for p in body_paragraphs(Document(str(out)))]


def test_the_minutes_print_the_agenda_before_the_proceedings(tmp_path):
    body = body_text(tmp_path, TRIAL / "bien-ban-ben-tre.yaml")
    at = body.index("Nội dung:")
    assert body[at - 1] == "Thư ký (người ghi biên bản): Lê Thị Hồng, Phó Chánh Văn phòng Tỉnh ủy."
    assert body[at + 1 : at + 4] == [
        "1. Tổng kết 4 năm thực hiện Kế hoạch số 23-KH/TU.",
        "2. Triển khai Chỉ thị số 01-CT/TU về thi đua “Đồng khởi mới”.",
        "Nội dung (theo diễn biến cuộc họp):",
    ]


def test_a_one_item_agenda_is_one_line_of_the_minutes(tmp_path):
    text = (TRIAL / "bien-ban-ben-tre.yaml").read_text("utf-8")
    start = text.index("  agenda: |")
    end = text.index("  reports:")
    one = text[:start] + "  agenda: tổng kết 4 năm thực hiện Kế hoạch số 23-KH/TU\n" + text[end:]
    body = body_text(tmp_path, write_record(tmp_path, one, "bien-ban.yaml"))
    at = body.index("Nội dung: tổng kết 4 năm thực hiện Kế hoạch số 23-KH/TU.")
    assert body[at + 1] == "Nội dung (theo diễn biến cuộc họp):"


NOTICE = """\
kind: thong-bao-ket-luan
profile: party-hd36
issuer: {parent: ĐẢNG BỘ TỈNH BẾN TRE, name: TỈNH ỦY BẾN TRE, code: TU}
number: 12
place: Bến Tre
date: 19/02/2021
subject: Kết luận của đồng chí Bí thư Tỉnh ủy
meeting:
  date: 17/02/2021
  start: "13:30"
  location: Hội trường Tỉnh ủy
  chair: {name: Phan Văn Mãi, position: Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy}
  attendees:
    - các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy
    - lãnh đạo các sở, ban, ngành tỉnh
  agenda: |
    1. Tổng kết 4 năm thực hiện Kế hoạch số 23-KH/TU.
    2. Triển khai Chỉ thị số 01-CT/TU.
conclusions:
  - Năm 2021 tập trung thi đua xây dựng nông thôn mới.
recipients: [Ban Thường vụ Tỉnh ủy]
archive: Văn phòng Tỉnh ủy
signer: {authority: T/M, on_behalf_of: BAN THƯỜNG VỤ, position: BÍ THƯ, name: Phan Văn Mãi}
"""


def test_the_intro_joins_agenda_items_attendees_and_names_the_chairs_title(tmp_path):
    body = body_text(tmp_path, write_record(tmp_path, NOTICE, "thong-bao.yaml"))
    assert body[0] == (
        "Vào lúc 13 giờ 30 ngày 17/02/2021, đồng chí Phan Văn Mãi, Ủy viên Trung ương Đảng, "
        "Bí thư Tỉnh ủy chủ trì cuộc họp tại Hội trường Tỉnh ủy về các nội dung: tổng kết "
        "4 năm thực hiện Kế hoạch số 23-KH/TU; triển khai Chỉ thị số 01-CT/TU. Cùng dự có "
        "các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy; lãnh đạo các sở, ban, ngành tỉnh. Sau "
        "khi nghe báo cáo và ý kiến của các thành viên dự họp, đồng chí Bí thư Tỉnh ủy "
        "kết luận:"
    )


def test_attendees_without_commas_are_joined_with_commas(tmp_path):
    text = NOTICE.replace("lãnh đạo các sở, ban, ngành tỉnh", "lãnh đạo Sở Tài chính")
    text = text.replace("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh, Trưởng ban")
    body = body_text(tmp_path, write_record(tmp_path, text, "thong-bao.yaml"))
    assert "Cùng dự có các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy, lãnh đạo Sở Tài chính." \
        in body[0]  # fmt: skip
    assert body[0].endswith("thành viên dự họp, đồng chí Chủ tịch UBND tỉnh kết luận:")
