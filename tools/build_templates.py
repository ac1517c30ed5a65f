"""Build the built-in Word templates in templates/ from scratch.

The .docx files are the source of truth once built: template authors edit them in
Word. Run this only to start the layouts afresh:
    python tools/build_templates.py
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

from notice_gen.docx.template import apply_styles
from notice_gen.rules.breaking import CLOSING_COLUMNS
from notice_gen.rules.profiles import LAYOUTS, ND30, PARTY_HD05, Profile, mm

OUT = Path(__file__).resolve().parents[1] / "templates"
HEADER_WIDTHS = (mm(70), mm(95))
SIGNATURE_WIDTHS = CLOSING_COLUMNS
MINUTES_SPACE = 12  # pt before the minutes' signature titles, as before the Nơi nhận
STYLE_NAMES = {  # style id -> name shown in Word
    "NGParent": "NG Parent body",
    "NGIssuer": "NG Issuing body",
    "NGStar": "NG Star",
    "NGNumber": "NG Number",
    "NGNationalTitle": "NG National title",
    "NGMotto": "NG Motto",
    "NGPartyTitle": "NG Party title",
    "NGDate": "NG Date line",
    "NGDocType": "NG Document type",
    "NGSubject": "NG Subject",
    "NGSeparator": "NG Separator",
    "NGBody": "NG Body",
    "NGBodyLast": "NG Body last",
    "NGRecipientsLabel": "NG Recipients label",
    "NGRecipient": "NG Recipient",
    "NGAuthority": "NG Authority",
    "NGPosition": "NG Position",
    "NGSignerName": "NG Signer name",
    "NGPageNumber": "NG Page number",
    "NGRuleIssuer": "NG Rule issuing body",
    "NGRuleMotto": "NG Rule motto",
    "NGRuleSubject": "NG Rule subject",
    "NGRulePartyTitle": "NG Rule party title",
}
SPACE_BEFORE = {
    "NGDocType": 18,
    "NGNumber": 4,
    "NGDate": 4,
    "NGRecipientsLabel": 12,
    "NGRuleSubject": 1.5,  # the line clears the descenders (g, p, dot below) in Word too
    "NGRuleMotto": 1.5,
    "NGAuthority": 12,
    "NGPosition": 0,
}


def _styles(document: Document, profile: Profile) -> None:
    for style_id, name in STYLE_NAMES.items():
        if style_id not in profile.styles and not style_id.startswith("NGRule"):
            continue
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = document.styles["Normal"]
        fmt = style.paragraph_format
        fmt.space_before = Pt(SPACE_BEFORE.get(style_id, 0))
        fmt.space_after = Pt(0)
        fmt.keep_with_next = style_id not in ("NGBody", "NGRecipient", "NGSignerName")
        if style_id.startswith("NGRule"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(4)
            style.font.size = Pt(4)
            _top_border(style.element.get_or_add_pPr())
    document.styles["Normal"].paragraph_format.space_after = Pt(0)


def _top_border(ppr) -> None:
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


def _recipients_label(cell) -> None:
    """`Nơi nhận` and its colon as two runs: the Party rule underlines the phrase only."""
    label = _para(cell, "NGRecipientsLabel", "Nơi nhận|:")
    label.runs[1].font.underline = False


def _para(container, style: str, text: str = "", bold_runs: tuple[int, ...] = ()):
    paragraph = container.add_paragraph(style=STYLE_NAMES[style])
    for i, chunk in enumerate(text.split("|")):
        if chunk:
            paragraph.add_run(chunk).bold = True if i in bold_runs else None
    return paragraph


def _loop(container, style: str, items: str, body: str) -> None:
    _para(container, style, f"{{%p for line in {items} %}}")
    _para(container, style, body)
    _para(container, style, "{%p endfor %}")


def _table(document: Document, widths: tuple[int, int], rows: int):
    table = document.add_table(rows=rows, cols=2)
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    return table


def _cell(table, row: int, col: int):
    """A table cell, emptied of the paragraph python-docx puts in it."""
    cell = table.cell(row, col)
    first = cell.paragraphs[0]._p
    first.getparent().remove(first)
    return cell


def _header(document: Document, profile: Profile) -> None:
    table = _table(document, HEADER_WIDTHS, 2)
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _loop(left, "NGParent", "parent_lines", "{{ line }}")
    _loop(left, "NGIssuer", "issuer_lines", "{{ line }}")
    if profile.regime == "state":
        _para(left, "NGRuleIssuer")
        _para(right, "NGNationalTitle", "{{ national_title }}")
        _para(right, "NGMotto", "{{ motto }}")
        _para(right, "NGRuleMotto")
    else:
        _para(left, "NGStar", "{{ org_separator }}")
        _para(right, "NGPartyTitle", "{{ party_title }}")
        _para(right, "NGRulePartyTitle")
    _para(_cell(table, 1, 0), "NGNumber", "{{ number_line }}")
    _para(_cell(table, 1, 1), "NGDate", "{{ date_line }}")


def _title_and_body(document: Document, profile: Profile, kept: int = 1) -> None:
    """Title, subject and the body loop; the last `kept` paragraphs are NGBodyLast."""
    _para(document, "NGDocType", "{{ doc_type }}")
    _loop(document, "NGSubject", "title_lines", "{{ line }}")
    _para(document, "NGSubject", "{{ subject }}")
    if profile.regime == "state":
        _para(document, "NGRuleSubject")
    else:
        _para(document, "NGSeparator", "{{ title_separator }}")
    # the last paragraph(s) have their own style, kept with the Nơi nhận and signature below
    _para(document, "NGBody", "{%p for p in body %}")
    last = "not loop.last" if kept == 1 else f"loop.revindex > {kept}"
    _para(document, "NGBody", f"{{%p if {last} %}}")
    _para(document, "NGBody", "{{ p.label }}|{{ p.heading }}|{{ p.text }}", bold_runs=(1,))
    _para(document, "NGBodyLast", "{%p else %}")
    _para(document, "NGBodyLast", "{{ p.label }}|{{ p.heading }}|{{ p.text }}", bold_runs=(1,))
    _para(document, "NGBodyLast", "{%p endif %}")
    _para(document, "NGBody", "{%p endfor %}")


def _minutes_signatures(document: Document) -> None:
    """Biên bản: secretary | chair side by side, Nơi nhận under the secretary."""
    table = _table(document, SIGNATURE_WIDTHS, 2)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for column in (0, 1):
        cell = _cell(table, 0, column)
        title = _para(cell, "NGPosition", f"{{{{ minutes_signers[{column}].title }}}}")
        title.paragraph_format.space_before = Pt(MINUTES_SPACE)  # after the text, as a page has
        for _ in range(4):
            cell.add_paragraph()
        _para(cell, "NGSignerName", f"{{{{ minutes_signers[{column}].name }}}}")
        for paragraph in cell.paragraphs:  # the signatures stay with the Nơi nhận row
            paragraph.paragraph_format.keep_with_next = True
    left = _cell(table, 1, 0)
    _recipients_label(left)
    _loop(left, "NGRecipient", "recipients", "{{ line }}")
    table.cell(1, 1).paragraphs[0].text = ""


def _signature(document: Document) -> None:
    table = _table(document, SIGNATURE_WIDTHS, 1)
    row = table.rows[0]._tr.get_or_add_trPr()
    row.append(OxmlElement("w:cantSplit"))
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _recipients_label(left)
    _loop(left, "NGRecipient", "recipients", "{{ line }}")
    _para(right, "NGAuthority", "{%p if signer.authority_line %}")
    _para(right, "NGAuthority", "{{ signer.authority_line }}")
    _para(right, "NGAuthority", "{%p endif %}")
    _para(right, "NGPosition", "{{ signer.position }}")
    for _ in range(4):
        right.add_paragraph()
    _para(right, "NGSignerName", "{{ signer.name }}")


def _page_numbers(document: Document) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.style = document.styles[STYLE_NAMES["NGPageNumber"]]
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def build(profile: Profile, layout: str) -> bytes:
    document = Document()
    _styles(document, profile)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    section = document.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    top, bottom, left, right = profile.margins
    section.top_margin, section.bottom_margin = Twips(top), Twips(bottom)
    section.left_margin, section.right_margin = Twips(left), Twips(right)
    section.header_distance = section.footer_distance = Twips(profile.header_distance)
    _header(document, profile)
    # minutes end on a one-line "Cuộc họp kết thúc …": the paragraph before it comes too
    _title_and_body(document, profile, kept=2 if layout == "bien-ban" else 1)
    if layout == "bien-ban":
        _minutes_signatures(document)
    else:
        _signature(document)
    _page_numbers(document)
    zoom = document.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    props = document.core_properties
    family = "Nhà nước (NĐ 30/2020)" if profile.regime == "state" else "Đảng (HD 05, HD 36)"
    kinds = "Biên bản" if layout == "bien-ban" else "Thông báo, Giấy mời"
    props.title = f"{kinds} – mẫu {family}"
    props.author = props.last_modified_by = "notice-gen"
    props.created = props.modified = datetime(2026, 11, 22)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _restyle(buffer.getvalue(), profile)


DROPPED = re.compile(r"^(word/stylesWithEffects\.xml|docProps/thumbnail\.jpeg|customXml/.*)$")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _restyle(data: bytes, profile: Profile) -> bytes:
    """Drop what python-docx's default template carries unused (800 KB of styles, a
    thumbnail, custom XML), then write the profile's style values in, so the file is
    small and looks right when opened."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        used = _used_styles(src)
        for info in src.infolist():
            if DROPPED.match(info.filename):
                continue
            content = src.read(info)
            if info.filename == "word/styles.xml":
                content = apply_styles(_trim_styles(content, used), profile)
            elif info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                content = _drop_references(content)
            dst.writestr(info, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _used_styles(package: zipfile.ZipFile) -> set[str]:
    used = set()
    for name in package.namelist():
        if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name):
            used |= set(
                re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', package.read(name))
            )
    return {u.decode() for u in used}


