"""Line breaking of centred header names and titles, as a văn thư breaks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from notice_gen.pipeline.compose import context
from notice_gen.record.load import Source
from notice_gen.record.validate import validate
from notice_gen.rules.breaking import HEADER_COLUMNS, balanced_lines, symbol_hyphens
from notice_gen.rules.metrics import width
from notice_gen.rules.profiles import ND30, mm, text_width

LEFT = HEADER_COLUMNS[0]  # 70 mm
FULL = text_width(ND30)  # 165 mm

# (text, column, size, bold, the lines a văn thư writes)
CASES = [
    # issuing bodies, Party 14 pt bold in the 70 mm column (data/, format-rules §6.3)
    ("ĐẢNG ỦY PHƯỜNG CAM LY - ĐÀ LẠT", LEFT, 14, True, ["ĐẢNG ỦY", "PHƯỜNG CAM LY - ĐÀ LẠT"]),
    (
        "CHI BỘ PHÒNG HÀNH CHÍNH - QUẢN TRỊ",
        LEFT,
        14,
        True,
        ["CHI BỘ PHÒNG", "HÀNH CHÍNH - QUẢN TRỊ"],
    ),
    ("BAN TUYÊN GIÁO VÀ DÂN VẬN", LEFT, 14, True, ["BAN TUYÊN GIÁO", "VÀ DÂN VẬN"]),
    ("ĐẢNG UỶ CỤC BẢO TRỢ XÃ HỘI", LEFT, 14, True, ["ĐẢNG UỶ", "CỤC BẢO TRỢ XÃ HỘI"]),
    ("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH", LEFT, 14, False, ["ĐẢNG BỘ", "THÀNH PHỐ HỒ CHÍ MINH"]),
    ("ỦY BAN KIỂM TRA HUYỆN ỦY ĐỒNG VĂN", LEFT, 14, True, ["ỦY BAN KIỂM TRA", "HUYỆN ỦY ĐỒNG VĂN"]),
    # State bodies, 12 pt in the same column (ND 30 Phụ lục I)
    ("ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN", LEFT, 12, False, ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH THUẬN"]),
    (
        "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU",
        LEFT,
        12,
        False,
        ["ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU"],
    ),
    ("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", LEFT, 12, True, ["SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG"]),
    (
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        LEFT,
        12,
        True,
        ["SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"],
    ),
    ("CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", LEFT, 12, True, ["CỤC VĂN THƯ", "VÀ LƯU TRỮ NHÀ NƯỚC"]),
    # titles and subjects over the full 165 mm
    (
        "KẾT LUẬN CỦA ĐỒNG CHÍ PHÓ TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY",
        FULL,
        16,
        True,
        ["KẾT LUẬN CỦA ĐỒNG CHÍ", "PHÓ TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY"],
    ),
    (
        "về công tác chuẩn bị tổng kết năm 2026 và xây dựng chương trình công tác năm 2027",
        FULL,
        14,
        True,
        ["về công tác chuẩn bị tổng kết năm 2026", "và xây dựng chương trình công tác năm 2027"],
    ),
    (
        "Cuộc họp về tiến độ giải phóng mặt bằng dự án đường cao tốc Tân Phú - Bảo Lộc",
        FULL,
        14,
        True,
        ["Cuộc họp về tiến độ giải phóng mặt bằng", "dự án đường cao tốc Tân Phú - Bảo Lộc"],
    ),
    (  # the 2014 Bình Thuận notice (shared/examples)
        "tại buổi làm việc với Thường trực Huyện ủy Tuy Phong về tình hình, kết quả công tác "
        "xây dựng tổ chức cơ sở đảng, công tác dân vận, Mặt trận và các đoàn thể trong năm 2013 "
        "và 6 tháng đầu năm 2014",
        FULL,
        14,
        True,
        [
            "tại buổi làm việc với Thường trực Huyện ủy Tuy Phong về tình hình,",
            "kết quả công tác xây dựng tổ chức cơ sở đảng, công tác dân vận,",
            "Mặt trận và các đoàn thể trong năm 2013 và 6 tháng đầu năm 2014",
        ],
    ),
]


@pytest.mark.parametrize(("text", "room", "size", "bold", "expected"), CASES)
def test_breaks_between_word_groups(text, room, size, bold, expected):
    lines = balanced_lines(text, room, size, bold=bold)
    assert lines == expected
    for line in lines:
        assert width(line, size, bold=bold) <= room
        assert len(line.split()) >= 2, f"one-syllable line {line!r}"
        assert not line.startswith(("-", "–"))


@pytest.mark.parametrize(
    "text",
    ["VĂN PHÒNG", "TỈNH ỦY", "SỞ TÀI CHÍNH", "ỦY BAN NHÂN DÂN", "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY"],
)
def test_what_fits_stays_on_one_line(text):
    assert balanced_lines(text, FULL if "KẾT" in text else LEFT, 14, bold=True) == [text]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ỦY BAN NHÂN DÂN PHƯỜNG CAM LY - ĐÀ LẠT", "PHƯỜNG CAM LY - ĐÀ LẠT"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "THÀNH PHỐ HỒ CHÍ MINH"),
        ("BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY BÌNH THUẬN", "TỈNH ỦY BÌNH THUẬN"),
        ("ỦY BAN NHÂN DÂN HUYỆN TUY PHONG", "HUYỆN TUY PHONG"),
        ("ỦY BAN NHÂN DÂN XÃ ĐỒNG VĂN", "XÃ ĐỒNG VĂN"),
        ("ỦY BAN NHÂN DÂN QUẬN BA ĐÌNH", "QUẬN BA ĐÌNH"),
    ],
)
def test_never_inside_a_place_name(text, name):
    lines = balanced_lines(text, LEFT, 13, bold=True)
    assert len(lines) == 2
    assert any(name in line for line in lines), lines


def test_a_spaced_hyphen_stays_with_the_word_before():
    for room in range(mm(40), mm(90), mm(2)):
        for line in balanced_lines("ĐẢNG ỦY PHƯỜNG CAM LY - ĐÀ LẠT", room, 14, bold=True):
            assert not line.startswith("-")


def record(**changes):
    data = {
        "kind": "thong-bao-ket-luan",
        "profile": "party-hd05",
        "issuer": {"parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "name": "X", "code": "ĐU"},
        "place": "Đà Lạt",
        "subject": "về công tác",
        "conclusions": ["Một ý."],
        "recipients": ["Các chi bộ"],
        "archive": "Văn phòng Đảng ủy",
        "signer": {"position": "BÍ THƯ", "name": "Nguyễn Văn A"},
    }
    data.update(changes)
    return validate(Source(Path("test.yaml"), data))[0]


def test_compose_breaks_a_one_line_name_and_title():
    ctx = context(
        record(
            issuer={"name": "ĐẢNG ỦY PHƯỜNG CAM LY - ĐÀ LẠT", "code": "ĐU"},
            title="KẾT LUẬN CỦA ĐỒNG CHÍ PHÓ TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY",
            subject="về công tác chuẩn bị tổng kết năm 2026 và xây dựng chương trình công tác "
            "năm 2027 của các chi bộ trực thuộc Đảng bộ phường Cam Ly - Đà Lạt",
        )
    )
    assert ctx["issuer_lines"] == ["ĐẢNG ỦY", "PHƯỜNG CAM LY - ĐÀ LẠT"]
    # 166 mm at 14 pt bold: one line would leave `ỦY` alone on the second
    assert ctx["title_lines"] == ["KẾT LUẬN CỦA ĐỒNG CHÍ", "PHÓ TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY"]
    subject = ctx["subject"].split("\n")
    assert len(subject) == 2 and all(len(line.split()) > 4 for line in subject)


def test_explicit_lines_win():
    ctx = context(
        record(
            issuer={"name": ["ĐẢNG ỦY PHƯỜNG CAM LY", "- ĐÀ LẠT"], "code": "ĐU"},
            title=["KẾT LUẬN", "CỦA BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG"],
            subject="về công tác chuẩn bị\ntổng kết năm 2026",
        )
    )
    assert ctx["issuer_lines"] == ["ĐẢNG ỦY PHƯỜNG CAM LY", "- ĐÀ LẠT"]
    assert ctx["title_lines"] == ["KẾT LUẬN", "CỦA BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG"]
    assert ctx["subject"] == "về công tác chuẩn bị\ntổng kết năm 2026"


def test_state_lines_follow_the_longest_line():
    state = record(
        profile="nd30",
        issuer={"parent": "BỘ NỘI VỤ", "name": "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", "code": "VTLTNN"},
        subject="Kết luận",
        archive="VT, TH",
        signer={"position": "CỤC TRƯỞNG", "name": "Nguyễn Văn A"},
    )
    ctx = context(state)
    assert ctx["issuer_lines"] == ["CỤC VĂN THƯ", "VÀ LƯU TRỮ NHÀ NƯỚC"]
    longest = width("VÀ LƯU TRỮ NHÀ NƯỚC", 12, bold=True)
    assert longest / 3 <= ctx["rules"]["issuer"] <= longest / 2


@pytest.mark.parametrize(
    ("name", "share"),
    [
        ("VĂN PHÒNG", 1 / 2),  # 26 mm of text: 5/12 would be 10.7 mm; the legal maximum, 13 mm
        ("ỦY BAN NHÂN DÂN", 1 / 2),  # 40 mm: 20 mm
        ("SỞ NỘI VỤ TỈNH LÂM ĐỒNG", None),  # 58 mm: the 25 mm aimed at
        ("BAN QUẢN LÝ DỰ ÁN XÂY DỰNG", 5 / 12),  # 68 mm: 5/12 is past 25 mm
    ],
)
def test_short_names_get_a_line_that_looks_intentional(name, share):
    """§13 decided in rules/lines.py: aim at 25 mm, inside the legal 1/3-1/2 of the name."""
    state = record(
        profile="nd30",
        issuer={"name": name, "code": "VP"},
        subject="Kết luận",
        archive="VT, TH",
        signer={"position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn A"},
    )
    assert context(state)["issuer_lines"] == [name]
    length = context(state)["rules"]["issuer"]
    text = width(name, 12, bold=True)
    assert text / 3 <= length <= text / 2 + 1
    assert length == pytest.approx(text * share if share else mm(25), abs=1)


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("Thực hiện Chỉ thị số 01-CT/TU của Tỉnh ủy", ["01-CT/TU"]),
        ("Số 135-TB/TU", ["135-TB/TU"]),
        ("Số: 05/TB-VP", ["05/TB-VP"]),
        ("Nghị định 30/2020/NĐ-CP và Quyết định 15/QĐ-UBND", ["30/2020/NĐ-CP", "15/QĐ-UBND"]),
        ("Số      -TB/CB", ["-TB/CB"]),
        ("Số 05-QC/BTCTU-BNCTU", ["05-QC/BTCTU-BNCTU"]),
        ("Tân Phú - Bảo Lộc, nhiệm kỳ 2025 - 2030, T/M BAN THƯỜNG VỤ, Độc lập - Tự do", []),
    ],
)
def test_symbol_hyphens(text, symbols):
    expected = [text.index(s) + i for s in symbols for i, ch in enumerate(s) if ch == "-"]
    assert symbol_hyphens(text) == expected


def test_symbol_hyphens_print_as_word_non_breaking_hyphens():
    from notice_gen.pipeline.compose import WordText

    xml = WordText("Chỉ thị số 01-CT/TU & Tân Phú - Bảo Lộc").__html__()
    assert xml == (
        'Chỉ thị số 01</w:t><w:noBreakHyphen/><w:t xml:space="preserve">CT/TU &amp; '
        "Tân Phú - Bảo Lộc"
    )
