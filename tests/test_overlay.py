"""A sheet's rows over `--base`: the base is validated once, and each row only for what
its cells change. Whatever the cells, a row gives the record, the warnings or the
errors that validating the whole merged record gives."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from notice_gen.errors import RecordError
from notice_gen.pipeline.sheets import sheet_row
from notice_gen.record.load import Source, load, merge, overlay, select_kind
from notice_gen.record.validate import validate
from notice_gen.rules.profiles import KINDS

SAMPLE = DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml"
COLUMNS = [
    "number",
    "signer.name",
    "signer.authority",
    "signer.position",
    "recipients",
    "archive",
    "subject",
    "date",
    "year",
    "kind",
    "profile",
    "tone_marks",
    "historical",
    "issuer.code",
    "issuer.name",
    "meeting.date",
    "giay-moi.number",
    "intro",
    "closing",
    "extends",
    "colour",
]
CELLS = [
    "7",
    "0",
    "auto",
    "abc",
    "Nguyễn Văn A",
    "PHÓ BÍ THƯ",
    "phó bí thư",
    "KT. BÍ THƯ",
    "KT",
    "Đơn vị số 1; Sở Tài chính",
    "Lưu: VT, TH",
    "Văn phòng Tỉnh ủy",
    "- Lưu VP.",
    ";;",
    "10/06/2014",
    "2014-02-30",
    "2014",
    "2015",
    "1900",
    "thong-bao-ket-luan",
    "giay-moi",
    "nd30",
    "party-hd05",
    "modern",
    "true",
    "TU",
    "tu",
    "hoà thuỷ",
    "Th«ng b¸o kÕt luËn",
    "a\u00a0b\u200b",
    "**đậm** và *nghiêng",
    "1. Đánh giá cao",
    "",
]
PLAUSIBLE = {  # cells a clerk would type in each column, mostly valid
    "number": ["7", "auto", "12"],
    "signer.name": ["Nguyễn Văn A", "Trần Thị **B**", "Lê  Văn\u00a0C"],
    "signer.authority": ["KT", "KT.", "TM. BAN THƯỜNG VỤ"],
    "signer.position": ["PHÓ BÍ THƯ", "BÍ THƯ TỈNH ỦY"],
    "recipients": ["Đơn vị số 1; Sở Tài chính", "Như trên; Lưu: VT", "Sở Nội vụ", ";;"],
    "kind": ["giay-moi", "bien-ban", "thong-bao-ket-luan"],
    "archive": ["Văn phòng Tỉnh ủy", "Lưu VP", "VT, TH"],
    "subject": ["về công tác dân vận", "Về công tác *dân vận"],
    "date": ["10/06/2014", "2014-06-10", "01/01/2021"],
    "year": ["2014", "2021"],
    "tone_marks": ["modern", "keep"],
    "historical": ["true", "false"],
    "issuer.code": ["TU", "HU"],
    "issuer.name": ["TỈNH ỦY", "HUYỆN ỦY; TUY PHONG"],
    "meeting.date": ["05/06/2014"],
    "intro": ["Ngày 05/6/2014, đồng chí **An** có buổi làm việc."],
    "closing": ["Thường trực Tỉnh ủy thông báo."],
}
row = st.dictionaries(st.sampled_from(COLUMNS), st.sampled_from(CELLS), max_size=5) | st.lists(
    st.sampled_from(sorted(PLAUSIBLE)).flatmap(
        lambda column: st.tuples(st.just(column), st.sampled_from(PLAUSIBLE[column]))
    ),
    max_size=4,
).map(dict)
counter = itertools.count()
FUZZ = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def outcome(source: Source) -> tuple:
    try:
        record, warnings = validate(source)
    except RecordError as exc:
        return ("refused", str(exc))
    return ("valid", record, record.model_fields_set, [str(w) for w in warnings])


def row_source(sheet: Path, base: Path, cells: dict[str, str]) -> tuple[Source, Source]:
    """The row as a batch reads it, over its base: (the whole merged, the overlay)."""
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(list(cells))
        out.writerow(list(cells.values()))
    row = sheet_row(sheet, 2, base)
    positions = {k: (Path(f), n) for k, (f, n) in row.positions.items()}
    over = Source(sheet, row.data, positions)
    under = load(Path(row.base)) if row.base else load(base)
    whole = select_kind(merge(under, over), None, KINDS)
    return whole, select_kind(overlay(under, over), None, KINDS)


@FUZZ
@given(cells=row)
def test_a_row_over_its_base_reads_as_the_whole_merged_record(cells, tmp_path):
    if "extends" in cells:
        cells["extends"] = str(SAMPLE)
    sheet = tmp_path / f"rows-{next(counter)}.csv"
    whole, over = row_source(sheet, SAMPLE, cells)
    assert whole.layers is None
    assert outcome(over) == outcome(whole)


def test_the_bench_rows_take_the_overlay_and_read_as_the_whole(tmp_path):
    cells = {"number": "12", "signer.name": "Nguyễn Văn 12", "recipients": "Đơn vị số 12; Sở"}
    whole, over = row_source(tmp_path / "rows.csv", SAMPLE, cells)
    assert over.layers is not None
    valid, record, fields, warnings = outcome(over)
    assert valid == "valid" and record.number == 12 and record.signer.name == "Nguyễn Văn 12"
    assert record.recipients == ["Đơn vị số 12", "Sở"]
    assert (valid, record, fields, warnings) == outcome(whole)
    assert any("applies from" in w for w in warnings)  # the base's own warning, kept


def test_a_base_with_a_block_per_kind_is_read_whole(tmp_path):
    base = tmp_path / "base.yaml"
    text = SAMPLE.read_text("utf-8")
    base.write_text(text + "thong-bao-ket-luan:\n  number: 5\n", "utf-8")
    whole, over = row_source(tmp_path / "rows.csv", base, {"number": "12"})
    assert over.layers is None  # the kind's block wins over the row: no overlay
    assert outcome(over) == outcome(whole)
    assert outcome(over)[1].number == 5
