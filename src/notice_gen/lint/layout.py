"""Layout rules `notice-gen check` judges from the .docx (issue 13), as warnings:

- SYM-HYPHEN: a plain hyphen inside a document symbol (`01-CT/TU`) where the line may
  break; Word's non-breaking hyphen (Ctrl+Shift+-) keeps the symbol whole.
- RECIP-COLON: the colon after the underlined Party `Nơi nhận` is underlined too;
  the rule underlines the phrase, followed by a colon (format-rules §6.2, §10).
- KEEP-CLOSE: the closing block can be left alone on the last page: the paragraphs
  from the last line of text to the Nơi nhận/signature table are not all kept with
  the next, a row of that table may break across pages, or its rows may part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from ..docx.ns import NS, w
from ..i18n import _
from ..rules.breaking import symbol_hyphens

if TYPE_CHECKING:
    from .context import Context

NO_BREAK = "\u2011"


def _text(p: etree._Element) -> str:
    """The paragraph's text, non-breaking hyphens as U+2011."""
    marks = {w("noBreakHyphen"): NO_BREAK, w("br"): "\n", w("tab"): "\t"}
    return "".join(
        (el.text or "") if el.tag == w("t") else marks.get(el.tag, "")
        for r in p.iter(w("r"))
        for el in r
    )


def symbol_hyphen(checker: Context) -> None:
    lay = checker.lay
    cells = [p for table in lay.tables for row in table for cell in row for p in cell.paras]
    for para in [*lay.body, *cells]:
        text = _text(para.element)
        for at in symbol_hyphens(text.replace(NO_BREAK, "-")):
            if text[at] == "-":
                start = text.rfind(" ", 0, at) + 1
                end = text.find(" ", at) % (len(text) + 1)
                symbol = text[start:end].strip(",.;:()")
                message = _(
                    "the hyphen of the symbol '{symbol}' may break the line; use a "
                    "non-breaking hyphen (Ctrl+Shift+-)"
                )
                checker.add("SYM-HYPHEN", "warning", message.format(symbol=symbol), para.where)
                break


def recipients_colon(checker: Context) -> None:
    if not checker.party:
        return
    for row in (row for table in checker.lay.tables for row in table):
        for cell in row:
            for p in cell.paras:
                if p.text.strip().startswith("Nơi nhận") and any(
                    ":" in r.text and r.underline for r in p.runs
                ):
                    checker.add(
                        "RECIP-COLON",
                        "warning",
                        _("the colon after 'Nơi nhận' is underlined; underline the phrase only"),
                        p.where,
                    )


def _keeps(checker: Context, p: etree._Element) -> bool:
    """Whether `p` is kept with the next paragraph: directly, by its style or by default."""
    direct = p.find("w:pPr/w:keepNext", NS)
    if direct is not None:
        return direct.get(w("val"), "1") not in ("0", "false", "off")
    style = p.find("w:pPr/w:pStyle", NS)
    sid = style.get(w("val")) if style is not None else None
    seen = 0
    while sid in checker.doc.styles and seen < 20:
        found = checker.doc.styles[sid].find("w:pPr/w:keepNext", NS)
        if found is not None:
            return found.get(w("val"), "1") not in ("0", "false", "off")
        based = checker.doc.styles[sid].find("w:basedOn", NS)
        sid, seen = (based.get(w("val")) if based is not None else None), seen + 1
    default = checker.doc.doc_ppr
    found = default.find("w:keepNext", NS) if default is not None else None
    return found is not None and found.get(w("val"), "1") not in ("0", "false", "off")


def keep_close(checker: Context) -> None:
    body = checker.doc.body
    if body is None:
        return
    children = list(body)
    closing = next(
        (
            i
            for i, el in enumerate(children)
            if el.tag == w("tbl") and "Nơi nhận" in "".join(t.text or "" for t in el.iter(w("t")))
        ),
        None,
    )
    if closing is None:
        return
    where = _("table {t} row {i} cell {j}").format(
        t=sum(1 for el in children[:closing] if el.tag == w("tbl")) + 1, i=1, j=1
    )
    before = []
    for el in reversed(children[:closing]):
        if el.tag != w("p"):
            break
        before.append(el)
        if _text(el).strip():
            break
    if before and not all(_keeps(checker, p) for p in before):
        checker.add(
            "KEEP-CLOSE",
            "warning",
            _(
                "the last paragraph of the text is not kept with the Nơi nhận and the "
                "signature (Keep with next): they may stand alone on the last page"
            ),
            where,
        )
    rows = children[closing].findall("w:tr", NS)
    if any(row.find("w:trPr/w:cantSplit", NS) is None for row in rows):
        checker.add(
            "KEEP-CLOSE",
            "warning",
            _("the Nơi nhận and signature table may break across pages (Allow row to break)"),
            where,
        )
    for i, row in enumerate(rows[:-1], 1):
        paragraphs = list(row.iter(w("p")))
        if paragraphs and not all(_keeps(checker, p) for p in paragraphs):
            checker.add(
                "KEEP-CLOSE",
                "warning",
                _("row {row} of the signature table is not kept with the next row").format(row=i),
                where,
            )
