"""Each rulebook applies between its dates: a record dated outside them is an error unless
it is a re-typed old document (`historical: true`), then a warning."""

from __future__ import annotations

from docx import Document

from conftest import DATA, RECORDS
from helpers import record_problems, write_record
from notice_gen import read_record, render_file

STATE_2015 = """\
kind: thong-bao-ket-luan
profile: nd30
issuer: {parent: UBND TỈNH BÌNH THUẬN, name: VĂN PHÒNG, code: VP}
number: 5
place: Phan Thiết
date: 20/7/2015
subject: Kết luận của Chủ tịch UBND tỉnh
conclusions:
  - Giao Sở Tài chính chủ trì.
recipients: [Các sở]
archive: VT, TH
signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}
"""


def test_a_2015_state_record_is_refused_under_nd30(tmp_path):
    found = record_problems(write_record(tmp_path, STATE_2015))
    assert found == [
        f"{tmp_path / 'record.yaml'}:2: profile: Nghị định 30/2020/NĐ-CP applies from "
        "05/03/2020 (a re-typed old document: historical: true)"
    ]


def test_a_historical_2015_state_record_renders_with_a_warning(tmp_path):
    record = write_record(tmp_path, STATE_2015 + "historical: true\n")
    out, warnings = render_file(record, tmp_path / "out")
    assert [str(w) for w in warnings] == [
        f"{record}:2: profile: Nghị định 30/2020/NĐ-CP applies from 05/03/2020"
    ]
    assert "Phan Thiết, ngày 20 tháng 7 năm 2015" in [
        p.text for p in Document(str(out)).tables[0].cell(1, 1).paragraphs
    ]


def test_a_party_record_before_hd36_is_refused_under_party_hd36(tmp_path):
    text = STATE_2015.replace("profile: nd30", "profile: party-hd36").replace(
        "{parent: UBND TỈNH BÌNH THUẬN, name: VĂN PHÒNG, code: VP}",
        "{parent: ĐẢNG BỘ TỈNH BÌNH THUẬN, name: TỈNH ỦY, code: TU}",
    )
    text = text.replace("archive: VT, TH", "archive: Văn phòng Tỉnh ủy")
    text = text.replace("date: 20/7/2015", "date: 02/4/2018")
    found = record_problems(write_record(tmp_path, text))
    assert found == [
        f"{tmp_path / 'record.yaml'}:2: profile: Hướng dẫn 36-HD/VPTW (2018) applies from "
        "03/04/2018 (a re-typed old document: historical: true)"
    ]
    record, warnings = read_record(write_record(tmp_path, text.replace("02/4/2018", "03/4/2018")))
    assert record.date.isoformat() == "2018-04-03" and warnings == []


def test_the_2014_samples_say_they_are_historical():
    for path in (DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml",
                 RECORDS / "trial" / "tuy-phong-2014.yaml"):  # fmt: skip
        record, warnings = read_record(path)
        assert record.historical and record.rules.name == "party-hd36"
        assert any("applies from 03/04/2018" in str(w) for w in warnings)
