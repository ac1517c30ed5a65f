"""Stage 4, render: fill a Word template with a record's ready values.

A template is compiled once per profile: the profile's page setup and style
properties are written into it, the lengths of its drawn lines are tied to the
record's values, docxtpl's clean-up makes its tags readable to Jinja, and each
story part is compiled. Rendering a record is then one Jinja pass per story part
with tags and one deterministic zip write.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import marshal
import os
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from isal import isal_zlib
from jinja2.exceptions import SecurityError
from lxml import etree

from ..errors import TemplateError
from ..i18n import _
from ..rules.profiles import (
    FONT,
    LAYOUTS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PROFILES,
    Profile,
    Style,
    text_width,
)
from . import kept, properties
from .ns import NS, STORY_TYPES, XML_SPACE, story_parts, w
from .package import PackageError, open_package, parse_xml, read_docx
from .proof import Slot, Slots, prove
from .sandbox import SLOT, Sandbox, seconds, tag_text

EMPHASIS = "urn:notice-gen:emphasis"  # marks the runs `emphasis_markup` opens, until rendered
RULE_STYLES = {  # paragraph style of a drawn line -> its length in the context's `rules`
    "NGRuleIssuer": "issuer",
    "NGRuleMotto": "motto",
    "NGRuleSubject": "subject",
    "NGRulePartyTitle": "party_title",
}

# Schema order of the children we set (ECMA-376 Part 1, CT_PPrBase, CT_RPr, CT_Style).
PPR_ORDER = """
    pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers
    pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE
    autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents
    suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle
    rPr sectPr pPrChange
""".split()
RPR_ORDER = """
    rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint
    noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u
    effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath
""".split()
STYLE_ORDER = """
    name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed
    qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr
    tblStylePr
""".split()
SECT_ORDER = """
    headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders
    lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter
    docGrid printerSettings sectPrChange
