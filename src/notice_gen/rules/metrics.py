"""Printed widths in Times New Roman, from the advance widths in metrics.json
(Liberation Serif, metric-compatible with Times New Roman; see tools/extract_metrics.py)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _metrics() -> dict[str, Any]:
    return json.loads(
        resources.files("notice_gen.rules").joinpath("metrics.json").read_text("utf-8")
    )


def width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> int:
    """Printed width of `text` in Times New Roman, in twips."""
    metrics = _metrics()
    table = metrics[("bold" if bold else "") + ("italic" if italic else "") or "regular"]
    fallback = table["n"]
    units = sum(table.get(ch, fallback) for ch in text)
    return round(units / metrics["units_per_em"] * size * 20)
