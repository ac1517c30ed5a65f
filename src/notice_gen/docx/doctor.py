"""The template doctor: find, and where safe repair, what Word does to tags.

Word splits a tag over runs when part of it is reformatted, inserts proofing marks,
and turns quotes into smart quotes. `diagnose` reads every story part (body,
headers, footers, notes) and reports every problem at once, each with a place a
Word user can find: the part, the table, row and cell, the paragraph, and the
visible text around it. `repair` writes a copy with what can be repaired repaired.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from ..i18n import N_, _
from .ns import XML_SPACE, story_parts, w
from .package import PackageError, open_package, parse_xml
from .sandbox import GLOBALS, unsafe_tags

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
OPENERS = {
    "for": "endfor",
    "if": "endif",
    "with": "endwith",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "block": "endblock",
    "raw": "endraw",
}
SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
PART_NAMES = (N_("header"), N_("footer"))  # as locations are named: "header 2 (word/header2.xml)"
KIND_OF_LAYOUT = {"van-ban": "thong-bao-ket-luan", "bien-ban": "bien-ban"}
REQUIRED = {  # kind -> (variable path, what a document lacks without it)
    "thong-bao-ket-luan": [("signer.name", N_("the signature block")), ("recipients", "Nơi nhận")],
    "giay-moi": [("signer.name", N_("the signature block")), ("recipients", "Nơi nhận")],
    "bien-ban": [("minutes_signers", N_("the signatures")), ("recipients", "Nơi nhận")],
}


@dataclass(frozen=True)
class Issue:
    """One problem in a template, where a Word user can find it."""

    severity: str  # error or warning
    message: str
    where: str
    fixable: bool = False

    def __str__(self) -> str:
        fix = _(" [--fix repairs it]") if self.fixable else ""
        return f"{self.where}: {_(self.severity)}: {self.message}{fix}"


@dataclass
class Tag:
    text: str
    where: str
    paragraph: etree._Element
    runs: list[etree._Element]  # the runs the tag's characters are in


def _part_label(name: str) -> str:
    stem = Path(name).stem
    label = re.sub(
        r"^(header|footer)(\d*)$", lambda m: f"{_(m.group(1))} {m.group(2)}".strip(), stem
    )
    return _("body") if stem == "document" else f"{label} ({name})"


def _paragraphs(part: str, root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Each paragraph with a location: `body, table 1 row 2 cell 1, paragraph 3`."""
    tables = list(root.iter(w("tbl")))
    count = 0
    for p in root.iter(w("p")):
        cell = next(p.iterancestors(w("tc")), None)
        if cell is None:
            count += 1
            place = _("paragraph {n}").format(n=count)
        else:
            row = cell.getparent()
            table = row.getparent() if row is not None else None
            if row is None or table is None:
                continue
            r = table.findall(w("tr")).index(row) + 1
            c = row.findall(w("tc")).index(cell) + 1
            k = cell.findall(w("p")).index(p) + 1 if p.getparent() is cell else 1
            place = _("table {t} row {i} cell {j}, paragraph {k}").format(
                t=tables.index(table) + 1, i=r, j=c, k=k
            )
        yield p, f"{_part_label(part)}, {place}"


def _runs(p: etree._Element) -> list[tuple[etree._Element, str]]:
    return [(r, "".join(t.text or "" for t in r.iter(w("t")))) for r in p.iter(w("r"))]


def _format(run: etree._Element) -> bytes:
    props = run.find(w("rPr"))
    if props is None:
        return b""
    copy = etree.fromstring(etree.tostring(props))
    for noise in copy.findall(w("rStyle")) + copy.findall(w("lang")) + copy.findall(w("noProof")):
        copy.remove(noise)
    return etree.tostring(copy, method="c14n")


def _snippet(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 20) : start], text[end : end + 20]
    return f"«{before}{text[start:end]}{after}»".replace("\n", " ")


def read_tags(parts: dict[str, etree._Element], issues: list[Issue]) -> list[Tag]:
    """Every tag in document order, reporting the ways Word breaks them."""
    tags: list[Tag] = []
    for part, root in parts.items():
        for p, where in _paragraphs(part, root):
            runs = _runs(p)
            text = "".join(t for _run, t in runs)
            if "{" not in text and "}" not in text:
                continue
            found = list(TAG.finditer(text))
            _unclosed(text, found, where, issues)
            paragraph_tags = [m for m in found if re.match(r"\{%-?\s*p\s", m.group())]
            if len(paragraph_tags) > 1:
                issues.append(
                    Issue(
                        "error",
                        _("two {%p %} tags in one paragraph; give each its own paragraph"),
                        f"{where} {_snippet(text, 0, len(text))}",
                    )
                )
            elif paragraph_tags and text.strip() != paragraph_tags[0].group():
                issues.append(
                    Issue(
                        "error",
                        _("a {%p %} tag must be alone in its paragraph"),
                        f"{where} {_snippet(text, 0, len(text))}",
                    )
                )
            for match in found:
                covered = _covering(runs, match.start(), match.end())
                place = f"{where} {_snippet(text, match.start(), match.end())}"
                tag = Tag(match.group(), place, p, covered)
                _inspect(tag, p, issues)
                tags.append(tag)
    return tags