""".split()


@cache
def builtin_templates() -> Path:
    """The folder of the built-in templates (packaged, or the source tree's)."""
    packaged = Path(str(resources.files("notice_gen").joinpath("templates")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "templates"


def available_templates(folder: Path | None) -> list[tuple[str, Path, list[str], str, str]]:
    """(name, path, kinds, regime, built-in or user) of every template, yours first."""
    out = []
    for origin, where in (("user", folder), ("built-in", builtin_templates())):
        if where is None or not where.is_dir():
            continue
        for path in sorted(where.glob("*.docx")):
            first, _, rest = path.stem.partition(".")
            kinds = [k for k, layout in LAYOUTS.items() if first in (k, layout)]
            out.append((path.stem, path, kinds, rest or "?", origin))
    return out


def find_template(kind: str, profile: Profile, folder: Path | None = None) -> Path:
    """A user template `<kind>.<regime>.docx` or `<layout>.<regime>.docx` from `folder`,
    else the built-in one."""
    if folder is not None:
        for stem in (kind, LAYOUTS[kind]):
            candidate = folder / f"{stem}.{profile.regime}.docx"
            if candidate.is_file():
                return candidate
    return builtin_template(kind, profile)


def builtin_named(name: str) -> Path | None:
    """The built-in template called `name` (`van-ban.state`, `bien-ban.party.docx`) or
    serving the kind `name` (`giay-moi`, `giay-moi.party`; State when no regime)."""
    stem = name.removesuffix(".docx")
    first, _dot, regime = stem.partition(".")
    if first in LAYOUTS:
        stem = f"{LAYOUTS[first]}.{regime or 'state'}"
    path = builtin_templates() / f"{stem}.docx"
    return path if path.is_file() else None


def builtin_template(kind: str, profile: Profile) -> Path:
    """The built-in layout for a kind of document and a regime."""
    return builtin_templates() / f"{LAYOUTS[kind]}.{profile.regime}.docx"


@dataclass(frozen=True)
class _Part:
    name: str
    template: jinja2.Template | None = None  # None for a part copied as it is
    stored: bytes = b""  # a copied part (or a proven story part without tags): compressed once
    properties: bytes = b""  # a document properties part, filled in for each document
    proven: bool = False  # well-formed whatever the context (see `proof`): not parsed
    code: CodeType | None = None  # the template's code, as `kept` keeps it


class Template:
    """A .docx template compiled for one profile.

    Parts that carry no tags are compressed once; rendering a record runs Jinja on
    the story parts with tags and writes one zip, the same bytes for the same context.
    A story part proven well-formed once (`proof.prove`) is not parsed again for each
    document; `proof=False` parses every rendered part, as the full check. The compiled
    template is kept on disk (`kept`, under `cache_dir`): a later process with the same
    template, profile and code loads it instead of parsing, proving and compiling again.
    """

    def __init__(self, path: Path, profile: Profile, *, proof: bool = True) -> None:
        self.path = path
        self.profile = profile
        self.env = Sandbox()
        self.slots = Slots()
        self.env.filters[SLOT] = self.slots.put
        self.parts: list[_Part] = []
        self.sources: dict[str, str] = {}
        self.env.budget.start(seconds())
        raw = _read(path)
        entry = cache_dir() / f"{_key(raw, profile, proof)}.compiled"
        if not self._restore(kept.read(entry)):
            self._compile(raw, proof)
            kept.write(entry, self._entry())
        self.names = [part.name.encode("utf-8") for part in self.parts]  # as the zip writes them

    def _compile(self, raw: bytes, proof: bool) -> None:
        """Parse, prove and compile each story part of the template `raw`."""
        path = self.path
        for name, data, is_story in _prepare(raw, path, self.profile):
            if name in properties.PARTS:
                self.parts.append(_Part(name, properties=data))
                continue
            if not is_story:
                self.parts.append(_Part(name, stored=_compressed(data)))
                continue
            source = data.decode("utf-8")
            self.sources[name] = source
            try:
                tree = self.env.parse_checked(source)
                proven = proof and prove(tree, self.slots, _emphasis_properties)
                code = self.env.compile(tree)
                part = _Part(name, self.env.load_code(code), proven=proven, code=code)
                if proven and _constant(tree):
                    part = _Part(name, stored=_compressed(self._render_part(part, {})))
                self.parts.append(part)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    _("{path}: {part}: {detail}").format(path=path, part=name, detail=exc.message)
                ) from None
            except SecurityError as exc:
                raise TemplateError(
                    _("{path}: {part}: {detail}").format(path=path, part=name, detail=exc)
                ) from None

    def _entry(self) -> bytes:
        """The compiled template as `_restore` reads it: parts, slots and sources."""
        parts = [(p.name, p.code, p.stored, p.properties, p.proven) for p in self.parts]
        slots = [(slot.kind, slot.runs) for slot in self.slots.slots]
        return marshal.dumps((parts, slots, self.sources))

    def _restore(self, entry: bytes | None) -> bool:
        """Take the parts, slots and sources of a kept `entry`; False (and nothing
        taken) when there is none or it cannot be read."""
        if entry is None:
            return False
        try:
            kept_parts, kept_slots, sources = marshal.loads(entry)
            parts = [
                _Part(name, code and self.env.load_code(code), stored, data, proven, code)
                for name, code, stored, data, proven in kept_parts
            ]
            slots = [Slot(kind, runs) for kind, runs in kept_slots]
        except Exception:  # a damaged entry: compiled again
            return False
        self.parts, self.slots.slots, self.sources = parts, slots, dict(sources)
        return True

    def render(self, context: dict[str, Any]) -> bytes:
        """The .docx bytes for `context`; the same context gives the same bytes."""
        self.env.budget.start(seconds())
        values = context.get("properties")
        entries = []
        for part in self.parts:
            if part.stored:
                entries.append(part.stored)
            elif not part.properties:
                entries.append(_compressed(self._render_part(part, context), fast=True))
            elif values is None:
                entries.append(_compressed(part.properties, fast=True))
            else:
                entries.append(self._properties(part, tuple(values.items())))
        return _zip(self.names, entries)

    def _properties(self, part: _Part, values: tuple[tuple[str, str], ...]) -> bytes:
        try:
            return _filled(part.name, part.properties, values)
        except ValueError as exc:  # a character XML forbids
            raise TemplateError(
                _("{path}: {part}: rendered XML is broken ({detail})").format(
                    path=self.path, part=part.name, detail=exc
                )
            ) from None

    def _render_part(self, part: _Part, context: dict[str, Any]) -> bytes:
        name = part.name
        self.slots.unproven = False
        try:
            xml = self.env.render_part(part.template, context).encode("utf-8")  # type: ignore[arg-type]
        except SecurityError as exc:
            tag = tag_text(self.sources[name], self.env.budget.tag)
            raise TemplateError(
                _("{path}: {part}: the tag {tag!r} was stopped: {detail}").format(
                    path=self.path, part=name, tag=tag, detail=exc
                )
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                _("{path}: {part}: {detail}").format(path=self.path, part=name, detail=exc.message)
            ) from None
        except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
            tag = tag_text(self.sources[name], self.env.budget.tag)
            raise TemplateError(
                _("{path}: {part}: the tag {tag!r} failed: {detail}").format(
                    path=self.path, part=name, tag=tag, detail=exc
                )
            ) from None
        if part.proven and not self.slots.unproven:
            return xml
        try:
            root = parse_xml(xml)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                _("{path}: {part}: rendered XML is broken ({detail})").format(
                    path=self.path, part=name, detail=exc
                )
            ) from None
        if EMPHASIS.encode() in xml:
            _emphasis_runs(root)
            xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return xml


def emphasis_markup(spans: list[tuple[str, str]], escape: Any) -> str:
    """Markup for text inside a template's `<w:t>`: each piece after the first, and a
    first one with emphasis, in a run of its own, marked with its style ("", "i", "b",
    "bi") until `_emphasis_runs` gives it the run properties of the template's run.
    `escape` turns a piece into the escaped content of a `<w:t>`."""
    out = []
    for n, (piece, style) in enumerate(spans):
        if n or style:
            out.append(
                f'</w:t></w:r><w:r xmlns:ng="{EMPHASIS}" ng:e="{style}"><w:t xml:space="preserve">'
            )
        out.append(escape(piece))
    return "".join(out)


def _emphasis_runs(root: etree._Element) -> None:
    """Runs opened by `emphasis_markup`: the template run's properties, plus italic or
    bold; the template run keeps the spaces around the emphasis."""
    mark = f"{{{EMPHASIS}}}e"
    marked = {r: style for r in root.iter(w("r")) if (style := r.get(mark)) is not None}
    for run, style in marked.items():
        del run.attrib[mark]
        original = run.getprevious()
        while original is not None and (original.tag != w("r") or original in marked):
            original = original.getprevious()
        found = original.find(w("rPr")) if original is not None else None
        run.insert(0, _emphasis_properties(copy.deepcopy(found), style or ""))
        for text in original.iter(w("t")) if original is not None else ():
            text.set(XML_SPACE, "preserve")
        etree.cleanup_namespaces(run)


def _emphasis_properties(rpr: etree._Element | None, style: str) -> etree._Element:
    """The run properties `rpr` (a copy, or None for none) with italic or bold added."""
    if rpr is None:
        rpr = etree.Element(w("rPr"))
    for tag in ("b", "bCs") if "b" in style else ():
        _set(rpr, tag, RPR_ORDER)
    for tag in ("i", "iCs") if "i" in style else ():
        _set(rpr, tag, RPR_ORDER)
    return rpr


def _constant(tree: jinja2.nodes.Template) -> bool:
    """Whether a part prints its literal text only, the same for every context."""
    return all(
        isinstance(node, jinja2.nodes.Output)
        and all(isinstance(item, jinja2.nodes.TemplateData) for item in node.nodes)
        for node in tree.body
    )


@lru_cache(maxsize=256)
def _filled(part: str, xml: bytes, values: tuple[tuple[str, str], ...]) -> bytes:
    """A document properties part with `values` written in, compressed (`_compressed`),
    kept for the next document."""
    return _compressed(properties.fill(part, xml, dict(values)), fast=True)


def _compressed(data: bytes, fast: bool = False) -> bytes:
    """CRC, sizes and raw deflate data of one zip member, packed for `_zip`: a member
    of every document (`fast`) through ISA-L's deflate, three times as fast as zlib's
    fastest and leaving the caches warm for the next document; a member kept with the
    template through zlib's default level."""
    body = isal_zlib.compress(data, 1, wbits=-15) if fast else zlib.compress(data, 6, wbits=-15)
    return struct.pack("<III", zlib.crc32(data), len(body), len(data)) + body


LOCAL = struct.pack("<IHHHHH", 0x04034B50, 20, 0x0800, 8, 0, 0x21)  # version, UTF-8, deflate, 1980
CENTRAL = struct.pack("<IHHHHHH", 0x02014B50, 20, 20, 0x0800, 8, 0, 0x21)


def _zip(names: list[bytes], entries: list[bytes]) -> bytes:
    """A zip archive of deflated members (`_compressed`), with fixed times (1980-01-01),
    in order."""
    out: list[bytes | memoryview] = []
    directory: list[bytes] = []
    offset = 0
    for name, entry in zip(names, entries, strict=True):
        crc_sizes, size = entry[:12], len(name)
        local = LOCAL + crc_sizes + struct.pack("<HH", size, 0) + name
        out += (local, memoryview(entry)[12:])
        directory.append(
            CENTRAL + crc_sizes + struct.pack("<HHHHHII", size, 0, 0, 0, 0, 0, offset) + name
        )
        offset += len(local) + len(entry) - 12
    table = b"".join(directory)
    count = len(names)
    out += (table, struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(table), offset, 0))
    return b"".join(out)


