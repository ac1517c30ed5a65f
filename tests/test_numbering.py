"""A văn thư's day with `number: auto`: numbers from the register (SQLite and PostgreSQL)
given when documents are written by `render` and `batch`, read back from the .docx."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import DATA
from helpers import cli
from notice_gen.docx.template import builtin_templates
from notice_gen.register import open_register

pytest_plugins = ("register_fixtures",)

STATE = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
PARTY = (DATA / "thong-bao-ket-luan-dang-uy-phuong.yaml").read_text("utf-8")
PARTY_ORG = (DATA / "orgs" / "dang-uy-phuong-cam-ly.yaml").read_text("utf-8")


@pytest.fixture(autouse=True)
def _working_folder(tmp_path, monkeypatch):
    """Each test works in its own folder, where the default register would be."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NOTICE_GEN_REGISTER", raising=False)


def state(path: Path, day: str = "2026-02-03", subject: str = "", number: str = "auto") -> Path:
    """The State notice of data/ as `path`, dated `day`, its number `number`."""
    text = STATE.replace("number: 5", f"number: {number}  # số do sổ đăng ký cấp")
    text = text.replace("date: 2026-02-03", f"date: {day}")
    if subject:
        text = re.sub(r"subject: >-\n(  .*\n)+", f"subject: {subject}\n", text, count=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def number_line(docx: Path) -> str:
    """The `Số: …` line of a rendered document, as a reader sees it."""
    for paragraph in Document(str(docx)).element.body.iter(qn("w:p")):
        text = "".join(
            "-" if node.tag == qn("w:noBreakHyphen") else node.text or ""
            for node in paragraph.iter(qn("w:t"), qn("w:noBreakHyphen"))
        )  # Word shows a non-breaking hyphen as "-"
        if text.startswith("Số"):
            return text
    raise AssertionError(f"{docx}: no number line")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def batch(*args: object) -> subprocess.Popen:
    """`notice-gen batch ARGS…` in a process of its own."""
    command = [sys.executable, "-m", "notice_gen", "--lang", "en", "batch", *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_batches_at_once_number_every_document_once_without_a_gap(tmp_path, location):
    count = 12
    for folder in ("sang", "chieu"):
        for i in range(count):
            state(tmp_path / folder / f"tb-{i:02d}.yaml", f"2026-03-{i + 1:02d}", f"Việc {i}")
    runs = [
        batch(f, "-o", f"out-{f}", "-j", "1", "--register", location) for f in ("sang", "chieu")
    ]
    outcomes = [(run.communicate(timeout=300)[1], run.returncode) for run in runs]
    for err, code in outcomes:  # every process waited for before any assertion
        assert code == 0, err
    given = []
    for folder in ("sang", "chieu"):
        numbers = []
        for i in range(count):
            line = number_line(tmp_path / f"out-{folder}" / f"tb-{i:02d}.docx")
            assert line.endswith("/TB-VP")
            number = int(line.removeprefix("Số: ").split("/")[0])
            record = (tmp_path / folder / f"tb-{i:02d}.yaml").read_text("utf-8")
            assert f"\nnumber: {number:<6}# số do sổ đăng ký cấp\n" in record  # its column
            numbers.append(number)
        assert numbers == sorted(numbers)  # in source order
        given += numbers
    assert sorted(given) == list(range(1, 2 * count + 1))
    with open_register(location) as book:
        entries = book.entries(2026)
    assert [(e.label, e.status) for e in entries] == [
        (f"{n:02d}/TB-VP", "issued") for n in range(1, 2 * count + 1)
    ]


def test_a_rerun_takes_no_new_number_and_gives_the_same_bytes(tmp_path, location):
    for i in range(3):
        state(tmp_path / "hop" / f"tb-{i}.yaml", f"2026-04-0{i + 1}")
    assert cli("batch", "hop", "-o", "out", "-j", "1", "--register", location).exit_code == 0
    before = {p.name: digest(p) for p in (tmp_path / "out").glob("*.docx")}
    result = cli("batch", "hop", "-o", "out", "-j", "1", "--register", location)
    assert result.exit_code == 0, result.output
    assert "3 unchanged" in result.output
    assert {p.name: digest(p) for p in (tmp_path / "out").glob("*.docx")} == before
    rendered = cli("render", "hop/tb-1.yaml", "-o", "out", "--register", location)
    assert rendered.exit_code == 0, rendered.output
    assert digest(tmp_path / "out" / "tb-1.docx") == before["tb-1.docx"]
    with open_register(location) as book:
        assert [e.number for e in book.entries()] == [1, 2, 3]


def test_the_first_state_document_of_a_new_year_starts_at_01(tmp_path, location):
    state(tmp_path / "hop" / "a.yaml", "2026-12-31")
    state(tmp_path / "hop" / "b.yaml", "2026-12-31")
    state(tmp_path / "hop" / "c.yaml", "2027-01-01")
    assert cli("batch", "hop", "-o", "out", "-j", "1", "--register", location).exit_code == 0
    lines = [number_line(tmp_path / "out" / f"{n}.docx") for n in "abc"]
    assert lines == ["Số: 01/TB-VP", "Số: 02/TB-VP", "Số: 01/TB-VP"]


def test_a_new_party_term_restarts_at_01_and_each_kind_has_its_series(tmp_path, location):
    org = tmp_path / "orgs" / "dang-uy-phuong-cam-ly.yaml"
    org.parent.mkdir()
    org.write_text(PARTY_ORG + "register:\n  term: 2025-2030\n", "utf-8")
    record = tmp_path / "tb.yaml"
    for name, day in (("tb", "2026-10-15"), ("tb2", "2027-05-04")):
        record = tmp_path / f"{name}.yaml"
        text = PARTY.replace("number: 42", "number: auto").replace(
            "date: 2026-10-15", f"date: {day}"
        )
        record.write_text(text.replace("  number: 40", "  number: auto"), "utf-8")
        assert cli("render", record, "--register", location).exit_code == 0
    invitation = cli("render", "tb.yaml", "--kind", "giay-moi", "--register", location)
    assert invitation.exit_code == 0, invitation.output
    org.write_text(PARTY_ORG + "register:\n  term: 2030-2035\n", "utf-8")
    later = tmp_path / "tb3.yaml"
    later.write_text(
        PARTY.replace("number: 42", "number: auto").replace("2026-10-15", "2030-11-20")
    )
    assert cli("render", later, "--register", location).exit_code == 0
    lines = [number_line(tmp_path / "output" / n) for n in ("tb.docx", "tb2.docx", "tb3.docx")]
    assert lines == ["Số 01-TB/ĐU", "Số 02-TB/ĐU", "Số 01-TB/ĐU"]
    assert number_line(tmp_path / "output" / "tb.giay-moi.docx") == "Số 01-GM/ĐU"


def test_a_failed_record_takes_no_number(tmp_path, location):
    state(tmp_path / "base.yaml")
    (tmp_path / "lich.csv").write_text(
        "number,date,subject\n"
        "auto,2026-05-04,Việc một\n"
        "auto,31/02/2026,Việc có ngày sai\n"
        "auto,2026-05-06,Việc ba\n"
        "auto,2026-05-07,Việc bốn\n",
        "utf-8",
    )
    (tmp_path / "out").mkdir()
    hand = builtin_templates() / "van-ban.state.docx"
    (tmp_path / "out" / "lich-5.docx").write_bytes(hand.read_bytes())  # kept, not written
    result = cli("batch", "lich.csv", "--base", "base.yaml", "-o", "out", "--register", location)
    assert result.exit_code != 0
    assert "there is no such date as 31/02/2026" in result.output
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = [(r["where"], r["number"], r["status"]) for r in csv.DictReader(handle)]
    assert rows == [
        ("row 2", "01/TB-VP", "written"),
        ("row 3", "", "failed"),
        ("row 4", "02/TB-VP", "written"),
        ("row 5", "03/TB-VP", "kept"),
    ]
    assert number_line(tmp_path / "out" / "lich-4.docx") == "Số: 02/TB-VP"
    with open_register(location) as book:
        listed = [(e.label, e.source, e.status) for e in book.entries()]
    assert listed == [
        ("01/TB-VP", "lich.csv#row=2", "issued"),
        ("02/TB-VP", "lich.csv#row=4", "issued"),
    ]
    again = cli("render", "base.yaml", "--register", location)
    assert again.exit_code == 0
    assert number_line(tmp_path / "output" / "base.docx") == "Số: 03/TB-VP"


def test_a_hand_typed_number_already_given_is_refused_naming_both(tmp_path, location):
    state(tmp_path / "dau.yaml")
    assert cli("render", "dau.yaml", "--register", location).exit_code == 0
    state(tmp_path / "sau.yaml", number="1")
    result = cli("--lang", "en", "render", "sau.yaml", "--register", location)
    assert result.exit_code == 1
    assert result.output == (
        "error: number 01 of series VP 2026 is already registered for 01/TB-VP (dau.yaml); "
        "01/TB-VP (sau.yaml) cannot take it too: use number: auto or another number\n"
    )
    assert not (tmp_path / "output" / "sau.docx").exists()


def test_the_write_back_changes_only_the_number_and_keeps_the_comments(tmp_path):
    record = state(tmp_path / "tb.yaml")
    before = record.read_text("utf-8").split("\n")
    result = cli("render", "tb.yaml")
    assert result.exit_code == 0, result.output
    after = record.read_text("utf-8").split("\n")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("number: auto  # số do sổ đăng ký cấp", "number: 1     # số do sổ đăng ký cấp")
    ]
    assert (tmp_path / "so-van-ban-di.sqlite").is_file()  # the default register


def test_a_starter_says_how_to_ask_the_register_and_takes_its_number_in_place(tmp_path):
    """The starter's `number:` comment names `auto`; set so, the record's line shows the
    number with the comment where it was, as the clerk wrote it."""
    result = cli("new", "thong-bao-ket-luan", "--profile", "nd30")
    line = next(x for x in result.output.split("\n") if x.startswith("number:"))
    assert "auto: số tiếp theo của sổ đăng ký" in line
    asked = line.replace("number: 5   ", "number: auto")
    (tmp_path / "tb.yaml").write_text(result.output.replace(line, asked), "utf-8")
    assert cli("render", "tb.yaml").exit_code == 0
    assert number_line(tmp_path / "output" / "tb.docx").startswith("Số: 01/")
    numbered = "number: 1" + " " * (len("auto") - 1) + asked.removeprefix("number: auto")
    assert numbered in (tmp_path / "tb.yaml").read_text("utf-8").split("\n")


def test_without_auto_and_without_a_register_no_register_file_is_made(tmp_path):
    state(tmp_path / "hop" / "tb.yaml", number="5")
    assert cli("render", "hop/tb.yaml").exit_code == 0
    assert cli("batch", "hop", "-o", "out", "-j", "1").exit_code == 0
    assert number_line(tmp_path / "out" / "tb.docx") == "Số: 05/TB-VP"
    assert not (tmp_path / "so-van-ban-di.sqlite").exists()


def test_the_register_lists_every_document_and_exports_the_book(tmp_path, location):
    state(tmp_path / "hop" / "a.yaml", "2026-06-01", "Về công tác phòng chống thiên tai")
    state(tmp_path / "hop" / "b.yaml", "2026-06-02", "Về chuyển đổi số năm 2026")
    assert cli("batch", "hop", "-o", "out", "-j", "1", "--register", location).exit_code == 0
    listed = cli("register", "list", "--format", "csv", "--register", location)
    rows = [(r["symbol"], r["subject"]) for r in csv.DictReader(listed.output.splitlines())]
    assert rows == [
        ("01/TB-VP", "Về công tác phòng chống thiên tai"),
        ("02/TB-VP", "Về chuyển đổi số năm 2026"),
    ]
    book = tmp_path / "so-2026.docx"
    assert (
        cli("register", "export", "--year", "2026", "-o", book, "--register", location).exit_code
        == 0
    )
    table = Document(str(book)).tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][0] == "Số, ký hiệu văn bản"
    documents = [row for row in cells if row[0].endswith("/TB-VP")]
    assert [(r[0], r[1], r[2]) for r in documents] == [
        ("01/TB-VP", "01/06/2026", "Thông báo Về công tác phòng chống thiên tai"),
        ("02/TB-VP", "02/06/2026", "Thông báo Về chuyển đổi số năm 2026"),
    ]


