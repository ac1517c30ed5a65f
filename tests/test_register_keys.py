"""The register keys of a record: the organisation file's `register:` block and `secret`,
merged through `extends`, checked against the rulebook with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA
from notice_gen import read_record
from notice_gen.errors import RecordError
from notice_gen.i18n import set_language
from notice_gen.register import Series, series_for


def party_record(tmp_path: Path, register: str, number: str = "42") -> Path:
    """The Party notice of data/, its organisation file given a `register:` block."""
    orgs = tmp_path / "orgs"
    orgs.mkdir()
    org = (DATA / "orgs" / "dang-uy-phuong-cam-ly.yaml").read_text("utf-8")
    (orgs / "dang-uy-phuong-cam-ly.yaml").write_text(org + register, "utf-8")
    text = (DATA / "thong-bao-ket-luan-dang-uy-phuong.yaml").read_text("utf-8")
    path = tmp_path / "tb.yaml"
    path.write_text(text.replace("number: 42", f"number: {number}"), "utf-8")
    return path


def messages(path: Path) -> list[str]:
    with pytest.raises(RecordError) as caught:
        read_record(path)
    return [str(p) for p in caught.value.problems]


def test_the_register_block_comes_through_extends_and_decides_the_series(tmp_path):
    path = party_record(tmp_path, "register:\n  term: 2025-2030\n", "auto")
    record = read_record(path)[0]
    assert record.number == "auto"
    assert series_for(record) == Series("ĐU", "2025-2030", "thong-bao-ket-luan")


def test_a_record_overrides_the_organisation_and_marks_itself_secret(tmp_path):
    state = tmp_path / "tb.yaml"
    text = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
    state.write_text(text + "secret: true\nregister: {series: per-kind, body: Hội đồng thi đua}\n")
    record = read_record(state)[0]
    assert series_for(record) == Series(
        record.issuer.code, "2026", "thong-bao-ket-luan", secret=True, body="Hội đồng thi đua"
    )


def test_what_the_party_rules_refuse_is_named_with_file_line_and_key(tmp_path):
    set_language("en")
    path = party_record(
        tmp_path, "register:\n  series: single\n  term: 2020-2025\n  secret: true\n  sekret: 1\n"
    )
    org = tmp_path / "orgs" / "dang-uy-phuong-cam-ly.yaml"
    found = messages(path)
    line = len(org.read_text("utf-8").splitlines())  # the last line: sekret
    assert f"{org}:{line}: register.sekret: unknown key; did you mean 'secret'?" in found
    assert (
        f"{org}:{line - 3}: register.series: party-hd05 numbers run per kind of document: "
        "remove series: single" in found
    )
    assert (
        f"{org}:{line - 2}: register.term: the term 2020-2025 does not hold a document of "
        "2026: write the current term (e.g. 2025-2030)" in found
    )
    assert (
        f"{org}:{line - 1}: register.secret: party-hd05: secret documents share the series "
        "of their kind (format-rules §8.1): remove secret: true here" in found
    )


def test_a_party_auto_number_needs_the_term_in_vietnamese(tmp_path):
    set_language("vi")
    try:
        found = messages(party_record(tmp_path, "", "auto"))
    finally:
        set_language("en")
    assert found == [
        f"{tmp_path / 'tb.yaml'}:6: number: party-hd05 đánh số theo nhiệm kỳ: thêm register.term "
        "(ví dụ 2025-2030) vào tệp cơ quan, hoặc ghi số bằng tay"
    ]


def test_a_term_backwards_and_a_secret_that_is_not_true_or_false(tmp_path):
    set_language("en")
    path = party_record(tmp_path, "register: {term: 2030-2025}\n")
    path.write_text(path.read_text("utf-8") + "secret: có\n", "utf-8")
    found = " | ".join(messages(path))
    assert "register.term: the first year of the term must come before the last" in found
    assert "secret: expected true or false" in found
