"""`number: auto` in batches of many chunks and two workers: numbers follow the rows across
chunks, a document not written gives its number back, two batches share one register, and
`--resume` and `--name {number}` keep their promises (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA
from helpers import cli
from notice_gen.docx.template import builtin_templates
from notice_gen.pipeline import batch as batch_module
from notice_gen.pipeline.numbering import Numbers
from notice_gen.register import open_register
from notice_gen.register.model import Entry, RegisterError, Request, Series
from test_numbering import number_line, state

pytest_plugins = ("register_fixtures",)

BASE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
TB = "thong-bao-ket-luan"
ROWS = 24  # 3 jobs a chunk on 2 cores: 8 chunks, shared by 2 workers


@pytest.fixture(autouse=True)
def _working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NOTICE_GEN_REGISTER", raising=False)


def sheet(path: Path, rows: int = ROWS, number: str = "auto") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["number", "subject"])
        for n in range(1, rows + 1):
            out.writerow([number, f"Về việc số {n}"])
    return path


def manifest(out: Path) -> list[tuple[str, str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig") as handle:
        return [(r["where"], r["number"], r["status"]) for r in csv.DictReader(handle)]


def test_numbers_follow_the_rows_across_chunks_and_workers(tmp_path, location):
    rows = sheet(tmp_path / "lich.csv")
    result = cli("batch", rows, "--base", BASE, "-o", "out", "-j", "2", "--register", location)
    assert result.exit_code == 0, result.output
    assert manifest(tmp_path / "out") == [
        (f"row {n + 1}", f"{n:02d}/TB-VP", "written") for n in range(1, ROWS + 1)
    ]
    assert number_line(tmp_path / "out" / "lich-2.docx") == "Số: 01/TB-VP"
    assert number_line(tmp_path / "out" / f"lich-{ROWS + 1}.docx") == f"Số: {ROWS:02d}/TB-VP"
    with open_register(location) as book:
        listed = [(e.number, e.source, e.subject, e.status) for e in book.entries()]
    assert listed == [
        (n, f"lich.csv#row={n + 1}", f"Về việc số {n}", "issued") for n in range(1, ROWS + 1)
    ]


def test_a_document_not_written_cancels_its_number_and_the_rest_go_on(tmp_path, location):
    rows = sheet(tmp_path / "lich.csv")
    (tmp_path / "out").mkdir()
    hand = builtin_templates() / "van-ban.state.docx"
    (tmp_path / "out" / "lich-6.docx").write_bytes(hand.read_bytes())  # row 6: edited by hand
    result = cli("batch", rows, "--base", BASE, "-o", "out", "-j", "2", "--register", location)
    assert result.exit_code == 1
    assert manifest(tmp_path / "out")[3:6] == [
        ("row 5", "04/TB-VP", "written"),
        ("row 6", "05/TB-VP", "kept"),
        ("row 7", "06/TB-VP", "written"),
    ]
    with open_register(location) as book:
        listed = {e.number: (e.status, e.void_reason) for e in book.entries()}
    assert listed[5] == ("void", "document not written")  # numbers after it were taken
    assert {n for n, (status, _) in listed.items() if status == "issued"} == (
        set(range(1, ROWS + 1)) - {5}
    )
    later = state(tmp_path / "sau.yaml")
    assert cli("render", later, "--register", location).exit_code == 0
    assert number_line(tmp_path / "output" / "sau.docx") == f"Số: {ROWS + 1:02d}/TB-VP"


def test_two_batches_with_two_workers_each_share_the_register(tmp_path, location):
    for name in ("sang", "chieu"):
        sheet(tmp_path / f"{name}.csv")
    command = [sys.executable, "-m", "notice_gen", "--lang", "en", "batch"]
    runs = [
        subprocess.Popen(
            [
                *command,
                f"{name}.csv",
                "--base",
                BASE,
                "-o",
                name,
                "-j",
                "2",
                "--register",
                location,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("sang", "chieu")
    ]
    outcomes = [(run.communicate(timeout=300)[1], run.returncode) for run in runs]
    for err, code in outcomes:
        assert code == 0, err
    given = []
    for name in ("sang", "chieu"):
        numbers = [int(n.split("/")[0]) for _where, n, _status in manifest(tmp_path / name)]
        assert numbers == sorted(numbers)  # in the order of the rows
        given += numbers
    assert sorted(given) == list(range(1, 2 * ROWS + 1))  # no gap, none twice
    with open_register(location) as book:
        assert [e.status for e in book.entries()] == ["issued"] * 2 * ROWS


def test_resume_confirms_the_numbers_of_documents_it_skips(tmp_path):
    rows = sheet(tmp_path / "lich.csv", rows=6)
    assert cli("batch", rows, "--base", BASE, "-o", "out", "-j", "2").exit_code == 0
    with sqlite3.connect(tmp_path / "so-van-ban-di.sqlite") as db:  # as a run killed before
        db.execute("UPDATE numbers SET status = 'reserved', subject = ''")  # it confirmed
    result = cli("batch", rows, "--base", BASE, "-o", "out", "-j", "2", "--resume")
    assert result.exit_code == 0, result.output
    assert [s for _w, _n, s in manifest(tmp_path / "out")] == ["skipped"] * 6
    with open_register(tmp_path / "so-van-ban-di.sqlite") as book:
        listed = [(e.number, e.subject, e.status) for e in book.entries()]
    assert listed == [(n, f"Về việc số {n}", "issued") for n in range(1, 7)]


def test_names_with_the_number_given_by_the_register(tmp_path, location):
    rows = sheet(tmp_path / "lich.csv", rows=10)
    result = cli(
        "batch", rows, "--base", BASE, "-o", "out", "-j", "2", "--register", location,
        "--name", "so-{number}",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == sorted(
        f"so-{n}.docx" for n in range(1, 11)
    )
    assert number_line(tmp_path / "out" / "so-7.docx") == "Số: 07/TB-VP"


def test_typed_numbers_beside_auto_are_claimed_in_the_default_register(tmp_path):
    (tmp_path / "lich.csv").write_text(
        "number,subject\n" + "".join(f"{n},Việc {n}\n" for n in (1, 2, 3)) + "auto,Việc tự\n",
        "utf-8",
    )  # the typed rows come before any `auto`: no register was named
    result = cli("batch", "lich.csv", "--base", BASE, "-o", "out", "-j", "2")
    assert result.exit_code == 0, result.output
    assert [n for _w, n, _s in manifest(tmp_path / "out")] == [
        "01/TB-VP", "02/TB-VP", "03/TB-VP", "04/TB-VP",
    ]  # fmt: skip
    with open_register(tmp_path / "so-van-ban-di.sqlite") as book:
        assert [(e.number, e.status) for e in book.entries()] == [
            (n, "issued") for n in (1, 2, 3, 4)
        ]


def test_auto_in_the_cells_of_an_xlsx_sheet_opens_the_default_register(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()  # its cells are zipped: `auto` is not in the file's bytes
    book.active.append(["number", "subject"])
    for n in range(1, 4):
        book.active.append(["Auto ", f"Về việc số {n}"])
    book.save(tmp_path / "lich.xlsx")
    result = cli("batch", tmp_path / "lich.xlsx", "--base", BASE, "-o", "out")
    assert result.exit_code == 0, result.output
    assert [number_line(tmp_path / "out" / f"lich-{n}.docx") for n in (2, 3, 4)] == [
        "Số: 01/TB-VP",
        "Số: 02/TB-VP",
        "Số: 03/TB-VP",
    ]
    assert (
        tmp_path / "so-van-ban-di.sqlite"
    ).is_file()  # the default register, named in the README


def test_an_auto_the_quick_look_misses_fails_rather_than_print_no_number(tmp_path):
    text = BASE.read_text("utf-8").replace("number: 5", r'number: "\x61uto"')  # YAML for auto
    assert "auto" not in text
    (tmp_path / "ho-so").mkdir()
    (tmp_path / "ho-so" / "a.yaml").write_text(text, "utf-8")
    result = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code != 0
    assert "number: auto was given no number; name the register: --register" in result.output
    assert not (tmp_path / "out" / "a.docx").exists()


def test_a_run_stopped_by_a_failure_never_frees_a_number_a_document_prints(tmp_path, monkeypatch):
    take = Numbers.take
    rows = ROWS + 1  # 9 chunks: the ninth is handed out once a chunk is made (8 at a time)

    def failing(self, indexes, requests):
        if ROWS in indexes:  # the ninth chunk: the register fails while chunks are being made
            raise RegisterError("the server went away")
        return take(self, indexes, requests)

    monkeypatch.setattr(Numbers, "take", failing)
    first = cli("batch", sheet(tmp_path / "a.csv", rows), "--base", BASE, "-o", "out", "-j", "2")
    assert first.exit_code != 0 and "the server went away" in first.output
    monkeypatch.setattr(Numbers, "take", take)
    printed = {number_line(p) for p in (tmp_path / "out").glob("a-*.docx")}
    assert printed  # chunks made before the failure
    with open_register("so-van-ban-di.sqlite") as book:
        held = {f"Số: {e.number:02d}/TB-VP" for e in book.entries() if e.status != "void"}
    assert printed <= held  # issued, or reserved for the same rows next time
    second = cli("batch", sheet(tmp_path / "b.csv", rows), "--base", BASE, "-o", "out2", "-j", "2")
    assert second.exit_code == 0, second.output
    again = {number_line(p) for p in (tmp_path / "out2").glob("b-*.docx")}
    assert len(again) == rows and not again & printed


def test_a_record_edited_while_its_batch_runs_gets_no_document(tmp_path, monkeypatch):
    records = tmp_path / "ho-so"
    paths = [state(records / f"r{n}.yaml", subject=f"Về việc số {n}") for n in (1, 2)]
    real = batch_module.prepare

    def prepare_then_edit(jobs, indexes):
        asks = real(jobs, indexes)
        paths[0].write_text(paths[0].read_text("utf-8") + "# sửa tay\n", "utf-8")
        return asks

    monkeypatch.setattr(batch_module, "prepare", prepare_then_edit)
    result = cli("batch", records, "-o", "out", "-j", "1")
    assert result.exit_code != 0
    assert "changed while its document was being made" in result.output
    assert not (tmp_path / "out" / "r1.docx").exists()
    assert number_line(tmp_path / "out" / "r2.docx") == "Số: 02/TB-VP"
    assert "number: 2     #" in paths[1].read_text("utf-8")
    assert "number: auto" in paths[0].read_text("utf-8")
    with open_register("so-van-ban-di.sqlite") as book:
        listed = [(e.number, e.status, e.void_reason) for e in book.entries()]
    assert listed == [(1, "void", "document not written"), (2, "issued", "")]


def test_a_batch_writes_each_number_where_its_record_says_auto(tmp_path):
    """Only the value of the `number: auto` the record's parse found changes, however the
    clerk saved the file; a number from the organisation file is not written into it."""
    text = BASE.read_text("utf-8")
    org = text.replace("kind: thong-bao-ket-luan\n", "").replace("number: 5", "number: auto")
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs" / "vp.yaml").write_text(org, "utf-8")
    files = {  # name: (as saved, as expected)
        "a.yaml": (
            "\ufeff" + text.replace("number: 5", "number: Auto   # văn thư").replace("\n", "\r\n"),
            "\ufeff" + text.replace("number: 5", "number: 1      # văn thư").replace("\n", "\r\n"),
        ),
        "b.yaml": (
            text + "thong-bao-ket-luan:\n  number: 'auto'  # của riêng loại này\n",
            text + "thong-bao-ket-luan:\n  number: 2       # của riêng loại này\n",
        ),
        "c.yaml": (
            text + "thong-bao-ket-luan: {number: auto, place: Đà Lạt}\n",
            text + "thong-bao-ket-luan: {number: 3, place: Đà Lạt}\n",
        ),
        "d.yaml": ("extends: ../orgs/vp.yaml\nkind: thong-bao-ket-luan\n",) * 2,
    }
    (tmp_path / "ho-so").mkdir()
    for name, (saved, _expected) in files.items():
        (tmp_path / "ho-so" / name).write_bytes(saved.encode("utf-8"))
    result = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    for name, (_saved, expected) in files.items():
        assert (tmp_path / "ho-so" / name).read_bytes() == expected.encode("utf-8"), name
    assert (tmp_path / "orgs" / "vp.yaml").read_text("utf-8") == org
    assert number_line(tmp_path / "out" / "d.docx") == "Số: 04/TB-VP"
    with open_register("so-van-ban-di.sqlite") as book:
        assert [(e.number, e.source) for e in book.entries()] == [
            (1, "ho-so/a.yaml"), (2, "ho-so/b.yaml"), (3, "ho-so/c.yaml"), (4, "ho-so/d.yaml")
        ]  # fmt: skip


VP = Series("VP", "2026", "*")


def asked(*rows: int) -> list[Request | str | None]:
    """What the jobs of these sheet rows ask of the register: a number each."""
    return [Request(VP, f"s.csv#row={n}", TB) for n in rows]


def row(n: int) -> Entry:
    """The book's row of the document of sheet row `n`, numbered `n`."""
    return Entry(VP, n, f"{n:02d}/TB-VP", kind=TB, subject=f"Về việc {n}", source=f"s.csv#row={n}")


