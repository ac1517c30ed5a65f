"""The ECMA-376 Transitional schemas: compiled once, offline, and the XML prepared for them.

`schemas()` compiles the .xsd files shipped in `schemas/` (lazily, once per process) with a
resolver that maps every schema location onto that folder and refuses anything else.
`resolve_compatibility` applies Markup Compatibility (ECMA-376 Part 3) first, and
`ContentModels.precheck` reports children that are not allowed, out of order or repeated,
in linear time, before libxml2 (which needs about a second for each such error inside the
large WordprocessingML content models) sees what is left.
"""

from __future__ import annotations

import functools
import posixpath
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from notice_gen.docx.opc import NS, PREFIX_OF, Findings, namespace, pretty, qn
from notice_gen.i18n import _

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# xml.xsd first: wml.xsd imports the xml: namespace without a schemaLocation.
SCHEMA_IMPORTS = [
    ("http://www.w3.org/XML/1998/namespace", "xml.xsd"),
    (NS["w"], "wml.xsd"),
    (NS["a"], "dml-main.xsd"),
    (NS["wp"], "dml-wordprocessingDrawing.xsd"),
    (NS["pic"], "dml-picture.xsd"),
    (NS["c"], "dml-chart.xsd"),
    (NS["cdr"], "dml-chartDrawing.xsd"),
    (NS["dgm"], "dml-diagram.xsd"),
    (NS["lc"], "dml-lockedCanvas.xsd"),
    (NS["m"], "shared-math.xsd"),
    (NS["v"], "vml-main.xsd"),
    (NS["o"], "vml-officeDrawing.xsd"),
    (NS["w10"], "vml-wordprocessingDrawing.xsd"),
    (NS["x"], "vml-spreadsheetDrawing.xsd"),
    (NS["pvml"], "vml-presentationDrawing.xsd"),
    (NS["ct"], "opc-contentTypes.xsd"),
    (NS["rel"], "opc-relationships.xsd"),
    (NS["ep"], "shared-documentPropertiesExtended.xsd"),
    (NS["op"], "shared-documentPropertiesCustom.xsd"),
    (NS["ds"], "shared-customXmlDataProperties.xsd"),
]
_INCLUDED = [
    "shared-commonSimpleTypes.xsd",
    "shared-relationshipReference.xsd",
    "shared-customXmlSchemaProperties.xsd",
    "shared-documentPropertiesVariantTypes.xsd",
]
# Namespaces with a schema; markup from any other must be ignorable (Markup Compatibility).
UNDERSTOOD = {ns for ns, _file in SCHEMA_IMPORTS} | {NS[p] for p in ("r", "s", "sl", "vt", "xml")}
# Microsoft extensions current Word reads even when not declared ignorable.
WORD_EXTENSIONS = {uri for uri in PREFIX_OF if uri.startswith("http://schemas.microsoft.com/")}
MC = f"{{{NS['mc']}}}"
XS = "{http://www.w3.org/2001/XMLSchema}"
_PARTICLES = {XS + t for t in ("element", "sequence", "choice", "all", "group", "any")}
_UNBOUNDED = float("inf")


class _LocalResolver(etree.Resolver):
    """Every schema URL maps onto the shipped schema folder; anything else is refused."""

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:
        name = posixpath.basename(urllib.parse.urlparse(system_url).path or system_url)
        local = SCHEMA_DIR / name
        if local.is_file():
            return self.resolve_string(local.read_bytes(), context, base_url=str(local))
        raise OSError(f"refusing to load {system_url!r}: not among the shipped schemas")


def _safe_parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, remove_comments=True
    )
    parser.resolvers.add(_LocalResolver())
    return parser


@dataclass(frozen=True)
class Schemas:
    """The compiled schema and the content models of the pre-check."""

    xsd: etree.XMLSchema
    models: ContentModels


@functools.cache
def schemas() -> Schemas:
    """All the shipped schemas as one, compiled on first use (about 0.1 s) and kept."""
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in SCHEMA_IMPORTS
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    document = etree.fromstring(
        wrapper.encode(), _safe_parser(), base_url=str(SCHEMA_DIR / "_wrapper.xsd")
    )
    files = [name for _ns, name in SCHEMA_IMPORTS] + _INCLUDED
    return Schemas(etree.XMLSchema(document), ContentModels(files))


# Content models for the pre-check -------------------------------------------------------


@dataclass(frozen=True)
class _Element:
    name: str
    type_key: str | None
    max: float


@dataclass(frozen=True)
class _Group:
    sequence: bool
    max: float
    children: tuple[_Particle, ...]