def _unclosed(text: str, found: list[re.Match[str]], where: str, issues: list[Issue]) -> None:
    rest = TAG.sub(lambda m: " " * len(m.group()), text)
    for match in re.finditer(r"\{[{%#]|[}%#]\}", rest):
        issues.append(
            Issue(
                "error",
                _(
                    "'{value}' without its other half in this paragraph (a tag must start and "
                    "end in the same paragraph)"
                ).format(value=match.group()),
                f"{where} {_snippet(text, match.start(), match.end())}",
            )
        )


def _covering(runs: list[tuple[etree._Element, str]], start: int, end: int) -> list[etree._Element]:
    out, position = [], 0
    for run, text in runs:
        if text and position < end and position + len(text) > start:
            out.append(run)
        position += len(text)
    return out


def _inspect(tag: Tag, p: etree._Element, issues: list[Issue]) -> None:
    if len({_format(r) for r in tag.runs}) > 1:
        issues.append(
            Issue(
                "error",
                _(
                    "the tag {text!r} is split across runs with different formatting (part of it "
                    "was reformatted in Word)"
                ).format(text=tag.text),
                tag.where,
                True,
            )
        )
    if len(tag.runs) > 1 and _proofing_inside(p, tag.runs):
        issues.append(
            Issue("warning", _("a spelling/grammar mark inside the tag"), tag.where, True)
        )
    if tag.text != tag.text.translate(SMART):
        issues.append(
            Issue(
                "error",
                _(
                    "smart quotes inside the tag {text!r} (Word's AutoCorrect); Jinja needs "
                    "straight quotes"
                ).format(text=tag.text),
                tag.where,
                True,
            )
        )
    if re.match(r"\{%-?\s*tr\s", tag.text) and next(p.iterancestors(w("tr")), None) is None:
        issues.append(Issue("error", _("a {%tr %} tag must be in a table row"), tag.where))


def _proofing_inside(p: etree._Element, runs: list[etree._Element]) -> bool:
    children = list(p)
    first, last = children.index(runs[0]), children.index(runs[-1])
    return any(c.tag == w("proofErr") for c in children[first:last])


# -- the Jinja side ---------------------------------------------------------


def statement(tag: str) -> str:
    """The Jinja of a tag, without docxtpl's p/tr/tc/r markers and Word's quotes."""
    inner = tag[2:-2].translate(SMART).strip(" -")
    if tag.startswith("{%"):
        inner = re.sub(r"^(p|tr|tc|r)\s+", "", inner)
    elif tag.startswith("{{"):
        inner = re.sub(r"^(p|r)\s+", "", inner)
    return inner


def check_jinja(tags: list[Tag], known: dict[str, Any], issues: list[Issue]) -> set[str]:
    """Syntax, block pairing and variables; returns the variable paths the template uses."""
    env = ImmutableSandboxedEnvironment()
    stack: list[tuple[str, Tag]] = []
    scope: dict[str, str] = {}
    used: set[str] = set()
    for tag in tags:
        if tag.text.startswith("{#"):
            continue
        code = statement(tag.text)
        if tag.text.startswith("{{"):
            try:
                expression = env.parse("{{ " + code + " }}").body[0].nodes[0]  # type: ignore[attr-defined]
            except jinja2.TemplateSyntaxError as exc:
                issues.append(_unreadable(tag, exc))
                continue
            used |= _paths(expression, scope, known, tag, issues)
            continue
        word = code.split(" ", 1)[0] if code else ""
        if word in OPENERS:
            try:
                closing = "end" + word
                tree = env.parse("{% " + code + " %}{% " + closing + " %}")
            except jinja2.TemplateSyntaxError as exc:
                issues.append(_unreadable(tag, exc))
                stack.append((word, tag))
                continue
            node = tree.body[0]
            if isinstance(node, nodes.For) and isinstance(node.target, nodes.Name):
                source = _path(node.iter, scope)
                if source:
                    scope[node.target.name] = source + "[]"
                    used |= _check_path(source, known, tag, issues)
            elif isinstance(node, nodes.If):
                used |= _paths(node.test, scope, known, tag, issues)
            stack.append((word, tag))
        elif word.startswith("end") and word[3:] in OPENERS:
            if not stack or stack[-1][0] != word[3:]:
                expected = (
                    _("'end{word}' for {tag!r}").format(word=stack[-1][0], tag=stack[-1][1].text)
                    if stack
                    else _("nothing")
                )
                issues.append(
                    Issue(
                        "error",
                        _("{text!r} closes {expected}").format(text=tag.text, expected=expected),
                        tag.where,
                    )
                )
            else:
                stack.pop()
        elif word in ("else", "elif") and not (stack and stack[-1][0] in ("if", "for")):
            issues.append(
                Issue(
                    "error",
                    _("{text!r} outside an if or for block").format(text=tag.text),
                    tag.where,
                )
            )
        elif word not in (
            "set",
            "else",
            "elif",
            "include",
            "import",
            "from",
            "break",
            "continue",
            "do",
            "extends",
        ):
            issues.append(
                Issue(
                    "error",
                    _("Jinja does not know the statement {text!r}").format(text=tag.text),
                    tag.where,
                )
            )
    for word, tag in stack:
        issues.append(
            Issue(
                "error",
                _(
                    "{text!r} is never closed: 'end{word}' is missing (was the paragraph holding "
                    "it deleted?)"
                ).format(text=tag.text, word=word),
                tag.where,
            )
        )
    return used