def test_numbers_are_confirmed_with_the_next_chunks_numbers(location):
    numbers = Numbers(location)
    assert numbers.take([0, 1], asked(1, 2)) == [1, 2]
    numbers.written(0, row(1))  # its document is written
    assert numbers.take([2], asked(3)) == [3]
    with open_register(location) as book:
        listed = [(e.number, e.status, e.subject) for e in book.entries()]
    assert listed == [(1, "issued", "Về việc 1"), (2, "reserved", ""), (3, "reserved", "")]
    numbers.written(2, row(3))
    numbers.settle({0: "written", 1: "failed", 2: "written"}, {})
    with open_register(location) as book:
        listed = [(e.number, e.status, e.subject) for e in book.entries()]
    assert listed == [(1, "issued", "Về việc 1"), (2, "void", ""), (3, "issued", "Về việc 3")]


def issued_rows() -> int:
    """How many numbers the default register lists as issued, read beside the batch."""
    try:
        with sqlite3.connect("file:so-van-ban-di.sqlite?mode=ro", uri=True) as book:
            return book.execute("SELECT count(*) FROM numbers WHERE status = 'issued'").fetchone()[
                0
            ]
    except sqlite3.Error:  # not made yet
        return 0


def test_a_batch_killed_midway_has_confirmed_the_documents_it_wrote(tmp_path):
    """Numbers are confirmed as documents are written (with the next chunk's numbers), so
    a batch killed midway leaves its book saying what it issued; `--resume` then issues
    the rest, 01 to N, each row once."""
    rows = 800  # 13 chunks of 64, 8 at a time: the ninth is numbered once documents are written
    args = [sheet(tmp_path / "s.csv", rows), "--base", BASE, "-o", tmp_path / "out"]
    with (tmp_path / "stderr.txt").open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "notice_gen", "batch", *map(str, args)],
            stderr=stderr, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while not issued_rows() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, (tmp_path / "stderr.txt").read_text()  # still running
    os.killpg(process.pid, signal.SIGKILL)  # the parent and both workers at once
    process.wait()
    assert not (tmp_path / "out" / "manifest.json").exists()
    with open_register("so-van-ban-di.sqlite") as book:
        issued = [e for e in book.entries() if e.status == "issued"]
    assert issued  # confirmed while the batch ran
    for entry in issued:  # each for a document written, which prints its number
        row = entry.source.rpartition("=")[2]
        assert number_line(tmp_path / "out" / f"s-{row}.docx") == f"Số: {entry.number:02d}/TB-VP"
    resumed = cli("batch", *args, "--resume")
    assert resumed.exit_code == 0, resumed.output
    with open_register("so-van-ban-di.sqlite") as book:
        listed = [(e.number, e.source, e.status) for e in book.entries()]
    expected = [(n, f"s.csv#row={n + 1}", "issued") for n in range(1, rows + 1)]
    assert sorted(listed) == expected


