"""`notice-gen import` and `reissue`: hand-typed Word drafts in several office styles become
records with the right values, and re-issued documents that pass `check` and keep every word."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import drafts
from notice_gen.cli import main
from notice_gen.i18n import set_language
from notice_gen.lint.check import check_file
from notice_gen.record.load import load


def run(*args: object):
    return CliRunner().invoke(main, ["--lang", "en", *map(str, args)])


def imported(tmp_path: Path, builder, name: str, *options: str) -> dict:
    draft = tmp_path / f"{name}.docx"
    builder(draft)
    result = run("import", draft, *options)
    assert result.exit_code == 0, result.output
    return load(tmp_path / f"{name}.yaml").data


def test_state_notice_with_header_table_in_arial(tmp_path):
    data = imported(tmp_path, drafts.state_table, "arial")
    assert data == {
        "kind": "thong-bao-ket-luan",
        "profile": "nd30",
        "issuer": {"parent": "UBND TỈNH LÂM ĐỒNG", "name": "VĂN PHÒNG", "code": "VP"},
        "number": "15",
        "place": "Lâm Đồng",
        "date": "2026-02-03",
        "subject": "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tiến độ giải phóng mặt bằng",
        "intro": "Ngày 28/01/2026, Chủ tịch UBND tỉnh chủ trì cuộc họp theo *Kế hoạch số "
        "12/KH-UBND*; sau khi nghe báo cáo, Chủ tịch kết luận:",
        "conclusions": [
            {
                "heading": "Về kết quả thực hiện:",
                "text": "đã bàn giao 82% diện tích (\\*) mặt bằng.",
            },
            {
                "heading": "Về nhiệm vụ thời gian tới:",
                "points": [
                    {"text": "UBND các xã hoàn thành chi trả trước ngày 28/02/2026."},
                    {
                        "text": "Sở Tài chính thẩm định phương án bồi thường bổ sung.",
                        "points": [{"text": "Ưu tiên các hộ đã bàn giao mặt bằng sớm."}],
                    },
                    {
                        "text": [
                            "Sở Xây dựng tổng hợp, báo cáo.",
                            "(\\*) Số liệu đến ngày 25/01/2026.",
                        ]
                    },
                ],
            },
        ],
        "closing": "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "recipients": ["Chủ tịch, các PCT UBND tỉnh", "Các sở: Xây dựng, Tài chính"],
        "archive": "VT, TH",
        "signer": {
            "authority": "KT.",
            "on_behalf_of": "CHÁNH VĂN PHÒNG",
            "position": "PHÓ CHÁNH VĂN PHÒNG",
            "name": "Nguyễn Thị Hoa",
        },
    }


def test_state_notice_with_tab_columns_and_word_numbering(tmp_path):
    data = imported(tmp_path, drafts.state_tabs, "tabs")
    assert data["issuer"] == {"parent": "UBND TỈNH BẮC KẠN", "name": "VĂN PHÒNG", "code": "VP"}
    assert (data["number"], data["place"], data["date"]) == ("7", "Bắc Kạn", "2025-02-19")
    assert data["conclusions"] == [
        {"text": "Các trường đã hoàn thành 70% khối lượng."},
        {
            "text": "Thực hiện tốt Đề án *Xây dựng trường chuẩn quốc gia* giai đoạn 2025 - 2030:",
            "points": [
                {"text": "Sở Giáo dục và Đào tạo đôn đốc nhà thầu."},
                {"text": "UBND huyện bàn giao mặt bằng còn lại."},
            ],
        },
        {"text": "Báo cáo kết quả trước ngày 30/3/2025."},
    ]
    assert data["recipients"] == ["Như trên", "Sở Giáo dục và Đào tạo"]
    assert data["archive"] == "VT, VX"
    assert data["signer"] == {
        "authority": "TL.",
        "on_behalf_of": "CHỦ TỊCH",
        "position": "CHÁNH VĂN PHÒNG",
        "name": "Hoàng Văn Nam",
    }


def test_party_notice_modelled_on_the_2014_example(tmp_path):
    data = imported(tmp_path, drafts.party_2014, "tuy-phong")
    assert data["profile"] == "party-hd36"
    assert data["issuer"] == {"parent": "ĐẢNG BỘ TỈNH BÌNH THUẬN", "name": "TỈNH ỦY", "code": "TU"}
    assert (data["number"], data["place"], data["date"]) == ("135", "Phan Thiết", "2014-06-10")
    assert data["title"] == "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY"
    assert data["subject"] == (
        "tại buổi làm việc với Thường trực Huyện ủy Tuy Phong về\n"
        "công tác xây dựng tổ chức cơ sở đảng trong năm 2013"
    )
    assert data["numbering"] == ["1.", "1.1-"]
    first, second = data["conclusions"]
    assert first["text"] == [
        "Ban Thường vụ Huyện ủy Tuy Phong đã tập trung lãnh đạo, chỉ đạo đạt kết quả.",
        "Bên cạnh những kết quả đạt được, một số hạn chế cần khắc phục.",
    ]
    assert second["points"] == [
        {"text": "Thực hiện tốt Đề án “*Nâng cao chất lượng sinh hoạt chi bộ*”."},
        {"text": "Đổi mới công tác dân vận của Đảng."},
        {"label": "2.2-", "text": "Tăng cường công tác kết nạp đảng viên mới."},
        {"label": "2.3-", "text": "Tham gia phong trào “Toàn dân bảo vệ an ninh tổ quốc”."},
    ]
    assert data["recipients"] == [
        "Thường trực Tỉnh ủy",
        "Các ban của Tỉnh ủy",
        "Ban Thường vụ Huyện ủy Tuy Phong",
    ]
    assert data["archive"] == "Văn phòng Tỉnh ủy"
    assert data["signer"] == {"position": "CHÁNH VĂN PHÒNG", "name": "Lê Tấn Lai"}


def test_invitation(tmp_path):
    data = imported(tmp_path, drafts.invitation, "giay-moi")
    assert data["kind"] == "giay-moi"
    assert "number" not in data
    assert data["meeting"] == {
        "inviter": "Văn phòng UBND tỉnh",
        "invitees": ["Lãnh đạo Sở Xây dựng, Sở Tài chính", "Chủ tịch UBND các xã có dự án đi qua"],
        "name": "cuộc họp về tiến độ giải phóng mặt bằng dự án đường cao tốc",
        "chair": {"name": "Trần Văn Bình", "position": "Chủ tịch UBND tỉnh"},
        "start": "08:00",
        "date": "2026-01-28",
        "location": "Phòng họp số 1, UBND tỉnh",
        "notes": ["Sở Xây dựng chuẩn bị báo cáo tiến độ, gửi trước ngày 26/01/2026."],
    }
    assert data["closing"] == "Rất mong các đồng chí tham dự đúng giờ./."


def test_minutes(tmp_path):
    data = imported(tmp_path, drafts.minutes, "bien-ban")
    assert (data["kind"], data["profile"]) == ("bien-ban", "party-hd05")
    assert data["issuer"] == {
        "parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
        "name": "ĐẢNG ỦY PHƯỜNG CAM LY",
        "code": "ĐU",
    }
    assert data["meeting"] == {
        "date": "2026-10-12",
        "start": "14:00",
        "end": "16:30",
        "location": "Hội trường Đảng ủy phường",
        "attendees": ["Các đồng chí Ủy viên Ban Thường vụ Đảng ủy", "Trưởng các ban xây dựng Đảng"],
        "chair": {"name": "Phạm Minh Tuấn", "position": "Bí thư Đảng ủy phường"},
        "secretary": {"name": "Đỗ Thị Lan", "position": "Chánh Văn phòng Đảng ủy"},
        "reports": ["Văn phòng Đảng ủy báo cáo kết quả thực hiện nhiệm vụ 9 tháng đầu năm 2026."],
    }
    assert data["conclusions"] == [
        {"text": "Các chi bộ tổ chức tổng kết đúng hướng dẫn."},
        {"text": "Văn phòng Đảng ủy dự thảo chương trình công tác năm 2027."},
    ]
    assert data["recipients"] == ["Các đồng chí Ủy viên Ban Thường vụ Đảng ủy"]
    assert data["archive"] == "Văn phòng Đảng ủy"


@pytest.mark.parametrize(
    "builder",
    [drafts.state_table, drafts.state_tabs, drafts.party_2014, drafts.invitation, drafts.minutes],
)
def test_reissue_passes_check_and_keeps_every_word(tmp_path, builder):
    draft = tmp_path / "draft.docx"
    kept = builder(draft)
    result = run("reissue", draft, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = tmp_path / "out" / "draft.docx"
    assert (tmp_path / "out" / "draft.yaml").is_file()
    errors = [str(f) for f in check_file(document, "auto") if f.severity == "error"]
    assert errors == []
    assert drafts.words(" ".join(kept)) - drafts.document_words(document) == {}
    assert "not in" not in result.output  # the re-issue's own word check agrees


def test_the_record_left_by_reissue_renders_the_same_document(tmp_path):
    draft = tmp_path / "draft.docx"
    drafts.state_tabs(draft)
    assert run("reissue", draft, "-o", tmp_path / "out").exit_code == 0
    result = run("render", tmp_path / "out" / "draft.yaml", "-o", tmp_path / "again")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again" / "draft.docx").read_bytes() == (
        tmp_path / "out" / "draft.docx"
    ).read_bytes()


def test_findings_name_their_place_in_the_draft(tmp_path):
    draft = tmp_path / "arial.docx"
    drafts.state_table(draft)
    result = run("import", draft, "--verbose")
    assert (
        "recognised: number: 15 (where: table 1 row 2 cell 1 paragraph 1 «Số: 15 /TB-VP»)"
        in result.output
    )
    assert "recognised: conclusions" not in result.output
    assert "recognised: point c) at level 2 (where: paragraph 11 «c) Sở Xây dựng" in result.output


def test_guesses_are_commented_in_vietnamese(tmp_path):
    draft = tmp_path / "tuy-phong.docx"
    drafts.party_2014(draft)
    set_language("vi")
    try:
        from notice_gen.importer import import_draft

        text = import_draft(draft).text
    finally:
        set_language("en")
    assert "profile: party-hd36  # đoán: ghi ngày trước Hướng dẫn 36 (2018)" in text


def test_text_with_no_place_becomes_body_text_with_a_warning(tmp_path):
    draft = drafts.Draft()
    draft.line("UBND TỈNH LÂM ĐỒNG\t\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    draft.line([("VĂN PHÒNG", "b"), ("\t\t\tĐộc lập - Tự do - Hạnh phúc", "b")])
    draft.line("Số: 15/TB-VP\t\t\tLâm Đồng, ngày 03 tháng 3 năm 2026")
    draft.line("Dự thảo lần 2")
    draft.line("THÔNG BÁO", align=drafts.CENTER, fmt="b")
    draft.line("Kết luận của Chủ tịch UBND tỉnh", align=drafts.CENTER, fmt="b")
    draft.body("1. Các sở triển khai thực hiện.")
    draft.line("Nơi nhận:\t\t\tCHỦ TỊCH")
    draft.line("- Các sở;")
    draft.line("- Lưu: VT, TH.\t\t\tTrần Văn Bình")
    draft.save(tmp_path / "du-thao.docx")
    result = run("import", tmp_path / "du-thao.docx")
    assert result.exit_code == 0, result.output
    assert (
        "could not place: kept as body text in intro: move it where it belongs "
        "(where: paragraph 4 «Dự thảo lần 2»)" in result.output
    )
    assert load(tmp_path / "du-thao.yaml").data["intro"] == ["Dự thảo lần 2"]


def test_import_never_overwrites_a_record_unless_forced(tmp_path):
    draft = tmp_path / "tabs.docx"
    drafts.state_tabs(draft)
    record = tmp_path / "tabs.yaml"
    record.write_text("# sửa tay\n", "utf-8")
    result = run("import", draft)
    assert result.exit_code == 1
    assert (
        f"error: {record} exists and is kept; choose another with -o, or --force" in result.output
    )
    assert record.read_text("utf-8") == "# sửa tay\n"
    assert run("import", draft, "--force").exit_code == 0
    assert load(record).data["number"] == "7"


def test_kind_and_profile_given_win(tmp_path):
    data = imported(tmp_path, drafts.party_2014, "hd05", "--profile", "party-hd05")
    assert data["profile"] == "party-hd05"


@pytest.mark.parametrize(
    ("member", "content", "message"),
    [
        (
            "../evil.xml",
            b"<x/>",
            "part '../evil.xml' points outside the document; the file is refused",
        ),
        (
            "word/document.xml",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>',
            "part word/document.xml declares a DTD or entities, which Word never writes",
        ),
    ],
)
def test_hostile_packages_are_refused(tmp_path, member, content, message):
    draft = tmp_path / "evil.docm"  # not .docx: the OOXML fixture would judge it
    with zipfile.ZipFile(draft, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(member, content)
    result = run("import", draft)
    assert result.exit_code == 2
    assert f"error: {draft}: {message}" in result.output
    assert not (tmp_path / "evil.yaml").exists()


def test_not_a_word_document(tmp_path):
    draft = tmp_path / "notes.docm"
    draft.write_text("plain text", "utf-8")
    result = run("import", draft)
    assert (result.exit_code, result.output) == (
        2,
        f"error: {draft}: not a Word document (.docx)\n",
    )


def test_doc_saved_by_libreoffice_imports_the_same(tmp_path):
    source = tmp_path / "arial.docx"
    drafts.state_table(source)
    legacy = tmp_path / "legacy"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "doc",
            "--outdir",
            str(legacy),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    source.unlink()
    doc = legacy / "arial.doc"
    result = run("import", doc, "-o", tmp_path / "from-doc.yaml")
    assert result.exit_code == 0, result.output
    drafts.state_table(tmp_path / "arial.docx")
    assert run("import", tmp_path / "arial.docx").exit_code == 0
    assert load(tmp_path / "from-doc.yaml").data == load(tmp_path / "arial.yaml").data


def test_state_minutes_without_a_date_line_take_the_place_from_the_issuer(tmp_path):
    from conftest import DATA
    from notice_gen import render_file

    made, _ = render_file(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml", tmp_path, kind="bien-ban")
    result = run("import", made, "-o", tmp_path / "bien-ban.yaml")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "bien-ban.yaml").read_text("utf-8")
    data = load(tmp_path / "bien-ban.yaml").data
    assert data["meeting"]["secretary"] == {
        "name": "Lê Văn Nam",
        "position": "Chuyên viên Văn phòng Ủy ban nhân dân tỉnh",
    }
    assert (data["meeting"]["start"], data["meeting"]["end"]) == ("08:00", "10:30")
    assert "place: Lâm Đồng  # guessed: no date line" in text
