"""PDF cost per document: one LibreOffice run for a 200-document batch, beside one
`soffice --convert-to pdf` per file, measured in the same run.
    python bench/pdf.py [N]
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from notice_gen.pipeline.pdf import soffice, to_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sheet = work / "rows.csv"
        with sheet.open("w", newline="", encoding="utf-8") as handle:
            rows = csv.writer(handle)
            rows.writerow(["number"])
            rows.writerows([n] for n in range(1, count + 1))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "notice_gen",
                "batch",
                str(sheet),
                "--base",
                str(SAMPLE),
                "-o",
                str(work / "out"),
            ],
            check=True,
            capture_output=True,
        )
        documents = sorted((work / "out").glob("*.docx"))
        start = time.perf_counter()
        failed = to_pdf(documents)
        pooled = (time.perf_counter() - start) / len(documents)
        single = []
        for document in documents[:5]:
            start = time.perf_counter()
            subprocess.run(
                [
                    soffice(),
                    "--headless",
                    f"-env:UserInstallation=file://{work}/p1",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work / "one"),
                    str(document),
                ],
                check=True,
                capture_output=True,
            )
            single.append(time.perf_counter() - start)
        per_file = sorted(single)[len(single) // 2]
        print(f"{len(documents)} documents, {len(failed)} PDF failures")
        print(f"  one LibreOffice run for the batch   {pooled:6.3f} s per document")
        print(f"  one soffice per file (median of 5)  {per_file:6.3f} s per document")
        print(f"  ratio                               {per_file / pooled:6.1f}x")


if __name__ == "__main__":
    main()
