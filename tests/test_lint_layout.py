"""The layout rules of `notice-gen check` (lint/layout.py) on documents made by hand."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml import OxmlElement

from conftest import DATA
from notice_gen import render_file
from notice_gen.lint.check import check_file
from test_check import hand_made

LAYOUT_RULES = {"SYM-HYPHEN", "RECIP-COLON", "KEEP-CLOSE"}


def warnings(path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in check_file(path):
        if f.rule in LAYOUT_RULES:
            assert f.severity == "warning"
            out.setdefault(f.rule, []).append(f.message)
    return out


def as_typed_right(path, party: bool) -> None:
    """What a văn thư does in Word: Ctrl+Shift+- in the symbol, the colon not underlined,
    Keep with next on the last paragraph, rows that do not break across pages."""
    doc = Document(str(path))
    number = doc.tables[0].cell(1, 0).paragraphs[0]
    text = number.text
    run = number.runs[0]
    head, tail = text.split("-", 1)
    run.text = head
    run._r.append(OxmlElement("w:noBreakHyphen"))
    rest = OxmlElement("w:t")
    rest.text = tail
    run._r.append(rest)
    if party:
        label = doc.tables[1].cell(0, 0).paragraphs[0]
        label.runs[0].text = "Nơi nhận"
        colon = label.add_run(":")
        colon.font.size, colon.font.name = label.runs[0].font.size, label.runs[0].font.name
        colon.underline = False
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for row in doc.tables[1].rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.save(str(path))


@pytest.mark.parametrize("party", [False, True], ids=["nd30", "party-hd05"])
def test_a_document_typed_without_care_gets_the_layout_warnings(tmp_path, party):
    found = warnings(hand_made(tmp_path / "typed.docx", party))
    symbol = "05-TB/ĐU" if party else "05/TB-VP"
    assert found["SYM-HYPHEN"] == [
        f"the hyphen of the symbol '{symbol}' may break the line; use a non-breaking "
        "hyphen (Ctrl+Shift+-)"
    ]
    assert ("RECIP-COLON" in found) == party
    assert found["KEEP-CLOSE"] == [
        "the last paragraph of the text is not kept with the Nơi nhận and the signature "
        "(Keep with next): they may stand alone on the last page",
        "the Nơi nhận and signature table may break across pages (Allow row to break)",
    ]


@pytest.mark.parametrize("party", [False, True], ids=["nd30", "party-hd05"])
def test_the_same_document_typed_right_has_none(tmp_path, party):
    path = hand_made(tmp_path / "typed.docx", party)
    as_typed_right(path, party)
    assert warnings(path) == {}
    assert [str(f) for f in check_file(path) if f.severity == "error"] == []


def test_a_symbol_in_the_body_is_found(tmp_path):
    path = hand_made(tmp_path / "body.docx", False, body="Thực hiện Chỉ thị số 01-CT/TU.")
    assert any("'01-CT/TU'" in m for m in warnings(path)["SYM-HYPHEN"])


def test_minutes_rows_that_part(tmp_path):
    path, _ = render_file(DATA / "bien-ban-dang-uy-phuong.yaml", tmp_path)
    assert warnings(path) == {}
    doc = Document(str(path))
    doc.tables[1].cell(0, 1).paragraphs[-1].paragraph_format.keep_with_next = False
    doc.save(str(path))
    assert warnings(path) == {
        "KEEP-CLOSE": ["row 1 of the signature table is not kept with the next row"]
    }


def test_rendered_samples_have_no_layout_warnings(tmp_path):
    for record in sorted(DATA.glob("*.yaml")):
        path, _ = render_file(record, tmp_path)
        assert warnings(path) == {}, record.name
