"""Straight double quotes typed in the body, subject and title print as “ ”."""

from __future__ import annotations

from docx import Document

from helpers import body_paragraphs, write_record
from notice_gen import render_file

RECORD = """\
kind: thong-bao-ket-luan
profile: party-hd36
issuer: {parent: ĐẢNG BỘ TỈNH BẾN TRE, name: TỈNH ỦY BẾN TRE, code: TU}
number: 12
place: Bến Tre
date: 19/02/2021
title: [KẾT LUẬN VỀ "ĐỒNG KHỞI MỚI"]
subject: 'về phong trào thi đua "Đồng khởi mới"'
intro: ['Ngày 17/02/2021, Thường trực Tỉnh ủy họp về chủ trương "nắm" ("nắm chắc").']
conclusions:
  - 'Tiếp tục thực hiện phong trào "Đồng khởi mới".'
recipients: ['Ban "Đồng khởi"']
archive: Văn phòng Tỉnh ủy
signer: {authority: T/M, on_behalf_of: BAN THƯỜNG VỤ, position: BÍ THƯ, name: Phan Văn Mãi}
"""


def test_straight_quotes_in_body_subject_and_title_print_as_typographic_quotes(tmp_path):
    out, _ = render_file(write_record(tmp_path, RECORD, "thong-bao.yaml"), tmp_path / "out")
    document = Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert "KẾT LUẬN VỀ “ĐỒNG KHỞI MỚI”" in paragraphs
    assert "về phong trào thi đua “Đồng khởi mới”" in paragraphs
    assert [p.text for p in body_paragraphs(document)][:2] == [
        "Ngày 17/02/2021, Thường trực Tỉnh ủy họp về chủ trương “nắm” (“nắm chắc”).",
        "1. Tiếp tục thực hiện phong trào “Đồng khởi mới”.",
    ]
    recipients = [p.text for p in document.tables[-1].cell(0, 0).paragraphs]
    assert '- Ban "Đồng khởi",' in recipients  # everything else as typed