def test_the_register_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICE_GEN_REGISTER", str(tmp_path / "so-chung.sqlite"))
    state(tmp_path / "tb.yaml")
    assert cli("render", "tb.yaml").exit_code == 0
    assert (tmp_path / "so-chung.sqlite").is_file()
    assert not (tmp_path / "so-van-ban-di.sqlite").exists()
    assert os.environ["NOTICE_GEN_REGISTER"].endswith("so-chung.sqlite")


def test_multi_record_files_are_remembered_by_record_and_the_manifest_lists_numbers(
    tmp_path, location
):
    base = state(tmp_path / "co-quan.yaml")
    (tmp_path / "hop.yaml").write_text(
        "defaults:\n  number: auto\nrecords:\n"
        "  - {subject: Về việc một, date: 2026-07-01}\n"
        "  - {subject: Về việc hai, date: 2026-07-02}\n",
        "utf-8",
    )
    for _run in range(2):
        result = cli("batch", "hop.yaml", "--base", base, "-o", "out", "--register", location)
        assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert [(d["where"], d["number"], d["status"]) for d in manifest["documents"]] == [
        ("record 1", "01/TB-VP", "unchanged"),
        ("record 2", "02/TB-VP", "unchanged"),
    ]
    assert "number: auto" in (tmp_path / "hop.yaml").read_text("utf-8")
    with open_register(location) as book:
        assert [e.source for e in book.entries()] == ["hop.yaml#record=1", "hop.yaml#record=2"]
