"""Every speed figure of notice-gen, measured side by side in one run.

- `notice-gen batch` of a folder of 2,000 YAML records (the 3-page 2014 sample) and of
  a 20,000-row CSV sheet over that sample (`--base`), each a new process with
  `--jobs` = cores, end to end to disk, process start included; the peak RSS of the
  batch process and of each worker (read from /proc while it runs);
- a naive docxtpl loop (DocxTemplate(path); render(ctx, autoescape=True); save() per
  record) over the same template and context, one core;
- the engine alone: one compiled template rendering the same context in memory;
- `notice-gen --help` and `notice-gen render` of the sample, each a new process
  (median of 7 runs, the four commands taken in turn) beside a bare `python -c pass`:
  once for the same sample again (its lint verdict is remembered, lint/cache.py) and
  once for a record edited before each run (linted in full); measured first, before the
  batches leave files to flush.
The machine (cores, CPU) and its load average are printed with the figures. Documents
are written where a clerk writes them, in a folder of the working directory (as `output/`
is); the cost of creating one file there and in /tmp is printed beside, as it varies by
folder and moment (0.02 to 1 ms seen on this machine) and bounds any batch: on a file
system without a journal (this machine's ext4), Linux does not reuse an inode deleted in
the last minute (six while its block is unwritten), and creating a file costs one step
per such inode in its group; run it a few minutes after deleting many files (a test run).
    python bench/batch.py [--big N] [--folder N] [--rounds N]
With --rounds N, the two batches run N times each, alternated, and the best round is
quoted (every round printed below): the host is shared, and a slow spell of it is no
property of the code.
"""

from __future__ import annotations

import compileall
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "thong-bao-ket-luan-tuy-phong-2014.yaml"
CLI = [sys.executable, "-m", "notice_gen"]
MB = 1024 * 1024


def make_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["number", "signer.name", "recipients"])
        for n in range(1, rows + 1):
            out.writerow([n, f"Nguyễn Văn {n}", f"Đơn vị số {n}; Sở Tài chính; Sở Nội vụ"])
    return path


def make_folder(path: Path, records: int) -> Path:
    path.mkdir()
    text = SAMPLE.read_text("utf-8")
    for n in range(1, records + 1):
        record = text.replace("kind: thong-bao-ket-luan", f"kind: thong-bao-ket-luan\nnumber: {n}")
        (path / f"r{n:05d}.yaml").write_text(record, "utf-8")
    return path


def settle() -> None:
    """Let the disk write what making the inputs left in memory, as a clerk's records
    are on disk long before the batch; an inode deleted before then counts as recent
    for one minute instead of six (see above)."""
    os.sync()
    time.sleep(1)


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _family(pid: int) -> list[int]:
    out = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out += _family(int(child))
    return out