ASSIGNED = re.compile(
    r"\{%-?\s*(?:p\s+|tr\s+|tc\s+)?(?:for|set|macro)\s+([\w,\s]+?)(?:\s+in\b|=|\(|\s*-?%\})"
)


def check_reach(tags: list[Tag], known: dict[str, Any], issues: list[Issue]) -> None:
    """Tags reaching for `_`-prefixed names or attributes, or for names the documented
    context does not give: the sandbox refuses them when rendering."""
    env = ImmutableSandboxedEnvironment()
    roots = {re.split(r"[.\[]", path)[0] for path in known} | set(GLOBALS) | {"loop"}
    for tag in tags:
        roots |= {n.strip() for m in ASSIGNED.finditer(tag.text) for n in m.group(1).split(",")}
    for tag in tags:
        if tag.text.startswith("{#"):
            continue
        text = tag.text.translate(SMART)
        for _tag, name in unsafe_tags(text, env):
            issues.append(
                Issue(
                    "error",
                    _(
                        "{text!r} reaches for {name!r}; templates may use the record's values only"
                    ).format(text=tag.text, name=name),
                    tag.where,
                )
            )
            break
        else:
            code = statement(tag.text)
            source = "{{ " + code + " }}" if tag.text.startswith("{{") else ""
            try:
                tree = env.parse(source) if source else None
            except jinja2.TemplateSyntaxError:
                continue
            found = tree.find_all(nodes.Name) if tree else []
            names = {n.name for n in found if n.ctx == "load"}
            reported = " ".join(i.message for i in issues if i.where == tag.where)
            for name in sorted(names - roots):
                if f"'{name}'" not in reported and f"'{name}." not in reported:
                    issues.append(
                        Issue(
                            "error",
                            _(
                                "{text!r} uses {name!r}, which the record model does not give"
                            ).format(text=tag.text, name=name),
                            tag.where,
                        )
                    )


def _unreadable(tag: Tag, exc: jinja2.TemplateSyntaxError) -> Issue:
    message = _("Jinja cannot read {text!r}: {message}")
    return Issue("error", message.format(text=tag.text, message=exc.message), tag.where)


