"""Fixed texts and punctuation the rulebooks prescribe, and the helpers that bring a
clerk's wording into that form (the patterns a printed line is recognised by: `patterns`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .profiles import Profile

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
NATIONAL_LINES = {"national_title": QUOC_HIEU, "motto": TIEU_NGU}
PARTY_LINES = {"party_title": PARTY_TITLE, "org_separator": "*", "title_separator": "-----"}
ORG_SEPARATOR = PARTY_LINES["org_separator"]  # the centred star under a Party issuer
TITLE_SEPARATOR = PARTY_LINES["title_separator"]  # the hyphens under a Party subject
RECIPIENTS_LABEL = "Nơi nhận:"
ITEM_DASH = "- "  # each Nơi nhận item starts with it

DOC_TYPE_NAMES = (  # type names that open the title block of a "văn bản có tên loại"
    "THÔNG BÁO",
    "BIÊN BẢN",
    "GIẤY MỜI",
    "BÁO CÁO",
    "QUYẾT ĐỊNH",
    "KẾ HOẠCH",
    "TỜ TRÌNH",
    "KẾT LUẬN",
    "CHỈ THỊ",
    "NGHỊ QUYẾT",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
)
MINUTES = DOC_TYPE_NAMES[1]

COMMITTEE = re.compile(r"TỈNH (ỦY|UỶ)|HUYỆN (ỦY|UỶ)|ĐẢNG (ỦY|UỶ)")  # a Party body's name


_DASH, _TAIL = re.compile(r"^[-–+•]\s*"), re.compile(r"[;,.\s]+$")  # around an entry


@lru_cache(maxsize=1024)
def bare(item: str) -> str:
    """A Nơi nhận entry without the leading dash and the trailing punctuation."""
    return _TAIL.sub("", _DASH.sub("", item.strip()))


def archive_body(archive: str, rules: Profile) -> str:
    """What follows `Lưu` on the archive line: State `VT` first (`VT, TH`), Party the body."""
    body = bare(archive)
    if body.startswith(rules.archive_prefix):
        body = bare(body[len(rules.archive_prefix) :].lstrip(" :"))
    if rules.regime == "state":
        rest = re.sub(r"^VT\b[,\s]*", "", body)
        return f"VT, {rest}" if rest else "VT"
    return body


def authority_marker(value: str, profile: Profile) -> str | None:
    """The profile's spelling of a signing-authority marker, or None if not its own."""
    for marker in profile.markers:
        if value in (marker, marker.rstrip(".")):
            return marker
    return None


MEMBERSHIP = re.compile(r"(?i)\b(ủy|uỷ) viên\b")  # Ủy viên Trung ương Đảng, Tỉnh ủy viên
AGENDA_COUNTER = re.compile(r"^\s*(?:\d+[.)]|[a-zđ]\)|[IVX]+\.|[-–+•])\s*")  # 1. a) II. -


def usual_title(position: str) -> str:
    """The title an office writes before `kết luận`: the first part of a position with
    commas that is not a membership (`Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy` -> `Bí thư
    Tỉnh ủy`)."""
    parts = [part.strip() for part in position.split(",") if part.strip()]
    titles = [part for part in parts if not MEMBERSHIP.search(part)]
    return (titles or parts or [position])[0]


def agenda_items(agenda: list[str]) -> list[str]:
    """The agenda's items: each line of each paragraph, as typed."""
    return [line.strip() for text in agenda for line in text.splitlines() if line.strip()]


def in_sentence(item: str, *, lower: bool = False) -> str:
    """An agenda item run into a sentence: no counter, no final stop; with `lower`, a
    capitalised first word in lower case unless a name follows (`Tổng kết …` -> `tổng kết …`)."""
    text = re.sub(r"[.;,\s]+$", "", AGENDA_COUNTER.sub("", item, count=1))
    words = text.split(" ", 2)
    if lower and len(words) > 1 and words[1][:1].islower() and words[0][1:].islower():
        return text[:1].lower() + text[1:]
    return text


OPENING_QUOTE = re.compile(r'(?:^|(?<=[\s(\[{“‘]))"')  # after the start, a space or a bracket


def curly_quotes(text: str) -> str:
    """Straight double quotes as printed: `“` opening (at the start, after a space or a
    bracket), `”` closing otherwise."""
    return OPENING_QUOTE.sub("“", text).replace('"', "”") if '"' in text else text
