"""Batch throughput, measured side by side in one run.

- `notice-gen batch` of a 2,000-row CSV and of a folder of 2,000 YAML records (the
  3-page 2014 sample), end to end to disk, as a new process with `--jobs` = cores;
- a naive docxtpl loop (DocxTemplate(path); render(ctx, autoescape=True); save() per
  record) over the same template and context;
- peak RSS of the batch process and of its workers for 20,000 records.
    python bench/batch.py [--big N]
"""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "thong-bao-ket-luan-tuy-phong-2014.yaml"
CLI = [sys.executable, "-m", "notice_gen", "batch"]


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


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def naive(records: int, out: Path) -> float:
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
    return time.perf_counter() - start


def main() -> None:
    big = int(sys.argv[sys.argv.index("--big") + 1]) if "--big" in sys.argv else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sheet = make_csv(work / "rows.csv", 2000)
        folder = make_folder(work / "records", 2000)
        csv_s = timed([*CLI, str(sheet), "--base", str(SAMPLE), "-o", str(work / "a")])
        yaml_s = timed([*CLI, str(folder), "-o", str(work / "b")])
        (work / "c").mkdir()
        naive_n = 200
        naive_s = naive(naive_n, work / "c") / naive_n
        ours = csv_s / 2000
        print("documents/s, end to end to disk (3-page sample, --jobs = cores):")
        print(f"  batch, 2,000-row CSV           {2000 / csv_s:7.0f} /s")
        print(f"  batch, folder of 2,000 YAML    {2000 / yaml_s:7.0f} /s")
        print(f"  naive docxtpl loop (200, 1 core){1 / naive_s:6.0f} /s")
        print(f"  ratio batch CSV : naive         {naive_s / ours:6.1f}x")
        big_sheet = make_csv(work / "big.csv", big)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        big_s = timed([*CLI, str(big_sheet), "--base", str(SAMPLE), "-o", str(work / "d")])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"  batch, {big:,}-row CSV          {big / big_s:7.0f} /s")
        print(
            f"peak RSS of one process (batch or a worker), {big:,} records: "
            f"{max(peak, before) / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
