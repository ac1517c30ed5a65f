"""Centred titles never break just inside a quotation mark, avoid breaking a quoted
title, and keep region names and counted numbers whole (the titles the QA trial broke)."""

from __future__ import annotations

import pytest

from conftest import RECORDS
from notice_gen import read_record
from notice_gen.pipeline.compose import header_lines
from notice_gen.rules.breaking import balanced_lines
from notice_gen.rules.profiles import ND30, mm, text_width

FULL = text_width(ND30)  # 165 mm
TRIAL = RECORDS / "trial"


def subject_lines(name: str) -> list[str]:
    record, _ = read_record(TRIAL / name)
    return header_lines(record)["subject"]


def test_the_ha_tinh_quoted_title_is_not_broken_inside_a_word():
    lines = subject_lines("ha-tinh.yaml")
    assert lines == [
        "tại cuộc họp đánh giá kết quả thực hiện Chỉ thị số 42-CT/TU về “Tổ chức",
        "phong trào thi đua lập thành tích chào mừng đại hội Đảng các cấp”",
    ]


def test_the_cum_7_region_and_counted_provinces_stay_whole():
    lines = subject_lines("cum-7-tinh.yaml")
    assert lines == [
        "Kết luận của Cụm trưởng Cụm thi đua",
        "7 tỉnh Trung du và Miền núi phía Bắc tại Hội nghị sơ kết",
        "công tác thi đua, khen thưởng 6 tháng đầu năm 2015",
    ]


def test_a_number_stays_with_the_years_it_counts():
    assert subject_lines("bien-ban-ben-tre.yaml") == [
        "hội nghị trực tuyến toàn tỉnh tổng kết",
        "4 năm thực hiện Kế hoạch số 23-KH/TU",
    ]


SPACED = (
    "tại hội nghị về “ Tổ chức phong trào thi đua ” của các tỉnh Tây Nguyên và "
    "Đồng bằng sông Cửu Long, Nam Trung Bộ và Miền núi phía Bắc"
)


@pytest.mark.parametrize("room", range(mm(80), FULL + 1, mm(5)))
def test_no_line_ends_after_an_opening_quote_or_starts_before_a_closing_one(room):
    lines = balanced_lines(SPACED, room, 14, bold=True)
    assert " ".join(lines) == SPACED
    assert not [line for line in lines if line.endswith(("“", '"'))]
    assert not [line for line in lines if line.startswith(("”", '"'))]
    for region in ("Tây Nguyên", "Đồng bằng sông Cửu Long", "Nam Trung Bộ", "Miền núi phía Bắc"):
        assert any(region in line for line in lines), (region, lines)


def test_a_quoted_title_that_fits_a_line_is_kept_on_one():
    text = (
        "về việc triển khai Chỉ thị số 01-CT/TU về phát động phong trào thi đua "
        "“Đồng khởi mới” giai đoạn 2020 - 2025 trên địa bàn tỉnh"
    )
    for room in range(mm(90), FULL + 1, mm(5)):
        lines = balanced_lines(text, room, 14, bold=True)
        assert any("“Đồng khởi mới”" in line for line in lines), lines
