"""Where a văn thư breaks centred lines, and which hyphens must never break.

Header names and titles are centred: a văn thư breaks them between word groups,
into lines of similar length, never leaving one syllable alone or starting a
line with a dash, never inside a place or region name, never just inside a
quotation mark and only reluctantly inside a quoted title. `balanced_lines` does this from the
Times New Roman metrics for a column width; explicit lines always win (callers
pass only text the record gives as one line).

Document symbols (`01-CT/TU`, `05/TB-VP`) never break at their hyphen:
`symbol_hyphens` finds those hyphens; the renderer prints them as Word
non-breaking hyphens (`w:noBreakHyphen`, which LibreOffice honours too).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from ..docx.ns import mm
from .metrics import width

HEADER_COLUMNS = (mm(70), mm(95))  # built-in header table: issuing body | Quốc hiệu, twips
CLOSING_COLUMNS = (mm(80), mm(85))  # built-in closing table: Nơi nhận | signature, twips
NO_BREAK_SPACE = "\u00a0"
FIT = 0.98  # share of a column a computed line may fill (rounding in Word and LibreOffice)
MAX_LINES = 6

PREFERRED = frozenset({"VÀ", "CỦA", "TẠI", "VỀ"})  # a word group starts: break before it
PLACES = frozenset({"TỈNH", "HUYỆN", "PHƯỜNG", "XÃ", "QUẬN", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN"})
COMMITTEE = "ỦY"  # TỈNH ỦY BÌNH THUẬN, HUYỆN ỦY ĐỒNG VĂN: one word, then a place name
NAME_ENDS = PREFERRED | frozenset(  # words that end a place name and start the next group
    "VỚI TRONG NĂM NGÀY THÁNG ĐẾN CHO THEO NHIỆM LẦN KHÓA GIAI ĐỢT QUÝ TRÊN DO ĐỂ TỪ SAU".split()
)
HEADS = frozenset("BAN SỞ CỤC PHÒNG VỤ VIỆN TRƯỜNG".split())  # … and the unit's name after it
COUNTED = frozenset("NĂM THÁNG NGÀY SỐ LẦN KHÓA QUÝ ĐỢT".split())  # kept with their number
COMPOUNDS = frozenset(  # two-syllable words of official names and titles: never split
    tuple(word.split("_"))
    for word in """
    ỦY_BAN NHÂN_DÂN ĐẢNG_BỘ ĐẢNG_ỦY CHI_BỘ VĂN_PHÒNG TUYÊN_GIÁO DÂN_VẬN TỔ_CHỨC KIỂM_TRA
    THƯỜNG_VỤ THƯỜNG_TRỰC CHẤP_HÀNH TRUNG_ƯƠNG MẶT_TRẬN TỔ_QUỐC VIỆT_NAM CÔNG_AN QUÂN_SỰ
    TÀI_CHÍNH KẾ_HOẠCH ĐẦU_TƯ GIÁO_DỤC ĐÀO_TẠO Y_TẾ NỘI_VỤ TƯ_PHÁP XÂY_DỰNG GIAO_THÔNG
    VẬN_TẢI NÔNG_NGHIỆP PHÁT_TRIỂN NÔNG_THÔN TÀI_NGUYÊN MÔI_TRƯỜNG CÔNG_THƯƠNG VĂN_HÓA
    THỂ_THAO DU_LỊCH LAO_ĐỘNG THƯƠNG_BINH XÃ_HỘI KHOA_HỌC CÔNG_NGHỆ THÔNG_TIN TRUYỀN_THÔNG
    NGOẠI_VỤ THANH_TRA DÂN_TỘC HÀNH_CHÍNH QUẢN_TRỊ KẾT_LUẬN ĐỒNG_CHÍ CHỦ_TỊCH BÍ_THƯ
    HỘI_NGHỊ CUỘC_HỌP LÀM_VIỆC CÔNG_TÁC TÌNH_HÌNH KẾT_QUẢ THỰC_HIỆN NHIỆM_VỤ NHIỆM_KỲ
    CHỈ_ĐẠO GIẢI_PHÓNG MẶT_BẰNG DỰ_ÁN CAO_TỐC CHƯƠNG_TRÌNH TỔNG_KẾT CHUẨN_BỊ ĐOÀN_THỂ
    CƠ_SỞ ĐẢNG_VIÊN SINH_HOẠT CHÍNH_TRỊ LƯU_TRỮ CHÍNH_PHỦ QUỐC_HỘI HỘI_ĐỒNG TIẾN_ĐỘ
    THÀNH_PHỐ THỊ_XÃ THỊ_TRẤN BẢO_TRỢ CHỦ_TRÌ ĐÁNH_GIÁ PHÒNG_CHỐNG VĂN_THƯ NHÀ_NƯỚC
    PHÓ_TRƯỞNG TRƯỞNG_BAN PHÓ_CHỦ PHÓ_BÍ GIÁM_ĐỐC PHÓ_GIÁM CHÁNH_VĂN TRỰC_THUỘC
    SƠ_KẾT THI_ĐUA KHEN_THƯỞNG PHONG_TRÀO ĐẠI_HỘI TRIỂN_KHAI
    """.split()
)
REGIONS = tuple(  # geographic regions, never broken: the longest first
    sorted(
        (
            tuple(name.split())
            for name in (
                "TRUNG DU VÀ MIỀN NÚI PHÍA BẮC",
                "MIỀN NÚI PHÍA BẮC",
                "ĐỒNG BẰNG SÔNG HỒNG",
                "BẮC TRUNG BỘ",
                "DUYÊN HẢI MIỀN TRUNG",
                "DUYÊN HẢI NAM TRUNG BỘ",
                "NAM TRUNG BỘ",
                "TÂY NGUYÊN",
                "ĐÔNG NAM BỘ",
                "ĐỒNG BẰNG SÔNG CỬU LONG",
                "TÂY BẮC BỘ",
                "ĐÔNG BẮC BỘ",
            )
        ),
        key=len,
        reverse=True,
    )
)
OPENING = "“‘"
CLOSING = "”’"
QUOTES = '"' + OPENING + CLOSING
SPELLINGS = {"UỶ": "ỦY", "OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA", "UÝ": "ÚY"}
# costs of breaks; raggedness costs RAGGED x the squared deviations from the mean line (columns)
RAGGED = 30.0
NEVER = 1e6
COST = {
    "preferred": 0.0,  # before VÀ, CỦA, TẠI, VỀ
    "comma": 0.5,  # after a comma
    "plain": 1.5,
    "name": 4.0,  # inside a run of capitalised words (a name in running text)
    "dangling": 5.0,  # a line ending in VÀ, CỦA …
    "head": 8.0,  # between BAN, SỞ, PHÒNG … and the unit's name
    "hyphen": 8.0,  # after a spaced hyphen: the next line reads like a list item
    "quoted": 12.0,  # inside a quoted title (về “Tổ chức … các cấp”)
    "word": 20.0,  # inside a two-syllable word (DÂN | VẬN)
}

SYMBOL = re.compile(r"(?<![\w/-])[0-9A-Za-zĐđ]*(?:[-/][0-9A-Za-zĐđ]+)+")


def _key(word: str) -> str:
    """A word in capitals, old and new tone placement alike (UỶ = ỦY), without punctuation."""
    key = word.strip(",.;:()" + QUOTES).upper()
    for old, new in SPELLINGS.items():
        if key.endswith(old):
            key = key[: -len(old)] + new
    return key


def tokens(text: str) -> list[str]:
    """Words; a spaced hyphen and a spaced closing quote stay with the word before them
    (`CAM LY -`, `chức ”`), a spaced opening quote with the word after it (`“ Tổ`)."""
    out: list[str] = []
    opening, inside = "", False
    for word in text.split():
        if word in ("-", "–") and out:
            out[-1] += " " + word
        elif word in QUOTES and not opening:
            closes = word in CLOSING or (word == '"' and inside)
            inside = not closes if word == '"' else word in OPENING
            if closes and out:
                out[-1] += " " + word
            else:
                opening = word
        else:
            inside = _inside_after(word, inside)
            out.append(f"{opening} {word}" if opening else word)
            opening = ""
    return out + ([opening] if opening else [])


def _inside_after(word: str, inside: bool) -> bool:
    """Whether a quotation is open after `word`."""
    for ch in word:
        if ch in OPENING:
            inside = True
        elif ch in CLOSING:
            inside = False
        elif ch == '"':
            inside = not inside
    return inside


def _key_of(token: str) -> str:
    """The key of a token's word (not of a spaced quote or hyphen in it)."""
    parts = [part for part in token.split(" ") if part.strip(QUOTES + "-–")]
    return _key(parts[0] if parts else token)