def batch(args: list[str]) -> tuple[float, int]:
    """Wall seconds of `notice-gen batch ARGS` and the peak RSS of any of its processes
    (sampled by a thread, so that the end is seen when it comes); the disk settled first."""
    settle()
    with tempfile.TemporaryFile() as messages:  # a pipe left unread would fill and stall it
        start = time.perf_counter()
        process = subprocess.Popen(
            [*CLI, "batch", *args], stdout=subprocess.DEVNULL, stderr=messages
        )
        peaks: dict[int, int] = {}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                for pid in _family(process.pid):
                    peaks[pid] = max(peaks.get(pid, 0), _rss(pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        process.wait()
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        if process.returncode != 0:
            messages.seek(0)
            raise SystemExit(messages.read().decode() or "batch failed")
    return seconds, max(peaks.values(), default=0)


def naive(records: int, out: Path) -> float:
    """Seconds per document of the naive docxtpl loop."""
    from docxtpl import DocxTemplate

    from notice_gen import read_record
    from notice_gen.docx.template import builtin_template
    from notice_gen.pipeline.compose import context

    record, _ = read_record(SAMPLE)
    ctx = context(record)
    template = builtin_template(record.kind, record.rules)
    start = time.perf_counter()
    for n in range(records):
        doc = DocxTemplate(template)
        doc.render(ctx, autoescape=True)
        doc.save(out / f"{n}.docx")
    return (time.perf_counter() - start) / records


def engine(records: int) -> float:
    """Seconds per document of the engine alone: render one context, in memory."""
    from notice_gen import read_record
    from notice_gen.docx.template import builtin_template, load_template
    from notice_gen.pipeline.compose import context

    record, _ = read_record(SAMPLE)
    ctx = context(record)
    template = load_template(builtin_template(record.kind, record.rules), record.rules)
    template.render(ctx)
    start = time.perf_counter()
    for _ in range(records):
        template.render(ctx)
    return (time.perf_counter() - start) / records


def walls(commands: list[list[str]], before: Callable[[int], None], runs: int = 7) -> list[float]:
    """The median wall seconds of each command as a new process, the commands taken in
    turn `runs` times (so that a slow spell of the host hits them all); `before(n)` is
    called before each turn."""
    times: list[list[float]] = [[] for _ in commands]
    for n in range(runs):
        before(n)
        for command, taken in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in times]


def create_cost(folder: Path, files: int = 300) -> float:
    """Seconds to create and write one 30 KB file in `folder`."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        start = time.perf_counter()
        for n in range(files):
            Path(tmp, f"{n}.docx").write_bytes(bytes(30_000))
        return (time.perf_counter() - start) / files


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores, {model}"


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main() -> None:
    big = int(sys.argv[sys.argv.index("--big") + 1]) if "--big" in sys.argv else 20_000
    count = int(sys.argv[sys.argv.index("--folder") + 1]) if "--folder" in sys.argv else 2_000
    rounds = max(1, int(sys.argv[sys.argv.index("--rounds") + 1])) if "--rounds" in sys.argv else 1
    jobs = str(os.cpu_count() or 1)
    import notice_gen  # byte-compiled first, as an installed package is

    compileall.compile_dir(Path(notice_gen.__file__).parent, quiet=1)
    print(f"machine: {machine()}; before: {load()}")
    with tempfile.TemporaryDirectory(dir=Path.cwd(), prefix=".bench-") as tmp:
        work = Path(tmp)
        with tempfile.TemporaryDirectory(dir=work) as out:  # first: no batch's files to flush
            edited = Path(out) / "edited.yaml"
            text = SAMPLE.read_text("utf-8")

            def edit(n: int) -> None:  # a record never rendered before: linted in full
                number = f"kind: thong-bao-ket-luan\nnumber: {900 + n}"
                edited.write_text(text.replace("kind: thong-bao-ket-luan", number), "utf-8")

            bare, help_s, render_s, new_s = walls(
                [
                    [sys.executable, "-c", "pass"],
                    [*CLI, "--help"],
                    [*CLI, "render", str(SAMPLE), "-o", out, "--force"],
                    [*CLI, "render", str(edited), "-o", out, "--force"],
                ],
                before=edit,
            )
        folder = make_folder(work / "records", count)
        sheet = make_csv(work / "rows.csv", big)
        folders, sheets = [], []
        for n in range(rounds):  # alternated, so that a slow spell of the host hits both
            folders.append(batch([str(folder), "-o", str(work / f"a{n}"), "-j", jobs]))
            sheets.append(
                batch([str(sheet), "--base", str(SAMPLE), "-o", str(work / f"b{n}"), "-j", jobs])
            )
        folder_s, sheet_s = min(s for s, _rss in folders), min(s for s, _rss in sheets)
        folder_rss, sheet_rss = max(r for _s, r in folders), max(r for _s, r in sheets)
        (work / "c").mkdir()
        naive_s = naive(100, work / "c")
        engine_s = engine(500)
    folder_rate, sheet_rate, naive_rate = count / folder_s, big / sheet_s, 1 / naive_s
    print(f"after: {load()}")
    best = f", the best of {rounds} rounds" if rounds > 1 else ""
    print(f"documents/s, 3-page sample, to disk, --jobs {jobs}, process start included{best}:")
    rows = [
        (f"batch, folder of {count:,} YAML", folder_rate, f"peak RSS {folder_rss / MB:.0f} MB"),
        (f"batch, {big:,}-row CSV sheet", sheet_rate, f"peak RSS {sheet_rss / MB:.0f} MB"),
        ("naive docxtpl loop, 1 core", naive_rate, ""),
        ("engine alone (render, in memory, 1 core)", 1 / engine_s, ""),
    ]
    for name, rate, note in rows:
        print(f"  {name:<42} {rate:7.0f} /s   {rate / naive_rate:5.1f}x naive   {note}")
    if rounds > 1:
        for name, runs, n in (("folder", folders, count), ("sheet", sheets, big)):
            rates = ", ".join(f"{n / seconds:.0f}" for seconds, _rss in runs)
            print(f"  every round, {name}: {rates} /s")
    print("creating one 30 KB file:")
    for name, where in (
        ("in the working folder", Path.cwd()),
        ("in /tmp", Path(tempfile.gettempdir())),
    ):
        print(f"  {name:<42} {create_cost(where) * 1000:6.3f} ms")
    print("start-up, median of 7 new processes, the four taken in turn:")
    for name, seconds in (
        ("python -c pass", bare),
        ("notice-gen --help", help_s),
        ("notice-gen render, sample rendered before", render_s),
        ("notice-gen render, a record just edited", new_s),
    ):
        print(f"  {name:<42} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
