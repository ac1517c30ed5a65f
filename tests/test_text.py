"""Real-world text: legacy encodings, pastes from Excel and macOS, tone-mark placement."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from notice_gen import read_record, render_file
from notice_gen.cli import main
from notice_gen.record.text import clean_text, from_tcvn3, from_vni, legacy_encoding, modern_tones

# The same words in the three encodings, as each looks once pasted as Unicode text.
WORDS = [  # (Unicode, TCVN3, VNI)
    ("Thông báo kết luận", "Th«ng b¸o kÕt luËn", "Thoâng baùo keát luaän"),
    ("Thường trực Tỉnh ủy", "Th\xadêng trùc TØnh ñy", "Thöôøng tröïc Tænh uûy"),
    ("Đảng bộ tỉnh Bình Thuận", "§¶ng bé tØnh B×nh ThuËn", "Ñaûng boä tænh Bình Thuaän"),
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "§¶NG CéNG S¶N VIÖT NAM", "ÑAÛNG COÄNG SAÛN VIEÄT NAM"),
]


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), WORDS)
def test_legacy_encodings_are_recognised_and_converted(unicode, tcvn3, vni):
    assert legacy_encoding(tcvn3) == "tcvn3"
    assert legacy_encoding(vni) == "vni"
    assert from_vni(vni) == unicode
    assert from_tcvn3(tcvn3).lower() == unicode.lower()  # .VnTime has no toned capitals
    assert legacy_encoding(unicode) is None


@pytest.mark.parametrize(
    "text",
    ["hoà bình", "café 2.0", "© 2026 Công ty", "naïve", "Hà Nội, ngày 05 tháng 3", "Số: 05/TB-VP"],
)
def test_unicode_and_foreign_text_is_left_alone(text):
    assert legacy_encoding(text) is None
    assert clean_text(text) == (text, [])


def test_pastes_from_excel_and_the_web():
    text, done = clean_text("Dòng một\x0bDòng hai\tcột\u00a0B\u200b\x07")
    assert text == "Dòng một\nDòng hai cột B"
    assert done == [
        "control characters turned into line breaks",
        "control characters removed",
        "invisible characters removed",
        "tabs and non-breaking spaces turned into spaces",
    ]


def test_tone_marks_modern_placement():
    assert modern_tones("hoà bình, khoẻ, thuỷ lợi, Hoá, quý, hoàng, thuý") == (
        "hòa bình, khỏe, thủy lợi, Hóa, quý, hoàng, thúy"
    )


def write(tmp_path: Path, replace: dict[str, str], name: str = "r.yaml") -> Path:
    text = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_records_with_tcvn3_vni_and_nfd_render_unicode_and_warn_by_key(tmp_path):
    nfd = unicodedata.normalize("NFD", "Lâm Đồng")
    path = write(
        tmp_path,
        {
            "name: Nguyễn Thị Hoa": "name: NguyÔn ThÞ Hoa",  # TCVN3
            "  - Chủ tịch, các Phó Chủ tịch UBND tỉnh": (
                "  - Chuû tòch, caùc Phoù Chuû tòch UBND tænh"  # VNI
            ),
            "place: Lâm Đồng": f"place: {nfd}",
        },
    )
    record, warnings = read_record(path)
    assert record.signer.name == "Nguyễn Thị Hoa"
    assert record.recipients[0] == "Chủ tịch, các Phó Chủ tịch UBND tỉnh"
    assert record.place == "Lâm Đồng"
    keys = {w.key: w.message for w in warnings}
    assert "TCVN3" in keys["signer.name"] and "VNI" in keys["recipients[0]"]
    out, _ = render_file(path, tmp_path / "out")
    from docx import Document

    texts = [p.text for t in Document(str(out)).tables for c in t._cells for p in c.paragraphs]
    assert "Nguyễn Thị Hoa" in texts and "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;" in texts


def test_tone_marks_key_per_record(tmp_path):
    path = write(
        tmp_path,
        {
            "subject: >-\n": "tone_marks: modern\nsubject: >-\n",
            "Kết luận của Chủ tịch": "Kết luận hoà giải của Chủ tịch",
        },
    )
    record, warnings = read_record(path)
    assert record.subject.startswith("Kết luận hòa giải")
    assert any(w.key == "subject" and "modern" in w.message for w in warnings)


def test_convert_command_keeps_a_backup(tmp_path):
    path = write(tmp_path, {"name: Nguyễn Thị Hoa": "name: NguyÔn ThÞ Hoa"})
    original = path.read_bytes()
    result = CliRunner().invoke(main, ["convert", str(path)])
    assert result.exit_code == 0 and "1 line(s) converted" in result.output
    assert path.with_name("r.yaml.bak").read_bytes() == original
    assert "name: Nguyễn Thị Hoa" in path.read_text("utf-8")
    again = CliRunner().invoke(main, ["convert", str(path)])
    assert "already Unicode" in again.output
