"""Lines pushed into columns with tabs or runs of spaces, split back into their columns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .read import Para

GAP = re.compile(r"\t+| {3,}")
BEFORE_BLANK = re.compile(r"(Số\s*:?|ngày|tháng|năm)\s*$", re.I)  # blanks left for hand filling
AFTER_BLANK = re.compile(r"^\s*(/|-|tháng|năm)", re.I)


@dataclass(frozen=True)
class Piece:
    """One column of a line: its text, whether it is all bold, and its column (0 = left)."""

    text: str
    bold: bool
    column: int | None  # None: a line with no columns, outside any table
    para: Para


def pieces(para: Para) -> list[Piece]:
    """The columns of `para`; blanks inside `Số:      /TB-VP` or `ngày    tháng` stay."""
    chars = [(ch, span.bold) for span in para.spans for ch in span.text]
    text = "".join(ch for ch, _ in chars)
    cuts = [
        m
        for m in GAP.finditer(text)
        if not (BEFORE_BLANK.search(text[: m.start()]) or AFTER_BLANK.match(text[m.end() :]))
    ]
    out: list[Piece] = []
    start, index = 0, 0
    lead = bool(cuts) and not text[: cuts[0].start()].strip()
    for end, after in [*((m.start(), m.end()) for m in cuts), (len(text), len(text))]:
        part = text[start:end]
        if part.strip():
            bolds = [b for ch, b in chars[start:end] if not ch.isspace()]
            column = para.column
            if column is None and cuts:
                column = index + lead
            elif column is None and para.align in ("right", "end"):
                column = 1
            out.append(Piece(" ".join(part.split()), all(bolds), column, para))
            index += 1
        start = after
    return out
