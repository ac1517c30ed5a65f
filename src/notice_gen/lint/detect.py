"""Which rulebook a document follows, read from its header (and its date)."""

from __future__ import annotations

from ..docx.reader import Layout
from ..rules.patterns import DATE
from ..rules.profiles import PROFILES, Profile
from ..rules.wording import PARTY_TITLE, QUOC_HIEU, TIEU_NGU
from .context import date_of, recipients


def detect_profile(lay: Layout) -> Profile | None:
    """nd30 from the Quốc hiệu; a Party profile from the party title and the date, or,
    undated, from the Nơi nhận punctuation (`,` under HD 36); None when neither."""
    header = [p.text.strip() for row in lay.header for cell in row for p in cell.paras]
    if QUOC_HIEU in header or TIEU_NGU in header:
        return PROFILES["nd30"]
    if PARTY_TITLE not in header:
        return None
    hd05, hd36 = PROFILES["party-hd05"], PROFILES["party-hd36"]
    for text in header:
        if DATE.match(text):
            day = date_of(text)
            return hd36 if day and hd05.valid_from and day < hd05.valid_from else hd05
    found = recipients(lay)
    if found and found[1] and all(p.text.rstrip().endswith(hd36.separator) for p in found[1][:-1]):
        return hd36
    return hd05
