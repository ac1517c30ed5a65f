"""`batch` tells each record's warnings as `render` does, and the manifests keep them."""

from __future__ import annotations

import csv
import io
import json

from conftest import DATA
from helpers import cli

BASE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
SHEET = (
    "number,date,signer.name,intro\n"
    "12,19/02/2021,Nguyễn Thị Hoa,Giao *Sở Tài chính chủ trì.\n"
    "13,22/2/2021,Trần Văn Đức,Giao Sở Nội vụ chủ trì.\n"
)
ASTERISK = (
    "intro[0]: an asterisk without its pair is printed as it is: *nghiêng* and **đậm** "
    "need both, and \\* prints an asterisk"
)


def test_batch_prints_each_records_warnings_with_its_source_and_row(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "units.csv").write_text(SHEET, "utf-8")
    result = cli("batch", "units.csv", "--base", BASE, "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"warning: units.csv:2: {ASTERISK}" in result.stderr.splitlines()
    assert "units.csv:3:" not in result.stderr
    text = (tmp_path / "out" / "manifest.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["warnings"] for r in rows] == [f"units.csv:2: {ASTERISK}", ""]
    documents = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))["documents"]
    assert [d["warnings"] for d in documents] == [[f"units.csv:2: {ASTERISK}"], []]


def test_a_warnings_cell_never_starts_a_formula(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "=1+1.csv").write_text(SHEET, "utf-8")
    result = cli("batch", "=1+1.csv", "--base", BASE, "-o", "out", "-j", "2")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "manifest.csv").read_text("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["warnings"] == f"'=1+1.csv:2: {ASTERISK}"


def test_a_record_numbered_by_the_register_keeps_its_warnings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NOTICE_GEN_REGISTER", raising=False)
    text = BASE.read_text("utf-8").replace("number: 5", "number: auto")
    intro = "intro: Giao *Sở Tài chính chủ trì.\n"
    text = text.replace("place: Lâm Đồng\n", f"place: Lâm Đồng\n{intro}")
    (tmp_path / "ho-so").mkdir()
    (tmp_path / "ho-so" / "a.yaml").write_text(text, "utf-8")
    result = cli("batch", "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"warning: ho-so/a.yaml:12: {ASTERISK}" in result.stderr.splitlines()
    assert "number: 1\n" in (tmp_path / "ho-so" / "a.yaml").read_text("utf-8")