def test_a_record_edited_once_its_document_is_written_keeps_its_number(tmp_path, monkeypatch):
    """The document carries its number: the number stays issued to it, the edit is kept,
    and the clerk is told; the next run writes the same number back."""
    path = state(tmp_path / "ho-so" / "r1.yaml")
    real = batch_module.put

    def put_then_edit(*args, **kwargs):
        done = real(*args, **kwargs)
        path.write_text(path.read_text("utf-8") + "# sửa tay\n", "utf-8")
        return done

    monkeypatch.setattr(batch_module, "put", put_then_edit)
    result = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {path} changed while its document was being made; its number was not "
        "written back: render it again"
    ) in result.stderr.splitlines()
    assert number_line(tmp_path / "out" / "r1.docx") == "Số: 01/TB-VP"
    assert path.read_text("utf-8").endswith("# sửa tay\n") and "number: auto" in path.read_text()
    with open_register("so-van-ban-di.sqlite") as book:
        assert [(e.number, e.status) for e in book.entries()] == [(1, "issued")]
    monkeypatch.setattr(batch_module, "put", real)
    again = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert again.exit_code == 0, again.output
    assert "number: 1     # số do sổ đăng ký cấp" in path.read_text("utf-8")


def test_a_number_cancelled_while_its_document_is_made_is_told_the_rest_confirmed(location):
    numbers = Numbers(location)
    assert numbers.take([0, 1], asked(1, 2)) == [1, 2]
    with open_register(location) as book:  # a clerk, while the batch runs
        book.void(VP, 1, "giấy mời đã hủy")
    numbers.written(0, row(1))
    numbers.written(1, row(2))
    assert numbers.take([2], asked(3)) == [3]  # the batch goes on
    numbers.written(2, row(3))
    assert numbers.settle({0: "written", 1: "written", 2: "written"}, {}) == {
        0: "s.csv#row=1: number 01 of series VP 2026 was cancelled (giấy mời đã hủy) while its "
        "document was being made; render it again for a new number"
    }
    with open_register(location) as book:
        assert [(e.number, e.status) for e in book.entries()] == [
            (1, "void"), (2, "issued"), (3, "issued")
        ]  # fmt: skip


