"""Read a .docx as a reader of the printed page would: paragraphs and runs with their
effective formatting (direct, through the style chain and docDefaults), table cells
with their usable widths, section properties and header parts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..i18n import _
from .ns import EMU_PER_TWIP, NS, main_part, story_parts, w
from .package import open_package

Element = etree._Element
DEFAULT_CELL_MARGINS = 216  # twips, left + right, when a table sets none
MAX_STYLE_DEPTH = 20


@dataclass
class Run:
    """One run of text with its effective formatting; `size` in points."""

    text: str
    font: str | None
    size: float
    bold: bool
    italic: bool
    underline: bool
    color: str | None


@dataclass
class Para:
    """One paragraph with its effective formatting; lengths in twips."""

    text: str
    where: str
    runs: list[Run]
    align: str | None
    first_line: int
    left: int
    right: int
    before: int
    after: int
    line: int | None
    line_rule: str | None
    border: bool  # a top or bottom border: a drawn line
    drawing: int | None  # width of a drawn line shape
    element: Element = field(repr=False)

    @property
    def shown(self) -> list[Run]:
        """The runs that print something."""
        return [r for r in self.runs if r.text.strip()]

    def sizes(self) -> set[float]:
        return {r.size for r in self.shown}

    def all(self, attribute: str) -> bool:
        """Whether every printed run has `attribute` (bold, italic, underline)."""
        return bool(self.shown) and all(getattr(r, attribute) for r in self.shown)

    def any(self, attribute: str) -> bool:
        return any(getattr(r, attribute) for r in self.shown)


@dataclass
class Cell:
    paras: list[Para]
    width: int | None  # usable width, twips


Table = list[list[Cell]]


@dataclass
class Layout:
    """Where the elements of an administrative document are found."""

    header: Table  # rows of cells of the first table
    body: list[Para]  # top-level paragraphs, in order
    tables: list[Table]
    sections: list[Element]


def short(text: str) -> str:
    """`text` on one line, cut to 50 characters: how a location quotes it."""
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "…"


def _on(element: Element | None) -> bool:
    return element is not None and element.get(w("val"), "1") not in ("0", "false", "off")


class Document:
    """The parts of a .docx the rules need, with effective formatting resolved.

    Raises `zipfile.BadZipFile`, `KeyError` or `etree.XMLSyntaxError` when `data` is
    not a readable Word document.
    """

    def __init__(self, data: bytes) -> None:
        with open_package(data) as package:
            names = set(package.namelist())
            stories = story_parts(package.read("[Content_Types].xml"))
            wanted = [n for n in stories if n in names]
            wanted += [n for n in names if re.fullmatch(r"word/(styles|theme/theme\d*)\.xml", n)]
            self.xml = {n: package.xml(n) for n in wanted}
            main = main_part(stories)
            if main is None or main not in self.xml:
                raise KeyError(_("no main document part"))
            rels = f"{main.rpartition('/')[0]}/_rels/{main.rpartition('/')[2]}.rels"
            self.rels = package.xml(rels) if rels in names else None
        self.main = self.xml[main]
        self._chains: dict[str | None, list[Element]] = {}
        self._memo: dict[tuple[str | None, str, str], Element | None] = {}
        styles = self.xml.get("word/styles.xml")
        found = styles.findall("w:style", NS) if styles is not None else []
        self.styles = {s.get(w("styleId")): s for s in found}
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
        body = self.main.find("w:body", NS)
        self.body: Element = body if body is not None else self.main

    def _theme_fonts(self) -> dict[str, str]:
        theme = next((x for n, x in self.xml.items() if n.startswith("word/theme/")), None)
        if theme is None:
            return {}
        fonts = {
            "major": theme.find(".//a:majorFont/a:latin", NS),
            "minor": theme.find(".//a:minorFont/a:latin", NS),
        }
        return {k: v.get("typeface", "") for k, v in fonts.items() if v is not None}

    def _chain(self, style_id: str | None) -> list[Element]:
        if style_id not in self._chains:
            out: list[Element] = []
            sid = style_id
            while sid and sid in self.styles and len(out) < MAX_STYLE_DEPTH:
                style = self.styles[sid]
                out.append(style)
                based = style.find("w:basedOn", NS)
                sid = based.get(w("val")) if based is not None else None
            self._chains[style_id] = out
        return self._chains[style_id]

    def _para_style(self, p: Element) -> str | None:
        style = p.find("w:pPr/w:pStyle", NS)
        return style.get(w("val")) if style is not None else self.default_style

    def _in_styles(self, style_id: str | None, props: str, tag: str) -> Element | None:
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

    def _run_prop(self, r: Element, tag: str, para_style: str | None) -> Element | None:
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

    def _para_attr(self, p: Element, tag: str, attr: str, para_style: str | None) -> str | None:
        for found in (
            p.find(f"w:pPr/w:{tag}", NS),
            self._in_styles(para_style, "pPr", tag),
            self.doc_ppr.find(f"w:{tag}", NS) if self.doc_ppr is not None else None,
        ):
            if found is not None and found.get(w(attr)) is not None:
                return found.get(w(attr))
        return None

    def run(self, r: Element, para_style: str | None) -> Run:
        """The run `r` of a paragraph in the style `para_style`."""
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
        half_points = size.get(w("val"), "") if size is not None else ""
        return Run(
            text=text,
            font=font,
            size=int(half_points) / 2 if half_points.isdigit() else 10.0,
            bold=_on(self._run_prop(r, "b", para_style)),
            italic=_on(self._run_prop(r, "i", para_style)),
            underline=underline is not None and underline.get(w("val"), "single") != "none",
            color=color.get(w("val")) if color is not None else None,
        )

    def para(self, p: Element, where: str) -> Para:
        """The paragraph `p`, located for messages as `where`."""
        style_id = self._para_style(p)
        runs = [self.run(r, style_id) for r in p.iter(w("r"))]

        def attr(tag: str, name: str) -> int:
            value = self._para_attr(p, tag, name, style_id)
            return int(value) if value and re.fullmatch(r"-?\d+", value) else 0

        levels = [p.find("w:pPr", NS)] + [s.find("w:pPr", NS) for s in self._chain(style_id)]
        border = any(
            level is not None
            and (
                level.find("w:pBdr/w:top", NS) is not None
                or level.find("w:pBdr/w:bottom", NS) is not None
            )
            for level in levels
        )
        text = "".join(r.text for r in runs)
        extent = p.find(".//wp:extent", NS)
        cx = extent.get("cx", "") if extent is not None else ""
        drawing = round(int(cx) / EMU_PER_TWIP) if cx.isdigit() and not text.strip() else None
        line = self._para_attr(p, "spacing", "line", style_id)
        return Para(
            text=text,
            where=f"{where} «{short(text)}»" if text.strip() else where,
            runs=runs,
            align=self._para_attr(p, "jc", "val", style_id),
            first_line=attr("ind", "firstLine"),
            left=attr("ind", "left") or attr("ind", "start"),
            right=attr("ind", "right") or attr("ind", "end"),
            before=attr("spacing", "before"),
            after=attr("spacing", "after"),
            line=int(line) if line and line.isdigit() else None,
            line_rule=self._para_attr(p, "spacing", "lineRule", style_id),
            border=border,
            drawing=drawing,
            element=p,
        )

    def header_parts(self, section: Element) -> dict[str, Element]:
        """The header parts of `section` by type (`default`, `first`, `even`)."""
        if self.rels is None:
            return {}
        targets = {r.get("Id"): r.get("Target", "") for r in self.rels}
        out = {}
        for ref in section.findall("w:headerReference", NS):
            target = targets.get(ref.get(f"{{{NS['r']}}}id"), "") or ""
            part = self.xml.get("word/" + target.lstrip("/").removeprefix("word/"))
            if part is not None:
                out[ref.get(w("type"), "default")] = part
        return out


def _table(doc: Document, element: Element, t: int) -> Table:
    grid = element.findall("w:tblGrid/w:gridCol", NS)
    cell_margins = element.find("w:tblPr/w:tblCellMar", NS)
    margins = (
        sum(
            int(m.get(w("w"), "0"))
            for m in cell_margins
            if etree.QName(m).localname in ("left", "right", "start", "end")
        )
        if cell_margins is not None
        else DEFAULT_CELL_MARGINS
    )
    rows = []
    for i, tr in enumerate(element.findall("w:tr", NS), 1):
        cells = []
        for j, tc in enumerate(tr.findall("w:tc", NS), 1):
            tcw = tc.find("w:tcPr/w:tcW", NS)
            value = tcw.get(w("w"), "") if tcw is not None else ""
            if tcw is not None and tcw.get(w("type"), "dxa") == "dxa" and value.isdigit():
                width: int | None = int(value)
            else:
                column = grid[j - 1].get(w("w"), "") if j <= len(grid) else ""
                width = int(column) if column.isdigit() else None
            where = _("table {t} row {i} cell {j}").format(t=t, i=i, j=j)
            paras = [
                doc.para(p, _("{where} paragraph {k}").format(where=where, k=k))
                for k, p in enumerate(tc.findall("w:p", NS), 1)
            ]
            cells.append(Cell(paras, width - margins if width else None))
        rows.append(cells)
    return rows


def layout(doc: Document) -> Layout:
    """The top-level paragraphs and tables of `doc`, the first table as its header."""
    paras: list[Para] = []
    tables: list[Table] = []
    for child in doc.body:
        if child.tag == w("p"):
            paras.append(doc.para(child, _("paragraph {n}").format(n=len(paras) + 1)))
        elif child.tag == w("tbl"):
            tables.append(_table(doc, child, len(tables) + 1))
    sections = list(doc.main.iter(w("sectPr")))
    return Layout(tables[0] if tables else [], paras, tables, sections)


def has_page_field(element: Element) -> bool:
    """Whether `element` holds a PAGE field, complex or simple."""
    instr = " ".join(t.text or "" for t in element.iter(w("instrText")))
    simple = " ".join(f.get(w("instr"), "") for f in element.iter(w("fldSimple")))
    return bool(re.search(r"\bPAGE\b", instr + " " + simple))