@dataclass(frozen=True)
class _Any:
    pass


_Particle = _Element | _Group | _Any


@dataclass
class _Model:
    """Which children a type allows and, for plain sequences, their order and counts."""

    allowed: dict[str, str | None]
    has_any: bool
    slot_of: dict[str, int] | None = None
    slot_max: tuple[float, ...] = ()


def _max(node: etree._Element) -> float:
    value = node.get("maxOccurs", "1")
    return _UNBOUNDED if value == "unbounded" else int(value)


class ContentModels:
    """The element content of every complex type, read from the same .xsd files."""

    def __init__(self, files: list[str]) -> None:
        self.elements: dict[str, str | None] = {}  # global element -> type key
        self.types: dict[str, etree._Element] = {}
        self.groups: dict[str, etree._Element] = {}
        self._models: dict[str, _Model | None] = {}
        parser = _safe_parser()
        for name in files:
            root = etree.parse(str(SCHEMA_DIR / name), parser).getroot()
            tns = root.get("targetNamespace") or ""
            for node in root:
                key = f"{{{tns}}}{node.get('name')}"
                if node.tag == XS + "complexType":
                    self.types[key] = node
                elif node.tag == XS + "group":
                    self.groups[key] = node
                elif node.tag == XS + "element":
                    self.elements[key] = self._element_type(node, name)

    @staticmethod
    def _qname(node: etree._Element, value: str) -> str:
        prefix, _sep, local = value.rpartition(":")
        return f"{{{node.nsmap.get(prefix or None, '')}}}{local}"

    def _element_type(self, node: etree._Element, file: str) -> str | None:
        if (type_name := node.get("type")) is not None:
            return self._qname(node, type_name)
        anonymous = node.find(XS + "complexType")
        if anonymous is None:
            return None  # a simple type: no child elements
        key = f"anon:{file}:{node.getroottree().getpath(node)}"
        self.types[key] = anonymous
        return key

    def _particle(self, node: etree._Element) -> _Particle:
        tag = node.tag
        if tag == XS + "element":
            if (ref := node.get("ref")) is not None:
                name = self._qname(node, ref)
                return _Element(name, self.elements.get(name), _max(node))
            root = node.getroottree()
            tns = root.getroot().get("targetNamespace") or ""
            file = posixpath.basename(root.docinfo.URL or "")
            name = f"{{{tns}}}{node.get('name')}"
            return _Element(name, self._element_type(node, file), _max(node))
        if tag == XS + "any":
            return _Any()
        if tag == XS + "group":
            group = self.groups[self._qname(node, node.get("ref", ""))]
            return _Group(True, _max(node), self._children(group))
        return _Group(tag == XS + "sequence", _max(node), self._children(node))

    def _children(self, node: etree._Element) -> tuple[_Particle, ...]:
        return tuple(self._particle(c) for c in node if c.tag in _PARTICLES)

    def _content(self, complex_type: etree._Element) -> _Particle | None:
        """The content particle of a complex type; None for simple content."""
        for child in complex_type:
            if child.tag in _PARTICLES:
                return self._particle(child)
            if child.tag == XS + "simpleContent":
                return None
            if child.tag == XS + "complexContent":
                for derived in child:
                    if derived.tag not in (XS + "extension", XS + "restriction"):
                        continue
                    own = self._children(derived)
                    if derived.tag == XS + "extension":
                        base = self.types.get(self._qname(derived, derived.get("base", "")))
                        inherited = self._content(base) if base is not None else _Group(True, 1, ())
                        if inherited is None:
                            return None
                        own = (inherited, *own)
                    return _Group(True, 1, own)
        return _Group(True, 1, ())

    def model(self, type_key: str) -> _Model | None:
        if type_key not in self._models:
            self._models[type_key] = self._build(type_key)
        return self._models[type_key]

    def _build(self, type_key: str) -> _Model | None:
        complex_type = self.types.get(type_key)
        content = self._content(complex_type) if complex_type is not None else None
        if content is None:
            return None
        allowed: dict[str, str | None] = {}
        has_any = _collect(content, allowed)
        model = _Model(allowed, has_any)
        slots: list[tuple[set[str], float]] = []
        if has_any or not _slots(content, slots):
            return model
        slot_of: dict[str, int] = {}
        for index, (names, _most) in enumerate(slots):
            for name in names:
                if name in slot_of:
                    return model  # ambiguous: no order check
                slot_of[name] = index
        model.slot_of, model.slot_max = slot_of, tuple(most for _names, most in slots)
        return model

    def precheck(self, root: etree._Element, findings: Findings, part: str) -> None:
        """Report and remove children the schema cannot accept where they are."""
        type_key = self.elements.get(root.tag)
        if type_key is not None:
            self._walk(root, type_key, findings, part)

    def _walk(self, element: etree._Element, type_key: str, findings: Findings, part: str) -> None:
        model = self.model(type_key)
        if model is None:
            return
        last, last_tag = -1, ""
        counts: Counter[int] = Counter()
        refused = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            why = ""
            if child.tag not in model.allowed:
                if model.has_any:
                    continue
                why = _("Element '{element}' is not allowed inside {parent}")
            elif model.slot_of is not None:
                slot = model.slot_of[child.tag]
                if slot < last:
                    why = _("Element '{element}' is out of order: it must come before {other}")
                elif counts[slot] == model.slot_max[slot]:
                    why = _("Element '{element}' appears too often inside {parent}")
                else:
                    counts[slot] += 1
                    last, last_tag = slot, child.tag
            if why:
                message = why.format(
                    element=pretty(child.tag), parent=pretty(element.tag), other=pretty(last_tag)
                )
                findings.error(part, child, message)
                refused.append(child)
            elif (child_type := model.allowed[child.tag]) is not None:
                self._walk(child, child_type, findings, part)
        for child in refused:
            element.remove(child)