def test_a_batch_names_the_document_carrying_a_number_cancelled_meanwhile(tmp_path, monkeypatch):
    take = Numbers.take

    def then_cancelled(self, indexes, requests):
        taken = take(self, indexes, requests)
        if 0 in indexes:  # a clerk cancels number 01 while the batch runs
            with open_register("so-van-ban-di.sqlite") as book:
                book.void(VP, 1, "giấy mời đã hủy")
        return taken

    monkeypatch.setattr(Numbers, "take", then_cancelled)
    result = cli("batch", sheet(tmp_path / "s.csv"), "--base", BASE, "-o", "out", "-j", "1")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        "error: s.csv#row=2: number 01 of series VP 2026 was cancelled (giấy mời đã hủy) while "
        "its document was being made; render it again for a new number"
    ) in lines
    assert f"{ROWS} documents: {ROWS} written (manifest: out/manifest.csv)" in lines
    assert number_line(tmp_path / "out" / "s-2.docx") == "Số: 01/TB-VP"
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        errors = [r["error"] for r in csv.DictReader(handle)]
    assert errors[0].startswith("s.csv#row=2: number 01 of series VP 2026 was cancelled")
    assert errors[1:] == [""] * (ROWS - 1)
    with open_register("so-van-ban-di.sqlite") as book:
        statuses = [(e.number, e.status) for e in book.entries()]
    assert statuses == [(1, "void"), *((n, "issued") for n in range(2, ROWS + 1))]


