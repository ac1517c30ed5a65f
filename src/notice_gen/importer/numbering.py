"""Word's own list numbering (numbering.xml) resolved to the label a reader sees."""

from __future__ import annotations

from lxml import etree

from ..docx.ns import NS, w
from ..pipeline.compose import label as counter_label

FORMATS = {
    "decimal": "1",
    "decimalZero": "01",
    "lowerLetter": "a",
    "upperLetter": "A",
    "lowerRoman": "i",
    "upperRoman": "I",
}


class Numbering:
    """Counters of every list, advanced paragraph by paragraph in reading order."""

    def __init__(
        self, xml: etree._Element | None, styles: dict[str, etree._Element], default: str | None
    ) -> None:
        self.styles, self.default = styles, default
        self.abstract: dict[
            str, dict[int, tuple[str, str, int]]
        ] = {}  # id -> lvl -> fmt, text, start
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> abstract id, overrides
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if xml is None:
            return
        for item in xml.findall("w:abstractNum", NS):
            levels = {}
            for lvl in item.findall("w:lvl", NS):
                fmt = lvl.find("w:numFmt", NS)
                text = lvl.find("w:lvlText", NS)
                start = lvl.find("w:start", NS)
                levels[int(lvl.get(w("ilvl"), "0"))] = (
                    fmt.get(w("val"), "decimal") if fmt is not None else "decimal",
                    text.get(w("val"), "") if text is not None else "",
                    int(start.get(w("val"), "1")) if start is not None else 1,
                )
            self.abstract[item.get(w("abstractNumId"), "")] = levels
        for num in xml.findall("w:num", NS):
            ref = num.find("w:abstractNumId", NS)
            overrides = {
                int(o.get(w("ilvl"), "0")): int(s.get(w("val"), "1"))
                for o in num.findall("w:lvlOverride", NS)
                if (s := o.find("w:startOverride", NS)) is not None
            }
            if ref is not None:
                self.nums[num.get(w("numId"), "")] = (ref.get(w("val"), ""), overrides)

    def _num_pr(self, p: etree._Element) -> tuple[str, int] | None:
        """The list and level of `p`, set on the paragraph or through its style."""
        direct = p.find("w:pPr/w:numPr", NS)
        style = p.find("w:pPr/w:pStyle", NS)
        style_id = style.get(w("val")) if style is not None else self.default
        chain = [direct] if direct is not None else []
        seen = 0
        while style_id in self.styles and seen < 20:
            seen += 1
            found = self.styles[style_id].find("w:pPr/w:numPr", NS)
            if found is not None:
                chain.append(found)
            based = self.styles[style_id].find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        num_id = next(
            (n.get(w("val")) for c in chain if (n := c.find("w:numId", NS)) is not None), None
        )
        ilvl = next(
            (i.get(w("val")) for c in chain if (i := c.find("w:ilvl", NS)) is not None), "0"
        )
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0

    def label(self, p: etree._Element) -> tuple[str, int] | None:
        """(`2.1-`, level) for a numbered paragraph, advancing its list; bullets read `-`."""
        found = self._num_pr(p)
        if found is None:
            return None
        num_id, level = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        fmt, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "-", level
        if fmt == "none":
            return text, level
        out = text
        for lvl in range(level, -1, -1):
            if f"%{lvl + 1}" not in out:
                continue
            lvl_fmt, _text, lvl_start = levels.get(lvl, ("decimal", "", 1))
            value = counters.get(lvl, lvl_start)
            out = out.replace(f"%{lvl + 1}", _format(lvl_fmt, value))
        return out.strip(), level


def _format(fmt: str, value: int) -> str:
    """One counter as Word prints it (Word's letters run a, b, c, d, e: no đ)."""
    token = FORMATS.get(fmt, "1")
    if token in ("a", "A"):
        letters = ""
        while value:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if token == "A" else letters
    if token in ("i", "I"):
        roman = counter_label("I", [value])
        return roman.lower() if token == "i" else roman
    if token == "01":
        return f"{value:02d}"
    return str(value)
