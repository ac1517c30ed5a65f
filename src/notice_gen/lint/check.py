"""Lint a .docx against its rulebook: the rule table of format-rules.md §14.

Judged from the document's structure: the header table's cells, paragraphs and runs
with their effective formatting (direct, through styles and docDefaults), section
properties, header parts and their fields, and the lengths of drawn lines. A rule
that cannot be judged says so and is never counted as passed.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from ..i18n import N_, _
from ..record.text import legacy_encoding
from ..rules.metrics import width
from ..rules.profiles import PROFILES, Profile
from .layout import layout_rules

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
DOC_TYPE_NAMES = (
    "THÔNG BÁO",
    "BIÊN BẢN",
    "GIẤY MỜI",
    "BÁO CÁO",
    "QUYẾT ĐỊNH",
    "KẾ HOẠCH",
    "TỜ TRÌNH",
    "KẾT LUẬN",
    "CHỈ THỊ",
    "NGHỊ QUYẾT",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
)
RE_NUM_ND30 = re.compile(r"^Số: (\d{2,}|\s+)?/[A-ZĐ][A-Za-zĐđ]*(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)+$")
RE_NUM_PARTY = re.compile(
    r"^Số (\d{2,}|\s*)-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-ZĐa-z0-9]*(-[A-ZĐ][A-ZĐa-z0-9]*)*$"
)
RE_DATE = re.compile(r"^\S.*, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm (\d{4})$")
RE_DATE_DRAFT = re.compile(r"^\S.*, ngày\s+tháng\s+năm( \d{4})?$")
RE_DATE_ANY = re.compile(r", ngày\s*(\d*)\s*tháng\s*(\d*)\s*năm\s*(\d*)\s*$")
LEGACY_FONT = re.compile(r"^(\.Vn|VNI[- ])", re.I)
A4 = (11906, 16838)
TWIPS_MM = 1440 / 25.4
SEVERITIES = (N_("error"), N_("warning"), N_("unjudged"))
SIDES = (N_("top"), N_("bottom"), N_("left"), N_("right"))
RULES = (
    "PAGE-A4",
    "PAGE-MARGIN",
    "FONT",
    "UNICODE",
    "HDR-QH",
    "HDR-TITLE",
    "HDR-ORG",
    "NUM",
    "DATE",
    "TITLE",
    "CV-SUBJ",
    "BODY",
    "SIGN",
    "RECIP",
    "PAGENUM",
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Finding:
    """One verdict: `error`, `warning`, or `unjudged` (could not be decided)."""

    file: str
    rule: str
    severity: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        where = _(" (where: {where})").format(where=self.where) if self.where else ""
        return f"{self.file}: {self.rule} {_(self.severity)}: {self.message}{where}"


@dataclass
class Run:
    text: str
    font: str | None
    size: float
    bold: bool
    italic: bool
    underline: bool
    color: str | None


@dataclass
class Para:
    text: str
    where: str
    runs: list[Run]
    align: str | None
    first_line: int
    left: int
    right: int
    before: int
    line: int | None
    line_rule: str | None
    border: bool  # a top or bottom border: a drawn line
    drawing: int | None  # width of a drawn line shape, twips
    element: etree._Element = field(repr=False)

    @property
    def shown(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]

    def sizes(self) -> set[float]:
        return {r.size for r in self.shown}

    def all(self, attribute: str) -> bool:
        return bool(self.shown) and all(getattr(r, attribute) for r in self.shown)

    def any(self, attribute: str) -> bool:
        return any(getattr(r, attribute) for r in self.shown)


class Document:
    """The parts of a .docx a rule needs, with effective formatting resolved."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            wanted = [
                n
                for n in names
                if re.fullmatch(r"word/(document|styles|header\d*|theme/theme\d*)\.xml", n)
            ]
            self.xml = {n: etree.fromstring(package.read(n)) for n in wanted}
            rels = "word/_rels/document.xml.rels"
            self.rels = etree.fromstring(package.read(rels)) if rels in names else None
        self._chains: dict[str | None, list[etree._Element]] = {}
        self._memo: dict[tuple[str | None, str, str], etree._Element | None] = {}
        styles = self.xml.get("word/styles.xml")
        self.styles = (
            {s.get(w("styleId")): s for s in styles.findall("w:style", NS)}
            if styles is not None
            else {}
        )
        self.default_style = next(
            (
                sid
                for sid, s in self.styles.items()
                if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true")
            ),
            None,
        )
        self.doc_rpr = (
            styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS) if styles is not None else None
        )
        self.doc_ppr = (
            styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS) if styles is not None else None
        )
        self.theme = self._theme_fonts()
        self.body = self.xml["word/document.xml"].find("w:body", NS)

    def _theme_fonts(self) -> dict[str, str]:
        theme = next((x for n, x in self.xml.items() if n.startswith("word/theme/")), None)
        if theme is None:
            return {}
        major = theme.find(".//a:majorFont/a:latin", NS)
        minor = theme.find(".//a:minorFont/a:latin", NS)
        return {
            k: v.get("typeface") for k, v in (("major", major), ("minor", minor)) if v is not None
        }

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        if style_id not in self._chains:
            self._chains[style_id] = self._resolve_chain(style_id)
        return self._chains[style_id]

    def _resolve_chain(self, style_id: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        while style_id and style_id in self.styles and len(out) < 20:
            style = self.styles[style_id]
            out.append(style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        return out

    def _para_style(self, p: etree._Element) -> str | None:
        style = p.find("w:pPr/w:pStyle", NS)
        return style.get(w("val")) if style is not None else self.default_style

    def _in_styles(self, style_id: str | None, props: str, tag: str) -> etree._Element | None:
        """The first `tag` in the `props` (rPr or pPr) of the style and its ancestors."""
        key = (style_id, props, tag)
        if key not in self._memo:
            found = None
            for style in self._chain(style_id):
                found = style.find(f"w:{props}/w:{tag}", NS)
                if found is not None:
                    break
            self._memo[key] = found
        return self._memo[key]

    def _run_prop(
        self, r: etree._Element, tag: str, para_style: str | None
    ) -> etree._Element | None:
        found = r.find(f"w:rPr/w:{tag}", NS)
        if found is None:
            style = r.find("w:rPr/w:rStyle", NS)
            if style is not None:
                found = self._in_styles(style.get(w("val")), "rPr", tag)
        if found is None:
            found = self._in_styles(para_style, "rPr", tag)
        if found is None and self.doc_rpr is not None:
            found = self.doc_rpr.find(f"w:{tag}", NS)
        return found

    def _para_attr(
        self, p: etree._Element, tag: str, attr: str, para_style: str | None
    ) -> str | None:
        for found in (
            p.find(f"w:pPr/w:{tag}", NS),
            self._in_styles(para_style, "pPr", tag),
            self.doc_ppr.find(f"w:{tag}", NS) if self.doc_ppr is not None else None,
        ):
            if found is not None and found.get(w(attr)) is not None:
                return found.get(w(attr))
        return None

    def _on(self, element: etree._Element | None) -> bool:
        return element is not None and element.get(w("val"), "1") not in ("0", "false", "off")

    def run(self, r: etree._Element, para_style: str | None) -> Run:
        marks = {w("br"): "\n", w("tab"): "\t", w("noBreakHyphen"): "-"}
        text = "".join(
            t.text or "" if t.tag == w("t") else marks[t.tag]
            for t in r
            if t.tag in marks or t.tag == w("t")
        )
        fonts = self._run_prop(r, "rFonts", para_style)
        font = None
        if fonts is not None:
            font = fonts.get(w("ascii"))
            theme = fonts.get(w("asciiTheme"))
            if font is None and theme:
                font = self.theme.get("major" if theme.startswith("major") else "minor")
        size = self._run_prop(r, "sz", para_style)
        underline = self._run_prop(r, "u", para_style)
        color = self._run_prop(r, "color", para_style)
        return Run(
            text=text,
            font=font,
            size=int(size.get(w("val"))) / 2 if size is not None else 10.0,
            bold=self._on(self._run_prop(r, "b", para_style)),
            italic=self._on(self._run_prop(r, "i", para_style)),
            underline=underline is not None and underline.get(w("val"), "single") != "none",
            color=color.get(w("val")) if color is not None else None,
        )

    def para(self, p: etree._Element, where: str) -> Para:
        style_id = self._para_style(p)
        styles = self._chain(style_id)
        runs = [self.run(r, style_id) for r in p.iter(w("r"))]

        def attr(tag: str, name: str, default: int = 0) -> int:
            value = self._para_attr(p, tag, name, style_id)
            return int(value) if value and re.fullmatch(r"-?\d+", value) else default

        border = any(
            level is not None
            and (
                level.find("w:pBdr/w:top", NS) is not None
                or level.find("w:pBdr/w:bottom", NS) is not None
            )
            for level in [p.find("w:pPr", NS)] + [s.find("w:pPr", NS) for s in styles]
        )
        extent = p.find(".//wp:extent", NS)
        drawing = (
            round(int(extent.get("cx")) / 635)
            if extent is not None and not "".join(r.text for r in runs).strip()
            else None
        )
        line = self._para_attr(p, "spacing", "line", style_id)
        text = "".join(r.text for r in runs)
        return Para(
            text=text,
            where=f"{where} «{_short(text)}»" if text.strip() else where,
            runs=runs,
            align=self._para_attr(p, "jc", "val", style_id),
            first_line=attr("ind", "firstLine"),
            left=attr("ind", "left") or attr("ind", "start"),
            right=attr("ind", "right") or attr("ind", "end"),
            before=attr("spacing", "before"),
            line=int(line) if line and line.isdigit() else None,
            line_rule=self._para_attr(p, "spacing", "lineRule", style_id),
            border=border,
            drawing=drawing,
            element=p,
        )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "…"


@dataclass
class Cell:
    paras: list[Para]
    width: int | None  # usable width, twips


@dataclass
class Layout:
    """Where the elements of an administrative document are found."""

    header: list[list[Cell]]  # rows of cells of the first table
    body: list[Para]  # top-level paragraphs, in order
    tables: list[list[list[Cell]]]
    sections: list[etree._Element]


def layout(doc: Document) -> Layout:
    paras, tables = [], []
    n = 0
    for child in doc.body:
        if child.tag == w("p"):
            n += 1
            paras.append(doc.para(child, _("paragraph {n}").format(n=n)))
        elif child.tag == w("tbl"):
            t = len(tables) + 1
            grid = child.findall("w:tblGrid/w:gridCol", NS)
            margins = (
                sum(
                    int(m.get(w("w"), "0"))
                    for m in child.findall("w:tblPr/w:tblCellMar/*", NS)
                    if etree.QName(m).localname in ("left", "right", "start", "end")
                )
                if child.find("w:tblPr/w:tblCellMar", NS) is not None
                else 216
            )
            rows = []
            for i, tr in enumerate(child.findall("w:tr", NS), 1):
                cells = []
                for j, tc in enumerate(tr.findall("w:tc", NS), 1):
                    tcw = tc.find("w:tcPr/w:tcW", NS)
                    width = (
                        int(tcw.get(w("w")))
                        if tcw is not None
                        and tcw.get(w("type"), "dxa") == "dxa"
                        and (tcw.get(w("w")) or "").isdigit()
                        else (int(grid[j - 1].get(w("w"))) if j <= len(grid) else None)
                    )
                    where = _("table {t} row {i} cell {j}").format(t=t, i=i, j=j)
                    cell_paras = [
                        doc.para(p, _("{where} paragraph {k}").format(where=where, k=k))
                        for k, p in enumerate(tc.findall("w:p", NS), 1)
                    ]
                    cells.append(Cell(cell_paras, width - margins if width else None))
                rows.append(cells)
            tables.append(rows)
    sections = list(doc.xml["word/document.xml"].iter(w("sectPr")))
    return Layout(tables[0] if tables else [], paras, tables, sections)


def detect_profile(lay: Layout) -> Profile | None:
    """nd30 from the Quốc hiệu, a Party profile from the party title and the date."""
    header = [p.text.strip() for row in lay.header for cell in row for p in cell.paras]
    if QUOC_HIEU in header or TIEU_NGU in header:
        return PROFILES["nd30"]
    if PARTY_TITLE not in header:
        return None
    hd05, hd36 = PROFILES["party-hd05"], PROFILES["party-hd36"]
    for text in header:
        if RE_DATE.match(text):
            day = _date_of(text)
            return hd36 if day and hd05.valid_from and day < hd05.valid_from else hd05
    recipients = _recipients(lay)
    if (
        recipients
        and recipients[1]
        and all(p.text.rstrip().endswith(",") for p in recipients[1][:-1])
    ):
        return hd36
    return hd05


def _date_of(text: str) -> date | None:
    match = RE_DATE_ANY.search(text)
    try:
        return (
            date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
        )
    except ValueError:
        return None


def _recipients(lay: Layout) -> tuple[Para, list[Para], Cell | None] | None:
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


class Checker:
    """Judge one document against one profile, collecting findings."""

    def __init__(self, name: str, doc: Document, profile: Profile) -> None:
        self.name, self.doc, self.profile = name, doc, profile
        self.lay = layout(doc)
        self.findings: list[Finding] = []
        self.party = profile.regime == "party"

    def add(self, rule: str, severity: str, message: str, where: str = "") -> None:
        self.findings.append(Finding(self.name, rule, severity, message, where))

    def error(self, rule: str, message: str, where: str = "") -> None:
        self.add(rule, "error", message, where)

    def run(self) -> list[Finding]:
        for rule in RULES:
            getattr(self, "rule_" + rule.lower().replace("-", "_"))()
        layout_rules(self)
        return self.findings

    # -- page -------------------------------------------------------------
    def rule_page_a4(self) -> None:
        for i, sect in enumerate(self.lay.sections, 1):
            size = sect.find("w:pgSz", NS)
            if size is None:
                self.add(
                    "PAGE-A4",
                    "unjudged",
                    _("no page size in the section"),
                    _("section {i}").format(i=i),
                )
                continue
            wd, ht = int(size.get(w("w"), 0)), int(size.get(w("h"), 0))
            if size.get(w("orient")) == "landscape" or wd > ht:
                wd, ht = ht, wd
                self.add(
                    "PAGE-A4",
                    "warning",
                    _("landscape page (only for wide tables)"),
                    _("section {i}").format(i=i),
                )
            if abs(wd - A4[0]) > TWIPS_MM or abs(ht - A4[1]) > TWIPS_MM:
                self.error(
                    "PAGE-A4",
                    _("page is {value:.0f} × {value2:.0f} mm, not A4 210 × 297 mm").format(
                        value=wd / TWIPS_MM, value2=ht / TWIPS_MM
                    ),
                    _("section {i}").format(i=i),
                )

    def rule_page_margin(self) -> None:
        if self.party:
            allowed = {
                "top": (19.5, 20.5),
                "bottom": (19.5, 20.5),
                "left": (29.5, 30.5),
                "right": (14.5, 15.5),
            }
        else:
            allowed = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
        for i, sect in enumerate(self.lay.sections, 1):
            margins = sect.find("w:pgMar", NS)
            if margins is None:
                self.add(
                    "PAGE-MARGIN",
                    "unjudged",
                    _("no margins in the section"),
                    _("section {i}").format(i=i),
                )
                continue
            for side, (low, high) in allowed.items():
                value = abs(int(margins.get(w(side), "0"))) / TWIPS_MM
                if not low - 0.05 <= value <= high + 0.05:
                    self.error(
                        "PAGE-MARGIN",
                        _("{side} margin {value:.1f} mm, expected {expected} mm").format(
                            side=_(side),
                            value=value,
                            expected=f"{low:g}–{high:g}"
                            if high - low > 1
                            else f"{(low + high) / 2:g}",
                        ),
                        _("section {i}").format(i=i),
                    )

    # -- text everywhere ---------------------------------------------------
    def _all_paras(self) -> list[Para]:
        out = list(self.lay.body)
        for table in self.lay.tables:
            out += [p for row in table for cell in row for p in cell.paras]
        return out

    def rule_font(self) -> None:
        bad: dict[str, Para] = {}
        for p in self._all_paras():
            for r in p.shown:
                if r.font != "Times New Roman":
                    bad.setdefault(_("font {name}").format(name=r.font or _("not set")), p)
                if r.color not in (None, "auto", "000000"):
                    bad.setdefault(_("colour {name}").format(name=r.color), p)
        for what, p in bad.items():
            self.error(
                "FONT",
                _("text in {what}; expected Times New Roman, black").format(what=what),
                p.where,
            )

    def rule_unicode(self) -> None:
        for p in self._all_paras():
            for r in p.shown:
                if r.font and LEGACY_FONT.match(r.font):
                    self.error(
                        "UNICODE",
                        _("legacy font {font} (TCVN3/VNI text, not Unicode)").format(font=r.font),
                        p.where,
                    )
                    break
                if encoding := legacy_encoding(r.text):
                    self.error(
                        "UNICODE",
                        _(
                            "text looks like {value} code points (notice-gen convert turns it "
                            "into Unicode)"
                        ).format(value=encoding.upper()),
                        p.where,
                    )
                    break
                if not unicodedata.is_normalized("NFC", r.text):
                    self.error("UNICODE", _("text is not NFC (decomposed accents)"), p.where)
                    break

    # -- header ------------------------------------------------------------
    def _header_paras(self, column: int | None = None) -> list[Para]:
        return [
            p
            for row in self.lay.header
            for j, cell in enumerate(row)
            if column is None or j == column
            for p in cell.paras
        ]

    def _cell_of(self, para: Para) -> Cell | None:
        for row in self.lay.header:
            for cell in row:
                if any(p is para for p in cell.paras):
                    return cell
        return None

    def _line_under(self, para: Para) -> int | None:
        """Length (twips) of the line drawn under `para`, or None."""
        cell = self._cell_of(para)
        room = cell.width if cell else self._text_width()
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

    def _text_width(self) -> int | None:
        sect = self.lay.sections[-1] if self.lay.sections else None
        size = sect.find("w:pgSz", NS) if sect is not None else None
        margins = sect.find("w:pgMar", NS) if sect is not None else None
        if size is None or margins is None:
            return None
        return (
            int(size.get(w("w"))) - int(margins.get(w("left"), 0)) - int(margins.get(w("right"), 0))
        )

    def _caps_bold(
        self, p: Para, rule: str, what: str, sizes: tuple[float, float], bold: bool = True
    ) -> None:
        if not sizes[0] <= min(p.sizes(), default=0) and max(p.sizes(), default=0) <= sizes[1]:
            self.error(
                rule,
                _("{what} size {value}, expected {value2}").format(
                    what=what, value=_sizes(p), value2=_range(sizes)
                ),
                p.where,
            )
        if bold and not p.all("bold"):
            self.error(rule, _("{what} must be bold").format(what=what), p.where)
        if not bold and p.any("bold"):
            self.error(rule, _("{what} must not be bold").format(what=what), p.where)

    def rule_hdr_qh(self) -> None:
        if self.party:
            return
        paras = self._header_paras()
        qh = next((p for p in paras if p.text.strip() == QUOC_HIEU), None)
        if qh is None:
            self.error(
                "HDR-QH",
                _("the Quốc hiệu line '{QUOC_HIEU}' is missing").format(QUOC_HIEU=QUOC_HIEU),
                _("header table"),
            )
            return
        self._caps_bold(qh, "HDR-QH", "Quốc hiệu", (12, 13))
        tn = next((p for p in paras if p.text.strip() == TIEU_NGU), None)
        if tn is None:
            self.error(
                "HDR-QH",
                _("the Tiêu ngữ line '{TIEU_NGU}' is missing").format(TIEU_NGU=TIEU_NGU),
                _("header table"),
            )
            return
        self._caps_bold(tn, "HDR-QH", "Tiêu ngữ", (13, 14))
        if qh.sizes() and tn.sizes() and max(tn.sizes()) != max(qh.sizes()) + 1:
            self.add(
                "HDR-QH",
                "warning",
                _("Tiêu ngữ is usually one point larger than the Quốc hiệu"),
                tn.where,
            )
        self._check_line(tn, "HDR-QH", "Tiêu ngữ", 1.0, 1.0)

    def _check_line(
        self, p: Para, rule: str, what: str, low: float, high: float, text_of: Para | None = None
    ) -> None:
        """The line under `p`, against the widest line of `text_of` (default `p`)."""
        length = self._line_under(p)
        base = max(
            width(line, max(q.sizes(), default=12), bold=q.all("bold"))
            for q in [text_of or p]
            for line in q.text.split("\n")
        )
        if length is None:
            self.error(rule, _("no line under the {what}").format(what=what), p.where)
        elif not low * 0.9 * base <= length <= high * 1.1 * base:
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
                "length": length / TWIPS_MM,
                "low": low * base / TWIPS_MM,
                "high": high * base / TWIPS_MM,
            }
            self.error(rule, message.format(what=what, **millimetres), p.where)

    def rule_hdr_title(self) -> None:
        if not self.party:
            return
        paras = self._header_paras()
        if any(p.text.strip() == QUOC_HIEU for p in paras):
            self.error("HDR-TITLE", _("a Party document carries no Quốc hiệu"), _("header table"))
        title = next((p for p in paras if p.text.strip() == PARTY_TITLE), None)
        if title is None:
            self.error(
                "HDR-TITLE",
                _("the title '{PARTY_TITLE}' is missing").format(PARTY_TITLE=PARTY_TITLE),
                _("header table"),
            )
            return
        self._caps_bold(title, "HDR-TITLE", _("title"), (15, 15))
        self._check_line(title, "HDR-TITLE", _("title"), 1.0, 1.0)

    def _org_paras(self) -> list[Para]:
        """The issuing-body block: left header column, above the number."""
        out = []
        for p in self._header_paras(0):
            text = p.text.strip()
            if text.startswith("Số") or text == "*":
                break
            if text:
                out.append(p)
        return out

    def rule_hdr_org(self) -> None:
        if not self.lay.header:
            self.error("HDR-ORG", _("no header table (issuing body | title)"), _("document"))
            return
        org = self._org_paras()
        if not org:
            self.error("HDR-ORG", _("the issuing body is missing"), _("header table, left column"))
            return
        size = (14, 14) if self.party else (12, 13)
        issuer = [p for p in org if p.all("bold")]
        parent = [p for p in org if not p.any("bold")]
        if not issuer:
            self.error("HDR-ORG", _("the issuing body must be bold"), org[-1].where)
        for p in org:
            if p.text != p.text.upper():
                self.error("HDR-ORG", _("body names are written in capitals"), p.where)
            self._caps_bold(p, "HDR-ORG", _("body name"), size, bold=p in issuer)
        if parent and issuer and org.index(parent[0]) > org.index(issuer[0]):
            self.error("HDR-ORG", _("the parent body goes above the issuing body"), parent[0].where)
        if self.party:
            left = self._header_paras(0)
            last = max(left.index(p) for p in issuer) if issuer else -1
            star = next((p for p in left[last + 1 :] if p.text.strip()), None)
            if star is None or star.text.strip() != "*":
                self.error(
                    "HDR-ORG",
                    _("a centred '*' must follow the issuing body"),
                    issuer[-1].where if issuer else "",
                )
            elif star.align != "center":
                self.error("HDR-ORG", _("the '*' must be centred"), star.where)
            if (
                len(org) >= 2
                and re.match(r"ĐẢNG BỘ TỈNH", org[0].text)
                and re.fullmatch(r"TỈNH (ỦY|UỶ)", org[1].text.strip())
            ):
                self.add(
                    "HDR-ORG",
                    "warning",
                    _("a provincial committee is written on one line (TỈNH ỦY …)"),
                    org[1].where,
                )
        elif issuer:
            widest = max(issuer, key=lambda p: width(p.text, max(p.sizes(), default=12), bold=True))
            self._check_line(issuer[-1], "HDR-ORG", _("issuing body"), 1 / 3, 1 / 2, widest)

    def rule_num(self) -> None:
        number = next((p for p in self._header_paras() if p.text.strip().startswith("Số")), None)
        if number is None:
            self.error("NUM", _("the number line (Số …) is missing"), _("header table"))
            return
        text = number.text.strip(" \t")
        pattern = RE_NUM_PARTY if self.party else RE_NUM_ND30
        if not pattern.match(text):
            hint = (
                _("Số 05-TB/TU (no colon, numbers below 10 padded)")
                if self.party
                else _("Số: 05/TB-VP (colon, numbers below 10 padded)")
            )
            self.error(
                "NUM",
                _("'{text}' does not follow {hint}").format(text=text, hint=hint),
                number.where,
            )
        expected = (14, 14) if self.party else (13, 13)
        if number.sizes() and not expected[0] <= max(number.sizes()) <= expected[1]:
            self.error(
                "NUM",
                _("size {value}, expected {value2}").format(
                    value=_sizes(number), value2=_range(expected)
                ),
                number.where,
            )
        if number.any("bold") or number.any("italic"):
            self.error("NUM", _("the number line is upright and not bold"), number.where)

    def rule_date(self) -> None:
        if self._kind() == "BIÊN BẢN" and not self.party:
            return  # ND 30 minutes carry no date line in the header
        line = next((p for p in self._header_paras() if ", ngày" in p.text), None)
        if line is None:
            self.error("DATE", _("the place and date line is missing"), _("header table"))
            return
        text = line.text.strip()
        if not (RE_DATE.match(text) or RE_DATE_DRAFT.match(text)):
            self.error(
                "DATE",
                _(
                    "'{text}' does not follow 'Địa danh, ngày 05 tháng 3 năm 2026' (days below "
                    "10 and months 1–2 padded, months 3–12 not)"
                ).format(text=text),
                line.where,
            )
        if not line.all("italic"):
            self.error("DATE", _("the date line is italic"), line.where)
        expected = (14, 14) if self.party else (13, 14)
        if line.sizes() and not expected[0] <= max(line.sizes()) <= expected[1]:
            self.error(
                "DATE",
                _("size {value}, expected {value2}").format(
                    value=_sizes(line), value2=_range(expected)
                ),
                line.where,
            )

    # -- title and body ----------------------------------------------------
    def _kind(self) -> str | None:
        title = self._title()
        return title[0].text.strip() if title else None

    def _title(self) -> list[Para]:
        """Type name and the subject lines under it, up to the line or `-----`."""
        for i, p in enumerate(self.lay.body):
            if p.text.strip() in DOC_TYPE_NAMES:
                block = [p]
                for q in self.lay.body[i + 1 :]:
                    if q.text.strip() in ("", "-----") or q.align == "both":
                        break
                    block.append(q)
                return block
        return []

    def rule_title(self) -> None:
        title = self._title()
        if not title:
            if self._cv_subject() is None:
                self.error(
                    "TITLE",
                    _("no document type (THÔNG BÁO, BIÊN BẢN …) under the header"),
                    _("body"),
                )
            return
        kind, subject = title[0], title[1:]
        self._caps_bold(kind, "TITLE", _("document type"), (15, 16) if self.party else (13, 14))
        if kind.align != "center":
            self.error("TITLE", _("the document type is centred"), kind.where)
        if not subject:
            self.error("TITLE", _("no subject (trích yếu) under the document type"), kind.where)
            return
        for p in subject:
            self._caps_bold(p, "TITLE", _("subject"), (14, 15) if self.party else (13, 14))
        last = subject[-1]
        if self.party:
            first_line = subject[-1].text.strip()
            if first_line[:1].isupper() and first_line != first_line.upper():
                self.add("TITLE", "warning", _("a Party subject starts in lower case"), last.where)
            index = self.lay.body.index(last)
            after = next((p for p in self.lay.body[index + 1 :] if p.text.strip()), None)
            if after is None or after.text.strip() != "-----":
                self.error("TITLE", _("five hyphens '-----' must follow the subject"), last.where)
        else:
            if not _first_letter(subject[0].text).isupper():
                self.error("TITLE", _("the subject starts with a capital letter"), subject[0].where)
            length = self._line_under(last)
            if length is None:
                self.error("TITLE", _("no line under the subject"), last.where)
            else:
                widest = min(
                    max(
                        width(line, max(p.sizes(), default=14), bold=True)
                        for p in subject
                        for line in p.text.split("\n")
                    ),
                    A4[0] - 1701 - 850,
                )
                if not widest / 3 * 0.9 <= length <= widest / 2 * 1.1:
                    self.error(
                        "TITLE",
                        _(
                            "line under the subject is {value:.0f} mm; expected 1/3–1/2 of the "
                            "subject line (≈ {value2:.0f}–{value3:.0f} mm)"
                        ).format(
                            value=length / TWIPS_MM,
                            value2=widest / 3 / TWIPS_MM,
                            value3=widest / 2 / TWIPS_MM,
                        ),
                        last.where,
                    )

    def _cv_subject(self) -> Para | None:
        left = self._header_paras(0)
        return next((p for p in left if re.match(r"^(V/v|về)\s", p.text.strip())), None)

    def rule_cv_subj(self) -> None:
        subject = self._cv_subject()
        if subject is None:
            return  # not a công văn
        if self.party:
            if not subject.all("italic") or max(subject.sizes(), default=0) != 12:
                self.error("CV-SUBJ", _("the công văn subject is 12 pt italic"), subject.where)
        elif (
            not subject.text.startswith("V/v")
            or subject.any("bold")
            or not 12 <= max(subject.sizes(), default=0) <= 13
        ):
            self.error(
                "CV-SUBJ",
                _("the công văn subject is 'V/v …', 12–13 pt, upright, not bold"),
                subject.where,
            )

    def _body(self) -> list[Para]:
        title = self._title()
        start = self.lay.body.index(title[-1]) + 1 if title else 0
        return [
            p
            for p in self.lay.body[start:]
            if p.text.strip()
            and p.text.strip() != "-----"
            and not p.text.strip().startswith("Nơi nhận")
        ]

    def rule_body(self) -> None:
        body = self._body()
        if not body:
            self.add("BODY", "unjudged", _("no body paragraphs found"), _("body"))
            return
        sizes = (14, 15) if self.party else (13, 14)
        for p in body:
            problems = []
            if p.sizes() and not sizes[0] <= min(p.sizes()) and max(p.sizes()) <= sizes[1]:
                problems.append(f"size {_sizes(p)} (expected {_range(sizes)})")
            if p.align not in ("both", "distribute"):
                problems.append("not justified")
            indent = p.first_line / TWIPS_MM
            if self.party and not 9 <= indent <= 11:
                problems.append(f"first-line indent {indent:.1f} mm (expected about 10 mm)")
            if not self.party and not (9.5 <= indent <= 10.5 or 12.2 <= indent <= 13.2):
                problems.append(f"first-line indent {indent:.1f} mm (expected 10 or 12.7 mm)")
            if p.before < 120 and _after(p) < 120:
                problems.append("paragraph spacing below 6 pt")
            problems += self._line_spacing(p)
            if problems:
                self.error("BODY", "; ".join(problems), p.where)
        if self.party and not body[-1].text.rstrip().endswith("."):
            self.add("BODY", "warning", _("the body ends with a full stop"), body[-1].where)
        elif self.profile.name == "party-hd05" and body[-1].text.rstrip().endswith("./."):
            self.add(
                "BODY", "warning", _("HD 05 ends the text with '.', not './.'"), body[-1].where
            )

    def _line_spacing(self, p: Para) -> list[str]:
        rule, line = p.line_rule or "auto", p.line
        if self.party:
            low, high = (18, 22) if self.profile.name == "party-hd05" else (18, 99)
            if rule != "exact" or line is None or not low * 20 <= line <= high * 20:
                shown = f"{line / 20:g} pt {rule}" if line else "single"
                return [
                    f"line spacing {shown} (expected exactly {low}"
                    + (f"–{high} pt)" if high < 99 else "+ pt)")
                ]
            return []
        if rule == "auto":
            if line is not None and not 240 <= line <= 360:
                return [f"line spacing {line / 240:.2f} lines (expected single to 1.5)"]
            return []
        size = max(p.sizes(), default=14)
        if line is None or not 1.15 * size * 20 * 0.95 <= line <= 1.15 * size * 20 * 1.5:
            return [f"line spacing {line and line / 20:g} pt {rule} (expected single to 1.5 lines)"]
        return []

    # -- closing blocks ----------------------------------------------------
    def rule_recip(self) -> None:
        found = _recipients(self.lay)
        if found is None:
            self.error("RECIP", _("no 'Nơi nhận:' block"), _("document"))
            return
        label, items, _beside = found
        if self.party:
            if (
                label.text.strip() != "Nơi nhận:"
                or max(label.sizes(), default=0) != 14
                or not all(r.underline for r in label.shown if any(c.isalpha() for c in r.text))
                or label.any("bold")
                or label.any("italic")
            ):
                self.error(
                    "RECIP", _("'Nơi nhận:' is 14 pt, underlined, upright, not bold"), label.where
                )
        elif (
            label.text.strip() != "Nơi nhận:"
            or max(label.sizes(), default=0) != 12
            or not (label.all("bold") and label.all("italic"))
        ):
            self.error("RECIP", _("'Nơi nhận:' is 12 pt bold italic"), label.where)
        if not items:
            self.error("RECIP", _("no recipients under 'Nơi nhận:'"), label.where)
            return
        size = 12 if self.party else 11
        separator = "," if self.profile.name == "party-hd36" else ";"
        for p in items[:-1]:
            text = p.text.strip()
            if not text.startswith("- "):
                self.error("RECIP", _("each recipient starts with '- '"), p.where)
            if not text.endswith(separator):
                self.error(
                    "RECIP",
                    _("each recipient but the last ends with '{separator}' under {name}").format(
                        separator=separator, name=self.profile.name
                    ),
                    p.where,
                )
        for p in items:
            if p.sizes() and max(p.sizes()) != size:
                self.error(
                    "RECIP",
                    _("recipients are {size} pt, not {value}").format(size=size, value=_sizes(p)),
                    p.where,
                )
        last = items[-1].text.strip()
        if self.party:
            if not (last.startswith("- Lưu ") and last.endswith(".") and "Lưu:" not in last):
                self.error(
                    "RECIP",
                    _("the last line is '- Lưu <body>.' (no colon, no VT)"),
                    items[-1].where,
                )
        elif not re.match(r"^- Lưu: VT(, .+)?\.$", last):
            self.error("RECIP", _("the last line is '- Lưu: VT, <unit>.'"), items[-1].where)

    def rule_sign(self) -> None:
        if self._kind() == "BIÊN BẢN":
            self._minutes_signatures()
            return
        found = _recipients(self.lay)
        cell = found[2] if found else None
        if cell is None:
            self.add(
                "SIGN", "unjudged", _("no signature block found beside 'Nơi nhận:'"), _("document")
            )
            return
        lines = [p for p in cell.paras if p.text.strip()]
        if len(lines) < 2:
            self.error(
                "SIGN", _("the signature block needs a position and a name"), _("signature cell")
            )
            return
        name, above = lines[-1], lines[:-1]
        markers = self.profile.markers
        authority = [p for p in above if p.text.strip().split(" ")[0] in markers]
        other = ("TM.", "KT.", "TL.", "TUQ.") if self.party else ("T/M", "K/T", "T/L")
        for p in above:
            first = p.text.strip().split(" ")[0]
            if first in other:
                self.error(
                    "SIGN",
                    _("'{first}' belongs to the other regime; use {value}").format(
                        first=first, value=", ".join(markers)
                    ),
                    p.where,
                )
        for p in above:
            if p.text != p.text.upper():
                self.error("SIGN", _("authority and position lines are in capitals"), p.where)
            if p.sizes() and not (14 if self.party else 13) <= max(p.sizes()) <= 14:
                self.error(
                    "SIGN",
                    _("size {value}, expected {value2}").format(
                        value=_sizes(p), value2="14" if self.party else "13–14"
                    ),
                    p.where,
                )
            must_bold = p in authority or not self.party
            if must_bold and not p.all("bold"):
                self.error(
                    "SIGN",
                    "the authority line is bold" if p in authority else "the position line is bold",
                    p.where,
                )
            if not must_bold and p.any("bold"):
                self.error(
                    "SIGN", _("under the Party rules the position line is not bold"), p.where
                )
            if (
                self.party
                and p not in authority
                and re.search(r"TỈNH (ỦY|UỶ)|HUYỆN (ỦY|UỶ)|ĐẢNG (ỦY|UỶ)", p.text)
            ):
                self.error("SIGN", _("the position line does not repeat the body's name"), p.where)
            if self.party and p.text.startswith("K/T BÍ THƯ"):
                self.add(
                    "SIGN",
                    "warning",
                    _("a committee's deputy signs T/M …, not K/T BÍ THƯ"),
                    p.where,
                )
        if not name.all("bold") or (
            name.sizes() and not (14 if self.party else 13) <= max(name.sizes()) <= 14
        ):
            self.error(
                "SIGN",
                "the signer's name is bold, " + ("14" if self.party else "13–14") + " pt",
                name.where,
            )

    def _minutes_signatures(self) -> None:
        """Biên bản: two columns, secretary and chair, each a title and a name."""
        table = next(
            (
                t
                for t in self.lay.tables[1:]
                if len(t[0]) == 2 and all(any(p.text.strip() for p in c.paras) for c in t[0])
            ),
            None,
        )
        if table is None:
            self.error(
                "SIGN", _("minutes are signed in two columns (secretary | chair)"), _("document")
            )
            return
        for cell in table[0]:
            lines = [p for p in cell.paras if p.text.strip()]
            if len(lines) < 2:
                self.error(
                    "SIGN",
                    _("each signature column needs a title and a name"),
                    lines[0].where if lines else _("signature table"),
                )
                continue
            title, name = lines[0], lines[-1]
            if title.text != title.text.upper():
                self.error("SIGN", _("the signing title is in capitals"), title.where)
            if not self.party and not title.all("bold"):
                self.error("SIGN", _("the signing title is bold"), title.where)
            if self.party and title.any("bold"):
                self.error(
                    "SIGN", _("under the Party rules the title line is not bold"), title.where
                )
            if not name.all("bold"):
                self.error("SIGN", _("the signer's name is bold"), name.where)

    def rule_pagenum(self) -> None:
        sect = self.lay.sections[-1] if self.lay.sections else None
        if sect is None:
            self.add("PAGENUM", "unjudged", _("no section properties"), _("document"))
            return
        refs = {
            r.get(w("type")): r.get(f"{{{NS['r']}}}id")
            for r in sect.findall("w:headerReference", NS)
        }
        title_page = sect.find("w:titlePg", NS)
        title_page = title_page is not None and title_page.get(w("val"), "1") not in ("0", "false")
        parts = self._header_parts(refs)
        default, first = parts.get("default"), parts.get("first")
        if default is None or not _has_page_field(default):
            self.error("PAGENUM", _("no page-number field in the page header"), _("section header"))
            return
        if not title_page or (first is not None and _has_page_field(first)):
            self.error("PAGENUM", _("page 1 shows a page number"), _("section header"))
        for p in default.iter(w("p")):
            if _has_page_field(p):
                para = self.doc.para(p, _("page header"))
                if para.align != "center":
                    self.error("PAGENUM", _("the page number is centred"), _("page header"))
                expected = (14, 14) if self.party else (13, 14)
                if para.sizes() and not expected[0] <= max(para.sizes()) <= expected[1]:
                    self.error(
                        "PAGENUM",
                        _("page number size {value}, expected {value2}").format(
                            value=_sizes(para), value2=_range(expected)
                        ),
                        _("page header"),
                    )

    def _header_parts(self, refs: dict[str, str]) -> dict[str, etree._Element]:
        if self.doc.rels is None:
            return {}
        targets = {r.get("Id"): r.get("Target") for r in self.doc.rels}
        out = {}
        for kind, rid in refs.items():
            target = targets.get(rid, "")
            part = self.doc.xml.get("word/" + target.lstrip("/").removeprefix("word/"))
            if part is not None:
                out[kind] = part
        return out


def _first_letter(text: str) -> str:
    return next((ch for ch in text if ch.isalpha()), "A")


def _has_page_field(element: etree._Element) -> bool:
    instr = " ".join(t.text or "" for t in element.iter(w("instrText")))
    simple = " ".join(f.get(w("instr"), "") for f in element.iter(w("fldSimple")))
    return bool(re.search(r"\bPAGE\b", instr + " " + simple))


def _after(p: Para) -> int:
    spacing = p.element.find("w:pPr/w:spacing", NS)
    value = spacing.get(w("after")) if spacing is not None else None
    return int(value) if value and value.isdigit() else 0


def _sizes(p: Para) -> str:
    return "/".join(f"{s:g}" for s in sorted(p.sizes())) + " pt"


def _range(sizes: tuple[float, float]) -> str:
    return f"{sizes[0]:g} pt" if sizes[0] == sizes[1] else f"{sizes[0]:g}–{sizes[1]:g} pt"


def check_bytes(data: bytes, name: str, profile: str = "auto") -> list[Finding]:
    """All findings for the .docx `data`; `profile` is a profile name or `auto`."""
    try:
        doc = Document(data)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        return [Finding(name, "FILE", "error", f"not a readable .docx ({exc})")]
    chosen = PROFILES.get(profile) if profile != "auto" else detect_profile(layout(doc))
    if chosen is None:
        return [
            Finding(
                name,
                "PROFILE",
                "unjudged",
                "neither the Quốc hiệu nor ĐẢNG CỘNG SẢN VIỆT NAM found; give --profile",
            )
        ]
    return Checker(name, doc, chosen).run()


def check_file(path: Path, profile: str = "auto") -> list[Finding]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [Finding(str(path), "FILE", "error", f"cannot read ({exc.strerror})")]
    return check_bytes(data, str(path), profile)


def as_json(findings: list[Finding]) -> list[dict[str, str]]:
    return [asdict(f) for f in findings]