def _path(node: nodes.Node, scope: dict[str, str]) -> str | None:
    """`signer.name`, `body[]` … for a chain of names, attributes and indexes."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                parts.append(node.arg.value)
            else:
                parts.append("[]")
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(scope.get(node.name, node.name))
            break
        else:
            return None
    return ".".join(reversed(parts)).replace(".[]", "[]")


def _paths(
    node: nodes.Node, scope: dict[str, str], known: dict[str, Any], tag: Tag, issues: list[Issue]
) -> set[str]:
    found: set[str] = set()
    candidates: list[nodes.Node] = (
        [node] if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) else []
    )
    candidates += [n for n in node.find_all((nodes.Getattr, nodes.Getitem, nodes.Name))]
    seen: set[int] = set()
    for candidate in candidates:
        if id(candidate) in seen:
            continue
        for inner in candidate.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
            seen.add(id(inner))
        path = _path(candidate, scope)
        if path and not path.startswith(("loop", "range")):
            found |= _check_path(path, known, tag, issues)
    return found


def _check_path(path: str, known: dict[str, Any], tag: Tag, issues: list[Issue]) -> set[str]:
    if path in known:
        return {path}
    close = difflib.get_close_matches(path, list(known), n=1, cutoff=0.6)
    hint = _("; did you mean {path!r}?").format(path=close[0]) if close else ""
    issues.append(
        Issue(
            "error",
            _("the record model gives no {path!r} for this kind{hint}").format(
                path=path, hint=hint
            ),
            tag.where,
        )
    )
    return set()


# -- the whole check ----------------------------------------------------------


def _story_parts(data: bytes) -> dict[str, etree._Element]:
    package = open_package(data)
    names = set(package.namelist())
    stories = [n for n in story_parts(package.read("[Content_Types].xml")) if n in names]
    return {n: package.xml(n) for n in stories}


def kind_of(path: Path) -> str:
    """The kind a template file is for, from its name (`van-ban.state.docx` …)."""
    from ..rules.profiles import KINDS

    first = path.name.split(".")[0]
    return first if first in KINDS else KIND_OF_LAYOUT.get(first, "thong-bao-ket-luan")


def diagnose(data: bytes, kind: str, known: dict[str, Any]) -> tuple[list[Issue], set[str]]:
    """Every problem of the template `data` for `kind`, and the variables it uses;
    `known` holds the variables the record model offers (`pipeline.variables`)."""
    try:
        parts = _story_parts(data)
    except (PackageError, etree.XMLSyntaxError, KeyError) as exc:
        return [Issue("error", _("not a readable .docx ({exc})").format(exc=exc), "file")], set()
    issues: list[Issue] = []
    tags = read_tags(parts, issues)
    used = check_jinja(tags, known, issues)
    check_reach(tags, known, issues)
    for path, what in REQUIRED[kind]:
        if not any(u == path or u.startswith(path) for u in used):
            issues.append(
                Issue(
                    "error",
                    _("no {what}: the template never prints {{{{ {path} }}}}").format(
                        what=_(what), path=path
                    ),
                    _("template"),
                )
            )
    return issues, used


def repair(data: bytes) -> bytes:
    """A copy whose tags each sit in one run, with straight quotes and no proofing marks."""
    out = io.BytesIO()
    package = open_package(data)
    stories = story_parts(package.read("[Content_Types].xml"))
    with zipfile.ZipFile(out, "w") as copy:
        for info in package.infolist():
            content = package.read(info)
            if info.filename in stories:
                root = parse_xml(content)
                for p, _where in list(_paragraphs(info.filename, root)):
                    _repair_paragraph(p)
                content = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            copy.writestr(info, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _repair_paragraph(p: etree._Element) -> None:
    runs = _runs(p)
    text = "".join(t for _run, t in runs)
    spans = [(m.start(), m.end()) for m in TAG.finditer(text)]
    if not spans:
        return
    for start, end in reversed(spans):
        covered = _covering(runs, start, end)
        simple = all(r.getparent() is p and len(list(r.iter(w("t")))) == 1 for r in covered)
        if len(covered) > 1 and simple:
            _merge_runs(p, covered, runs, start, end)
            runs = _runs(p)
    for run, _text in _runs(p):
        for t in run.iter(w("t")):
            t.text = TAG.sub(lambda m: m.group().translate(SMART), t.text or "")


def _merge_runs(p, covered, runs, start, end) -> None:  # type: ignore[no-untyped-def]
    offsets, position = {}, 0
    for run, text in runs:
        offsets[id(run)] = position
        position += len(text)
    first = covered[0]
    first_t = first.find(w("t"))
    head = (first_t.text or "")[: start - offsets[id(first)]]
    last = covered[-1]
    last_text = last.find(w("t")).text or ""
    tail = last_text[end - offsets[id(last)] :]
    tag = "".join(t for r, t in runs if r in covered)[start - offsets[id(first)] :]
    tag = tag[: end - start]
    first_t.text = head + tag
    first_t.set(XML_SPACE, "preserve")
    children = list(p)
    for element in children[children.index(first) + 1 : children.index(last) + 1]:
        if element.tag == w("proofErr") or element in covered[1:-1]:
            p.remove(element)
    if tail:
        last.find(w("t")).text = tail
        last.find(w("t")).set(XML_SPACE, "preserve")
    else:
        p.remove(last)


def fix(data: bytes, kind: str, known: dict[str, Any]) -> tuple[bytes, list[Issue]]:
    """The repaired template and the problems the repair removed (none: nothing to fix)."""
    before = diagnose(data, kind, known)[0]
    if not any(i.fixable for i in before):
        return data, []
    repaired = repair(data)
    after = {(i.message, i.where) for i in diagnose(repaired, kind, known)[0]}
    return repaired, [i for i in before if i.fixable and (i.message, i.where) not in after]


def as_json(issues: list[Issue]) -> list[dict[str, Any]]:
    return [asdict(i) for i in issues]
