"""What the desk's tests share: an organisation and a notice as a clerk fills them in."""

from __future__ import annotations

import html
import re

ORG = {
    "profile": "nd30",
    "parent": "UBND TỈNH LÂM ĐỒNG",
    "name": "VĂN PHÒNG",
    "code": "VP",
    "place": "Lâm Đồng",
    "recipients": "Chủ tịch, các Phó Chủ tịch UBND tỉnh\nCác sở, ngành liên quan",
    "archive": "VT, TH",
    "signer.authority": ["KT.", "", ""],
    "signer.on_behalf_of": ["CHÁNH VĂN PHÒNG", "", ""],
    "signer.position": ["PHÓ CHÁNH VĂN PHÒNG", "", ""],
    "signer.name": ["Nguyễn Thị Hoa", "", ""],
    "series": "single",
}

POINTS = [
    ("Các sở, ngành đã triển khai đúng tiến độ kế hoạch năm 2026.", "0"),
    ("Sở Nội vụ tổng hợp kết quả, báo cáo trước ngày 28/02/2026.", "0"),
    ("Công khai kết quả tại trụ sở xã.", "1"),
    ("Các sở, ngành rà soát thủ tục hành chính thuộc lĩnh vực quản lý.", "0"),
]


def notice(subject: str = "Kết luận của Chủ tịch về công tác cải cách hành chính") -> dict:
    return {
        "subject": subject,
        "date": "03/02/2026",
        "point": [text for text, _ in POINTS],
        "level": [level for _, level in POINTS],
        "closing": "Văn phòng thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "recipient": ["Các sở, ngành liên quan"],
        "archive": "VT, TH",
        "signer": "0",
    }


def token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page)[1]


def docx_text(document) -> list[str]:
    """Every paragraph of a python-docx document, header tables included, in order."""
    out = []
    for block in document.element.body.iter():
        if block.tag.endswith("}p"):
            out.append(
                "".join(
                    t.text or "" if t.tag.endswith("}t") else "-"  # Word's non-breaking hyphen
                    for t in block.iter()
                    if t.tag.endswith(("}t", "}noBreakHyphen"))
                )
            )
    return out


def slot(page: str, name: str) -> str:
    """The text of the inline message box `err-<name>`."""
    match = re.search(rf'id="err-{re.escape(name)}"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match[1])).strip() if match else ""