def _break_costs(words: list[str]) -> list[float]:
    """Cost of a break before each word (index 0 unused)."""
    keys = [_key_of(w) for w in words]
    caps = all(w == w.upper() for w in words)
    costs = [0.0] + [COST["plain"]] * (len(words) - 1)
    quoted = [False] * len(words)  # a break before word i falls inside a quotation
    inside = False
    for i, word in enumerate(words):
        quoted[i] = inside
        inside = _inside_after(word, inside)
    for i in range(1, len(words)):
        before, here = words[i - 1], words[i]
        if keys[i] in PREFERRED:
            costs[i] = COST["preferred"]
        elif before.endswith(","):
            costs[i] = COST["comma"]
        if keys[i - 1] in HEADS:
            costs[i] = COST["head"]
        if (keys[i - 1], keys[i]) in COMPOUNDS:
            costs[i] = COST["word"]
        if keys[i - 1] in PREFERRED:
            costs[i] = COST["dangling"]
        if before.endswith((" -", " –")):
            costs[i] = NEVER if here[:1].isdigit() else COST["hyphen"]
        if keys[i - 1] in COUNTED and here[:1].isdigit():
            costs[i] = NEVER
        if before.isdigit() and (keys[i] in COUNTED or here[:1].islower()):  # 4 năm, 7 tỉnh
            costs[i] = NEVER if keys[i] not in PREFERRED else costs[i]
        if quoted[i]:
            costs[i] = max(costs[i], COST["quoted"])
        if here.startswith(("-", "–")):
            costs[i] = NEVER
        if not caps and here[:1].isupper() and before[:1].isupper() and not before.endswith(","):
            costs[i] = max(costs[i], COST["name"])  # Tân Phú - Bảo Lộc
    for start, end in [*_names(keys, words, caps), *_regions(keys)]:
        for i in range(start + 1, end):
            costs[i] = NEVER
    return costs


