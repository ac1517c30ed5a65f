"""Records typed by a clerk from the real reports of shared/examples (copied into
tests/records/trial/), with the traps clerks fall into: each renders right, and each
trap is told with its file, line and key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from docx import Document

from conftest import RECORDS
from helpers import body_paragraphs
from notice_gen import RecordError, read_record, render_file

TRIAL = RECORDS / "trial"


def rendered(tmp_path: Path, record: Path) -> tuple[list[str], list[str], Document]:
    out, warnings = render_file(record, tmp_path / "out")
    document = Document(str(out))
    return [p.text for p in body_paragraphs(document)], [str(w) for w in warnings], document


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "thong-bao.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RecordError) as exc:
        read_record(path)
    return [str(p) for p in exc.value.problems]


def test_a_typed_label_on_a_line_with_a_colon_is_not_doubled(tmp_path):
    body, warnings, _ = rendered(tmp_path, TRIAL / "ben-tre.yaml")
    assert body[2] == (
        "2. Về chủ trương “nắm”: đây là chủ trương đúng, cần tiếp tục triển khai, phát huy "
        "những mặt đạt được, rút kinh nghiệm những hạn chế, đưa chủ trương đi vào chiều sâu, "
        "có hiệu quả hơn."
    )
    assert body[4].startswith("4. Về Chỉ thị số 01-CT/TU: năm 2021 tập trung")
    assert not [line for line in body if line.startswith(("2. 2.", "4. 4."))]
    record = TRIAL / "ben-tre.yaml"
    assert f"{record}:28: conclusions[1]: the point starts with its own label 2.: " \
        "it is taken as the label" in warnings  # fmt: skip


def test_a_point_ending_with_a_colon_over_indented_sub_points(tmp_path):
    body, warnings, _ = rendered(tmp_path, TRIAL / "ha-tinh.yaml")
    start = body.index("3. Các địa phương, đơn vị:")
    assert body[start + 1].startswith("a) Quyết tâm cao, tăng tốc")
    assert body[start + 2].startswith("b) Tiếp tục thực hiện phong trào")
    assert body[start + 3].startswith("c) Thực hiện Nghị quyết 42/NQ-CP")
    assert body[start + 4].startswith("4. Về đại hội Đảng cơ sở: tổ chức")
    record = TRIAL / "ha-tinh.yaml"
    assert f"{record}:27: conclusions[2]: read as a point with its sub-points: " \
        "Các địa phương, đơn vị:" in warnings  # fmt: skip
    assert (
        f"{record}:26: conclusions[1]: this line looks like a list item but is read as part "
        "of the text above (- Rà soát, điều chỉnh lại các kế hoạch phù hợp, không thay đổi "
        "mốc thời gian.): to make it a point of its own, put its '-' under the '-' of the "
        "point above; to make it a sub-point, write it under 'points:'"
    ) in warnings


def test_authority_typed_with_its_body_on_one_line(tmp_path):
    _, warnings, document = rendered(tmp_path, TRIAL / "cum-7-tinh.yaml")
    signature = [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text]
    assert signature == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Hùng"]
    record = TRIAL / "cum-7-tinh.yaml"
    assert f"{record}:32: signer.authority: read as authority: KT. and on_behalf_of: " \
        "TRƯỞNG BAN" in warnings  # fmt: skip


def test_a_value_with_two_commas_inside_braces_is_told_once_with_the_right_fix(tmp_path):
    _, warnings, _ = rendered(tmp_path, TRIAL / "cum-7-tinh.yaml")
    chair = [w for w in warnings if "meeting.chair" in w]
    assert chair == [
        f"{TRIAL / 'cum-7-tinh.yaml'}:15: meeting.chair.position: read as position: "
        "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh Bắc Giang, "
        "Cụm trưởng (inside { } a comma separates keys; to say so, put the value in quotes: "
        'chair: {name: Bùi Văn Hạnh, position: "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch '
        'Thường trực UBND tỉnh Bắc Giang, Cụm trưởng"})'
    ]


def test_a_list_where_one_text_is_expected_shows_the_text_in_quotes(tmp_path):
    found = problems(
        tmp_path,
        """\
        kind: thong-bao-ket-luan
        profile: nd30
        issuer: {name: VĂN PHÒNG, code: VP}
        place: Lâm Đồng
        date: 09/03/2026
        subject: Kết luận của Chánh Văn phòng
        meeting:
          with: [Thường trực Huyện ủy, UBND huyện]
        conclusions: [Giao Sở Tài chính chủ trì.]
        recipients: [Các sở]
        archive: VT
        signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}
        """,
    )
    assert found == [
        f"{tmp_path / 'thong-bao.yaml'}:8: meeting.with: expected one text, not a list: "
        "inside [ ] a comma separates items; if the commas belong to the text, put it in "
        'quotes: with: "Thường trực Huyện ủy, UBND huyện"'
    ]


def test_the_storage_line_typed_as_the_last_recipient_is_the_archive(tmp_path):
    _, warnings, document = rendered(tmp_path, TRIAL / "cum-6-binh-thuan.yaml")
    recipients = [p.text for p in document.tables[-1].cell(0, 0).paragraphs if p.text]
    assert recipients[-2:] == [
        "- Ban Thường vụ các huyện ủy, thị ủy: Hàm Thuận Nam, Hàm Thuận Bắc, Bắc Bình, La\u00a0Gi,",
        "- Lưu Ban Tuyên giáo Tỉnh ủy.",
    ]
    assert f"{TRIAL / 'cum-6-binh-thuan.yaml'}:30: recipients[2]: the last recipient is the " \
        "storage line: read as archive: Ban Tuyên giáo Tỉnh ủy" in warnings  # fmt: skip


def test_a_party_storage_line_with_vt_in_the_recipients_is_refused_at_its_line(tmp_path):
    text = (TRIAL / "cum-6-binh-thuan.yaml").read_text("utf-8")
    found = problems(tmp_path, text.replace("  - Lưu Ban Tuyên giáo Tỉnh ủy.", "  - Lưu: VT"))
    assert found == [
        f"{tmp_path / 'thong-bao.yaml'}:30: archive: the Party storage line has no colon and no "
        "VT (format-rules §10); write archive: Văn phòng Tỉnh ủy (printed - Lưu Văn phòng Tỉnh ủy.)"
    ]


def test_a_point_whose_text_goes_on_below_its_colon(tmp_path):
    body, _, _ = rendered(tmp_path, TRIAL / "cum-6-binh-thuan.yaml")
    assert body[2] == (
        "2. Đề nghị các đơn vị: tiếp tục quán triệt sâu kỹ Chỉ thị 34-CT/TU của Ban Thường vụ "
        "Tỉnh ủy để nâng cao nhận thức của các cấp ủy."
    )
    signature = [p.text for p in document_signature(tmp_path)]
    assert signature == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Phạm Ngọc Long"]


def document_signature(tmp_path: Path) -> list:
    _, _, document = rendered(tmp_path / "again", TRIAL / "cum-6-binh-thuan.yaml")
    return [p for p in document.tables[-1].cell(0, 1).paragraphs if p.text]


def test_italic_titles_and_typed_sub_labels_of_the_2014_notice(tmp_path):
    body, _, document = rendered(tmp_path, TRIAL / "tuy-phong-2014.yaml")
    point = next(p for p in body_paragraphs(document) if p.text.startswith("2.1- Tập trung"))
    italic = [r.text for r in point.runs if r.italic]
    assert italic == [
        "Nâng cao chất lượng sinh hoạt chi bộ",
        "Một số vấn đề cấp bách về xây dựng Đảng hiện nay",
    ]
    assert "“Nâng cao chất lượng sinh hoạt chi bộ”" in point.text and "*" not in point.text
    labels = [line[:5] for line in body if line[:1] == "2"]
    assert labels == ["2. Th", "2.1- ", "2.2- ", "2.3- ", "2.4- "]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "meeting:\n  date: 28/4/2020\n\tstart: 14h00\n",
            ":4: meeting.start: not valid YAML: a tab character; YAML indents with spaces only",
        ),
        (
            'conclusions:\n  - Một.\n  - "Hai "Ba" bốn"\n',
            ":4: conclusions[1]: not valid YAML: a quote inside quotes ends the text early; "
            "put the text in the other kind of quotes, or use “ ”",
        ),
        (
            "signer:\n  authority: K/T\n  position: PHÓ TRƯỞNG BAN\n   name: Phạm Ngọc Long\n",
            ":5: signer.name: not valid YAML: the indentation does not match the lines above; "
            "line up keys of the same level",
        ),
    ],
)
def test_a_syntax_error_names_the_whole_key_path(tmp_path, text, first):
    path = tmp_path / "thong-bao.yaml"
    path.write_text("kind: thong-bao-ket-luan\n" + text, encoding="utf-8")
    message = problems(tmp_path, path.read_text("utf-8"))[0].split("\n")
    assert message[0] == f"{path}{first}"
    if "name:" in text:
        assert message[-1] == "      name: Phạm Ngọc Long"  # lined up with position:


def test_a_long_line_is_shown_around_the_caret(tmp_path):
    record = (TRIAL / "tuy-phong-2014.yaml").read_text("utf-8")
    record = record.replace('intro: "Ngày', "intro: Ngày").replace('kết luận:"\n', "kết luận:\n")
    message = problems(tmp_path, record)[0].split("\n")
    assert message[0] == (
        f"{tmp_path / 'thong-bao.yaml'}:13: intro: not valid YAML: a ':' ending the line of "
        "a value is read as a new key; put the value in quotes"
    )
    shown, caret = message[1], message[2]
    assert shown.startswith("    …") and shown.endswith("đồng chí Phó Bí thư Tỉnh ủy đã kết luận:")
    assert len(shown) <= 106 and caret == " " * (len(shown) - 1) + "^"


def test_an_invitation_with_its_notes_written_as_one_text(tmp_path):
    body, _, _ = rendered(tmp_path, TRIAL / "giay-moi-ben-tre.yaml")
    assert body[-1] == (
        "Đề nghị các đồng chí sắp xếp thời gian đến dự đúng giờ. Liên hệ: đồng chí Lan, "
        "Văn phòng Tỉnh ủy, điện thoại 0275.3822.xxx"
    )
    assert "Thời gian: 13 giờ 30, thứ Tư, ngày 17/02/2021." in body


def test_a_missing_storage_line_shows_the_profile_s_form(tmp_path):
    text = (TRIAL / "bien-ban-ben-tre.yaml").read_text("utf-8")
    found = problems(tmp_path, text.replace("archive: Văn phòng Tỉnh ủy\n", ""))
    assert found == [
        f"{tmp_path / 'thong-bao.yaml'}: archive: required key is missing: the storage line, "
        "such as archive: Văn phòng Tỉnh ủy"
    ]


@pytest.mark.parametrize(
    ("kind", "profile", "first"),
    [
        ("giay-moi", "nd30", "# Giấy mời của cơ quan nhà nước (Nghị định 30/2020/NĐ-CP)."),
        ("bien-ban", "party-hd36", "# Biên bản của cơ quan Đảng (Hướng dẫn 05-HD/VPTW năm 2026;"),
    ],
)
def test_the_starter_says_which_document_it_starts(kind, profile, first):
    from notice_gen.record.starters import starter_text

    text = starter_text(kind, profile)
    assert text.split("\n")[0].startswith(first)
    assert f"kind: {kind}".ljust(32) + "# loại văn bản" in text
