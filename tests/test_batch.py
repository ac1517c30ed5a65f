"""Batch rendering: many sources, one bad record never spoils the others, nothing lost."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from conftest import DATA
from helpers import cli, locale_env
from notice_gen import OutputError
from notice_gen.pipeline import batch as engine

BASE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run(*args):
    return cli("batch", *args)


def header_number(path: Path) -> str:
    return Document(str(path)).tables[0].cell(1, 0).paragraphs[0].text


def test_mixed_sheet_renders_the_good_rows_and_names_the_bad(tmp_path):
    sheet = write_csv(
        tmp_path / "units.csv",
        [
            ["number", "signer.name", "recipients", "date"],
            ["1", "Nguyễn Văn A", "Sở Tài chính; Sở Nội vụ", "2026-03-05"],
            ["abc", "Lê Văn C", "Sở Y tế", "2026-03-05"],
            ["3", "Trần Thị B", "Sở Y tế\nSở Giáo dục", "30/02/2026"],
            ["04", "Phạm D", "Sở Xây dựng", "2026-03-09"],
        ],
    )
    result = run(sheet, "--base", BASE, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 2
    assert f"error: {sheet}:3: number: expected a whole number" in result.output
    assert f"error: {sheet}:4: date: there is no such date as 30/02/2026" in result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.glob("*.docx")) == ["units-2.docx", "units-5.docx"]
    assert header_number(out / "units-2.docx") == "Số: 01/TB-VP"
    assert header_number(out / "units-5.docx") == "Số: 04/TB-VP"
    recipients = Document(str(out / "units-2.docx")).tables[-1].cell(0, 0)
    assert [p.text for p in recipients.paragraphs][1:3] == ["- Sở Tài chính;", "- Sở Nội vụ;"]
    rows = list(csv.DictReader((out / "manifest.csv").read_text("utf-8-sig").splitlines()))
    assert [(r["where"], r["status"]) for r in rows] == [
        ("row 2", "written"),
        ("row 3", "failed"),
        ("row 4", "failed"),
        ("row 5", "written"),
    ]
    assert rows[0]["sha256"] and "number" in rows[1]["error"]
    assert json.loads((out / "manifest.json").read_text("utf-8"))["documents"][3]["output"] == (
        "units-5.docx"
    )


def test_xlsx_types_are_converted_by_the_record_model(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["number", "date", "place", "subject", "signer.name"])
    sheet.append([7.0, datetime(2026, 3, 5), 5, 2.0, "Nguyễn Văn A"])
    sheet["C2"].number_format = "00"
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    result = run(path, "--base", BASE, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "out" / "sheet-2.docx"))
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 07/TB-VP"
    assert doc.tables[0].cell(1, 1).paragraphs[0].text == "05, ngày 05 tháng 3 năm 2026"
    assert "2" in [p.text for p in doc.paragraphs]  # the subject, not "2.0"


def test_same_input_same_bytes_and_a_rerun_changes_nothing(tmp_path):
    for out in ("a", "b"):
        assert run(DATA, "-o", tmp_path / out, "-j", "2").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "a").glob("*.docx"))
    assert len(names) == 7  # the organisation file in data/orgs is not a record
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = run(DATA, "-o", tmp_path / "a", "-j", "1")
    assert again.exit_code == 0 and "7 unchanged" in again.output


def test_a_document_edited_by_hand_is_kept_unless_forced(tmp_path):
    out = tmp_path / "out"
    assert run(DATA, "-o", out, "-j", "1").exit_code == 0
    edited = out / "thong-bao-ket-luan-ubnd-lam-dong.docx"
    doc = Document(str(edited))
    doc.add_paragraph("Ghi chú của văn thư")
    doc.save(str(edited))
    kept = edited.read_bytes()
    result = run(DATA, "-o", out, "-j", "1")
    assert result.exit_code == 1
    assert "was changed after notice-gen wrote it" in result.output and "1 kept" in result.output
    assert edited.read_bytes() == kept
    assert run(DATA, "-o", out, "-j", "1", "--force").exit_code == 0
    assert edited.read_bytes() != kept


def test_interrupted_batch_leaves_no_partial_file_and_resumes(tmp_path):
    sheet = write_csv(tmp_path / "many.csv", [["number"]] + [[str(n)] for n in range(1, 7)])
    jobs = engine.jobs_from([sheet], BASE)
    seen = []

    def interrupt(result):
        seen.append(result)
        if len(seen) == 2:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        engine.run(jobs, out, workers=1, progress=interrupt)
    assert sorted(p.name for p in out.glob("*.docx")) == ["many-2.docx", "many-3.docx"]
    assert not list(out.glob(".*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    assert [d["status"] for d in manifest] == ["written", "written"]
    results = engine.run(engine.jobs_from([sheet], BASE), out, workers=1, resume=True)
    assert [r.status for r in results] == ["skipped", "skipped"] + ["written"] * 4
    assert len(list(out.glob("*.docx"))) == 6


def test_name_pattern_and_collisions_refused_before_writing(tmp_path):
    sheet = write_csv(tmp_path / "s.csv", [["number", "issuer.code"], ["1", "VP"], ["2", "STC"]])
    out = tmp_path / "out"
    result = run(sheet, "--base", BASE, "-o", out, "--name", "{number}-{issuer.code}", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["1-VP.docx", "2-STC.docx"]
    clash = run(sheet, "--base", BASE, "-o", tmp_path / "clash", "--name", "{kind}", "-j", "1")
    assert clash.exit_code == 1 and "two records would write the same document" in clash.output
    assert not list((tmp_path / "clash").glob("*.docx"))
    with pytest.raises(OutputError):
        jobs = engine.jobs_from([sheet], BASE)
        engine.run(jobs, tmp_path / "clash2", workers=1, pattern="{profile}")


def test_multi_record_yaml_with_defaults(tmp_path):
    source = tmp_path / "hoi-nghi.yaml"
    defaults = "\n".join("  " + line for line in BASE.read_text("utf-8").splitlines())
    source.write_text(
        "defaults:\n" + defaults + "\nrecords:\n"
        "  - {number: 11, signer: {name: Trần Văn X}}\n"
        "  - {number: 12, date: 2026-02-30}\n"
        "  - {number: 13}\n",
        "utf-8",
    )
    result = run(source, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 2
    line = len(source.read_text("utf-8").splitlines()) - 1
    assert f"error: {source}:{line}: date: there is no such date as 2026-02-30" in result.output
    assert header_number(tmp_path / "out" / "hoi-nghi-1.docx") == "Số: 11/TB-VP"
    assert header_number(tmp_path / "out" / "hoi-nghi-3.docx") == "Số: 13/TB-VP"


def test_parallel_workers_give_the_same_documents(tmp_path):
    sheet = write_csv(tmp_path / "p.csv", [["number"]] + [[str(n)] for n in range(1, 13)])
    assert run(sheet, "--base", BASE, "-o", tmp_path / "one", "-j", "1").exit_code == 0
    assert run(sheet, "--base", BASE, "-o", tmp_path / "two", "-j", "2").exit_code == 0
    for path in (tmp_path / "one").glob("*.docx"):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


def test_a_huge_file_in_a_folder_is_refused_without_being_read_whole(tmp_path):
    folder = tmp_path / "ho-so"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(BASE.read_bytes())
    with open(folder / "khong-lo.yaml", "wb") as handle:
        handle.truncate(3 * 2**30)  # 3 GB of nothing, taking no disk
    command = f'"{sys.executable}" -m notice_gen batch "{folder}" -o "{tmp_path / "out"}" -j 1'
    result = subprocess.run(  # with 1.5 GB of memory: reading the file whole would fail
        ["bash", "-c", f"ulimit -v 1500000; {command}"],
        capture_output=True,
        text=True,
        env=locale_env(),
    )
    assert "khong-lo.yaml: the file is 3145728 KB; a record may have 2048 KB at most" in (
        result.stderr
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert header_number(tmp_path / "out" / "a.docx").startswith("Số: 05/")