def _collect(particle: _Particle, allowed: dict[str, str | None]) -> bool:
    """Add the elements `particle` allows to `allowed`; whether it has an xsd:any."""
    if isinstance(particle, _Element):
        allowed.setdefault(particle.name, particle.type_key)
        return False
    if isinstance(particle, _Any):
        return True
    found = [_collect(child, allowed) for child in particle.children]
    return any(found)


def _slots(particle: _Particle, slots: list[tuple[set[str], float]]) -> bool:
    """Flatten a top-level sequence into ordered slots; False if it is not one."""
    if not isinstance(particle, _Group) or not particle.sequence or particle.max != 1:
        return False
    for child in particle.children:
        if isinstance(child, _Group) and child.sequence and child.max == 1:
            if not _slots(child, slots):
                return False
        elif isinstance(child, _Element):
            slots.append(({child.name}, child.max))
        elif isinstance(child, _Any):
            return False
        else:
            names: dict[str, str | None] = {}
            if _collect(child, names):
                return False
            slots.append((set(names), _UNBOUNDED))
    return True


# Markup Compatibility ---------------------------------------------------------------------

# Slots that take foreign elements (extension lists, graphic data): the schema decides there.
_ANY_SLOTS = {qn(t) for t in ("a:ext", "c:ext", "a:graphicData", "w:object", "w:pict")}


def resolve_compatibility(
    root: etree._Element, findings: Findings, part: str, *, report_foreign: bool = True
) -> None:
    """Apply Markup Compatibility to `root` in place, as a consumer of the Transitional schemas.

    Markup from an ignorable namespace without a schema is removed (elements listed in
    mc:ProcessContent are unwrapped); mc:AlternateContent becomes its first mc:Choice whose
    Requires are all understood, else its mc:Fallback. Undeclared prefixes are errors (Word
    refuses them), and so is non-ignorable markup from a namespace Word does not know.
    """
    _Compatibility(findings, part, report_foreign).process(root, frozenset(), frozenset())


