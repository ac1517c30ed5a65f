"""Streaming batches: the parent only names files and counts rows; the documents are
the same bytes whichever way they are made."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from conftest import DATA
from helpers import cli
from notice_gen.pipeline import batch as engine
from notice_gen.pipeline.chunks import Here, spans, two_steps

SAMPLE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def test_the_same_record_gives_the_same_bytes_by_render_and_batch_with_one_job_or_two(tmp_path):
    records = sorted(DATA.glob("*.yaml"))
    for record in records:
        assert cli("render", record, "-o", tmp_path / "render").exit_code == 0
    for jobs in ("1", "2"):
        result = cli("batch", DATA, "-o", tmp_path / f"batch{jobs}", "-j", jobs)
        assert result.exit_code == 0, result.output
    for record in records:
        name = f"{record.stem}.docx"
        made = (tmp_path / "render" / name).read_bytes()
        assert (tmp_path / "batch1" / name).read_bytes() == made, name
        assert (tmp_path / "batch2" / name).read_bytes() == made, name


def test_a_sheet_row_gives_the_bytes_of_the_same_record_rendered_alone(tmp_path):
    sheet = tmp_path / "s.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["number", "signer.name"], ["7", "Trần Văn Bảy"]])
    record = tmp_path / "alone.yaml"
    text = SAMPLE.read_text("utf-8").replace("\nnumber: 5\n", "\nnumber: 7\n")
    record.write_text(text.replace("name: Nguyễn Thị Hoa", "name: Trần Văn Bảy"), "utf-8")
    assert cli("render", record, "-o", tmp_path / "one").exit_code == 0
    for jobs in ("1", "2"):
        result = cli("batch", sheet, "--base", SAMPLE, "-o", tmp_path / f"b{jobs}", "-j", jobs)
        assert result.exit_code == 0, result.output
        made = (tmp_path / f"b{jobs}" / "s-2.docx").read_bytes()
        assert made == (tmp_path / "one" / "alone.docx").read_bytes()


def test_jobs_carry_where_a_record_is_never_the_record(tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(DATA, folder)
    for n in range(70):  # enough files for the workers to tell the organisation files
        shutil.copy(folder / "giay-moi-ubnd-lam-dong.yaml", folder / f"gm-{n:02d}.yaml")
    sheet = tmp_path / "s.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["number"], ["1"], [""], ["3"]])
    jobs = engine.jobs_from([folder, sheet], SAMPLE)
    names = [job.default_name for job in jobs]
    assert len(jobs) == 7 + 70 + 3  # the organisation file in orgs/ is no record
    assert "orgs/dang-uy-phuong-cam-ly" not in names
    assert [(job.where, job.row) for job in jobs[-3:]] == [("row 2", 2), ("row 3", 3), ("row 4", 4)]
    assert all(not hasattr(job, "data") for job in jobs)
    assert all(job.path or job.row for job in jobs)
    without_base = engine.jobs_from([sheet])
    assert [job.row for job in without_base] == [2, 4]  # an empty row is no record


def test_a_records_list_is_read_by_the_worker_entry_by_entry(tmp_path):
    many = tmp_path / "many.yaml"
    many.write_text("defaults:\n  place: Đà Lạt\nrecords:\n  - number: 1\n  - number: 2\n", "utf-8")
    jobs = engine.jobs_from([many], SAMPLE)
    assert [(job.where, job.index, job.path) for job in jobs] == [
        ("record 1", 0, None),
        ("record 2", 1, None),
    ]
    out = tmp_path / "out"
    results = engine.run(jobs, out, workers=2)
    assert [r.status for r in results] == ["written", "written"], [r.error for r in results]
    assert sorted(p.name for p in Path(out).glob("*.docx")) == ["many-1.docx", "many-2.docx"]


def test_chunks_take_every_job_once_in_order_and_shrink_towards_the_end(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    for total in (1, 7, 100, 2000):
        chunks = spans(total)
        assert [job for chunk in chunks for job in chunk] == list(range(total))
        assert max(len(chunk) for chunk in chunks) <= 64
    sizes = [len(chunk) for chunk in spans(2000)]
    assert sizes[0] == 64  # few messages while much is left
    assert sizes[-8:] == [4] * 7 + [sizes[-1]] and sizes[-1] <= 4  # the workers end together
    assert sizes == sorted(sizes, reverse=True)


def test_a_numbered_batch_keeps_its_chunks_whole_to_the_end(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    given: list[int] = []

    def prepare(span: list[int]) -> None:
        given.append(len(span))

    steps = two_steps(
        [Here()],
        list(range(2000)),
        (prepare, lambda span: (span,)),
        lambda ready, last: [(len(span),) for span, _asks in ready],
        lambda size: size,
    )
    assert list(steps) == given == [64] * 31 + [16]  # each answer is a register transaction


def test_a_record_gone_before_its_worker_reads_it_fails_saying_so(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SAMPLE, folder / name)
    jobs = engine.jobs_from([folder])
    (folder / "a.yaml").unlink()
    results = engine.run(jobs, tmp_path / "out", workers=1)
    assert [r.status for r in results] == ["failed", "written"]
    assert results[0].error.endswith("a.yaml: cannot read: No such file or directory")
