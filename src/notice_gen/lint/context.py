"""What the rules share: the document's layout, its profile, the findings so far, and
where the elements of an administrative document are found in it."""

from __future__ import annotations

from datetime import date

from ..docx.ns import NS, TWIPS_PER_MM, w
from ..docx.reader import Cell, Document, Layout, Para, layout
from ..i18n import _
from ..rules.bounds import RULE_SLACK, Span
from ..rules.metrics import width
from ..rules.patterns import CV_SUBJECT, DATE_PARTS
from ..rules.profiles import PAGE_WIDTH, Profile, text_width
from ..rules.wording import DOC_TYPE_NAMES, ORG_SEPARATOR, TITLE_SEPARATOR
from .findings import Finding, points, span


class Context:
    """One document judged against one profile, collecting findings."""

    def __init__(self, name: str, doc: Document, profile: Profile) -> None:
        self.name, self.doc, self.profile = name, doc, profile
        self.lay: Layout = layout(doc)
        self.findings: list[Finding] = []
        self.party = profile.regime == "party"
        self.bounds = profile.bounds

    def add(self, rule: str, severity: str, message: str, where: str = "") -> None:
        self.findings.append(Finding(self.name, rule, severity, message, where))

    def error(self, rule: str, message: str, where: str = "") -> None:
        self.add(rule, "error", message, where)

    # -- where things are ------------------------------------------------
    def all_paras(self) -> list[Para]:
        out = list(self.lay.body)
        for table in self.lay.tables:
            out += [p for row in table for cell in row for p in cell.paras]
        return out

    def header_paras(self, column: int | None = None) -> list[Para]:
        return [
            p
            for row in self.lay.header
            for j, cell in enumerate(row)
            if column is None or j == column
            for p in cell.paras
        ]

    def org_paras(self) -> list[Para]:
        """The issuing-body block: left header column, above the number."""
        out = []
        for p in self.header_paras(0):
            text = p.text.strip()
            if text.startswith("Số") or text == ORG_SEPARATOR:
                break
            if text:
                out.append(p)
        return out

    def title(self) -> list[Para]:
        """Type name and the subject lines under it, up to the line or `-----`."""
        for i, p in enumerate(self.lay.body):
            if p.text.strip() in DOC_TYPE_NAMES:
                block = [p]
                for q in self.lay.body[i + 1 :]:
                    if q.text.strip() in ("", TITLE_SEPARATOR) or q.align == "both":
                        break
                    block.append(q)
                return block
        return []

    def kind(self) -> str | None:
        """The type name printed as the title (THÔNG BÁO, BIÊN BẢN …)."""
        title = self.title()
        return title[0].text.strip() if title else None

    def cv_subject(self) -> Para | None:
        return next((p for p in self.header_paras(0) if CV_SUBJECT.match(p.text.strip())), None)

    def body(self) -> list[Para]:
        title = self.title()
        start = self.lay.body.index(title[-1]) + 1 if title else 0
        return [
            p
            for p in self.lay.body[start:]
            if p.text.strip()
            and p.text.strip() != TITLE_SEPARATOR
            and not p.text.strip().startswith("Nơi nhận")
        ]

    def recipients(self) -> tuple[Para, list[Para], Cell | None] | None:
        return recipients(self.lay)

    # -- shared judgements -------------------------------------------------
    def sizes(self, p: Para, rule: str, style: str, what: str = "") -> None:
        """An error unless every printed size of `p` lies in the bounds of `style`."""
        accepted = self.bounds.sizes[style]
        found = p.sizes()
        if found and not (accepted[0] <= min(found) and max(found) <= accepted[1]):
            message = (
                _("{what} size {value}, expected {value2}")
                if what
                else _("size {value}, expected {value2}")
            )
            self.error(
                rule, message.format(what=what, value=points(found), value2=span(accepted)), p.where
            )

    def caps_bold(self, p: Para, rule: str, what: str, style: str, bold: bool = True) -> None:
        self.sizes(p, rule, style, what)
        if bold and not p.all("bold"):
            self.error(rule, _("{what} must be bold").format(what=what), p.where)
        if not bold and p.any("bold"):
            self.error(rule, _("{what} must not be bold").format(what=what), p.where)

    def check_line(
        self, p: Para, rule: str, what: str, share: Span, text_of: list[Para] | None = None
    ) -> None:
        """An error unless a line `share` of the width of the widest line of `text_of`
        (default: `p`) is drawn under `p`."""
        length = self.line_under(p)
        base = max(
            width(line, max(q.sizes(), default=12), bold=q.all("bold"))
            for q in text_of or [p]
            for line in q.text.split("\n")
        )
        if length is None:
            self.error(rule, _("no line under the {what}").format(what=what), p.where)
            return
        message = line_problem(length, base, share, what)
        if message:
            self.error(rule, message, p.where)

    def cell_of(self, para: Para) -> Cell | None:
        for row in self.lay.header:
            for cell in row:
                if any(p is para for p in cell.paras):
                    return cell
        return None

    def line_under(self, para: Para) -> int | None:
        """Length (twips) of the line drawn under `para`, or None."""
        cell = self.cell_of(para)
        room = cell.width if cell else self.text_width()
        paras = cell.paras if cell else self.lay.body
        index = next(i for i, p in enumerate(paras) if p is para)
        following = paras[index + 1] if index + 1 < len(paras) else None
        for candidate in (para, following):
            if candidate is None:
                continue
            if candidate.border and room and (candidate is para or not candidate.text.strip()):
                return room - candidate.left - candidate.right
            if candidate.drawing:
                return candidate.drawing
        if para.all("underline"):
            return width(para.text, max(para.sizes()), bold=para.all("bold"))
        return None

    def text_width(self) -> int | None:
        """Width of the text area of the last section, twips."""
        sect = self.lay.sections[-1] if self.lay.sections else None
        size = sect.find("w:pgSz", NS) if sect is not None else None
        margins = sect.find("w:pgMar", NS) if sect is not None else None
        if size is None or margins is None:
            return None
        left, right = margins.get(w("left"), "0"), margins.get(w("right"), "0")
        return int(size.get(w("w"), PAGE_WIDTH)) - int(left) - int(right)

    def widest_text(self) -> int:
        """The text area the rulebook's margins leave on A4, twips."""
        return text_width(self.profile)


