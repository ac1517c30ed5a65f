"""The patterns a printed line is recognised by: the number line, the date, the archive
line, a provincial committee, a legacy font. The checker (`lint`) matches them; writing a
document needs none, so they are compiled only where a document is checked."""

from __future__ import annotations

import re

CODE = r"[A-ZĐ][A-ZĐa-z0-9]*(-[A-ZĐ][A-ZĐa-z0-9]*)*"  # an issuer's code: UBND, VPTU, SNV-TH
NUMBER = {  # the number line, by regime (number padded below 10, or blank for hand filling)
    "state": re.compile(r"^Số: (\d{2,}|\s+)?/[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)+$"),
    "party": re.compile(rf"^Số (\d{{2,}}|\s*)-[A-ZĐ][A-Za-zĐđ]*/{CODE}$"),
}
DATE = re.compile(r"^\S.*, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm (\d{4})$")
DATE_DRAFT = re.compile(r"^\S.*, ngày\s+tháng\s+năm( \d{4})?$")  # left blank for hand filling
DATE_PARTS = re.compile(r", ngày\s*(\d*)\s*tháng\s*(\d*)\s*năm\s*(\d*)\s*$")
ARCHIVE = {  # the last Nơi nhận line, by regime
    "state": re.compile(r"^- Lưu: VT(, .+)?\.$"),
    "party": re.compile(r"^- Lưu (?!.*Lưu:).*\.$"),
}
CV_SUBJECT = re.compile(r"^(V/v|về)\s")  # the trích yếu of a công văn, under its number
PROVINCE_PARENT = re.compile(r"ĐẢNG BỘ TỈNH")
PROVINCE_COMMITTEE = re.compile(r"TỈNH (ỦY|UỶ)")
LEGACY_FONT = re.compile(r"^(\.Vn|VNI[- ])", re.I)  # TCVN3 and VNI fonts: not Unicode