def _trim_styles(data: bytes, used: set[str]) -> bytes:
    root = etree.fromstring(data)
    styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}
    keep = {
        sid
        for sid, s in styles.items()
        if s.get(f"{W}default") == "1" or sid.startswith("NG") or sid in used
    }
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        for ref in ("basedOn", "link", "next"):
            el = style.find(f"{W}{ref}") if style is not None else None
            if el is not None and el.get(f"{W}val") not in keep:
                keep.add(el.get(f"{W}val"))
                todo.append(el.get(f"{W}val"))
    for sid, style in styles.items():
        if sid not in keep:
            root.remove(style)
    latent = root.find(f"{W}latentStyles")
    if latent is not None:
        for exception in list(latent):
            latent.remove(exception)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_references(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for el in list(root):
        target = (el.get("Target") or el.get("PartName") or "").lstrip("/")
        target = re.sub(r"^(\.\./)+", "", target)
        if (
            DROPPED.match(target)
            or DROPPED.match("word/" + target)
            or el.get("Extension") == "jpeg"
        ):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for layout in sorted(set(LAYOUTS.values())):
        for profile in (ND30, PARTY_HD05):
            (OUT / f"{layout}.{profile.regime}.docx").write_bytes(build(profile, layout))


if __name__ == "__main__":
    main()
