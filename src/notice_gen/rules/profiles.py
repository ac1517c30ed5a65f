"""The rulebooks: one `Profile` per regime, every number taken from format-rules.md.

`nd30` is Nghị định 30/2020/NĐ-CP (State documents); `party-hd05` is Hướng dẫn
05-HD/VPTW of 2026 and `party-hd36` its predecessor of 2018 (Party documents).
Templates never decide any of this: the engine applies these values to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..docx.ns import mm
from . import bounds
from .bounds import Bounds
from .wording import NATIONAL_LINES, PARTY_LINES


@dataclass(frozen=True)
class Style:
    """Rule-decided properties of one paragraph style of the templates."""

    size: float  # points
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: str | None = "center"  # w:jc value; None leaves the template's alignment
    first_line: int | None = None  # twips
    before: int | None = None  # twips
    after: int | None = None  # twips
    line: int | None = None  # twips (exact) or 240ths of a line (auto)
    line_rule: str = "auto"
    keep_next: bool | None = None  # keep with the next paragraph; None leaves the template's


@dataclass(frozen=True)
class Profile:
    """Everything a rulebook decides about a document's form."""

    name: str
    regime: str  # "state" or "party": which built-in layout family
    title: str  # human name of the rulebook
    number_format: str  # with {number}, {type} and {issuer}
    separator: str  # after each Nơi nhận item but the last
    archive_format: str  # the last Nơi nhận line, with {archive}
    archive_prefix: str  # what a clerk may have written before the archive body
    markers: tuple[str, ...]  # signing-authority markers, as printed
    type_codes: dict[str, str]
    margins: tuple[int, int, int, int]  # top, bottom, left, right (twips)
    header_distance: int  # twips from the top edge to the page number
    styles: dict[str, Style]
    bounds: Bounds  # what the linter accepts
    header_lines: dict[str, str] = field(default_factory=dict)  # fixed header texts
    minutes_signers: tuple[str, str] = ("THƯ KÝ", "CHỦ TỌA")  # Biên bản: left, right
    valid_from: date | None = None
    valid_until: date | None = None


PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 portrait, twips
BLANK_NUMBER = " " * 6  # left for hand filling
BLANK_DAY = " " * 6
FONT = "Times New Roman"

LAYOUTS = {  # kind -> built-in layout: ND 30's "văn bản có tên loại" (Mẫu 1.4, 1.7), minutes
    "thong-bao-ket-luan": "van-ban",
    "giay-moi": "van-ban",
    "bien-ban": "bien-ban",
}
DOC_TYPES = {  # kind -> (name printed as the title, State code, Party code)
    "thong-bao-ket-luan": ("THÔNG BÁO", "TB", "TB"),
    "bien-ban": ("BIÊN BẢN", "BB", "BB"),
    "giay-moi": ("GIẤY MỜI", "GM", "GM"),
}

_STATE_STYLES = {  # ND 30 Phụ lục I, the 12/13 set of its own illustration
    "NGParent": Style(12),
    "NGIssuer": Style(12, bold=True),
    "NGNumber": Style(13),
    "NGNationalTitle": Style(12, bold=True),
    "NGMotto": Style(13, bold=True),
    "NGDate": Style(13, italic=True),
    "NGDocType": Style(14, bold=True),
    "NGSubject": Style(14, bold=True),
    "NGBody": Style(14, align="both", first_line=720, before=120, after=0, line=264),
    # the last body paragraph stays on the page of the Nơi nhận and the signature
    "NGBodyLast": Style(
        14, align="both", first_line=720, before=120, after=0, line=264, keep_next=True
    ),
    "NGRecipientsLabel": Style(12, bold=True, italic=True, align="left"),
    "NGRecipient": Style(11, align="left"),
    "NGAuthority": Style(14, bold=True),
    "NGPosition": Style(14, bold=True),
    "NGSignerName": Style(14, bold=True),
    "NGPageNumber": Style(14),
}