TOML = """\
kind = "thong-bao-ket-luan"
profile = "nd30"
place = "Huế"
subject = "Về việc họp giao ban"
conclusions = ["Các đơn vị triển khai ngay."]
recipients = ["Các sở, ngành"]
archive = "VT"
date = 2026-01-05
issuer = {parent = "UBND TỈNH", name = "VĂN PHÒNG", code = "VP"}
signer = {position = "CHÁNH VĂN PHÒNG", name = "Nguyễn Văn A"}
"""


def test_a_number_that_cannot_be_placed_in_its_file_is_told(tmp_path):
    """TOML takes its number where its parse found the key; in an inline table it cannot be
    replaced alone: the document keeps its number and the clerk is told how to write it."""
    (tmp_path / "ho-so").mkdir()
    (tmp_path / "ho-so" / "a.toml").write_text(TOML + 'number = "Auto"  # số\n', "utf-8")
    inline = TOML + 'thong-bao-ket-luan = { number = "auto" }\n'
    (tmp_path / "ho-so" / "b.toml").write_text(inline, "utf-8")
    result = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ho-so" / "a.toml").read_text("utf-8") == TOML + "number = 1       # số\n"
    assert (tmp_path / "ho-so" / "b.toml").read_text("utf-8") == inline
    assert (
        f"warning: {tmp_path / 'ho-so' / 'b.toml'}: its number 02 could not be written into the "
        "file; write it there by hand: number: 2"
    ) in result.stderr.splitlines()
    assert number_line(tmp_path / "out" / "b.docx") == "Số: 02/TB-VP"


def test_a_number_from_an_organisation_file_is_no_warning(tmp_path):
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs" / "vp.toml").write_text("'number' = 'auto'\n", "utf-8")
    text = "extends: ../orgs/vp.toml\n" + BASE.read_text("utf-8").replace("number: 5\n", "")
    (tmp_path / "ho-so").mkdir()
    (tmp_path / "ho-so" / "a.yaml").write_text(text, "utf-8")
    result = cli("batch", tmp_path / "ho-so", "-o", "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert (tmp_path / "ho-so" / "a.yaml").read_text("utf-8") == text
    assert number_line(tmp_path / "out" / "a.docx") == "Số: 01/TB-VP"
