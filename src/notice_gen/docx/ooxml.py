"""Validation of WordprocessingML packages: what makes Word refuse a .docx.

`validate_package(data)` reads the package within bounds (`opc`), checks content types and
relationships, resolves Markup Compatibility and validates every known XML part against the
ECMA-376 Transitional schemas (`xsd`), then applies the rules Word enforces beyond them:
tables need a row, rows a cell, cells end with a paragraph, drawing ids are unique, note and
comment references exist. It returns findings; it raises nothing for a bad package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from lxml import etree

from notice_gen.docx.opc import (
    CONTENT_TYPES,
    NS,
    PACKAGE_RELS,
    PREFIX_OF,
    Finding,
    Findings,
    Package,
    extension,
    line_of,
    namespace,
    parse_xml,
    pretty,
    qn,
    read_package,
    rels_part,
)
from notice_gen.docx.package import PackageError, read_docx
from notice_gen.docx.xsd import resolve_compatibility, schemas
from notice_gen.i18n import _

__all__ = ["Finding", "errors_in", "validate_file", "validate_package"]

W = f"{{{NS['w']}}}"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_OFFICE_CT = "application/vnd.openxmlformats-officedocument."
MAIN_CONTENT_TYPES = {
    _WML + "document.main+xml": ".docx",
    _WML + "template.main+xml": ".dotx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": ".docm",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": ".dotm",
}
# content type -> root element of the parts validated against the schemas
ROOT_OF = {ct: "w:document" for ct in MAIN_CONTENT_TYPES} | {
    _WML + "styles+xml": "w:styles",
    "application/vnd.ms-word.stylesWithEffects+xml": "w:styles",
    _WML + "numbering+xml": "w:numbering",
    _WML + "header+xml": "w:hdr",
    _WML + "footer+xml": "w:ftr",
    _WML + "settings+xml": "w:settings",
    _WML + "fontTable+xml": "w:fonts",
    _WML + "webSettings+xml": "w:webSettings",
    _WML + "footnotes+xml": "w:footnotes",
    _WML + "endnotes+xml": "w:endnotes",
    _WML + "comments+xml": "w:comments",
    _WML + "document.glossary+xml": "w:glossaryDocument",
    _OFFICE_CT + "theme+xml": "a:theme",
    _OFFICE_CT + "drawingml.chart+xml": "c:chartSpace",
    _OFFICE_CT + "extended-properties+xml": "ep:Properties",
    _OFFICE_CT + "custom-properties+xml": "op:Properties",
    _OFFICE_CT + "customXmlProperties+xml": "ds:datastoreItem",
    "application/vnd.openxmlformats-package.relationships+xml": "rel:Relationships",
}
CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
# relationship kind -> content type of its target
_WML_PARTS = ("styles", "numbering", "settings", "fontTable", "webSettings", "header", "footer")
TARGET_TYPE = {
    kind: _WML + kind + "+xml" for kind in (*_WML_PARTS, "footnotes", "endnotes", "comments")
} | {
    "glossaryDocument": _WML + "document.glossary+xml",
    "theme": _OFFICE_CT + "theme+xml",
    "chart": _OFFICE_CT + "drawingml.chart+xml",
    "extended-properties": _OFFICE_CT + "extended-properties+xml",
    "core-properties": CORE_PROPERTIES,
}
# (element, attribute) -> relationship kinds it may name
EXPECTED_KIND = {
    (qn("w:headerReference"), qn("r:id")): "header",
    (qn("w:footerReference"), qn("r:id")): "footer",
    (qn("w:hyperlink"), qn("r:id")): "hyperlink",
    (qn("a:blip"), qn("r:embed")): "image",
    (qn("a:blip"), qn("r:link")): "image",
    (qn("v:imagedata"), qn("r:id")): "image",
    (qn("c:chart"), qn("r:id")): "chart",
    (qn("w:altChunk"), qn("r:id")): "aFChunk",
    (qn("w:subDoc"), qn("r:id")): "subDocument",
}
MAX_SCHEMA_ERRORS = 50


def validate_file(path: Path) -> list[Finding]:
    """The findings of the .docx (or .dotx, .docm) at `path`; its size is checked first."""
    try:
        data = read_docx(path)
    except PackageError as exc:
        return [Finding("(zip)", 0, str(exc))]
    except OSError as exc:
        message = _("cannot read the file: {error}").format(error=exc.strerror or exc)
        return [Finding("(file)", 0, message)]
    return validate_package(data, suffix=path.suffix)


def validate_package(data: bytes, *, suffix: str = ".docx") -> list[Finding]:
    """Everything in the package `data` that Word would refuse (errors) or that looks wrong
    (warnings), in the order found. `suffix` is the file name extension the package has."""
    findings = Findings()
    package = read_package(data, findings)
    if package is not None:
        main = _check_package(package, findings, suffix.lower())
        _validate_parts(package, findings)
        if main is not None and main in package.trees:
            _check_documents(package, main, findings)
    return findings.items


def errors_in(findings: list[Finding]) -> list[Finding]:
    """Only the findings that make Word refuse the file."""
    return [f for f in findings if f.severity == "error"]


def _check_package(package: Package, findings: Findings, suffix: str) -> str | None:
    """Content types of parts and relationship targets; the main document part."""
    for part in sorted(package.parts):
        if part != CONTENT_TYPES and package.content_type(part) is None:
            findings.error(
                part,
                0,
                _(
                    "no content type: [Content_Types].xml has no Override for /{part} and no "
                    "Default for {extension!r}; Word reports unreadable content"
                ).format(part=part, extension=extension(part)),
            )
    for source, table in sorted(package.rels.items()):
        for rid, rel in table.items():
            real = package.target(source, rel)
            actual = package.content_type(real) if real else None
            expected = TARGET_TYPE.get(rel.kind)
            if actual is None or expected is None or actual == expected:
                continue
            message = _(
                "relationship {id} ({kind}) targets /{part} of content type {actual}; "
                "expected {expected}"
            )
            findings.error(
                rels_part(source) if source else PACKAGE_RELS,
                rel.line,
                message.format(id=rid, kind=rel.kind, part=real, actual=actual, expected=expected),
            )
    main = next(iter(package.related("").get("officeDocument", [])), None)
    if "" not in package.rels:
        findings.error(PACKAGE_RELS, 0, _("the package relationships _rels/.rels are missing"))
    elif main is None:
        findings.error(PACKAGE_RELS, 0, _("no officeDocument relationship to an existing part"))
    elif (actual := package.content_type(main)) not in MAIN_CONTENT_TYPES:
        findings.error(
            main,
            0,
            _("main document of content type {actual!r}; Word needs {expected}").format(
                actual=actual, expected=" or ".join(sorted(MAIN_CONTENT_TYPES))
            ),
        )
    elif suffix in MAIN_CONTENT_TYPES.values() and MAIN_CONTENT_TYPES[actual] != suffix:
        findings.error(
            main,
            0,
            _("content type {actual} belongs in a {expected} file, not {suffix}").format(
                actual=actual, expected=MAIN_CONTENT_TYPES[actual], suffix=suffix
            ),
        )
    return main


def _validate_parts(package: Package, findings: Findings) -> None:
    """Parse every XML part, resolve Markup Compatibility and validate the known ones."""
    for part in sorted(package.parts):
        content_type = package.content_type(part) or ""
        root = package.trees.get(part)
        if root is None and (content_type in ROOT_OF or content_type.endswith(("+xml", "/xml"))):
            root = parse_xml(package, part, findings)
        if root is None:
            continue
        if content_type == CORE_PROPERTIES:
            _check_core(part, root, findings)
            continue
        expected = "ct:Types" if part == CONTENT_TYPES else ROOT_OF.get(content_type)
        if root.tag.startswith("{http://purl.oclc.org/ooxml/"):
            findings.warn(part, root, _("Strict markup: only Transitional is checked"))
            continue
        _check_rel_ids(package, part, root, findings)
        resolve_compatibility(root, findings, part, report_foreign=expected is not None)
        if expected is None:
            continue  # extension or custom parts: well-formedness and compatibility only
        if root.tag != qn(expected):
            message = _("root element <{actual}>; a part of content type {type} needs <{expected}>")
            findings.error(
                part,
                root,
                message.format(actual=pretty(root.tag), type=content_type, expected=expected),
            )
            continue
        package.trees[part] = root
        _validate_schema(part, root, findings)


_CLARK = re.compile(r"\{([^{}\s]+)\}([A-Za-z_][\w.\-]*)")
# Schema violations Word is known to accept: warnings, with the reason.
_TOLERATED = [
    (r"^Element 'w:zoom': The attribute 'w:percent' is required", "w:zoom"),
    (r"^Element 'w:pgMar': The attribute 'w:(header|footer|gutter)' is required", "w:pgMar"),
    (r"^Element 'c:(axId|crossAx)', attribute 'val': '-\d+' is not a valid value", "c:axId"),
    (r"^Element 'rel:Relationship', attribute 'Target': .* 'xs:anyURI'", "Target"),
]


def _validate_schema(part: str, root: etree._Element, findings: Findings) -> None:
    compiled = schemas()
    compiled.models.precheck(root, findings, part)
    try:
        if compiled.xsd.validate(root):
            return
    except etree.XMLSchemaValidateError as exc:  # libxml2 gives up on some broken trees
        findings.error(part, 0, _("schema: {message}").format(message=exc))
        return
    shown = 0
    for error in cast("Iterable[Any]", compiled.xsd.error_log):
        message = _CLARK.sub(
            lambda m: f"{PREFIX_OF[m[1]]}:{m[2]}" if m[1] in PREFIX_OF else m[0], error.message
        )
        tolerated = next((e for rx, e in _TOLERATED if re.search(rx, message)), None)
        if tolerated is not None and (tolerated != "Target" or _external_target(root, message)):
            text = _("schema: {message} (Word accepts this)").format(message=message)
            findings.items.append(Finding(part, error.line, text, "warning", error.path or ""))
            continue
        shown += 1
        if shown <= MAX_SCHEMA_ERRORS:
            text = _("schema: {message}").format(message=message)
            findings.items.append(Finding(part, error.line, text, "error", error.path or ""))
    if shown > MAX_SCHEMA_ERRORS:
        findings.error(
            part,
            0,
            _("schema: {count} more errors").format(count=shown - MAX_SCHEMA_ERRORS),
        )


def _external_target(root: etree._Element, message: str) -> bool:
    return any(
        f"'{rel.get('Target')}'" in message and rel.get("TargetMode") == "External"
        for rel in root.iter(qn("rel:Relationship"))
    )


def _check_rel_ids(package: Package, part: str, root: etree._Element, findings: Findings) -> None:
    """Every r:id, r:embed … (and o:relid) names a relationship of `part`, of the right kind."""
    table = package.rels.get(part, {})
    r_ns, relid = f"{{{NS['r']}}}", qn("o:relid")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key, raw in element.attrib.items():
            name, value = str(key), str(raw)
            if not value or not (name.startswith(r_ns) or name == relid):
                continue
            rel = table.get(value)
            if rel is None:
                message = _("<{element} {attribute}={value!r}> names no relationship of {rels}")
                findings.error(
                    part,
                    element,
                    message.format(
                        element=pretty(element.tag),
                        attribute=pretty(name),
                        value=value,
                        rels=rels_part(part),
                    ),
                )
            elif (want := EXPECTED_KIND.get((element.tag, name))) and rel.kind != want:
                message = _(
                    "<{element} {attribute}={value!r}> names a {kind} relationship, not {expected}"
                )
                findings.error(
                    part,
                    element,
                    message.format(
                        element=pretty(element.tag),
                        attribute=pretty(name),
                        value=value,
                        kind=rel.kind,
                        expected=want,
                    ),
                )


_W3CDTF = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$")


def _check_core(part: str, root: etree._Element, findings: Findings) -> None:
    """docProps/core.xml, by hand: its schema needs the Dublin Core schemas."""
    if root.tag != qn("cp:coreProperties"):
        message = _("root element <{actual}>; a part of content type {type} needs <{expected}>")
        findings.error(
            part,
            root,
            message.format(
                actual=pretty(root.tag), type=CORE_PROPERTIES, expected="cp:coreProperties"
            ),
        )
        return
    allowed = {NS["cp"], NS["dc"], NS["dcterms"]}
    seen: set[str] = set()
    for element in root:
        if not isinstance(element.tag, str):
            continue
        name = pretty(element.tag)
        if namespace(element.tag) not in allowed or len(element):
            findings.error(
                part, element, _("<{element}> is not a core property").format(element=name)
            )
        if element.tag in seen:
            findings.error(
                part, element, _("core property <{element}> appears twice").format(element=name)
            )
        seen.add(element.tag)
        dated = element.tag in (qn("dcterms:created"), qn("dcterms:modified"))
        if dated and element.text and not _W3CDTF.match(element.text.strip()):
            findings.error(
                part,
                element,
                _("<{element}> {value!r} is not a W3CDTF date").format(
                    element=name, value=element.text
                ),
            )


# Word rules ---------------------------------------------------------------------------------


def _check_documents(package: Package, main: str, findings: Findings) -> None:
    """The Word rules for the main document, its glossary and their stories."""
    documents = [main] + [
        g for g in package.related(main).get("glossaryDocument", []) if g in package.trees
    ]
    for document in documents:
        related = package.related(document)
        targets: dict[str, set[str] | None] = {}
        for kind, child in _NOTES:
            trees = [package.trees[p] for p in related.get(kind, []) if p in package.trees]
            found = {str(e.get(W + "id")) for t in trees[:1] for e in t.iter(W + child)}
            targets[kind] = found if trees else None
        for settings in related.get("settings", []):
            if settings in package.trees:
                _check_note_settings(settings, package.trees[settings], targets, findings)
        stories = [document]
        for kind in ("header", "footer", "footnotes", "endnotes", "comments"):
            stories += [p for p in related.get(kind, []) if p in package.trees and p not in stories]
        for story in stories:
            _check_story(story, package.trees[story], targets, findings)


_NOTES = (("footnotes", "footnote"), ("endnotes", "endnote"), ("comments", "comment"))


def _check_note_settings(
    part: str, root: etree._Element, targets: dict[str, set[str] | None], findings: Findings
) -> None:
    """The separator notes named in w:footnotePr / w:endnotePr of the settings exist."""
    for kind, child in _NOTES[:2]:
        known = targets[kind]
        for element in root.iterfind(f"{W}{child}Pr/{W}{child}"):
            number = element.get(W + "id")
            if known is None or number not in known:
                findings.error(
                    part,
                    element,
                    _("w:{element} id={id} names nothing in the {kind} part").format(
                        element=child, id=number, kind=kind
                    ),
                )


def _rows_or_cells(element: etree._Element, tag: str) -> list[etree._Element]:
    """Children named `tag`, looking through w:sdt/w:sdtContent and w:customXml."""
    found = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag == W + "customXml":
            found += _rows_or_cells(child, tag)
        elif child.tag == W + "sdt" and (content := child.find(W + "sdtContent")) is not None:
            found += _rows_or_cells(content, tag)
    return found


def _last_block(element: etree._Element) -> etree._Element | None:
    for child in reversed(element):
        if child.tag in (W + "p", W + "tbl", W + "altChunk"):
            return child
        inner = None
        if child.tag == W + "customXml":
            inner = _last_block(child)
        elif child.tag == W + "sdt" and (content := child.find(W + "sdtContent")) is not None:
            inner = _last_block(content)
        if inner is not None:
            return inner
    return None


def _check_story(
    part: str, root: etree._Element, targets: dict[str, set[str] | None], findings: Findings
) -> None:
    """Tables, cells, drawing ids and references in one story part."""
    for table in root.iter(W + "tbl"):
        if not _rows_or_cells(table, W + "tr"):
            findings.error(
                part,
                table,
                _(
                    "w:tbl has no w:tr: Word reports unreadable content (did a {%tr for %} loop "
                    "run over an empty list?)"
                ),
            )
    for row in root.iter(W + "tr"):
        if not _rows_or_cells(row, W + "tc"):
            findings.error(part, row, _("w:tr has no w:tc: Word reports unreadable content"))
    for cell in root.iter(W + "tc"):
        last = _last_block(cell)
        if last is None:
            findings.error(part, cell, _("w:tc has no w:p: every table cell needs a paragraph"))
        elif last.tag == W + "tbl":
            findings.error(
                part, cell, _("w:tc ends with a table: Word needs a w:p after a nested table")
            )
    first_line: dict[str, int] = {}
    for drawing in root.iter(qn("wp:docPr")):
        if (number := drawing.get("id")) is None:
            continue
        if number in first_line:
            findings.error(
                part,
                drawing,
                _(
                    "duplicate wp:docPr id={id} (first on line {line}): Word reports unreadable "
                    "content (did a loop copy a picture?)"
                ).format(id=number, line=first_line[number]),
            )
        else:
            first_line[number] = line_of(drawing)
    _check_bookmarks(part, root, findings)
    _check_references(part, root, targets, findings)


def _check_bookmarks(part: str, root: etree._Element, findings: Findings) -> None:
    """Bookmark problems Word tolerates: warnings."""
    starts = Counter(str(b.get(W + "id")) for b in root.iter(W + "bookmarkStart"))
    names = Counter(b.get(W + "name") for b in root.iter(W + "bookmarkStart"))
    ends = {str(b.get(W + "id")) for b in root.iter(W + "bookmarkEnd")}
    for number, count in starts.items():
        if count > 1:
            findings.warn(
                part, 0, _("bookmark id {id} is used {count} times").format(id=number, count=count)
            )
    for name, count in names.items():
        if name is not None and count > 1:
            findings.warn(
                part,
                0,
                _("bookmark name {name!r} is used {count} times").format(name=name, count=count),
            )
    for number in sorted(set(starts) ^ ends):
        findings.warn(
            part, 0, _("bookmark id {id} is not both started and ended").format(id=number)
        )


def _check_references(
    part: str, root: etree._Element, targets: dict[str, set[str] | None], findings: Findings
) -> None:
    for tag, kind in (
        ("footnoteReference", "footnotes"),
        ("endnoteReference", "endnotes"),
        ("commentReference", "comments"),
        ("commentRangeStart", "comments"),
    ):
        known = targets[kind]
        for element in root.iter(W + tag):
            number = element.get(W + "id")
            if known is None:
                message = _("w:{element} id={id} but the document has no {kind} part")
            elif number not in known:
                message = _("w:{element} id={id} names nothing in the {kind} part")
            else:
                continue
            findings.error(part, element, message.format(element=tag, id=number, kind=kind))
