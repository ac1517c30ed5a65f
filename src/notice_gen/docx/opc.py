"""An OPC package (the zip in a .docx) as the OOXML validator reads it: parts, content
types, relationships.

The zip is opened by `package.open_package`, within its limits; a package it refuses is
one finding. Every other problem found on the way is a `Finding`, never an exception.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from notice_gen.docx.ns import NS as WORD_NS
from notice_gen.docx.package import PackageError, open_package
from notice_gen.i18n import _

NS = {  # the prefixes of messages and schemas: those of ns.py, and the rest of OOXML
    **WORD_NS,
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "cdr": "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "lc": "http://schemas.openxmlformats.org/drawingml/2006/lockedCanvas",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "s": "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "x": "urn:schemas-microsoft-com:office:excel",
    "pvml": "urn:schemas-microsoft-com:office:powerpoint",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ds": "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
_OFFICE = "http://schemas.microsoft.com/office/"
PREFIX_OF = {uri: prefix for prefix, uri in NS.items()} | {
    _OFFICE + "word/2010/wordml": "w14",
    _OFFICE + "word/2012/wordml": "w15",
    _OFFICE + "word/2015/wordml/symex": "w16se",
    _OFFICE + "word/2016/wordml/cid": "w16cid",
    _OFFICE + "word/2018/wordml": "w16",
    _OFFICE + "word/2018/wordml/cex": "w16cex",
    _OFFICE + "word/2010/wordprocessingDrawing": "wp14",
    _OFFICE + "word/2010/wordprocessingShape": "wps",
    _OFFICE + "word/2010/wordprocessingGroup": "wpg",
    _OFFICE + "word/2010/wordprocessingCanvas": "wpc",
    _OFFICE + "word/2010/wordprocessingInk": "wpi",
    _OFFICE + "word/2006/wordml": "wne",
    _OFFICE + "drawing/2010/main": "a14",
}
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"

Severity = Literal["error", "warning"]


def qn(prefixed: str) -> str:
    """'w:p' -> '{http://…/main}p'."""
    prefix, local = prefixed.split(":", 1)
    return f"{{{NS[prefix]}}}{local}"


def pretty(name: str) -> str:
    """'{http://…/main}p' -> 'w:p', for messages."""
    if name.startswith("{"):
        uri, local = name[1:].split("}", 1)
        prefix = PREFIX_OF.get(uri)
        return f"{prefix}:{local}" if prefix else name
    return name


def namespace(name: str) -> str:
    """The namespace URI of a Clark name, '' when it has none."""
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


@dataclass(frozen=True)
class Finding:
    """One problem of a package: the part, line and element it concerns, and what is wrong."""

    part: str
    line: int
    message: str
    severity: Severity = "error"
    xpath: str = ""

    def __str__(self) -> str:
        where = f"{self.part}:{self.line}" if self.line else self.part
        return f"{where}: {self.message}" + (f" [{self.xpath}]" if self.xpath else "")


class Findings:
    """The findings of one validation, in the order they were made."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def error(self, part: str, where: etree._Element | int, message: str) -> None:
        """An error at a line, or at an element (its line and XPath)."""
        self._add(part, where, message, "error")

    def warn(self, part: str, where: etree._Element | int, message: str) -> None:
        self._add(part, where, message, "warning")

    def _add(
        self, part: str, where: etree._Element | int, message: str, severity: Severity
    ) -> None:
        if isinstance(where, int):
            self.items.append(Finding(part, where, message, severity))
        else:
            path = str(where.getroottree().getpath(where))
            self.items.append(Finding(part, line_of(where), message, severity, path))


def line_of(element: etree._Element) -> int:
    """The line `element` starts on, 0 when unknown."""
    line = element.sourceline
    return line if isinstance(line, int) else 0


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str
    external: bool
    line: int

    @property
    def kind(self) -> str:
        """The last segment of the relationship type: 'styles', 'header', 'image' …"""
        return self.type.rsplit("/", 1)[-1]


