"""Text hygiene on load: what clerks paste, made into clean NFC Unicode.

Text typed in the legacy TCVN3 (ABC, `.VnTime`) or VNI-Windows encodings and
pasted as Unicode arrives as Latin-1 look-alikes (`Th«ng b¸o`, `Thoâng baùo`); it
is recognised and converted. Control characters from Excel or old editors become
line breaks or spaces, invisible characters go, non-breaking spaces become spaces.
Each change is reported with the key it was made in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ..errors import Problem
from ..i18n import _
from .load import KeyPath, Source

# TCVN3 (ABC): one byte for each lower-case letter with its marks, capitals for the
# seven letters with a quality mark; a capital with a tone is the capital base letter
# followed by the tone's lower-case byte.
_TCVN3_LOWER = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
        strict=True,
    )
)
_TCVN3_CAPITALS = dict(zip("¡¢§£¤¥¦", "ĂÂĐÊÔƠƯ", strict=True))
_BASE_CAPITAL = {
    "a": "A",
    "ă": "¡",
    "â": "¢",
    "e": "E",
    "ê": "£",
    "i": "I",
    "o": "O",
    "ô": "¤",
    "ơ": "¥",
    "u": "U",
    "ư": "¦",
    "y": "Y",
}
TCVN3_ONLY = set("µ¸¶·¹¨»¾¼½©Ç®Ðª×Þß«¬¡¢§£¤¥¦÷þ\xad")  # never in VNI text

# VNI-Windows: a base letter followed by one byte for its marks.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "ñ": "đ",
    "ô": "ơ",
    "ö": "ư",
}
VNI_PAIR = re.compile("[aeouyôö][øùûõïâàáåãäêèéúüë]|[AEOUYÔÖ][ØÙÛÕÏÂÀÁÅÃÄÊÈÉÚÜË]")
VNI_MARK = re.compile("[aeouyôö][øûïåäëü]|[AEOUYÔÖ][ØÛÏÅÄËÜ]")  # no Vietnamese letter reads so

INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
SPACES = re.compile("[\u00a0\u2007\u202f\t]")
BREAKS = re.compile("[\x0b\x0c\u2028\u2029\x85]")
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")  # and what XML forbids
MODERN_TONES = {  # old-style placement (hoà, khoẻ, thuỷ) -> modern (hòa, khỏe, thủy)
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


_LATIN1 = re.compile("[\xa1-\xff]")
_FOREIGN = re.compile(
    "[\xa1-\xbf\xc4-\xc7\xcb\xce-\xd1\xd6-\xd8\xdb\xdc\xde-\xdf\xe4-\xe7"
    "\xeb\xee-\xf1\xf6-\xf8\xfb\xfc\xfe\xff]"
)  # Latin-1 no Vietnamese uses
_VIETNAMESE = re.compile("[\u1ea0-\u1ef9ăĂđĐơƠưƯĩĨũŨ]")  # letters only Vietnamese text has


def _vietnamese(text: str) -> int:
    """How many letters only Vietnamese Unicode text has (ạ, ă, đ, ơ, ư, ế …)."""
    return len(_VIETNAMESE.findall(text))


def legacy_encoding(text: str) -> str | None:
    """`tcvn3`, `vni` or None, for text pasted from a legacy-encoded document.

    Text with any letter only Vietnamese Unicode has is Unicode. TCVN3 shows its own
    bytes (¸ µ ¶ « ¬ …); VNI a vowel followed by a mark byte no Vietnamese letter is
    (aø, eä …). A guess needs two such signs.
    """
    if not _LATIN1.search(text) or _VIETNAMESE.search(text):
        return None
    foreign = len(_FOREIGN.findall(text))
    if any(ch in TCVN3_ONLY for ch in text) and foreign >= 2:
        return "tcvn3"
    if VNI_MARK.search(text) and len(VNI_PAIR.findall(text)) >= 2:
        return "vni"
    if foreign and _vietnamese(from_tcvn3(text)) >= 2 and not VNI_PAIR.search(text):
        return "tcvn3"
    return None


_TCVN3_WORD = re.compile("[A-Za-z][µ¸¶·¹¨»¾¼½ª«¬×ÞßÇÐ÷þ\xad]")


def legacy_fragment(text: str) -> str | None:
    """`tcvn3` for even a short TCVN3 word (`Hµ Néi`) in otherwise Unicode text: a
    letter followed by a TCVN3 byte that no word of any language puts there."""
    return "tcvn3" if _TCVN3_WORD.search(text) else None


def record_encoding(texts: list[str]) -> str | None:
    """`tcvn3` or `vni` when most of a record's text fields are in that legacy
    encoding: its short fields are then converted too."""
    counts = {"tcvn3": 0, "vni": 0, "unicode": 0, "": 0}
    for text in texts:
        counts[_written_in(text)] += 1
    best = max(("tcvn3", "vni"), key=lambda name: counts[name])
    return best if counts[best] > counts["unicode"] else None


@lru_cache(maxsize=8192)
def _written_in(text: str) -> str:
    """`unicode`, `tcvn3`, `vni`, or "" when a text alone does not tell (cached)."""
    if _VIETNAMESE.search(text):
        return "unicode"
    return legacy_encoding(text) or ""


def _legacy_in(text: str, encoding: str | None) -> str | None:
    """The legacy encoding of `text`, on its own or as part of a legacy record."""
    found = legacy_encoding(text)
    if not found and not _VIETNAMESE.search(text):
        found = legacy_fragment(text)
    if found or encoding is None or not _LATIN1.search(text) or _VIETNAMESE.search(text):
        return found
    return encoding


def from_tcvn3(text: str) -> str:
    out = []
    for ch in text:
        out.append(_TCVN3_CAPITALS.get(ch) or _TCVN3_LOWER.get(ch) or ch)
    joined = "".join(out)
    # a capital base letter followed by its tone, as .VnTimeH capitals are typed
    for lower, capital in _BASE_CAPITAL.items():
        upper_base = _TCVN3_CAPITALS.get(capital, capital)
        toned = "".join(_compose(lower, tone) for tone in "\u0300\u0301\u0309\u0303\u0323")
        pattern = re.compile(re.escape(upper_base) + f"([{toned}])")
        joined = pattern.sub(lambda m: m.group(1).upper(), joined)
    return joined


def from_vni(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch, nxt = text[i], text[i + 1] if i + 1 < len(text) else ""
        low, upper = nxt.lower(), ch.isupper()
        if ch.lower() in "aeouy" and low in _VNI_TONES:
            out.append(_compose(ch, _VNI_TONES[low]))
            i += 2
        elif ch.lower() in "aeo" and low in _VNI_HAT:
            out.append(_compose(ch, "\u0302" + _VNI_HAT[low]))
            i += 2
        elif ch.lower() == "a" and low in _VNI_BREVE:
            out.append(_compose(ch, "\u0306" + _VNI_BREVE[low]))
            i += 2
        elif ch.lower() in "ôö" and low in _VNI_TONES:
            base = _VNI_SINGLE[ch.lower()]
            out.append(_compose(base.upper() if upper else base, _VNI_TONES[low]))
            i += 2
        elif ch.lower() in _VNI_SINGLE:
            single = _VNI_SINGLE[ch.lower()]
            out.append(single.upper() if upper else single)
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _compose(base: str, marks: str) -> str:
    return unicodedata.normalize("NFC", base + marks)


def modern_tones(text: str) -> str:
    """`hoà` -> `hòa`, `thuỷ` -> `thủy` where no consonant follows (never `quý`)."""

    def fix(match: re.Match[str]) -> str:
        pair = match.group(2)
        if match.group(1).lower().endswith("q") and pair.lower().startswith("u"):
            return str(match.group())
        key = pair.lower()
        new = MODERN_TONES[key]
        new = "".join(n.upper() if o.isupper() else n for n, o in zip(new, pair, strict=True))
        return str(match.group(1)) + new

    pairs = "|".join(MODERN_TONES) + "|" + "|".join(k.upper() for k in MODERN_TONES)
    return re.sub(rf"(\w?)({pairs})(?![\wđ])", fix, text, flags=0)


@lru_cache(maxsize=8192)
def clean_text(text: str, tones: str = "keep", record: str | None = None) -> tuple[str, list[str]]:
    """The cleaned text and what was done to it, in words (cached: a batch repeats its
    shared text in every record); `record` is the legacy encoding of the whole record.
    Do not modify the result."""
    done: list[str] = []
    encoding = _legacy_in(text, record)
    if encoding == "tcvn3":
        text, done = from_tcvn3(text), [*done, _("converted from TCVN3 (.VnTime) to Unicode")]
    elif encoding == "vni":
        text, done = from_vni(text), [*done, _("converted from VNI-Windows to Unicode")]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if BREAKS.search(text):
        text, done = (
            BREAKS.sub("\n", text),
            [*done, _("control characters turned into line breaks")],
        )
    if CONTROL.search(text):
        text, done = CONTROL.sub("", text), [*done, _("control characters removed")]
    if INVISIBLE.search(text):
        text, done = INVISIBLE.sub("", text), [*done, _("invisible characters removed")]
    if SPACES.search(text):
        text = SPACES.sub(" ", text)
        done.append(_("tabs and non-breaking spaces turned into spaces"))
    if tones == "modern" and (changed := modern_tones(text)) != text:
        text, done = changed, [*done, _("tone marks placed the modern way (hòa, thủy)")]
    return text, done


def hygiene(source: Source) -> tuple[Source, list[Problem]]:
    """Every text value of the record cleaned, with a warning naming each key changed."""
    tones = source.data.get("tone_marks", "keep")
    warnings: list[Problem] = []
    encoding = record_encoding(strings(source.data))

    def walk(value: Any, key: KeyPath) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*key, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*key, i)) for i, v in enumerate(value)]
        if isinstance(value, str):
            cleaned, done = clean_text(value, tones if isinstance(tones, str) else "keep", encoding)
            if done:
                warnings.append(source.problem(key, "; ".join(done)))
            return cleaned
        return value

    written = {
        key: replace(line, text=clean_text(line.text, "keep", encoding)[0])
        for key, line in source.written.items()
    }
    return replace(source, data=walk(source.data, ()), written=written), warnings


def strings(value: Any, out: list[str] | None = None) -> list[str]:
    """Every text value of a record tree, in order."""
    out = [] if out is None else out
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict | list):
                strings(item, out)
    return out


def is_clean(source: Source) -> bool:
    """Whether `hygiene` would change nothing in the record's values and warn of nothing:
    no text to clean, and the record not in a legacy encoding (see `record_encoding`)."""
    counts, clean = tally(source.data, source.data.get("tone_marks", "keep"))
    return clean and in_unicode(counts)


def tally(value: Any, tones: Any) -> tuple[dict[str, int], bool]:
    """How many texts of the tree `value` are written in each encoding (`tcvn3`, `vni`,
    `unicode`, "" when a text alone does not tell), and whether `clean_text` leaves
    every one as it is under `tones` (`tone_marks`)."""
    tones = tones if isinstance(tones, str) else "keep"
    counts = {"tcvn3": 0, "vni": 0, "unicode": 0, "": 0}
    clean = True
    for text in strings(value):
        written, unchanged = _verdict(text, tones)
        counts[written] += 1
        clean = clean and unchanged
    return counts, clean


def in_unicode(counts: dict[str, int]) -> bool:
    """Whether a record whose texts `tally` counts is not in a legacy encoding."""
    best = max(("tcvn3", "vni"), key=lambda name: counts[name])
    return counts[best] <= counts["unicode"]


@lru_cache(maxsize=8192)
def _verdict(text: str, tones: str) -> tuple[str, bool]:
    """`_written_in(text)`, and whether `clean_text` leaves `text` as it is (cached)."""
    cleaned, done = clean_text(text, tones, None)
    return _written_in(text), not done and cleaned == text


def convert_file(text: str) -> tuple[str, int]:
    """A record file's text with each legacy-encoded line converted, short ones too when
    most of the file is legacy-encoded; and how many lines."""
    lines, changed = [], 0
    whole = record_encoding(text.split("\n"))
    for line in text.split("\n"):
        encoding = _legacy_in(line, whole)
        new = from_tcvn3(line) if encoding == "tcvn3" else from_vni(line) if encoding else line
        new = unicodedata.normalize("NFC", new)
        changed += new != line
        lines.append(new)
    return "\n".join(lines), changed


_MARKER = re.compile(r"\\\*|\*{1,3}")


def emphasis(text: str) -> list[tuple[str, str]] | None:
    """Body text cut where `*nghiêng*` (italic) and `**đậm**` (bold) start and end:
    (piece, style) pairs, style "", "i", "b" or "bi"; `\\*` is a literal asterisk.

    A marker opens before a letter and closes after one, as in Markdown. None when a
    marker is left without its pair: the text is then printed as written.
    """
    if "*" not in text:
        return [(text, "")]
    pieces: list[tuple[str, str]] = []
    open_: list[str] = []  # the markers open, innermost last
    start = 0
    buffer = ""
    for match in _MARKER.finditer(text):
        buffer += text[start : match.start()]
        start = match.end()
        token = match.group()
        if token == "\\*":
            buffer += "*"
            continue
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        style = {"*": "i", "**": "b", "***": "bi"}[token]
        if open_ and open_[-1] == style and not before.isspace():
            pieces.append((buffer, "".join(sorted(set("".join(open_))))))
            open_.pop()
        elif not after.isspace() and style not in open_:
            pieces.append((buffer, "".join(sorted(set("".join(open_))))))
            open_.append(style)
        else:
            return None
        buffer = ""
    if open_:
        return None
    pieces.append((buffer + text[start:], ""))
    return [(piece, style) for piece, style in pieces if piece]


def plain(text: str) -> str:
    """Body text as printed without its emphasis markers."""
    spans = emphasis(text)
    return "".join(piece for piece, _style in spans) if spans else text
