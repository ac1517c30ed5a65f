"""Wall time of one `notice-gen render` and of `notice-gen --help`, imports included.

Each command runs as a new process, as a clerk would run it; the figure is the
median of several runs, beside a bare `python -c pass` measured in the same run.
    python bench/render_one.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "thong-bao-ket-luan-tuy-phong-2014.yaml"


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    cli = [sys.executable, "-m", "notice_gen"]
    with tempfile.TemporaryDirectory() as out:
        figures = {
            "python -c pass": wall([sys.executable, "-c", "pass"], runs),
            "notice-gen --help": wall([*cli, "--help"], runs),
            "notice-gen render (3-page sample)": wall(
                [*cli, "render", str(SAMPLE), "-o", out, "--force"], runs
            ),
        }
    base = figures["python -c pass"]
    print(f"median of {runs} runs, each a new process")
    for name, seconds in figures.items():
        print(f"  {name:<36} {seconds:6.3f} s   {seconds / base:5.1f}x bare python")


if __name__ == "__main__":
    main()
