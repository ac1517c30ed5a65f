"""A template proven well-formed once, so that its documents need not be parsed again.

A story part is proven when every `{% if %}` and `{% for %}` body is balanced (it
closes what it opens, never what was opened before it, and ends where it began) and
every printed value sits in element content or in an attribute value. A skeleton
holding each literal piece of the part once, in its place, is then parsed: if it is
well-formed, so is every document the part renders, whatever the record, because
each printed value passes through its slot, and what the slot gives is printed as it
is (`sandbox.SLOT`). A slot escapes plain values and refuses characters XML forbids;
it writes a run text's line breaks and emphasis runs itself, with the run properties
read from the skeleton. A value the proof cannot vouch for (markup from `|safe`, a
character XML forbids, emphasis in a run whose properties vary) marks the document,
which is then parsed in full as before.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import Undefined, nodes, pass_context
from lxml import etree
from markupsafe import escape

from .ns import XML_SPACE, W, w
from .package import parse_xml
from .sandbox import SLOT, is_mark

STYLES = ("", "i", "b", "bi")  # emphasis of a run: plain, italic, bold, both
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 forbids
_NAME = r"[^\s<>/=\"'!?]+"
_CLOSE = re.compile(rf"</({_NAME})\s*>")
_OPEN = re.compile(rf"<({_NAME})")
_IN_TAG = re.compile(rf"\s*(?:(/?>)|({_NAME})\s*=\s*([\"']))")


class RunText(str):
    """A value printed inside a run's `<w:t>`: pieces of escaped run text, each with
    its emphasis ("", "i", "b", "bi"); `__html__` is the markup of the full parse.
    Both follow from the class and the text alone: a slot keeps them for the next
    document that prints the same text."""

    def pieces(self) -> list[tuple[str, str]]:
        return [(self.__html__(), "")]

    def __html__(self) -> str:
        return str(escape(str(self)))


class Unproven(Exception):
    """The part is not built in a way the proof can vouch for."""


@dataclass
class Slot:
    """Where a value is printed: `text` directly in a run's `<w:t>`, else `plain`;
    `runs` are the run properties of emphasis runs, by style, when they are known."""

    kind: str = "plain"
    runs: dict[str, str] | None = None


@dataclass
class Slots:
    """The slots of one template, and whether the document being rendered left them."""

    slots: list[Slot] = field(default_factory=list)
    unproven: bool = False

    @pass_context  # never folded into a constant when the template is compiled
    def put(self, _context: Any, value: Any, index: int) -> str:
        """The markup for `value` at slot `index`, printed as it is."""
        if isinstance(value, RunText):
            pieces, html, legal = _run_text(type(value), value)
            if not legal:
                self.unproven = True
            slot = self.slots[index]
            if slot.kind == "text":
                return pieces if isinstance(pieces, str) else self._runs(pieces, html, slot)
            if "<" in html:
                self.unproven = True
            return html
        if isinstance(value, Undefined):
            return str(value)  # StrictUndefined: the error naming the value
        if hasattr(value, "__html__"):
            self.unproven = True
            return str(value.__html__())
        text = str(escape(value))
        if ILLEGAL.search(text):
            self.unproven = True
        return text

    def _runs(self, pieces: tuple[tuple[str, str], ...], html: str, slot: Slot) -> str:
        if slot.runs is None:
            self.unproven = True
            return html
        out = []
        for n, (piece, style) in enumerate(pieces):
            if n or style:
                out.append(f'</w:t></w:r><w:r>{slot.runs[style]}<w:t xml:space="preserve">')
            out.append(piece)
        return "".join(out)


@lru_cache(maxsize=4096)  # a batch prints the same texts in many documents
def _run_text(
    kind: type[RunText], text: str
) -> tuple[str | tuple[tuple[str, str], ...], str, bool]:
    """The pieces of the run text `text` of class `kind` (the one piece when it has no
    emphasis), its markup, and whether it holds only characters XML allows."""
    value = kind(text)
    pieces = value.pieces()
    plain = len(pieces) == 1 and not pieces[0][1]
    return pieces[0][0] if plain else tuple(pieces), value.__html__(), not ILLEGAL.search(text)


def prove(
    tree: nodes.Template,
    slots: Slots,
    emphasis: Callable[[etree._Element | None, str], etree._Element],
) -> bool:
    """Prove the part `tree` (from `Sandbox.parse_checked`) well-formed for every
    context; then route each printed value through a slot (added to `slots`).
    `emphasis(rpr, style)` gives the run properties of an emphasis run after a run with
    `rpr`. False, and `tree` untouched, when the part cannot be proven."""
    walk = _Walk()
    try:
        walk.body(tree.body)
        if walk.mode != "content" or walk.stack:
            raise Unproven
        root = parse_xml("".join(walk.skeleton).encode("utf-8"))
    except (Unproven, etree.XMLSyntaxError):
        return False
    found = {int(str(pi.text)): pi for pi in root.iter(etree.PI) if _target(pi) == "ng-slot"}
    first = len(slots.slots)
    for n, (output, i, _expr) in enumerate(walk.outputs):
        slots.slots.append(_slot(found.get(n), root, emphasis))
        expr = output.nodes[i]
        output.nodes[i] = nodes.Filter(
            expr, SLOT, [nodes.Const(first + n)], [], None, None, lineno=expr.lineno
        )
    return True


def _slot(
    pi: etree._Element | None,
    root: etree._Element,
    emphasis: Callable[[etree._Element | None, str], etree._Element],
) -> Slot:
    parent = pi.getparent() if pi is not None else None
    run = parent.getparent() if parent is not None else None
    if parent is None or parent.tag != w("t") or run is None or run.tag != w("r"):
        return Slot()
    rpr = run.find(w("rPr"))
    fixed = not any(_target(p) == "ng-branch" for p in run.iter(etree.PI)) and (
        rpr is None or not any(True for _ in rpr.iter(etree.PI))
    )
    spaced = all(t.get(XML_SPACE) == "preserve" for t in run.iter(w("t")))
    if not (fixed and spaced):
        return Slot("text")
    runs = {}
    for style in STYLES:
        base = copy.deepcopy(rpr) if rpr is not None else etree.Element(w("rPr"), nsmap={"w": W})
        xml = etree.tostring(emphasis(base, style))
        text = xml.decode("utf-8")
        for prefix, uri in root.nsmap.items():
            text = text.replace(f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"', "")
        runs[style] = text
    return Slot("text", runs)


class _Walk:
    """The part's literal text followed through its tags and blocks: where each printed
    value lands, and the skeleton that holds every literal piece once."""

    def __init__(self) -> None:
        self.mode = "content"  # content, tag (between attributes) or attr (in a value)
        self.quote = ""
        self.stack: list[str] = []
        self.floor = 0  # elements opened before the current block, which it may not close
        self.tag = ""
        self.skeleton: list[str] = []
        self.outputs: list[tuple[nodes.Output, int, nodes.Expr]] = []

    def body(self, body: list[nodes.Node]) -> None:
        for node in body:
            if isinstance(node, nodes.Output):
                self.output(node)
            elif isinstance(node, nodes.For):
                if node.recursive:
                    raise Unproven
                self.block(node.body)
                self.block(node.else_)
            elif isinstance(node, nodes.If):
                self.block(node.body)
                for branch in node.elif_:
                    self.block(branch.body)
                self.block(node.else_)
            elif not isinstance(node, nodes.Assign) and not (
                isinstance(node, nodes.ExprStmt) and is_mark(node.node)
            ):
                raise Unproven

    def block(self, body: list[nodes.Node]) -> None:
        """A block may be left out or repeated: it must end as it began."""
        if not body:
            return
        if self.mode == "tag" or not self.stack:
            raise Unproven
        state, floor = (self.mode, self.quote, list(self.stack)), self.floor
        self.floor = len(self.stack)
        self.marker("<?ng-branch?>")
        self.body(body)
        self.marker("<?ng-branch?>")
        if (self.mode, self.quote, self.stack) != state:
            raise Unproven
        self.floor = floor

    def marker(self, text: str) -> None:
        if self.mode == "content":
            self.skeleton.append(text)

    def output(self, node: nodes.Output) -> None:
        for i, item in enumerate(node.nodes):
            if isinstance(item, nodes.TemplateData):
                self.text(item.data)
            elif self.mode == "tag" or not self.stack:
                raise Unproven
            else:
                self.marker(f"<?ng-slot {len(self.outputs)}?>")
                self.outputs.append((node, i, item))

    def text(self, data: str) -> None:
        self.skeleton.append(data)
        at = 0
        while at < len(data):
            if self.mode == "attr":
                end = data.find(self.quote, at)
                if end < 0:
                    return
                self.mode, at = "tag", end + 1
            elif self.mode == "tag":
                match = _IN_TAG.match(data, at)
                if match is None:
                    if data[at:].strip():
                        raise Unproven
                    return
                if match.group(1):
                    if match.group(1) == ">":
                        self.stack.append(self.tag)
                    self.mode = "content"
                else:
                    self.mode, self.quote = "attr", match.group(3)
                at = match.end()
            else:
                at = self.content(data, at)

    def content(self, data: str, at: int) -> int:
        start = data.find("<", at)
        if start < 0:
            return len(data)
        for opening, closing in (("<!--", "-->"), ("<?", "?>")):
            if data.startswith(opening, start):
                end = data.find(closing, start)
                if end < 0:
                    raise Unproven
                return end + len(closing)
        if match := _CLOSE.match(data, start):
            if len(self.stack) <= self.floor or self.stack[-1] != match.group(1):
                raise Unproven
            self.stack.pop()
            return match.end()
        if match := _OPEN.match(data, start):
            self.tag, self.mode = match.group(1), "tag"
            return match.end()
        raise Unproven  # CDATA, a DOCTYPE, or a `<` that opens nothing


def _target(pi: etree._Element) -> str:
    """The target of a processing instruction (`ng-slot`, `ng-branch`)."""
    return str(getattr(pi, "target", ""))
