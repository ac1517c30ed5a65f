"""A batch killed with two workers at work: `--resume` finishes it, loses nothing and
writes nothing twice; the books read back as a clerk would read them."""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from notice_gen.atomic import atomic_write
from notice_gen.errors import OutputError
from notice_gen.pipeline import journal
from notice_gen.pipeline.write import OutputDir, put, sha256

RECORD = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
COMMAND = [sys.executable, "-m", "notice_gen", "batch"]


def rows(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["number"], *([str(n)] for n in range(1, count + 1))])
    return path


def test_kill_9_with_two_workers_then_resume_loses_nothing_and_writes_nothing_twice(tmp_path):
    sheet, out = rows(tmp_path / "s.csv", 400), tmp_path / "out"
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args = [str(sheet), "--base", str(RECORD), "-o", str(out)]
    process = subprocess.Popen(
        [*COMMAND, *args, "-j", "2"], env=environ, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and both workers at once
    process.wait()
    made = {p.name: (p.stat().st_ino, p.read_bytes()) for p in out.glob("*.docx")}
    assert 40 <= len(made) < 400
    assert not (out / "manifest.json").exists()
    resumed = subprocess.run(
        [*COMMAND, *args, "-j", "2", "--resume"], env=environ, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "not written by notice-gen" not in resumed.stderr
    documents = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    assert [d["output"] for d in documents] == [f"s-{n}.docx" for n in range(2, 402)]
    status = {d["output"]: d["status"] for d in documents}
    for name, (inode, data) in made.items():  # made before the kill: never made again
        assert status[name] in ("skipped", "unchanged"), (name, status[name])
        assert (out / name).stat().st_ino == inode and (out / name).read_bytes() == data
    assert {status[n] for n in status if n not in made} == {"written"}
    assert sum(s == "skipped" for s in status.values()) >= len(made) - 2 * 64  # chunks in flight
    assert len(list(out.glob("*.docx"))) == 400 and not (out / journal.JOURNAL).exists()
    store = json.loads((out / ".notice-gen.json").read_text("utf-8"))["files"]
    assert sorted(store) == sorted(status) and all(len(v["sha256"]) == 64 for v in store.values())
    lines = (out / "manifest.csv").read_text("utf-8-sig").splitlines()
    assert lines[0] == "source,where,output,number,status,error,warnings,sha256"
    assert len(lines) == 401 and lines[1].startswith(f"{sheet},row 2,s-2.docx,01/TB-VP,")


def test_a_failed_write_leaves_neither_the_document_nor_a_temporary_file(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.bin").mkdir()  # cannot be replaced by a file
    with pytest.raises(IsADirectoryError):
        atomic_write(folder / "a.bin", b"x" * 10)
    assert sorted(p.name for p in folder.iterdir()) == ["a.bin"]


def test_a_write_in_parts_is_whole_and_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: write(fd, bytes(data[:3])))
    atomic_write(tmp_path / "a.bin", b"0123456789")
    assert (tmp_path / "a.bin").read_bytes() == b"0123456789"

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space left on device"):
        atomic_write(tmp_path / "a.bin", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]
    assert (tmp_path / "a.bin").read_bytes() == b"0123456789"


def test_put_keeps_a_file_it_did_not_write_and_writes_a_new_one_once(tmp_path):
    out = OutputDir(tmp_path / "out")
    (out.path / "kept.bin").write_bytes(b"typed by a clerk")
    with pytest.raises(OutputError, match="was not written by notice-gen; it is kept"):
        put(out.path / "kept.bin", b"new", None)
    assert (out.path / "kept.bin").read_bytes() == b"typed by a clerk"
    assert put(out.path / "new.bin", b"made", None)[0] == "written"
    inode = (out.path / "new.bin").stat().st_ino
    status, _digest = put(out.path / "new.bin", b"made", sha256(b"made"))
    assert status == "unchanged" and (out.path / "new.bin").stat().st_ino == inode
    assert oct((out.path / "new.bin").stat().st_mode & 0o777) == oct(0o666 & ~umask())
    assert sorted(p.name for p in out.path.iterdir()) == ["kept.bin", "new.bin"]


def umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
