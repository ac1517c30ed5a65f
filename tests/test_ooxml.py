"""The OOXML validator: each kind of breakage Word refuses, made from a good rendered notice."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import DATA
from notice_gen import render_file
from notice_gen.docx.ooxml import Finding, validate_file, validate_package
from notice_gen.i18n import set_language

DOC = "word/document.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A notice as notice-gen renders it."""
    folder = tmp_path_factory.mktemp("good")
    docx, _ = render_file(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml", folder)
    return docx.read_bytes()


def parts_of(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def build(parts: dict[str, bytes], *extra: tuple[str, bytes]) -> bytes:
    """A package of `parts`, then the `extra` members (duplicates allowed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*parts.items(), *extra]:
            archive.writestr(name, data)
    return buffer.getvalue()


def replaced(package: bytes, part: str, old: bytes, new: bytes) -> bytes:
    parts = parts_of(package)
    assert parts[part].count(old) == 1, old
    parts[part] = parts[part].replace(old, new)
    return build(parts)


def edited(package: bytes, xpath: str, edit) -> tuple[bytes, str, int]:
    """The package with `edit` applied to the first element at `xpath` in the main document;
    the XPath and line in the result of the element `edit` returns, else of the edited one."""
    parts = parts_of(package)
    root = etree.fromstring(parts[DOC])
    element = root.xpath(xpath, namespaces=NS)[0]
    if (changed := edit(element)) is not None:
        element = changed
    path = root.getroottree().getpath(element)
    parts[DOC] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    line = etree.fromstring(parts[DOC]).getroottree().xpath(path, namespaces=NS)[0].sourceline
    return build(parts), path, line


def line_of(package: bytes, part: str, marker: bytes) -> int:
    data = parts_of(package)[part]
    return data[: data.index(marker)].count(b"\n") + 1


@pytest.mark.parametrize("sample", sorted(DATA.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_rendered_sample_is_clean(sample: Path, tmp_path: Path):
    docx, _ = render_file(sample, tmp_path)
    assert validate_file(docx) == []


def test_an_element_word_does_not_know_in_the_body(good: bytes):
    def add(body):
        body.insert(0, etree.Element(f"{{{W}}}frame"))
        return body[0]

    bad, path, line = edited(good, "/w:document/w:body", add)
    assert path == "/w:document/w:body/w:frame"
    assert validate_package(bad) == [
        Finding(DOC, line, "Element 'w:frame' is not allowed inside w:body", "error", path)
    ]


def test_children_out_of_order(good: bytes):
    def swap(section):
        size, margins = section.find(f"{{{W}}}pgSz"), section.find(f"{{{W}}}pgMar")
        margins.addnext(size)

    bad, section, line = edited(good, "//w:sectPr", swap)
    message = "Element 'w:pgSz' is out of order: it must come before w:pgMar"
    assert validate_package(bad) == [Finding(DOC, line, message, "error", section + "/w:pgSz")]


def test_a_part_without_content_type(good: bytes):
    bad = build(parts_of(good), ("word/media/image1.png", b"\x89PNG\r\n\x1a\n"))
    message = (
        "no content type: [Content_Types].xml has no Override for /word/media/image1.png "
        "and no Default for 'png'; Word reports unreadable content"
    )
    assert validate_package(bad) == [Finding("word/media/image1.png", 0, message)]


def test_a_header_whose_content_type_is_missing(good: bytes):
    override = (
        b'<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.header+xml"/>'
    )
    bad = replaced(good, "[Content_Types].xml", override, b"")
    rels = "word/_rels/document.xml.rels"
    line = line_of(bad, rels, b'Id="rId10"')
    message = (
        "relationship rId10 (header) targets /word/header2.xml of content type application/xml;"
        " expected application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
    )
    assert validate_package(bad) == [Finding(rels, line, message)]


def test_a_dangling_relationship_id(good: bytes):
    bad = replaced(good, DOC, b'r:id="rId10"', b'r:id="rId99"')
    message = (
        "<w:headerReference r:id='rId99'> names no relationship of word/_rels/document.xml.rels"
    )
    path = "/w:document/w:body/w:sectPr/w:headerReference[2]"
    line = line_of(bad, DOC, b'r:id="rId99"')
    assert validate_package(bad) == [Finding(DOC, line, message, "error", path)]


def test_a_table_row_without_a_cell(good: bytes):
    def empty(row):
        for cell in row.findall(f"{{{W}}}tc"):
            row.remove(cell)

    bad, path, line = edited(good, "//w:tr", empty)
    assert path == "/w:document/w:body/w:tbl[1]/w:tr[1]"
    message = "w:tr has no w:tc: Word reports unreadable content"
    assert validate_package(bad) == [Finding(DOC, line, message, "error", path)]


def test_a_table_without_rows_and_a_cell_without_paragraph(good: bytes):
    def strip(table):
        for row in table.findall(f"{{{W}}}tr"):
            table.remove(row)

    bad, path, line = edited(good, "//w:tbl", strip)
    message = (
        "w:tbl has no w:tr: Word reports unreadable content (did a {%tr for %} loop run "
        "over an empty list?)"
    )
    assert validate_package(bad) == [Finding(DOC, line, message, "error", path)]

    def no_paragraph(cell):
        for paragraph in cell.findall(f"{{{W}}}p"):
            cell.remove(paragraph)

    bad, path, line = edited(good, "//w:tc", no_paragraph)
    message = "w:tc has no w:p: every table cell needs a paragraph"
    assert validate_package(bad) == [Finding(DOC, line, message, "error", path)]


def test_a_control_character_pasted_into_the_text(good: bytes):
    bad = replaced(good, DOC, "Số: 05/TB".encode(), "Số:\x0b05/TB".encode())
    message = (
        "control character U+000B is not allowed in XML (often pasted from Excel or PDF): remove it"
    )
    assert validate_package(bad) == [Finding(DOC, line_of(bad, DOC, b"\x0b"), message)]


def test_a_member_named_to_climb_out_of_the_folder_refuses_the_package(good: bytes):
    bad = build(parts_of(good), ("../evil", b"<evil/>"), ("/etc/evil", b"<evil/>"))
    message = "part '../evil' points outside the document; the file is refused"
    assert validate_package(bad) == [Finding("(zip)", 0, message)]


def test_an_oversized_member_is_refused_before_it_is_read(good: bytes):
    bad = build(parts_of(good), ("word/media/big.bin", bytes(64 * 1024 * 1024 + 1)))
    message = "part word/media/big.bin unpacks to 65 MB, more than the limit of 64 MB"
    assert validate_package(bad) == [Finding("(zip)", 0, message)]


def test_too_many_members_are_refused(good: bytes):
    parts = parts_of(good)
    many = [(f"word/media/{i}.xml", b"<x/>") for i in range(1_001 - len(parts))]
    message = "1001 parts, more than the 1000 a .docx may have"
    assert validate_package(build(parts, *many)) == [Finding("(zip)", 0, message)]


def test_an_encrypted_member_is_refused(good: bytes):
    data = bytearray(build(parts_of(good), ("word/secret.xml", b"<x/>")))
    entry = data.rindex(b"PK\x01\x02")  # the last member's entry in the zip's directory
    assert data[entry + 46 : entry + 61] == b"word/secret.xml"
    data[entry + 8] |= 0x1  # the general purpose flag: encrypted
    message = "part word/secret.xml is encrypted; Word documents are not"
    assert validate_package(bytes(data)) == [Finding("(zip)", 0, message)]


DRAWING = (
    '<w:r><w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<wp:extent cx="9525" cy="9525"/><wp:docPr id="7" name="Picture {n}"/><a:graphic>'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/>'
    "</a:graphic></wp:inline></w:drawing></w:r>"
)


def test_a_duplicate_drawing_id(good: bytes):
    paragraph = f"<w:p>{DRAWING.format(n=1)}{DRAWING.format(n=2)}</w:p>".encode()
    bad = replaced(good, DOC, b"<w:sectPr ", paragraph + b"<w:sectPr ")
    line = line_of(bad, DOC, b'name="Picture 2"')
    message = (
        f"duplicate wp:docPr id=7 (first on line {line}): Word reports unreadable content "
        "(did a loop copy a picture?)"
    )
    paragraphs = len(etree.fromstring(parts_of(bad)[DOC]).findall(f".//{{{W}}}body/{{{W}}}p"))
    path = f"/w:document/w:body/w:p[{paragraphs}]/w:r[2]/w:drawing/wp:inline/wp:docPr"
    assert validate_package(bad) == [Finding(DOC, line, message, "error", path)]


def test_a_reference_to_a_footnote_the_document_lacks(good: bytes):
    bad = replaced(
        good, DOC, b"<w:sectPr ", b'<w:p><w:r><w:footnoteReference w:id="3"/></w:r></w:p><w:sectPr '
    )
    message = "w:footnoteReference id=3 but the document has no footnotes part"
    found = validate_package(bad)
    assert [(f.part, f.message, f.severity) for f in found] == [(DOC, message, "error")]


def test_a_doctype_with_an_external_entity_refuses_the_package(good: bytes):
    doctype = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<w:document '
    bad = replaced(good, DOC, b"<w:document ", doctype)
    bad = replaced(bad, DOC, "Số: 05/TB".encode(), b"&x;")
    message = "part word/document.xml declares a DTD or entities, which Word never writes"
    assert validate_package(bad) == [Finding("(zip)", 0, message)]


def test_markup_word_does_not_know_must_be_declared_ignorable(good: bytes):
    bad = replaced(good, DOC, b"<w:body>", b'<w:body><w:p xmlns:x="urn:example" x:y="1"/>')
    message = (
        "markup from namespace urn:example is not listed in mc:Ignorable and Word does not "
        "know it: declare it ignorable or remove it"
    )
    assert next(f.message for f in validate_package(bad) if f.severity == "error") == message
    ignorable = replaced(bad, DOC, b'mc:Ignorable="w14 wp14"', b'mc:Ignorable="w14 wp14 x"')
    ignorable = replaced(ignorable, DOC, b'<w:p xmlns:x="urn:example"', b"<w:p")
    ignorable = replaced(ignorable, DOC, b"<w:document ", b'<w:document xmlns:x="urn:example" ')
    assert validate_package(ignorable) == []


def test_not_a_zip():
    found = validate_package(b"PK\x03\x04 this is no zip")
    assert [(f.part, f.message) for f in found] == [("(zip)", "not a Word document (.docx)")]


def test_findings_in_vietnamese(good: bytes):
    bad = build(parts_of(good), ("../evil", b""))
    set_language("vi")
    try:
        found = validate_package(bad)
    finally:
        set_language("en")
    assert [f.message for f in found] == ["phần '../evil' trỏ ra ngoài văn bản; tệp bị từ chối"]


def test_a_file_that_cannot_be_read(tmp_path: Path):
    found = validate_file(tmp_path / "missing.docx")
    assert found == [Finding("(file)", 0, "cannot read the file: No such file or directory")]
