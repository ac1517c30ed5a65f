"""Lengths of the drawn lines under the State issuing body and subject (ND 30 Phụ lục I).

The law: 1/3 to 1/2 of the text line above. The generator draws 5/12 (the middle).
Short names (format-rules §13): under `VĂN PHÒNG` 5/12 is 10.7 mm and reads like
a slip of the pen; practice draws a line that looks intentional. Decision: aim at
25 mm but never leave the legal range, i.e. min(1/2, max(5/12, 25 mm)) of the text.
So `VĂN PHÒNG` (26 mm of text) gets 13 mm, the legal maximum; a 50 mm name 25 mm;
from 60 mm on it is 5/12 again. `notice-gen check` judges the legal 1/3-1/2 only.
"""

from __future__ import annotations

from ..docx.ns import mm

SHARE = 5 / 12  # of the text line, inside the legal 1/3-1/2
LEGAL = (1 / 3, 1 / 2)
SHORT_TARGET = mm(25)  # what a short name's line aims at


def fraction_line(text: int) -> int:
    """Length (twips) of the line under a text line `text` twips wide."""
    return round(min(text * LEGAL[1], max(text * SHARE, SHORT_TARGET)))
