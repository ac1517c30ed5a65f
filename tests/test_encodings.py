"""Records and documents typed with the legacy TCVN3 and VNI fonts."""

from __future__ import annotations

from click.testing import CliRunner
from docx import Document

from conftest import DATA, RECORDS
from legacy import to_tcvn3
from notice_gen import read_record, render_file
from notice_gen.cli import main
from notice_gen.lint.check import check_file

BEN_TRE = RECORDS / "clerk-ben-tre-2021.yaml"
STATE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def test_a_record_pasted_from_a_tcvn3_document_is_converted_field_by_field(tmp_path):
    record = tmp_path / "tcvn3.yaml"
    record.write_text(to_tcvn3(BEN_TRE.read_text("utf-8")).decode("latin-1"), "utf-8")
    assert "place: BÕn Tre" in record.read_text("utf-8")  # a short field, alone undecidable
    converted, warnings = read_record(record)
    assert converted.place == "Bến Tre"
    assert converted.signer.name == "Nguyễn Văn B"
    assert converted.recipients[1] == "UBND các huyện: Ba Tri, Giồng Trôm, Mỏ Cày Nam"
    assert f"{record}:5: place: converted from TCVN3 (.VnTime) to Unicode" in map(str, warnings)


def test_a_short_tcvn3_word_in_a_unicode_record_is_converted(tmp_path):
    record = tmp_path / "ha-noi.yaml"
    record.write_text(STATE.read_text("utf-8").replace("place: Lâm Đồng", "place: Hµ Néi"), "utf-8")
    out, warnings = render_file(record, tmp_path / "out")
    date_line = Document(str(out)).tables[0].cell(1, 1).paragraphs[0].text
    assert date_line.startswith("Hà Nội, ngày")
    assert any(
        str(w).endswith("place: converted from TCVN3 (.VnTime) to Unicode") for w in warnings
    )


def test_convert_reads_a_raw_8_bit_tcvn3_file(tmp_path):
    record = tmp_path / "cu.yaml"
    raw = to_tcvn3(BEN_TRE.read_text("utf-8"))
    record.write_bytes(raw)
    result = CliRunner().invoke(main, ["convert", str(record)])
    assert result.exit_code == 0, result.output
    assert record.read_text("utf-8") == BEN_TRE.read_text("utf-8")
    assert (tmp_path / "cu.yaml.bak").read_bytes() == raw


def test_check_flags_a_short_tcvn3_word_in_a_unicode_document(tmp_path):
    out, _ = render_file(STATE, tmp_path / "out")
    document = Document(str(out))
    cell = document.tables[0].cell(1, 1).paragraphs[0]
    cell.runs[0].text = cell.runs[0].text.replace("Lâm Đồng", "Hµ Néi")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    findings = [f for f in check_file(edited) if f.rule == "UNICODE"]
    assert [f.message for f in findings] == [
        "text looks like TCVN3 code points (notice-gen convert turns it into Unicode)"
    ]
