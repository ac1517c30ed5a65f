"""Lint findings say what is wrong and what to do, in English and in Vietnamese."""

from __future__ import annotations

from conftest import DATA
from helpers import notice_gen, write_record
from notice_gen import render_file
from notice_gen.lint.check import check_file

SAMPLE_2014 = DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml"


def test_a_body_without_a_final_full_stop_is_told_to_add_one(tmp_path):
    text = SAMPLE_2014.read_text("utf-8")
    assert text.count("triển khai thực hiện./.") == 1  # the sample's last words
    changed = text.replace("triển khai thực hiện./.", "triển khai thực hiện")
    record = write_record(tmp_path, changed, "khong-cham.yaml")
    out, _ = render_file(record, tmp_path / "out", check=False)
    found = [f.message for f in check_file(out) if f.rule == "BODY"]
    assert found == ["the last body paragraph should end with a full stop; add one"]
    vi = notice_gen("check", out, lang="vi_VN.UTF-8")
    assert "đoạn cuối của nội dung phải kết thúc bằng dấu chấm; hãy thêm dấu chấm" in vi.stdout


def test_a_committee_split_from_its_province_is_told_to_write_it_on_one_line(tmp_path):
    out, _ = render_file(SAMPLE_2014, tmp_path / "out", check=False)
    found = [f.message for f in check_file(out) if f.rule == "HDR-ORG"]
    assert found == ["write the provincial committee on one line: TỈNH ỦY …"]
    vi = notice_gen("check", out, lang="vi_VN.UTF-8")
    assert "hãy ghi tỉnh ủy trên một dòng: TỈNH ỦY …" in vi.stdout