@lru_cache(maxsize=32)
def _compiled(path: str, mtime: float, profile: str) -> Template:
    return Template(Path(path), PROFILES[profile])


def load_template(path: Path, profile: Profile) -> Template:
    """The compiled template, from a per-process cache while the file is unchanged."""
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise TemplateError(
            _("{path}: cannot read the template ({reason})").format(path=path, reason=exc.strerror)
        ) from None
    return _compiled(str(path), mtime, profile.name)


Prepared = list[tuple[str, bytes, bool]]  # part name, content, whether it is a Jinja template
SHAPING = (  # what shapes a compiled template besides the template, the profile and versions
    *(f"notice_gen.docx.{name}" for name in ("template", "sandbox", "proof", "ns", "package")),
    *("notice_gen.docx.properties", "notice_gen.rules.profiles", "notice_gen.version"),
    "markupsafe",  # its escaping of constants (docxtpl's clean-up of tags: `_key`)
)


def cache_dir() -> Path:
    """Where compiled templates are kept between runs."""
    if folder := os.environ.get("NOTICE_GEN_CACHE_DIR"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "notice-gen"


def _read(path: Path) -> bytes:
    """The template's bytes, bounded (`read_docx`)."""
    try:
        return read_docx(path)
    except PackageError as exc:
        raise TemplateError(f"{path}: {exc}") from None
    except OSError as exc:
        raise TemplateError(
            _("{path}: cannot read the template ({reason})").format(path=path, reason=exc.strerror)
        ) from None


def _key(raw: bytes, profile: Profile, proof: bool) -> str:
    """The name of a compiled template's entry: the template's bytes, the profile's
    values, whether parts are proven, the versions of Jinja, lxml, libxml2 and zlib, and
    the source of the modules that prepare, prove and compile it (`SHAPING`)."""
    files = [str(importlib.import_module(name).__file__) for name in SHAPING]
    docxtpl = importlib.util.find_spec("docxtpl")  # found, not imported: it is slow to load
    for folder in (docxtpl.submodule_search_locations or []) if docxtpl else []:
        files.append(os.path.join(folder, "template.py"))
    versions = (
        jinja2.__version__,
        etree.LXML_VERSION,
        etree.LIBXML_VERSION,
        zlib.ZLIB_RUNTIME_VERSION,
    )
    code = kept.code_digest(tuple(files), repr(versions))
    return kept.key(code, raw, repr(profile).encode(), b"proof" if proof else b"full")


def _prepare(raw: bytes, path: Path, profile: Profile) -> Prepared:
    from docxtpl import DocxTemplate  # its clean-up of Word's markup inside tags

    try:
        members = open_package(raw).members
    except PackageError as exc:
        raise TemplateError(
            _("{path}: not a readable .docx file ({detail})").format(path=path, detail=exc)
        ) from None
    try:
        members = properties.register(members)
    except (KeyError, etree.XMLSyntaxError):
        raise TemplateError(
            _("{path}: [Content_Types].xml is missing or broken").format(path=path)
        ) from None
    stories = _story_parts(members, path)
    parts: Prepared = []
    for name, data in members.items():
        if name == "word/styles.xml":
            data = apply_styles(data, profile)
        if name in stories:
            xml = data.decode("utf-8")
            if stories[name] == "document.main+xml":
                xml = _apply_page_setup(xml, profile)
            data = DocxTemplate.patch_xml(None, xml).encode("utf-8")
        parts.append((name, data, name in stories))
    return parts


def _story_parts(members: dict[str, bytes], path: Path) -> dict[str, str]:
    """Part name -> content type suffix, for the parts that carry text."""
    try:
        out = story_parts(members["[Content_Types].xml"])
    except (KeyError, etree.XMLSyntaxError):
        raise TemplateError(
            _("{path}: [Content_Types].xml is missing or broken").format(path=path)
        ) from None
    if STORY_TYPES[0] not in out.values():
        raise TemplateError(
            _("{path}: no main document part; is this a Word document?").format(path=path)
        )
    return out


def _set(parent: etree._Element, tag: str, order: list[str], **attrs: str) -> etree._Element:
    """Replace or insert the child `tag` of `parent` at its schema position."""
    for old in parent.findall(w(tag)):
        parent.remove(old)
    child = etree.Element(w(tag), {w(k): v for k, v in attrs.items()})
    rank = order.index(tag)
    for i, sibling in enumerate(parent):
        name = etree.QName(sibling).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    found = parent.find(w(tag))
    return found if found is not None else _set(parent, tag, order)


def _run_properties(rpr: etree._Element, size: float, style: Style | None = None) -> None:
    _set(rpr, "rFonts", RPR_ORDER, ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    if style is not None:
        for tag, on in (
            ("b", style.bold),
            ("bCs", style.bold),
            ("i", style.italic),
            ("iCs", style.italic),
        ):
            _set(rpr, tag, RPR_ORDER, val="1" if on else "0")
        _set(rpr, "u", RPR_ORDER, val="single" if style.underline else "none")
    _set(rpr, "color", RPR_ORDER, val="000000")
    _set(rpr, "sz", RPR_ORDER, val=str(round(size * 2)))
    _set(rpr, "szCs", RPR_ORDER, val=str(round(size * 2)))


def _paragraph_properties(ppr: etree._Element, style: Style) -> None:
    if style.before is not None or style.line is not None:
        spacing = {"before": style.before, "after": style.after, "line": style.line}
        attrs = {k: str(v) for k, v in spacing.items() if v is not None}
        _set(ppr, "spacing", PPR_ORDER, **attrs, lineRule=style.line_rule)
    if style.first_line is not None:
        _set(ppr, "ind", PPR_ORDER, firstLine=str(style.first_line))
    if style.align is not None:
        _set(ppr, "jc", PPR_ORDER, val=style.align)
    if style.keep_next is not None:
        _set(ppr, "keepNext", PPR_ORDER, val="1" if style.keep_next else "0")


def apply_styles(data: bytes, profile: Profile) -> bytes:
    """Write the profile's fonts, sizes, weights and spacing into styles.xml."""
    root = parse_xml(data)
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    if defaults is not None:
        _run_properties(defaults, profile.styles["NGBody"].size)
    for style in root.findall("w:style", NS):
        rule = profile.styles.get(style.get(w("styleId"), ""))
        if rule is None:
            continue
        _paragraph_properties(_child(style, "pPr", STYLE_ORDER), rule)
        _run_properties(_child(style, "rPr", STYLE_ORDER), rule.size, rule)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _apply_page_setup(xml: str, profile: Profile) -> str:
    """A4, the profile's margins, no page number on page 1, and drawn lines whose
    length follows the record (see `format.rule_lengths`)."""
    root = parse_xml(xml.encode("utf-8"))
    top, bottom, left, right = profile.margins
    for sect in root.iter(w("sectPr")):
        _set(sect, "pgSz", SECT_ORDER, w=str(PAGE_WIDTH), h=str(PAGE_HEIGHT))
        margins = {
            "top": top,
            "bottom": bottom,
            "left": left,
            "right": right,
            "header": profile.header_distance,
            "footer": profile.header_distance,
            "gutter": 0,
        }
        _set(sect, "pgMar", SECT_ORDER, **{k: str(v) for k, v in margins.items()})
        _set(sect, "titlePg", SECT_ORDER)
    for paragraph in root.iter(w("p")):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        key = RULE_STYLES.get(style.get(w("val"), "")) if style is not None else None
        ppr = paragraph.find(w("pPr"))
        if key is not None and ppr is not None:
            room = _room(paragraph, profile)
            indent = f"{{{{ [0, ({room} - rules.{key}) // 2]|max }}}}"
            _set(ppr, "ind", PPR_ORDER, left=indent, right=indent, firstLine="0")
    return etree.tostring(root, encoding="unicode")


def _room(paragraph: etree._Element, profile: Profile) -> int:
    """Width available to a paragraph: its table cell's, or the text area's."""
    cell = next(paragraph.iterancestors(w("tc")), None)
    if cell is None:
        return text_width(profile)
    width = cell.find("w:tcPr/w:tcW", NS)
    table = next(cell.iterancestors(w("tbl")))
    margins = 0
    for side, default in (("left", 108), ("right", 108)):
        mar = table.find(f"w:tblPr/w:tblCellMar/w:{side}", NS)
        margins += int(mar.get(w("w"), default)) if mar is not None else default
    value = width.get(w("w"), "") if width is not None else ""
    if not re.fullmatch(r"\d+", value):
        return text_width(profile) // 2 - margins
    return int(value) - margins
