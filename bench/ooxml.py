"""Time of validating rendered samples with `notice_gen.docx.ooxml`, in one fresh process:
the first call (which compiles the schemas) and the median of the calls after it.
    python bench/ooxml.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from notice_gen import render_file
    from notice_gen.docx.ooxml import validate_package

    with tempfile.TemporaryDirectory() as out:
        samples = [render_file(p, Path(out))[0] for p in sorted((ROOT / "data").glob("*.yaml"))]
        packages = [docx.read_bytes() for docx in samples]
    start = time.perf_counter()
    validate_package(packages[0])
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        for package in packages:
            start = time.perf_counter()
            validate_package(package)
            times.append(time.perf_counter() - start)
    print(f"first call (schemas compiled): {first * 1000:.0f} ms")
    print(f"then per document: median {statistics.median(times) * 1000:.1f} ms, ", end="")
    print(f"max {max(times) * 1000:.1f} ms over {len(times)} validations")


if __name__ == "__main__":
    main()
