"""Per-document cost of `batch --check-all` (the value check, lint/values.py) beside the
full lint (`--check-full`, lint/check.py), over the rendered samples, in one process:
median of several runs per sample, milliseconds, side by side.
    python bench/check.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_ms(work: Callable[..., object], args: tuple[object, ...], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    from notice_gen.lint.check import check_bytes
    from notice_gen.lint.values import check_values
    from notice_gen.pipeline.document import read_record, render_values

    print(f"{'sample':<42} {'full lint':>10} {'values':>8} {'ratio':>7}")
    fulls, cheaps = [], []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        record, _warnings = read_record(path)
        data, values = render_values(record)
        full = median_ms(check_bytes, (data, path.name, record.profile), runs)
        cheap = median_ms(check_values, (values, record.rules, path.name), runs)
        fulls.append(full)
        cheaps.append(cheap)
        print(f"{path.stem:<42} {full:>8.2f}ms {cheap:>6.3f}ms {full / cheap:>6.0f}×")
    full, cheap = statistics.median(fulls), statistics.median(cheaps)
    print(f"{'median':<42} {full:>8.2f}ms {cheap:>6.3f}ms {full / cheap:>6.0f}×")


if __name__ == "__main__":
    main()
