"""The rulebook values, checked against the examples of format-rules.md."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from notice_gen.errors import RecordError
from notice_gen.pipeline.compose import (
    date_words,
    label,
    number_line,
    recipient_lines,
    signer_lines,
)
from notice_gen.record.load import Source
from notice_gen.record.validate import validate
from notice_gen.rules.patterns import DATE, DATE_DRAFT, NUMBER


def record(profile: str = "nd30", **changes):
    data = {
        "kind": "thong-bao-ket-luan",
        "profile": profile,
        "issuer": {"name": "VĂN PHÒNG", "code": "VP" if profile == "nd30" else "TU"},
        "place": "Hà Nội",
        "subject": "Kết luận",
        "conclusions": ["Một ý."],
        "recipients": ["Các sở"],
        "archive": "VT, TH" if profile == "nd30" else "Văn phòng Tỉnh ủy",
        "signer": {"position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn A"},
    }
    for key, value in changes.items():
        data[key] = value
    return validate(Source(Path("test.yaml"), data))[0]


@pytest.mark.parametrize(
    ("profile", "number", "code", "expected"),
    [
        ("nd30", "5", "VP", "Số: 05/TB-VP"),
        ("nd30", "15", "UBND", "Số: 15/TB-UBND"),
        ("nd30", "1234", "UBND", "Số: 1234/TB-UBND"),
        ("party-hd05", "135", "TU", "Số 135-TB/TU"),
        ("party-hd05", "5", "BTCTU-BNCTU", "Số 05-TB/BTCTU-BNCTU"),
        ("party-hd36", "9", "HU", "Số 09-TB/HU"),
    ],
)
def test_number_line(profile, number, code, expected):
    rec = record(profile, number=number, issuer={"name": "X", "code": code})
    line = number_line(rec)
    assert line == expected
    assert NUMBER["state" if profile == "nd30" else "party"].match(line)


def test_blank_number_is_left_for_hand_filling():
    state, party = number_line(record("nd30")), number_line(record("party-hd05"))
    assert re.fullmatch(r"Số:\s{4,}/TB-VP", state) and NUMBER["state"].match(state)
    assert re.fullmatch(r"Số\s{4,}-TB/TU", party) and NUMBER["party"].match(party)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),
        (date(2021, 4, 3), "ngày 03 tháng 4 năm 2021"),
        (date(2021, 12, 10), "ngày 10 tháng 12 năm 2021"),
        (date(2014, 2, 5), "ngày 05 tháng 02 năm 2014"),
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
    ],
)
def test_date_words_pad_days_below_10_and_months_1_2_only(day, expected):
    words = date_words(day)
    assert words == expected
    assert DATE.match(f"Hà Nội, {words}")


def test_undated_line_keeps_blanks():
    assert DATE_DRAFT.match(f"Phan Thiết, {date_words(None, 2014)}")
    assert date_words(None, 2014).endswith("năm 2014")
    assert DATE_DRAFT.match(f"Phan Thiết, {date_words(None)}")


@pytest.mark.parametrize(
    ("profile", "archive", "expected"),
    [
        ("nd30", "VT, TH", ["- Các sở;", "- Lưu: VT, TH."]),
        ("nd30", "TCCB", ["- Các sở;", "- Lưu: VT, TCCB."]),
        ("nd30", "- Lưu: VT, NVĐP.", ["- Các sở;", "- Lưu: VT, NVĐP."]),
        ("party-hd05", "Văn phòng Tỉnh ủy", ["- Các sở;", "- Lưu Văn phòng Tỉnh ủy."]),
        ("party-hd05", "- Lưu Chi bộ.", ["- Các sở;", "- Lưu Chi bộ."]),
        ("party-hd36", "Văn phòng Tỉnh ủy", ["- Các sở,", "- Lưu Văn phòng Tỉnh ủy."]),
    ],
)
def test_recipient_lines(profile, archive, expected):
    assert recipient_lines(record(profile, archive=archive)) == expected


def test_recipients_written_with_punctuation_are_not_doubled():
    rec = record("party-hd36", recipients=["- Thường trực Tỉnh ủy;", "Các ban,", "– Huyện ủy."])
    assert recipient_lines(rec)[:3] == ["- Thường trực Tỉnh ủy,", "- Các ban,", "- Huyện ủy,"]


@pytest.mark.parametrize(
    ("profile", "authority", "expected"),
    [
        ("nd30", "TM.", "TM. ỦY BAN NHÂN DÂN"),
        ("nd30", "KT", "KT. ỦY BAN NHÂN DÂN"),
        ("nd30", "TUQ.", "TUQ. ỦY BAN NHÂN DÂN"),
        ("party-hd05", "T/M", "T/M ỦY BAN NHÂN DÂN"),
        ("party-hd36", "T/L", "T/L ỦY BAN NHÂN DÂN"),
        ("party-hd05", "Q.", "Q. ỦY BAN NHÂN DÂN"),
    ],
)
def test_authority_line(profile, authority, expected):
    signer = {
        "authority": authority,
        "on_behalf_of": "ỦY BAN NHÂN DÂN",
        "position": "P",
        "name": "N",
    }
    assert signer_lines(record(profile, signer=signer))["authority_line"] == expected


@pytest.mark.parametrize(
    ("profile", "authority"),
    [("nd30", "T/M"), ("party-hd05", "TM."), ("party-hd36", "TUQ."), ("nd30", "K/T")],
)
def test_marker_of_the_other_regime_is_an_error_naming_signer_authority(profile, authority):
    signer = {"authority": authority, "on_behalf_of": "BAN", "position": "P", "name": "N"}
    with pytest.raises(RecordError) as exc:
        record(profile, signer=signer)
    assert [p.key for p in exc.value.problems] == ["signer.authority"]


def test_labels_by_depth_and_pattern():
    assert [label("1.", [n]) for n in (1, 2, 10)] == ["1.", "2.", "10."]
    letters = [label("a)", [1, n]) for n in range(1, 9)]
    assert letters == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"]
    assert label("-", [1, 2, 3]) == "-"
    assert label("I.", [4]) == "IV."
    assert label("1.1-", [2, 3]) == "2.3-"
    assert label("1.1.", [3, 1]) == "3.1."


def test_text_is_nfc():
    decomposed = "Ke\u0302\u0301t lua\u0323\u0302n"  # "Kết luận" typed on macOS
    assert record(subject=decomposed).subject == "Kết luận"