def recipients(lay: Layout) -> tuple[Para, list[Para], Cell | None] | None:
    """The Nơi nhận label, its items, and the cell beside it (the signature)."""
    for table in lay.tables:
        for row in table:
            for j, cell in enumerate(row):
                for i, p in enumerate(cell.paras):
                    if p.text.strip().startswith("Nơi nhận"):
                        items = [q for q in cell.paras[i + 1 :] if q.text.strip()]
                        beside = row[j + 1] if j + 1 < len(row) else None
                        return p, items, beside
    for i, p in enumerate(lay.body):
        if p.text.strip().startswith("Nơi nhận"):
            return p, [q for q in lay.body[i + 1 :] if q.text.strip()], None
    return None


def date_of(text: str) -> date | None:
    """The date a date line gives, or None when it is blank or impossible."""
    match = DATE_PARTS.search(text)
    try:
        return (
            date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
        )
    except ValueError:
        return None


def line_problem(length: int, base: int, share: Span, what: str) -> str | None:
    """What is wrong with a line `length` twips long drawn under the `what`, whose text
    is `base` twips wide, when `share` of the text is asked; or None."""
    low, high = share
    if low * (1 - RULE_SLACK) * base <= length <= high * (1 + RULE_SLACK) * base:
        return None
    if low == high:
        message = _(
            "line under the {what} is {length:.0f} mm; expected as long as the "
            "text (≈ {low:.0f} mm)"
        )
    else:
        message = _(
            "line under the {what} is {length:.0f} mm; expected 1/3–1/2 of the "
            "text (≈ {low:.0f}–{high:.0f} mm)"
        )
    millimetres = {
        "length": length / TWIPS_PER_MM,
        "low": low * base / TWIPS_PER_MM,
        "high": high * base / TWIPS_PER_MM,
    }
    return message.format(what=what, **millimetres)