_PARTY_STYLES = {  # HD 05 Phụ lục 2 (HD 36 the same but for the body line spacing)
    "NGParent": Style(14),
    "NGIssuer": Style(14, bold=True),
    "NGStar": Style(14),
    "NGNumber": Style(14),
    "NGPartyTitle": Style(15, bold=True),
    "NGDate": Style(14, italic=True),
    "NGDocType": Style(16, bold=True),
    "NGSubject": Style(14, bold=True),
    "NGSeparator": Style(14),
    "NGBody": Style(
        14, align="both", first_line=567, before=120, after=0, line=360, line_rule="exact"
    ),
    "NGBodyLast": Style(
        14,
        align="both",
        first_line=567,
        before=120,
        after=0,
        line=360,
        line_rule="exact",
        keep_next=True,
    ),
    "NGRecipientsLabel": Style(14, underline=True, align="left"),
    "NGRecipient": Style(12, align="left"),
    "NGAuthority": Style(14, bold=True),
    "NGPosition": Style(14),
    "NGSignerName": Style(14, bold=True),
    "NGPageNumber": Style(14),
}

ND30 = Profile(
    name="nd30",
    regime="state",
    title="Nghị định 30/2020/NĐ-CP",
    number_format="Số: {number}/{type}-{issuer}",
    separator=";",
    archive_format="- Lưu: {archive}.",
    archive_prefix="Lưu:",
    markers=("TM.", "KT.", "TL.", "TUQ.", "Q."),
    type_codes={kind: codes[1] for kind, codes in DOC_TYPES.items()},
    margins=(mm(20), mm(20), mm(30), mm(15)),
    header_distance=mm(10),
    styles=_STATE_STYLES,
    bounds=bounds.STATE,
    header_lines=NATIONAL_LINES,
    valid_from=date(2020, 3, 5),  # signed and in force 05/3/2020 (format-rules.md §0)
)

PARTY_HD05 = Profile(
    name="party-hd05",
    regime="party",
    title="Hướng dẫn 05-HD/VPTW (2026)",
    number_format="Số {number}-{type}/{issuer}",
    separator=";",
    archive_format="- Lưu {archive}.",
    archive_prefix="Lưu",
    markers=("T/M", "K/T", "T/L", "Q."),
    type_codes={kind: codes[2] for kind, codes in DOC_TYPES.items()},
    margins=(mm(20), mm(20), mm(30), mm(15)),
    header_distance=mm(10),
    styles=_PARTY_STYLES,
    bounds=bounds.PARTY_HD05,
    header_lines=PARTY_LINES,
    minutes_signers=("NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ"),
    valid_from=date(2026, 5, 27),
)

PARTY_HD36 = Profile(
    name="party-hd36",
    regime="party",
    title="Hướng dẫn 36-HD/VPTW (2018)",
    number_format=PARTY_HD05.number_format,
    separator=",",
    archive_format=PARTY_HD05.archive_format,
    archive_prefix=PARTY_HD05.archive_prefix,
    markers=PARTY_HD05.markers,
    type_codes=PARTY_HD05.type_codes,
    margins=PARTY_HD05.margins,
    header_distance=PARTY_HD05.header_distance,
    styles=_PARTY_STYLES,  # exact 18 pt body spacing satisfies "at least 18 pt"
    bounds=bounds.PARTY_HD36,
    header_lines=PARTY_LINES,
    minutes_signers=PARTY_HD05.minutes_signers,
    valid_from=date(2018, 4, 3),  # its own header: 03/4/2018 [S2] (format-rules.md §6.4)
    valid_until=date(2026, 5, 26),
)

PROFILES = {p.name: p for p in (ND30, PARTY_HD05, PARTY_HD36)}
KINDS = tuple(DOC_TYPES)


def text_width(profile: Profile) -> int:
    """Width of the text area in twips."""
    return PAGE_WIDTH - profile.margins[2] - profile.margins[3]
