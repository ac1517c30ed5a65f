"""Printed widths of text in Times New Roman, from the font's advance widths."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..docx.ns import TWIPS_PER_PT


@cache
def _metrics() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("metrics.json").read_text("utf-8")
    metrics: dict[str, Any] = json.loads(text)
    return metrics


def width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> int:
    """Printed width of `text` at `size` points, in twips."""
    metrics = _metrics()
    table: dict[str, int] = metrics[
        ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    ]
    fallback = table["n"]
    units = sum(table.get(ch, fallback) for ch in text)
    per_em: int = metrics["units_per_em"]
    return round(units / per_em * size * TWIPS_PER_PT)
