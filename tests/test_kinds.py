"""Giấy mời and Biên bản from the same meeting record as the Thông báo, and PDF for all."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from conftest import DATA
from helpers import body_paragraphs, bold, texts
from notice_gen import RecordError, read_record, render_file
from notice_gen.cli import main
from notice_gen.lint.check import check_file

STATE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
PARTY = DATA / "thong-bao-ket-luan-dang-uy-phuong.yaml"
WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def rendered(tmp_path: Path, record: Path, kind: str):
    path, _ = render_file(record, tmp_path, kind=kind)
    assert [str(f) for f in check_file(path) if f.severity == "error"] == []
    return Document(str(path))


def test_state_invitation(tmp_path):
    doc = rendered(tmp_path, STATE, "giay-moi")
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 03/GM-VP"
    assert doc.tables[0].cell(1, 1).paragraphs[0].text == "Lâm Đồng, ngày 22 tháng 01 năm 2026"
    assert "GIẤY MỜI" in texts(doc)
    body = body_paragraphs(doc)
    lines = [p.text for p in body]
    assert lines[:3] == [
        "Văn phòng Ủy ban nhân dân tỉnh trân trọng kính mời:",
        "- Lãnh đạo các sở Xây dựng, Tài chính, Nông nghiệp và Môi trường;",
        "- Chủ tịch Ủy ban nhân dân các xã có dự án đi qua.",
    ]
    assert (
        "Tới dự cuộc họp về tiến độ giải phóng mặt bằng dự án đường cao tốc Tân Phú - Bảo Lộc."
        in lines
    )
    weekday = WEEKDAYS[date(2026, 1, 28).weekday()]
    when = next(p for p in body if p.text.startswith("Thời gian: "))
    assert when.text == f"Thời gian: 8 giờ 00, {weekday}, ngày 28/01/2026."
    assert when.runs[1].text == "Thời gian: " and when.runs[1].bold
    assert "Địa điểm: Phòng họp số 1, Ủy ban nhân dân tỉnh." in lines
    assert lines[-1] == "Rất mong các đồng chí tham dự đúng thành phần, đúng giờ./."
    recipients = texts(doc.tables[-1].cell(0, 0))
    assert recipients[1:] == ["- Như thành phần mời;", "- Lưu: VT, TH."]


def test_state_minutes(tmp_path):
    doc = rendered(tmp_path, STATE, "bien-ban")
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 02/BB-VP"
    assert "".join(texts(doc.tables[0].cell(1, 1))) == ""  # ND 30 minutes: no date line
    lines = [p.text for p in body_paragraphs(doc)]
    assert lines[0] == "Thời gian bắt đầu: 8 giờ 00, ngày 28 tháng 01 năm 2026."
    assert "Chủ trì (chủ tọa): Trần Văn Bình, Chủ tịch Ủy ban nhân dân tỉnh." in lines
    assert (
        "Thư ký (người ghi biên bản): Lê Văn Nam, Chuyên viên Văn phòng Ủy ban nhân dân tỉnh."
        in lines
    )
    assert "Đồng chí Nguyễn Văn Hùng, Giám đốc Sở Tài chính: Đề nghị" in "\n".join(lines)
    assert lines[-1] == "Cuộc họp kết thúc vào 10 giờ 30, ngày 28 tháng 01 năm 2026./."
    table = doc.tables[-1]
    secretary, chair = table.cell(0, 0), table.cell(0, 1)
    assert [t for t in texts(secretary) if t] == ["THƯ KÝ", "Lê Văn Nam"]
    assert [t for t in texts(chair) if t] == ["CHỦ TỌA", "Trần Văn Bình"]
    assert bold(secretary.paragraphs[0]) and bold(chair.paragraphs[-1])
    assert texts(table.cell(1, 0)) == ["Nơi nhận:", "- Lưu: VT, Hồ sơ."]


def test_party_minutes_and_invitation(tmp_path):
    minutes = rendered(tmp_path, PARTY, "bien-ban")
    assert minutes.tables[0].cell(1, 0).paragraphs[0].text == "Số 41-BB/ĐU"
    assert minutes.tables[0].cell(1, 1).paragraphs[0].text == (
        "Cam Ly - Đà Lạt, ngày 12 tháng 10 năm 2026"
    )
    secretary, chair = minutes.tables[-1].cell(0, 0), minutes.tables[-1].cell(0, 1)
    assert secretary.paragraphs[0].text == "NGƯỜI GHI BIÊN BẢN" and not bold(
        secretary.paragraphs[0]
    )
    assert chair.paragraphs[0].text == "CHỦ TRÌ HỘI NGHỊ"
    last = body_paragraphs(minutes)[-1].text
    assert last.endswith("năm 2026.") and not last.endswith("./.")
    invitation = rendered(tmp_path, PARTY, "giay-moi")
    assert invitation.tables[0].cell(1, 0).paragraphs[0].text == "Số 40-GM/ĐU"
    assert "-----" in texts(invitation)


def test_each_kind_names_what_it_lacks(tmp_path):
    record = tmp_path / "hop.yaml"
    record.write_text(re.sub(r"  invitees:\n(    - .*\n)+", "", STATE.read_text("utf-8")), "utf-8")
    with pytest.raises(RecordError) as exc:
        read_record(record, "giay-moi")
    (problem,) = exc.value.problems
    assert problem.key == "meeting.invitees"
    assert "required key is missing (who is invited, for giay-moi)" in str(problem)
    assert read_record(record)[0].kind == "thong-bao-ket-luan"  # a notice needs no invitees


def test_cli_kind_option_and_the_samples_of_both_kinds(tmp_path):
    result = CliRunner().invoke(
        main, ["render", str(STATE), "--kind", "giay-moi", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.giay-moi.docx").is_file()
    for kind in ("giay-moi", "bien-ban"):
        for regime in ("ubnd-lam-dong", "dang-uy-phuong"):
            sample = DATA / f"{kind}-{regime}.yaml"
            assert read_record(sample)[0].kind == kind


def test_pdf_for_every_kind_in_one_run(tmp_path):
    args = [
        "render",
        *(str(DATA / f"{k}-dang-uy-phuong.yaml") for k in ("giay-moi", "bien-ban")),
        str(PARTY),
        "--pdf",
        "-o",
        str(tmp_path),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "3 PDF(s) written" in result.output
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "bien-ban-dang-uy-phuong.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "BIÊN BẢN" in text and "NGƯỜI GHI BIÊN BẢN" in text
    assert not list(tmp_path.glob(".*"))[1:]  # only the manifest is hidden


def test_missing_libreoffice_is_a_clear_error_and_keeps_the_docx(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["render", str(STATE), "--pdf", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "LibreOffice is not installed" in result.output
    assert (tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.docx").is_file()
