"""Per-record validation time, the full path beside the fast one, in one run.

The records are the samples of data/ (each kind block of a file too) and rows of a
sheet (a CSV over a `--base` sample); each is validated `--rounds` times by
`full_validate` (hygiene, recovery, model, rulebook) and by `validate` (the fast path
first). The best round of each counts, against a busy machine.
    python bench/validate.py [--rounds R] [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from notice_gen.pipeline.sheets import sheet_row
from notice_gen.record.load import Source, load, merge, select_kind
from notice_gen.record.validate import full_validate, quick_validate, validate
from notice_gen.rules.profiles import KINDS

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "data" / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def samples() -> list[Source]:
    out = []
    for path in sorted((ROOT / "data").glob("*.yaml")):
        source = load(path)
        kinds = [k for k in KINDS if isinstance(source.data.get(k), dict)]
        out += [select_kind(source, None, KINDS)] + [select_kind(source, k, KINDS) for k in kinds]
    return out


def sheet(folder: Path, rows: int) -> list[Source]:
    path = folder / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "signer.name", "subject"])
        for n in range(1, rows + 1):
            writer.writerow([n, f"Nguyễn Văn {n}", f"Về việc số {n} của năm"])
    base = load(BASE)
    out = []
    for n in range(2, rows + 2):  # as `batch` builds a row's record
        row = sheet_row(path, n, BASE)
        positions = {k: (Path(f), line) for k, (f, line) in row.positions.items()}
        out.append(select_kind(merge(base, Source(path, row.data, positions)), None, KINDS))
    return out


def best(check: Callable[[Source], Any], sources: list[Source], rounds: int) -> float:
    """The best per-record time of `rounds` passes over `sources`, in ms."""
    times = []
    for _round in range(rounds):
        start = time.perf_counter()
        for source in sources:
            check(source)
        times.append((time.perf_counter() - start) / len(sources) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"data/ samples": samples(), "sheet rows": sheet(Path(tmp), args.rows)}
        print(f"{'records':<14} {'n':>5} {'fast':>6} {'full ms':>8} {'fast ms':>8} {'speed-up':>8}")
        for name, sources in sets.items():
            fast = sum(quick_validate(s) is not None for s in sources)
            for source in sources:  # warm the caches and the model, as a batch does
                validate(source)
            full_ms = best(full_validate, sources, args.rounds)
            fast_ms = best(validate, sources, args.rounds)
            print(
                f"{name:<14} {len(sources):>5} {fast:>6} {full_ms:>8.3f} {fast_ms:>8.3f} "
                f"{full_ms / fast_ms:>7.2f}×"
            )


if __name__ == "__main__":
    main()
