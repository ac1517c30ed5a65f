"""The bytes old Vietnamese machines write: Windows-1258 (Excel's "CSV" under a
Vietnamese Windows) and TCVN3 (ABC, the .VnTime fonts), made from Unicode text."""

from __future__ import annotations

import unicodedata

TONES = "\u0300\u0301\u0309\u0303\u0323"
# TCVN3 (ABC): one byte per lower-case letter; a capital with a tone is the capital
# base letter followed by the lower-case toned byte (as .VnTimeH capitals are typed).
TCVN3 = dict(
    zip(
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
        strict=True,
    )
)


def to_tcvn3(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3:
            out.append(TCVN3[ch])
        elif ch.lower() in TCVN3 and ch.isupper():
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append(TCVN3.get(base, base) + TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out).encode("latin-1")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps the tone as a separate mark after the letter."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + tones).encode("cp1258")
    return out
