"""Read a .docx draft under bounds: its paragraphs in reading order, with run emphasis,
table cells flattened row by row, and Word's list numbering resolved to label text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..docx.ns import NS, w
from ..docx.package import PackageError, open_package, parse_xml, read_docx
from ..docx.reader import Document
from ..errors import NoticeGenError
from ..i18n import _
from .numbering import Numbering


class DraftError(NoticeGenError):
    """A draft that cannot be read. Exit status 2."""

    exit_code = 2


@dataclass(frozen=True)
class Span:
    """A stretch of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph of the draft in reading order."""

    where: str  # as `check` words it: `paragraph 14`, `table 1 row 2 cell 1 paragraph 1`
    spans: tuple[Span, ...]
    label: str = ""  # Word's own list label (`1.`, `a)`, `-`), resolved
    level: int | None = None  # Word's list level
    align: str | None = None
    column: int | None = None  # the table cell's column (0 = left), None outside tables
    table: int | None = None  # which table (1-based) it sits in

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def at(self, text: str | None = None) -> str:
        """`paragraph 14 «text»`: where, and what it says."""
        shown = " ".join((self.text if text is None else text).split())
        shown = shown if len(shown) <= 50 else shown[:47] + "…"
        return f"{self.where} «{shown}»" if shown else self.where


def numbering_part(data: bytes, name: str) -> bytes:
    """The draft's numbering part (b"" when it has none), once `data` is known to be a
    bounded Word package."""
    try:
        package = open_package(data)
    except PackageError as exc:
        raise DraftError(f"{name}: {exc}") from None
    if "word/document.xml" not in package.members:
        raise DraftError(_("{name}: not a Word document (.docx)").format(name=name))
    return package.members.get("word/numbering.xml", b"")


def paragraphs(data: bytes, name: str) -> list[Para]:
    """Every paragraph of the draft in reading order; tables row by row, cell by cell."""
    numbering_xml = numbering_part(data, name)
    try:
        doc = Document(data)
        numbering = Numbering(
            parse_xml(numbering_xml) if numbering_xml else None,
            {sid: style for sid, style in doc.styles.items() if sid},
            doc.default_style,
        )
    except (etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise DraftError(
            _("{name}: the document cannot be read ({detail})").format(name=name, detail=exc)
        ) from None
    reader = _Reader(doc, numbering)
    if doc.body is not None:
        reader.container(doc.body, None)
    return reader.out


class _Reader:
    def __init__(self, doc: Document, numbering: Numbering) -> None:
        self.doc, self.numbering = doc, numbering
        self.out: list[Para] = []
        self.count = 0  # top-level paragraphs, numbered as `check` numbers them
        self.tables = 0

    def container(self, parent: etree._Element, cell: tuple[str, int, int] | None) -> None:
        k = nested = 0
        for child in parent:
            if child.tag == w("sdt"):
                content = child.find("w:sdtContent", NS)
                if content is not None:
                    self.container(content, cell)
            elif child.tag == w("p"):
                if cell is None:
                    self.count += 1
                    where = _("paragraph {n}").format(n=self.count)
                else:
                    k += 1
                    where = _("{where} paragraph {k}").format(where=cell[0], k=k)
                self.paragraph(child, where, cell)
            elif child.tag == w("tbl"):
                nested += 1
                self.table(child, cell, nested)

    def table(self, tbl: etree._Element, cell: tuple[str, int, int] | None, nested: int) -> None:
        """A table's cells row by row; a table inside a cell is named inside that cell."""
        if cell is None:
            self.tables += 1
            number, top, prefix = self.tables, self.tables, ""
        else:
            number, top, prefix = nested, cell[2], cell[0] + " "
        for i, tr in enumerate(tbl.findall("w:tr", NS), 1):
            for j, tc in enumerate(tr.findall("w:tc", NS), 1):
                where = prefix + _("table {t} row {i} cell {j}").format(t=number, i=i, j=j)
                self.container(tc, (where, j - 1, top))

    def paragraph(self, p: etree._Element, where: str, cell: tuple[str, int, int] | None) -> None:
        """One paragraph; in a table cell (header, Nơi nhận, signature) each line typed
        with Shift+Enter is a paragraph of its own, as a văn thư means it."""
        para = self.doc.para(p, where)
        spans = tuple(Span(r.text, r.bold, r.italic) for r in para.runs if r.text)
        listed = self.numbering.label(p)
        for line in _lines(spans) if cell else [spans]:
            self.out.append(
                Para(
                    where=where,
                    spans=line,
                    label=listed[0] if listed else "",
                    level=listed[1] if listed else None,
                    align=para.align,
                    column=cell[1] if cell else None,
                    table=cell[2] if cell else None,
                )
            )
            listed = None


def _lines(spans: tuple[Span, ...]) -> list[tuple[Span, ...]]:
    """`spans` cut at their line breaks (Word's `w:br`, read as `\n`)."""
    lines: list[list[Span]] = [[]]
    for span in spans:
        for i, part in enumerate(span.text.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append(Span(part, span.bold, span.italic))
    return [tuple(line) for line in lines]


def read_draft(path: Path) -> list[Para]:
    """The paragraphs of the draft at `path`; `.doc`/`.odt` go through LibreOffice first."""
    from .convert import CONVERTED, to_docx

    path = Path(path)
    if not path.is_file():
        raise DraftError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() in CONVERTED:
        data = to_docx(path)
    else:
        try:
            data = read_docx(path)
        except PackageError as exc:
            raise DraftError(f"{path}: {exc}") from None
    return paragraphs(data, str(path))