class _Compatibility:
    def __init__(self, findings: Findings, part: str, report_foreign: bool) -> None:
        self.findings = findings
        self.part = part
        self.report_foreign = report_foreign
        self.reported: set[str] = set()

    def _foreign(self, uri: str, element: etree._Element) -> None:
        if not self.report_foreign or uri in self.reported:
            return
        self.reported.add(uri)
        if uri in WORD_EXTENSIONS:
            self.findings.warn(
                self.part,
                element,
                _(
                    "Office extension markup ({prefix}) is not listed in mc:Ignorable: Word 2010 "
                    "and later read it, Word 2007 and other programs refuse the file"
                ).format(prefix=PREFIX_OF.get(uri, uri)),
            )
        else:
            self.findings.error(
                self.part,
                element,
                _(
                    "markup from namespace {uri} is not listed in mc:Ignorable and Word does not "
                    "know it: declare it ignorable or remove it"
                ).format(uri=uri),
            )

    def _uris(self, element: etree._Element, value: str, attribute: str) -> list[str]:
        uris = []
        for prefix in value.split():
            uri = element.nsmap.get(prefix)
            if uri is None:
                self.findings.error(
                    self.part,
                    element,
                    _(
                        "{attribute} names the prefix '{prefix}' but no xmlns:{prefix} is "
                        "declared (Word refuses the file)"
                    ).format(attribute=attribute, prefix=prefix),
                )
            else:
                uris.append(uri)
        return uris

    def _read_attributes(
        self,
        element: etree._Element,
        ignorable: frozenset[str],
        process: frozenset[tuple[str, str]],
    ) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        if (value := element.get(MC + "Ignorable")) is not None:
            ignorable = ignorable | set(self._uris(element, value, "mc:Ignorable"))
        if (value := element.get(MC + "ProcessContent")) is not None:
            names: set[tuple[str, str]] = set()
            for name in value.split():
                prefix, _sep, local = name.rpartition(":")
                uris = self._uris(element, prefix, "mc:ProcessContent") if prefix else []
                names.update((uri, local) for uri in uris)
            process = process | names
        if (value := element.get(MC + "MustUnderstand")) is not None:
            for uri in self._uris(element, value, "mc:MustUnderstand"):
                if uri not in UNDERSTOOD:
                    self.findings.warn(
                        self.part,
                        element,
                        _(
                            "mc:MustUnderstand names {uri}: Word versions that do not know "
                            "it refuse the file"
                        ).format(uri=uri),
                    )
        for name in [n for n in map(str, element.attrib) if n.startswith(MC)]:
            del element.attrib[name]
        return ignorable, process

    def process(
        self,
        element: etree._Element,
        ignorable: frozenset[str],
        process: frozenset[tuple[str, str]],
    ) -> None:
        ignorable, process = self._read_attributes(element, ignorable, process)
        for name in list(map(str, element.attrib)):
            uri = namespace(name)
            if uri and uri not in UNDERSTOOD:
                if uri not in ignorable:
                    self._foreign(uri, element)
                if uri in ignorable or uri in WORD_EXTENSIONS:
                    del element.attrib[name]
        for child in list(element):
            if isinstance(child.tag, str):
                self._child(element, child, ignorable, process)

    def _child(
        self,
        parent: etree._Element,
        child: etree._Element,
        ignorable: frozenset[str],
        process: frozenset[tuple[str, str]],
    ) -> None:
        uri = namespace(child.tag)
        if child.tag == MC + "AlternateContent":
            _replace(parent, child, self._alternate(child, ignorable, process))
        elif uri == NS["mc"]:
            self.findings.error(
                self.part,
                child,
                _("<{element}> outside mc:AlternateContent").format(element=pretty(child.tag)),
            )
            parent.remove(child)
        elif uri in UNDERSTOOD or not uri:
            self.process(child, ignorable, process)
        elif uri in ignorable:
            local = child.tag.split("}", 1)[1]
            if (uri, local) in process or (uri, "*") in process:
                self.process(child, ignorable, process)
                _replace(parent, child, list(child))
            else:
                parent.remove(child)
        elif parent.tag not in _ANY_SLOTS:
            self._foreign(uri, child)
            if uri in WORD_EXTENSIONS:
                parent.remove(child)

    def _alternate(
        self,
        alternate: etree._Element,
        ignorable: frozenset[str],
        process: frozenset[tuple[str, str]],
    ) -> list[etree._Element]:
        ignorable, process = self._read_attributes(alternate, ignorable, process)
        chosen = None
        choices = 0
        for branch in alternate:
            if not isinstance(branch.tag, str):
                continue
            if branch.tag == MC + "Choice":
                choices += 1
                requires = branch.get("Requires")
                if requires is None:
                    self.findings.error(self.part, branch, _("mc:Choice without Requires"))
                    continue
                uris = self._uris(branch, requires, "mc:Choice/@Requires")
                understood = len(uris) == len(requires.split()) and set(uris) <= UNDERSTOOD
                if chosen is None and uris and understood:
                    chosen = branch
            elif branch.tag == MC + "Fallback":
                chosen = branch if chosen is None else chosen
            else:
                self.findings.error(
                    self.part,
                    branch,
                    _("<{element}> is not allowed inside mc:AlternateContent").format(
                        element=pretty(branch.tag)
                    ),
                )
        if not choices:
            self.findings.error(self.part, alternate, _("mc:AlternateContent without mc:Choice"))
        if chosen is None:
            return []
        self.process(chosen, ignorable, process)
        return list(chosen)


def _replace(parent: etree._Element, old: etree._Element, children: list[etree._Element]) -> None:
    index = parent.index(old)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    parent.remove(old)