@dataclass
class Package:
    """The parts of a package, its content types and relationships, and the parsed XML."""

    parts: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case name -> real name
    defaults: dict[str, str] = field(default_factory=dict)  # extension -> content type
    overrides: dict[str, str] = field(default_factory=dict)  # lower-case name -> type
    rels: dict[str, dict[str, Relationship]] = field(default_factory=dict)  # '' = package
    trees: dict[str, etree._Element] = field(default_factory=dict)

    def content_type(self, part: str) -> str | None:
        return self.overrides.get(part.lower()) or self.defaults.get(extension(part))

    def target(self, source: str, rel: Relationship) -> str | None:
        """The existing part an internal relationship of `source` points at."""
        if rel.external:
            return None
        return self.names.get(resolve(source, rel.target).lower())

    def related(self, source: str) -> dict[str, list[str]]:
        """{relationship kind: existing parts} of `source`."""
        found: dict[str, list[str]] = defaultdict(list)
        for rel in self.rels.get(source, {}).values():
            real = self.target(source, rel)
            if real is not None and real not in found[rel.kind]:
                found[rel.kind].append(real)
        return found


def extension(part: str) -> str:
    base = posixpath.basename(part)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def rels_part(source: str) -> str:
    """'word/document.xml' -> 'word/_rels/document.xml.rels'; '' -> '_rels/.rels'."""
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", base + ".rels")


def _rels_source(name: str) -> str | None:
    """'word/_rels/document.xml.rels' -> 'word/document.xml'; '_rels/.rels' -> ''."""
    folder, base = posixpath.split(name)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    source = base[: -len(".rels")]
    return posixpath.join(posixpath.dirname(folder), source) if source else ""


def resolve(source: str, target: str) -> str:
    """The part name a relative or absolute relationship target of `source` names."""
    path = urllib.parse.unquote(target.split("#", 1)[0])
    path = (
        path.lstrip("/")
        if path.startswith("/")
        else posixpath.join(posixpath.dirname(source), path)
    )
    return posixpath.normpath(path) if path else path


def read_package(data: bytes, findings: Findings) -> Package | None:
    """The package in `data` with its content types and relationships, or None if unreadable."""
    package = Package()
    if not _read_zip(data, package, findings):
        return None
    _read_content_types(package, findings)
    _read_rels(package, findings)
    return package


def _invalid_part_name(name: str) -> bool:
    segments = name.split("/")
    return any(s in ("", ".") or s.endswith(".") for s in segments)


def _read_zip(data: bytes, package: Package, findings: Findings) -> bool:
    try:
        zipped = open_package(data)
    except PackageError as exc:
        findings.error("(zip)", 0, str(exc))
        return False
    infos = [i for i in zipped.infolist() if not i.filename.endswith("/")]
    _check_names(infos, findings)
    for info in infos:
        name = info.filename
        if _invalid_part_name(name):
            findings.error(
                name,
                0,
                _("invalid part name: no backslash, empty segment, '.' or segment ending in '.'"),
            )
        package.parts[name] = zipped.read(info)
        package.names[name.lower()] = name
    return True


def _check_names(infos: list[zipfile.ZipInfo], findings: Findings) -> None:
    counts = Counter(i.filename for i in infos)
    for name, count in counts.items():
        if count > 1:
            findings.error(
                name,
                0,
                _("duplicate zip member ({count} copies); Word refuses such packages").format(
                    count=count
                ),
            )
    by_case: dict[str, set[str]] = defaultdict(set)
    for name in counts:
        by_case[name.lower()].add(name)
    for names in by_case.values():
        if len(names) > 1:
            findings.error(
                "(zip)",
                0,
                _("zip members differ only in case: {names} (part names ignore case)").format(
                    names=", ".join(sorted(names))
                ),
            )


_BAD_CHARS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_CHARREF = re.compile(
    rb"&#(?:x0*([0-8bBcCeEfF]|1[0-9a-fA-F])|0*([0-8]|1[124-9]|2[0-9]|3[01]));"
)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)[\"']")
_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be"}
_SHOWN_CHARS = 10


def parse_xml(package: Package, part: str, findings: Findings) -> etree._Element | None:
    """The root of one part, parsed without DTD, entities or network; None if Word refuses it."""
    data = package.parts[part]
    declared = _XML_DECL.match(data)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in _ENCODINGS:
        findings.error(
            part,
            1,
            _("XML encoding {encoding!r}; parts must be UTF-8 or UTF-16").format(
                encoding=declared.group(1).decode("ascii", "replace")
            ),
        )
    bad_lines = (
        set() if data[:2] in (b"\xff\xfe", b"\xfe\xff") else _bad_characters(data, part, findings)
    )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        if not (line in bad_lines and "char" in exc.msg.lower()):
            findings.error(part, line, _("XML is not well-formed: {error}").format(error=exc.msg))
        return None
    return root


