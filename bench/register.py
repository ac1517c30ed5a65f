"""The cost of `number: auto`, measured side by side in one run.

A 2,000-document `notice-gen batch` with fixed numbers (no register) beside the same
batch with `number: auto` (numbers from a fresh SQLite register, taken a chunk at a time and
confirmed with the next; record files get their number written back), as a 2,000-row CSV and
as a folder of 2,000 YAML records; each as a new process with `--jobs` = cores, the two
alternating for `--rounds` rounds (the best of each counts, against a busy machine).
Prints both rates and the ratio (goal: auto within 15 % of fixed), in a folder of the
working directory, where a clerk's files are (see bench/batch.py), and beside it on a
memory file system (/dev/shm) when there is one: the register's own cost, apart from
the disk's.

Nothing is deleted until the end: on a file system without a journal (this machine's
ext4), Linux does not reuse an inode deleted in the last minute (six while its block is
unwritten), and creating a file then costs one step per such inode in its group; a
round's clean-up would slow the next round (and a run's, the next run within minutes).
The records say `number: auto  # …`: the number is written into them in place, as the
starters' records take it; a record without a comment after `auto` is replaced by a new
file instead, which frees an inode per record.
    python bench/register.py [--records N] [--rounds R] [--register postgresql://…]
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch import settle  # bench/batch.py: the disk settled before a timed batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
CLI = [sys.executable, "-m", "notice_gen", "batch"]


def make_csv(path: Path, rows: int, auto: bool) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["number", "signer.name", "subject"])
        for n in range(1, rows + 1):
            out.writerow(["auto" if auto else n, f"Nguyễn Văn {n}", f"Về việc số {n} của năm"])
    return path


def make_folder(path: Path, records: int, auto: bool) -> Path:
    path.mkdir()
    text = SAMPLE.read_text("utf-8")
    for n in range(1, records + 1):
        number = "auto  # số do sổ đăng ký cấp" if auto else str(n)
        (path / f"r{n:05d}.yaml").write_text(text.replace("number: 5", f"number: {number}"))
    return path


def timed(command: list[str], cwd: Path, register: str | None) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NOTICE_GEN_REGISTER"}
    if register:
        command = [*command, "--register", register]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env=env)
    return time.perf_counter() - start


def rates(place: Path, count: int, rounds: int, shared: str | None) -> None:
    """Print the fixed and auto rates of the CSV and the folder batches run in `place`."""
    for form in ("csv", "folder"):
        best = {False: 0.0, True: 0.0}
        for n, auto in enumerate((False, True) * rounds):
            work = place / f"{form}-{n}"
            work.mkdir()
            if form == "csv":
                sheet = make_csv(work / "rows.csv", count, auto)
                command = [*CLI, str(sheet), "--base", str(SAMPLE), "-o", str(work / "out")]
            else:
                folder = make_folder(work / "records", count, auto)
                command = [*CLI, str(folder), "-o", str(work / "out")]
            settle()
            seconds = timed(command, work, shared if auto else None)
            best[auto] = max(best[auto], count / seconds)
            if auto and shared is None:
                assert (work / "so-van-ban-di.sqlite").is_file()
        ratio = best[True] / best[False]
        print(f"  {form:<8} {best[False]:>8.1f} {best[True]:>8.1f} {ratio:>10.0%}")


def main() -> None:
    count = int(sys.argv[sys.argv.index("--records") + 1]) if "--records" in sys.argv else 2000
    shared = sys.argv[sys.argv.index("--register") + 1] if "--register" in sys.argv else None
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    print(f"{count} documents per batch, --jobs = {os.cpu_count()}; documents/s end to end")
    places = [("in the working folder", Path.cwd())]
    if Path("/dev/shm").is_dir():
        places.append(("on a memory file system, /dev/shm", Path("/dev/shm")))
    for name, where in places:
        print(f"{name}:")
        print(f"  {'source':<8} {'fixed':>8} {'auto':>8} {'auto/fixed':>11}")
        with tempfile.TemporaryDirectory(dir=where, prefix=".bench-") as tmp:
            rates(Path(tmp), count, rounds, shared)


if __name__ == "__main__":
    main()
