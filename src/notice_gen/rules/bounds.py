"""What a document may show and still follow its rulebook: the ranges the linter
accepts. The renderer's own values (`profiles.Style`) lie inside them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Span = tuple[float, float]  # low and high, both accepted

SINGLE_LINE = 1.15  # a single line of Times New Roman, in multiples of its size
RULE_UNDER = (1 / 3, 1 / 2)  # State: the line under the issuer and the subject, of the text
RULE_SLACK = 0.1  # drawn lines: measured against font metrics, within 10 %
MIN_SPACING = 120  # twips: 6 pt before or after each body paragraph
MM_SLACK = 0.05  # millimetres: rounding of twips


@dataclass(frozen=True)
class Bounds:
    """Accepted ranges of one profile: sizes by paragraph style (points), margins by
    side (mm), the first-line indents of the body (mm, any of), its line spacing."""

    sizes: Mapping[str, Span]
    margins: Mapping[str, Span]
    first_line: tuple[Span, ...]
    line_rule: str  # "exact" (points) or "auto" (lines)
    line: Span


_STATE_SIZES = {
    "NGParent": (12, 13),
    "NGIssuer": (12, 13),
    "NGNumber": (13, 13),
    "NGNationalTitle": (12, 13),
    "NGMotto": (13, 14),
    "NGDate": (13, 14),
    "NGDocType": (13, 14),
    "NGSubject": (13, 14),
    "NGCvSubject": (12, 13),  # the trích yếu of a công văn
    "NGBody": (13, 14),
    "NGRecipientsLabel": (12, 12),
    "NGRecipient": (11, 11),
    "NGAuthority": (13, 14),
    "NGPosition": (13, 14),
    "NGSignerName": (13, 14),
    "NGPageNumber": (13, 14),
}
_PARTY_SIZES = {
    "NGParent": (14, 14),
    "NGIssuer": (14, 14),
    "NGNumber": (14, 14),
    "NGPartyTitle": (15, 15),
    "NGDate": (14, 14),
    "NGDocType": (15, 16),
    "NGSubject": (14, 15),
    "NGCvSubject": (12, 12),
    "NGBody": (14, 15),
    "NGRecipientsLabel": (14, 14),
    "NGRecipient": (12, 12),
    "NGAuthority": (14, 14),
    "NGPosition": (14, 14),
    "NGSignerName": (14, 14),
    "NGPageNumber": (14, 14),
}

STATE = Bounds(  # ND 30: ranges
    sizes=_STATE_SIZES,
    margins={"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)},
    first_line=((9.5, 10.5), (12.2, 13.2)),  # 1 cm or 1.27 cm
    line_rule="auto",
    line=(1.0, 1.5),  # single to 1.5 lines
)
PARTY_HD05 = Bounds(  # HD 05: exact values
    sizes=_PARTY_SIZES,
    margins={
        "top": (19.5, 20.5),
        "bottom": (19.5, 20.5),
        "left": (29.5, 30.5),
        "right": (14.5, 15.5),
    },
    first_line=((9, 11),),
    line_rule="exact",
    line=(18, 22),
)
PARTY_HD36 = Bounds(  # HD 36: the same, line spacing at least 18 pt
    sizes=_PARTY_SIZES,
    margins=PARTY_HD05.margins,
    first_line=PARTY_HD05.first_line,
    line_rule="exact",
    line=(18, 99),
)
