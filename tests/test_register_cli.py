"""`notice-gen register`: what a văn thư types, and what she reads back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from helpers import cli
from notice_gen.register import Entry, Series, open_register

VP = Series("VP", "2026", "*")
TU = Series("TU", "2025-2030", "thong-bao-ket-luan")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A register with three documents of 2026 and one Party one."""
    path = tmp_path / "so.sqlite"
    with open_register(path) as register:
        for i, subject in enumerate(["Kết luận giao ban", "Mời họp", "Kết luận về đất đai"]):
            n = register.reserve(VP, f"{i}.yaml", "thong-bao-ket-luan")
            register.confirm(Entry(VP, n, f"{n:02d}/TB-VP", date(2026, 3, n),
                                   "thong-bao-ket-luan", subject, source=f"{i}.yaml"))  # fmt: skip
        n = register.reserve(TU, "tu.yaml", "thong-bao-ket-luan")
        register.confirm(Entry(TU, n, "01-TB/TU", date(2027, 1, 5), "thong-bao-ket-luan",
                               "về công tác cán bộ", source="tu.yaml"))  # fmt: skip
    return path


def run(*args: str, env: dict[str, str] | None = None):
    return cli("register", *args, env=env)


def test_list_as_table_csv_and_json(book):
    table = run("list", "--year", "2026", "--register", str(book))
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert len(lines) == 4 and lines[1].startswith("01/TB-VP  01/03/2026  ")
    assert lines[3].endswith("Kết luận về đất đai")
    rows = list(csv.DictReader(io.StringIO(run("list", "--format", "csv", "--register",
                                               str(book)).output)))  # fmt: skip
    assert [(r["symbol"], r["scope"]) for r in rows] == [
        ("01/TB-VP", "2026"), ("02/TB-VP", "2026"), ("03/TB-VP", "2026"), ("01-TB/TU", "2025-2030")
    ]  # fmt: skip
    data = json.loads(run("list", "--year", "2027", "--format", "json", "--register",
                          str(book)).output)  # fmt: skip
    assert [(d["symbol"], d["subject"], d["status"]) for d in data] == [
        ("01-TB/TU", "về công tác cán bộ", "issued")
    ]


def test_the_register_comes_from_the_environment(book):
    result = run("list", "--format", "json", env={"NOTICE_GEN_REGISTER": str(book)})
    assert len(json.loads(result.output)) == 4


def test_void_needs_the_series_when_two_could_hold_the_number(book):
    result = run("void", "1", "--reason", "ký nhầm", "--register", str(book))
    assert result.exit_code == 1
    assert "matching series: TU 2025-2030 thong-bao-ket-luan; VP 2026" in result.output
    done = run("void", "2", "--reason", "ký nhầm", "--issuer", "VP", "--register", str(book))
    assert done.exit_code == 0 and "Number 02 of series VP 2026 is cancelled." in done.output
    again = run("void", "2", "--reason", "x", "--year", "2026", "--register", str(book))
    assert again.exit_code == 1
    assert "error: number 02 of series VP 2026 is already cancelled: ký nhầm" in again.output
    with open_register(book) as register:
        assert register.reserve(VP, "moi.yaml", "thong-bao-ket-luan") == 4


def test_export_prints_the_book_of_the_year(book, tmp_path):
    out = tmp_path / "so-van-ban-di-2026.docx"
    result = run("export", "--year", "2026", "-o", str(out), "--register", str(book))
    assert result.exit_code == 0, result.output
    [table] = Document(str(out)).tables
    assert [row.cells[0].text for row in table.rows[1:]] == ["01/TB-VP", "02/TB-VP", "03/TB-VP"]
    refused = run("export", "--year", "2026", "-o", str(out), "--register", str(book))
    assert refused.exit_code == 1 and "exists; add --force to replace it" in refused.output


def test_backup_makes_a_copy_that_opens_as_a_register(book, tmp_path):
    copy = tmp_path / "sao-luu.sqlite"
    assert run("backup", "-o", str(copy), "--register", str(book)).exit_code == 0
    with open_register(copy) as register:
        assert len(register.entries()) == 4


def test_errors_in_vietnamese_without_a_traceback(book, tmp_path):
    env = {**os.environ, "LANG": "vi_VN.UTF-8", "LANGUAGE": "vi"}
    args = [sys.executable, "-m", "notice_gen", "register", "void", "7", "--reason", "x",
            "--register", str(tmp_path / "khong-co" / "so.sqlite")]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr == (
        f"lỗi: không dùng được sổ đăng ký {tmp_path}/khong-co/so.sqlite: "
        f"không có thư mục {tmp_path}/khong-co\n"
    )