def _bad_characters(data: bytes, part: str, findings: Findings) -> set[int]:
    """Report the XML 1.0 control characters in `data`; the lines they are on."""
    lines: set[int] = set()
    hits = 0
    for pattern in (_BAD_CHARS, _BAD_CHARREF):
        for match in pattern.finditer(data):
            hits += 1
            line = data.count(b"\n", 0, match.start()) + 1
            lines.add(line)
            if hits > _SHOWN_CHARS:
                continue
            if pattern is _BAD_CHARS:
                message = _(
                    "control character U+{code:04X} is not allowed in XML (often pasted "
                    "from Excel or PDF): remove it"
                ).format(code=match.group()[0])
            else:
                message = _("character reference {text} is not allowed in XML").format(
                    text=match.group().decode()
                )
            findings.error(part, line, message)
    if hits > _SHOWN_CHARS:
        findings.error(
            part,
            0,
            _("{count} more control characters").format(count=hits - _SHOWN_CHARS),
        )
    return lines


def _read_content_types(package: Package, findings: Findings) -> None:
    real = package.names.get(CONTENT_TYPES.lower())
    if real is None:
        findings.error(CONTENT_TYPES, 0, _("[Content_Types].xml is missing"))
        return
    root = parse_xml(package, real, findings)
    if root is None:
        return
    package.trees[real] = root
    for element in root:
        if element.tag == qn("ct:Default"):
            ext = (element.get("Extension") or "").lower()
            if ext in package.defaults:
                findings.error(
                    real,
                    element,
                    _("second Default for extension {extension!r}").format(extension=ext),
                )
            package.defaults.setdefault(ext, element.get("ContentType") or "")
        elif element.tag == qn("ct:Override"):
            name = urllib.parse.unquote(element.get("PartName") or "")
            key = name.lstrip("/").lower()
            if key in package.overrides:
                findings.error(
                    real,
                    element,
                    _("second Override for part {name!r}").format(name=name),
                )
            package.overrides[key] = element.get("ContentType") or ""
            if name.startswith("/") and key not in package.names:
                findings.warn(
                    real,
                    element,
                    _("Override for part {name!r}, which is not in the package").format(name=name),
                )


def _read_rels(package: Package, findings: Findings) -> None:
    for part in sorted(package.parts):
        if not part.lower().endswith(".rels"):
            continue
        source = _rels_source(part)
        if source is None:
            findings.warn(part, 0, _("relationships outside a _rels folder are ignored"))
            continue
        root = parse_xml(package, part, findings)
        if root is None:
            continue
        package.trees[part] = root
        if source and source.lower() not in package.names:
            findings.warn(
                part,
                0,
                _("relationships of part {name!r}, which is not in the package").format(
                    name=source
                ),
            )
        table = package.rels.setdefault(source, {})
        for element in root.iter(qn("rel:Relationship")):
            _read_relationship(package, part, source, element, table, findings)


def _read_relationship(
    package: Package,
    part: str,
    source: str,
    element: etree._Element,
    table: dict[str, Relationship],
    findings: Findings,
) -> None:
    rid, type_, target = element.get("Id"), element.get("Type"), element.get("Target")
    if rid is None or type_ is None or target is None:
        return  # the schema reports it
    line = line_of(element)
    if rid in table:
        findings.error(
            part,
            line,
            _("duplicate relationship Id {id!r} (first on line {line})").format(
                id=rid, line=table[rid].line
            ),
        )
        return
    rel = Relationship(type_, target, element.get("TargetMode") == "External", line)
    table[rid] = rel
    if rel.external:
        if re.search(r"[\s<>\"{}|\\^`]", target):
            findings.warn(
                part,
                line,
                _("external target {target!r} is not a valid URI: percent-encode it").format(
                    target=target
                ),
            )
        return
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", target):
        findings.error(
            part,
            line,
            _(
                'relationship {id} has the absolute target {target!r} without TargetMode="External"'
            ).format(id=rid, target=target),
        )
        return
    path = resolve(source, target)
    if not path or path == "." or path.startswith(".."):
        findings.error(
            part,
            line,
            _("relationship {id} target {target!r} points outside the package").format(
                id=rid, target=target
            ),
        )
    elif path.lower() not in package.names:
        findings.error(
            part,
            line,
            _("relationship {id} ({kind}) target {target!r}: /{path} is not in the package").format(
                id=rid, kind=rel.kind, target=target, path=path
            ),
        )
