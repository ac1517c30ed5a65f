"""`batch --check-all`: after the first document of a template, each document's values
are judged (lint/values.py) instead of re-reading its .docx, by the same rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import cli
from notice_gen.lint.check import check_bytes
from notice_gen.lint.values import check_values
from notice_gen.pipeline import compose
from notice_gen.pipeline.document import read_record, render_values

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLES = sorted(DATA.glob("*.yaml"))
KINDS = ("thong-bao-ket-luan", "giay-moi", "bien-ban")


def rendered(path: Path, kind: str | None = None) -> tuple[list[str], list[str], list[str]]:
    """The rule ids of the errors of the full lint and of the value check, and the
    value check's messages."""
    record, _warnings = read_record(path, kind)
    data, values = render_values(record)
    full = [f.rule for f in check_bytes(data, "x.docx", record.profile) if f.severity == "error"]
    cheap = check_values(values, record.rules, "x.docx")
    return full, [f.rule for f in cheap], [f.message for f in cheap]


CASES = [(path, None) for path in SAMPLES] + [  # and the records that carry every kind
    (DATA / f"thong-bao-ket-luan-{office}.yaml", kind)
    for office in ("ubnd-lam-dong", "dang-uy-phuong")
    for kind in KINDS
]


@pytest.mark.parametrize(("path", "kind"), CASES, ids=[f"{p.stem}-{k}" for p, k in CASES])
def test_the_samples_give_no_finding(path: Path, kind: str | None) -> None:
    full, cheap, _messages = rendered(path, kind)
    assert (full, cheap) == ([], [])


def test_an_unpadded_number_is_caught_as_the_full_lint_catches_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compose, "number_line", lambda record: "Số: 5/TB-VP")
    full, cheap, messages = rendered(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml")
    assert "NUM" in full
    assert cheap == ["NUM"]
    assert "'Số: 5/TB-VP' does not follow" in messages[0]


def test_a_comma_between_state_recipients_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["- Chủ tịch UBND tỉnh,", "- Sở Xây dựng;", "- Lưu: VT, KT."]
    monkeypatch.setattr(compose, "recipient_lines", lambda record: lines)
    full, cheap, messages = rendered(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml")
    assert full == cheap == ["RECIP"]
    assert messages == ["this recipient should end with ';' under nd30; add it"]


def test_a_party_archive_line_with_a_colon_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["- Các chi bộ;", "- Lưu: Văn phòng."]
    monkeypatch.setattr(compose, "recipient_lines", lambda record: lines)
    path = DATA / "thong-bao-ket-luan-dang-uy-phuong.yaml"
    record, _warnings = read_record(path)
    assert record.profile == "party-hd05"
    full, cheap, messages = rendered(path)
    assert full == cheap == ["RECIP"]
    assert messages == ["the last line should read '- Lưu <body>.' (no colon, no VT); correct it"]


def test_a_signer_of_the_other_regime_and_lower_case_lines_are_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signer = {"authority_line": "T/M ỦY BAN NHÂN DÂN", "position": "Chủ tịch", "name": "A"}
    monkeypatch.setattr(compose, "signer_lines", lambda record: signer)
    full, cheap, messages = rendered(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml")
    assert sorted(full) == sorted(cheap) == ["SIGN", "SIGN"]
    assert messages == [
        "'T/M' belongs to the other regime; use TM., KT., TL., TUQ., Q.",
        "write the authority and position lines in capitals",
    ]


def test_a_line_too_short_under_the_issuer_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    lengths = compose.rule_lengths
    monkeypatch.setattr(
        compose, "rule_lengths", lambda record, lines: {**lengths(record, lines), "issuer": 200}
    )
    full, cheap, messages = rendered(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml")
    assert full == cheap == ["HDR-ORG"]
    assert messages[0].startswith("line under the issuing body is 4 mm; expected 1/3–1/2")


def test_batch_check_all_stops_a_document_whose_values_break_a_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first document is linted in full and passes; the second, checked by its
    values only, is refused with the rule the full linter names."""
    text = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
    for n in (1, 2):
        (tmp_path / f"r{n}.yaml").write_text(text.replace("number: 5", f"number: {n}"), "utf-8")
    numbers = compose.number_line
    monkeypatch.setattr(
        compose,
        "number_line",
        lambda record: "Số: 2/TB-VP" if record.number == 2 else numbers(record),
    )
    out = tmp_path / "out"
    result = cli(
        "batch", tmp_path / "r1.yaml", tmp_path / "r2.yaml", "-o", out, "-j", "1", "--check-all"
    )
    assert result.exit_code == 1, result.output
    assert (out / "r1.docx").exists() and not (out / "r2.docx").exists()
    assert "NUM: 'Số: 2/TB-VP' does not follow" in result.output


def test_batch_check_full_and_check_all_pass_clean_records(tmp_path: Path) -> None:
    text = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
    for n in (1, 2, 3):
        (tmp_path / f"r{n}.yaml").write_text(text.replace("number: 5", f"number: {n}"), "utf-8")
    records = [tmp_path / f"r{n}.yaml" for n in (1, 2, 3)]
    for option in ("--check-all", "--check-full"):
        out = tmp_path / option.strip("-")
        result = cli("batch", *records, "-o", out, "-j", "1", option)
        assert result.exit_code == 0, result.output
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert manifest
        assert sorted(p.name for p in out.glob("*.docx")) == ["r1.docx", "r2.docx", "r3.docx"]