def _regions(keys: list[str]) -> list[tuple[int, int]]:
    """Spans (start, end) of the names of REGIONS (Miền núi phía Bắc, Tây Nguyên …)."""
    spans, i = [], 0
    while i < len(keys):
        found = next((r for r in REGIONS if tuple(keys[i : i + len(r)]) == r), None)
        if found:
            spans.append((i, i + len(found)))
        i += len(found) if found else 1
    return spans


def _names(keys: list[str], words: list[str], caps: bool) -> list[tuple[int, int]]:
    """Spans (start, end) of a place keyword and the name after it, and of TỈNH ỦY …"""
    spans = []
    for i, key in enumerate(keys):
        after = keys[i + 1] if i + 1 < len(keys) else ""
        if after == COMMITTEE and key in PLACES | {"THÀNH", "THỊ"}:
            j = i + 2  # TỈNH ỦY, THÀNH ỦY …
        elif f"{key} {after}" in PLACES:
            j = i + 2  # THÀNH PHỐ, THỊ XÃ …
        elif key in PLACES and (key, after) not in COMPOUNDS:  # but XÃ HỘI
            j = i + 1
        else:
            continue
        start = i
        end = j
        while (
            end < len(words)
            and end - j < 5
            and keys[end] not in NAME_ENDS | PLACES
            and " ".join(keys[end : end + 2]) not in PLACES
            and (caps or words[end][:1].isupper() or words[end][:1].isdigit())
        ):
            end += 1
            if words[end - 1].endswith(","):
                break
        spans.append((start, end))
    return spans


def balanced_lines(text: str, room: int, size: float, *, bold: bool = False) -> list[str]:
    """`text` as centred lines within `room` twips: the fewest lines, breaks between word
    groups, lengths as even as those allow; one line when it fits."""
    return list(_balanced(text, room, size, bold))


@lru_cache(maxsize=4096)
def _balanced(text: str, room: int, size: float, bold: bool) -> tuple[str, ...]:
    limit = room * FIT
    if width(text, size, bold=bold) <= limit:
        return (text,)
    words = tokens(text)
    sizes = [width(w, size, bold=bold) for w in words]
    space = width(" ", size, bold=bold)
    prefix = [0, *accumulate(sizes)]
    costs = _break_costs(words)
    syllables = [sum(any(c.isalnum() for c in part) for part in w.split()) for w in words]
    n = len(words)

    def line(i: int, j: int) -> int:
        return prefix[j] - prefix[i] + space * (j - i - 1)

    fallback: tuple[str, ...] = (text,)  # no breaking fits: the word processor wraps it
    for count in range(2, min(n, MAX_LINES) + 1):
        mean = (prefix[n] + space * (n - count)) / count
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
        for lines in range(1, count + 1):
            for j in range(lines, n + 1):
                options = []
                for i in range(lines - 1, j):
                    if (i, lines - 1) not in best:
                        continue
                    wide = line(i, j)
                    if wide > limit or sum(syllables[i:j]) < 2:
                        continue
                    cost = best[(i, lines - 1)][0] + RAGGED * ((wide - mean) / room) ** 2
                    options.append((cost + (costs[i] if i else 0.0), i))
                if options:
                    best[(j, lines)] = min(options)
        if (n, count) not in best:
            continue
        cuts, j = [], n
        for lines in range(count, 0, -1):
            i = best[(j, lines)][1]
            cuts.append(" ".join(words[i:j]))
            j = i
        if best[(n, count)][0] < NEVER:
            return tuple(reversed(cuts))
        if len(fallback) == 1:  # breaks a rule, but the fewest lines that fit
            fallback = tuple(reversed(cuts))
    return fallback


def symbol_hyphens(text: str) -> list[int]:
    """Positions of the hyphens inside document symbols (`01-CT/TU`, `05/TB-VP`,
    `30/2020/NĐ-CP`, the blank `Số      -TB/TU`): words with both `/` and `-`."""
    out: list[int] = []
    if "/" not in text or "-" not in text:
        return out
    for match in SYMBOL.finditer(text):
        found = match.group()
        if "/" in found and "-" in found:
            out += [match.start() + i for i, ch in enumerate(found) if ch == "-"]
    return out


def kept_end(line: str, room: int, size: float) -> str:
    """A left-aligned line that wraps within `room` twips, with its last two words joined
    by a non-breaking space: the wrapped line never holds one syllable alone."""
    if width(line, size) <= room * FIT or line.count(" ") < 2:
        return line
    head, _, last = line.rpartition(" ")
    return f"{head}{NO_BREAK_SPACE}{last}"
