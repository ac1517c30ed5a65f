"""The body: labels and their levels, emphasis as `*nghiêng*`/`**đậm**`, bold lead-ins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..pipeline.compose import DEFAULT_NUMBERING, label
from .read import Para, Span

TYPED = re.compile(
    r"^\s*(?P<label>[IVX]+\s?[.\-/]|\d+(?:\.\d+)*\s?[.\-)/:]|\d+(?:\.\d+)+|[a-zđ]\)|[-–+•])"
    r"(?:[ \t\u00a0]+|(?=[A-ZÀ-ỸĐ“\"]))"
)
CLOSING = re.compile(r"thông báo|để\s.*\bbiết|trân trọng|rất mong|\./\.\s*$", re.I)
_COUNTERS = re.compile(r"\d+|[IVX]+|[a-zđ]")


@dataclass
class Item:
    """A labelled paragraph and the paragraphs that follow it, at one level."""

    label: str
    kind: tuple[Any, ...]  # what sort of label: its level is found from the order of sorts
    paras: list[tuple[Para, list[Span]]]
    level: int = 0
    points: list[Item] = field(default_factory=list)


def labelled(para: Para) -> tuple[str, tuple[Any, ...], list[Span]] | None:
    """The paragraph's label (Word's own, else typed), its sort, and the spans after it."""
    if para.label:
        return para.label, ("word", para.level), trim(list(para.spans), 0)
    match = TYPED.match(para.text)
    if not match:
        return None
    typed = match.group("label").replace(" ", "")
    return typed, sort_of(typed), trim(list(para.spans), match.end())


def sort_of(typed: str) -> tuple[Any, ...]:
    """`2.1-` -> ('number', 2, '-'); `a)` -> ('letter', ')'); `-` -> ('dash', '-')."""
    if typed in "-–•":
        return ("dash", "-")
    if typed == "+":
        return ("dash", "+")
    if typed[0].isdigit():
        return ("number", len(re.findall(r"\d+", typed)), typed[-1])
    if typed[0] in "IVX":
        return ("roman", typed[-1])
    return ("letter", typed[-1])


def trim(spans: list[Span], count: int) -> list[Span]:
    """`spans` without their first `count` characters and the spaces after them."""
    out: list[Span] = []
    for span in spans:
        if count >= len(span.text):
            count -= len(span.text)
            continue
        out.append(Span(span.text[count:], span.bold, span.italic))
        count = 0
    while out and not out[0].text.strip():
        out.pop(0)
    if out:
        out[0] = Span(out[0].text.lstrip(" \t\u00a0"), out[0].bold, out[0].italic)
    return out


def marked(spans: list[Span]) -> str:
    """Text with `*…*` for italic, `**…**` for bold, `\\*` for a literal asterisk."""
    merged: list[list[Any]] = []
    for span in spans:
        text = span.text.replace("*", "\\*").replace("\t", " ").replace("\u00a0", " ")
        style = (span.bold, span.italic) if text.strip() else None
        if merged and (merged[-1][1] == style or style is None or merged[-1][1] is None):
            if merged[-1][1] is None:
                merged[-1][1] = style
            merged[-1][0] += text
        else:
            merged.append([text, style])
    out = ""
    for text, style in merged:
        marks = "" if not style else "**" * style[0] + "*" * style[1]
        core = text.strip()
        if not marks or not core:
            out += text
            continue
        left, right = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        out += f"{left}{marks}{core}{marks[::-1]}{right}"
    return re.sub(r" {2,}", " ", out).strip()


def plain(spans: list[Span]) -> str:
    return " ".join("".join(s.text for s in spans).split())


def lead_in(spans: list[Span]) -> tuple[str, list[Span]] | None:
    """A bold lead-in ending with `:` (`Về công tác tổng kết:`) and the spans after it."""
    bold, count = "", 0
    for span in spans:
        if not (span.bold or not span.text.strip()):
            break
        bold += span.text
        count += len(span.text)
    cut = bold.rfind(":")
    if cut < 0 or not bold[:cut].strip():
        return None
    return " ".join(bold[: cut + 1].split()), trim(spans, cut + 1)


def nest(items: list[Item]) -> list[Item]:
    """Levels from the order in which sorts of labels appear: a new sort goes one deeper,
    a sort seen above closes the levels under it."""
    stack: list[tuple[Any, ...]] = []
    top: list[Item] = []
    parents: list[Item] = []
    for item in items:
        if item.kind in stack:
            del stack[stack.index(item.kind) + 1 :]
        else:
            stack.append(item.kind)
        item.level = len(stack) - 1
        del parents[item.level :]
        (parents[-1].points if parents else top).append(item)
        parents.append(item)
    return top


def pattern_of(typed: str) -> str:
    """`2.1-` -> `1.1-`, `c)` -> `a)`, `IV.` -> `I.`: the scheme a label belongs to."""
    return _COUNTERS.sub(
        lambda m: "1" if m.group().isdigit() else "I" if m.group()[0] in "IVX" else "a", typed
    )


def scheme(tree: list[Item]) -> list[str]:
    """The labelling scheme by depth, taken from each depth's first label."""
    found: dict[int, str] = {}

    def walk(items: list[Item], depth: int) -> None:
        for item in items:
            found.setdefault(depth, pattern_of(item.label))
            walk(item.points, depth + 1)

    walk(tree, 0)
    out = [found.get(d, DEFAULT_NUMBERING[min(d, 2)]) for d in range(max(found, default=-1) + 1)]
    while out and out[-1] == DEFAULT_NUMBERING[min(len(out) - 1, 2)]:
        out.pop()
    return out if out != list(DEFAULT_NUMBERING[: len(out)]) else []


def points(tree: list[Item], chosen: list[str], path: list[int]) -> list[dict[str, Any]]:
    """Record points: `heading`, `text`, `label` only where the scheme would print another."""
    out = []
    depth = len(path)
    schemes = chosen or list(DEFAULT_NUMBERING)
    pattern = schemes[depth] if depth < len(schemes) else DEFAULT_NUMBERING[-1]
    for n, item in enumerate(tree, 1):
        point: dict[str, Any] = {}
        if item.label != label(pattern, [*path, n]):
            point["label"] = item.label
        spans = item.paras[0][1]
        head = lead_in(spans)
        if head:
            point["heading"], spans = head
        texts = [marked(spans)] if plain(spans) else []
        texts += [marked(s) for _p, s in item.paras[1:] if plain(s)]
        if texts:
            point["text"] = texts if len(texts) > 1 else texts[0]
        if item.points:
            point["points"] = points(item.points, chosen, [*path, n])
        out.append(point)
    return out
