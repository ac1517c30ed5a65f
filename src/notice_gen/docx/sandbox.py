"""Templates are data: Jinja's immutable sandbox, with bounded work, time and output.

A template cannot reach Python internals (`_`-prefixed names and attributes are
refused before it is compiled, and the sandbox refuses them at run time), cannot
change the record, and cannot make a document run away: every tag the template
passes, every call, operator and filter is counted against a time limit per
document, and strings, lists, numbers and each part's output are capped. Every
refusal is a `TemplateError` naming the template, the part and the tag.

The compiled code differs from Jinja's in two places only: a tag's mark is a
statement (it prints nothing), and what the slot filter (`SLOT`, see `proof.py`)
gives is printed as it is, since the slot escaped it.
"""

from __future__ import annotations

import math
import operator
import os
import re
import time
from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import LoopContext, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from ..i18n import _

MAX_OUTPUT = 20 * 1024 * 1024  # characters of one rendered part
MAX_STRING = 1_000_000  # characters of a string or items of a list a template builds
MAX_NUMBER_ARG = 1_000  # a number given to a filter (width, length, count)
MAX_STEPS = 5_000_000  # tags passed, calls and operators, per document
SECONDS = 20.0  # per document; NOTICE_GEN_RENDER_SECONDS overrides
MARK = "_ng_mark"
SLOT = "_ng_slot"  # the filter every printed value of a proven part goes through
CONCAT = "_ng_concat"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\d{5,}|\*)|%[-#0 +]*\d*\.\d{5,}|\{[^{}]*:[^{}]*\d{5,}")
GLOBALS = {"range": safe_range, "dict": dict}
DICT_ATTRIBUTES = frozenset(dir(dict))  # `d.items` is the method, not the key "items"
LOOP_ATTRIBUTES = frozenset(
    "index index0 revindex revindex0 first last length depth depth0 previtem nextitem".split()
)
MISSING = object()


class LimitError(SecurityError):
    """A template went past one of the render limits."""


def seconds() -> float:
    """The time limit per document."""
    try:
        return float(os.environ.get("NOTICE_GEN_RENDER_SECONDS", SECONDS))
    except ValueError:
        return SECONDS


class Budget:
    """The work one document may still do, and the tag being rendered."""

    def __init__(self) -> None:
        self.start(0.0)

    def start(self, limit: float) -> None:
        self.deadline = time.monotonic() + limit
        self.limit = limit
        self.steps = 0
        self.tag = -1

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS or not self.steps & 511:
            self.check()

    def check(self) -> None:
        """Refuse a document past its steps or its time (every 512 steps)."""
        if self.steps > MAX_STEPS:
            raise LimitError(_("more than {n} steps of work").format(n=MAX_STEPS))
        if time.monotonic() > self.deadline:
            raise LimitError(
                _("the document took longer than {seconds:g} s").format(seconds=self.limit)
            )


class _Marks(Extension):
    """Puts `{{ N|_ng_mark }}` before the N-th tag, so the budget knows where it is and
    every loop iteration is counted (a filter: called directly, not through `call`);
    `parse_checked` makes each mark a statement."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        count = 0
        for token in stream:
            if token.type in ("block_begin", "variable_begin"):
                line = token.lineno
                yield Token(line, "variable_begin", "{{")
                yield Token(line, "integer", count)  # type: ignore[arg-type]  # as Jinja lexes it
                yield Token(line, "pipe", "|")
                yield Token(line, "name", MARK)
                yield Token(line, "variable_end", "}}")
                count += 1
            yield token


def _too_big(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_STRING


def is_mark(node: nodes.Node) -> bool:
    """Whether `node` is a tag's mark (a statement once parsed)."""
    return isinstance(node, nodes.Filter) and node.name == MARK


class _Generator(CodeGenerator):
    """Jinja's code generator, printing what a slot gives as it is (escaped by the slot)."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if isinstance(node, nodes.Filter) and node.name == SLOT and finalize.src is None:
            self.write("(")
        else:
            super()._output_child_pre(node, frame, finalize)


class Sandbox(ImmutableSandboxedEnvironment):
    """The environment every template is compiled and rendered in."""

    intercepted_binops = frozenset(["*", "**", "+", "%", "//", "/"])
    code_generator_class = _Generator

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, extensions=[_Marks])
        self.budget = Budget()
        self.globals.clear()
        self.globals.update(GLOBALS)
        self.globals[CONCAT] = self._concat
        self.filters = {name: self._bounded(name, f) for name, f in self.filters.items()}
        self.filters[MARK] = self._mark

    @jinja2.pass_context  # never folded into a constant when the template is compiled
    def _mark(self, _context: Any, tag: int) -> None:
        budget = self.budget
        budget.tag = tag
        budget.steps += 1
        if budget.steps > MAX_STEPS or not budget.steps & 511:
            budget.check()

    def _concat(self, *values: Any) -> Any:
        if sum(len(str(v)) for v in values) > MAX_STRING:
            raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))
        return markup_join(values)

    def _bounded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        passed = 1 if hasattr(function, "jinja_pass_arg") else 0  # context or environment first

        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.budget.step()
            value, parameters = args[passed : passed + 1], (*args[passed + 1 :], *kwargs.values())
            for parameter in parameters:
                _check_argument(parameter)
            if name == "format" and value and isinstance(value[0], str):
                _check_format(value[0])
            result = function(*args, **kwargs)
            if _too_big(result):
                raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))
            return result

        for attribute in ("jinja_pass_arg",):
            if hasattr(function, attribute):
                setattr(bounded, attribute, getattr(function, attribute))
        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.step()
        for value in (*args, *kwargs.values()):
            if _too_big(value):
                raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.step()
        kind = type(obj)  # the common cases answered as Jinja would, without its detours
        if kind is dict and attribute not in DICT_ATTRIBUTES:
            if (value := obj.get(attribute, MISSING)) is not MISSING:
                return value
        elif kind is LoopContext and attribute in LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.step()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        self.budget.step()
        if op == "*":
            for seq, n in ((left, right), (right, left)):
                sized = isinstance(seq, (str, list, tuple)) and isinstance(n, int)
                if sized and len(seq) * max(n, 0) > MAX_STRING:
                    raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))
        elif op == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if abs(left) > 1 and right * math.log2(abs(left)) > 4096:
                raise LimitError(_("a number too large to print"))
        elif op == "+" and isinstance(left, (str, list, tuple)) and hasattr(right, "__len__"):
            if len(left) + len(right) > MAX_STRING:
                raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))
        elif op == "%" and isinstance(left, str):
            _check_format(left)
        return _BINOPS[op](left, right)

    def parse_checked(self, source: str) -> nodes.Template:
        """The template's tree, with `~` bounded and marks made statements; refuses tags
        reaching for `_` names."""
        for tag, name in unsafe_tags(source, self):
            raise SecurityError(
                _(
                    "{tag!r} reaches for {name!r}; templates may use the record's values only"
                ).format(tag=tag, name=name)
            )
        tree = self.parse(source)
        for parent in [tree, *tree.find_all(nodes.Node)]:
            for field in parent.fields:
                value = getattr(parent, field, None)
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _concat_call(value))
                elif isinstance(value, list):
                    value[:] = [
                        _concat_call(v) if isinstance(v, nodes.Concat) else v for v in value
                    ]
                    if any(isinstance(v, nodes.Output) for v in value):
                        value[:] = [s for v in value for s in _marks_apart(v)]
        tree.set_environment(self)
        return tree

    def load_code(self, code: CodeType) -> jinja2.Template:
        """The template whose code `self.compile` gave for a tree `parse_checked` gave."""
        return self.template_class.from_code(self, code, self.make_globals(None), None)

    def render_part(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render within the output cap; the budget was started for the document."""
        out: list[str] = []
        size = 0
        for chunk in template.root_render_func(template.new_context(context)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise LimitError(_("the output passed {n} MB").format(n=MAX_OUTPUT // 2**20))
            out.append(chunk)
        return "".join(out)


_BINOPS = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
    "//": operator.floordiv,
    "/": operator.truediv,
}


def _marks_apart(node: nodes.Node) -> list[nodes.Node]:
    """An output with marks among what it prints, as outputs and mark statements."""
    if not isinstance(node, nodes.Output) or not any(is_mark(n) for n in node.nodes):
        return [node]
    out: list[nodes.Node] = []
    printed: list[nodes.Expr] = []
    for item in node.nodes:
        if is_mark(item):
            if printed:
                out.append(nodes.Output(printed, lineno=node.lineno))
                printed = []
            out.append(nodes.ExprStmt(item, lineno=item.lineno))
        else:
            printed.append(item)
    if printed:
        out.append(nodes.Output(printed, lineno=node.lineno))
    return out


def _concat_call(node: nodes.Concat) -> nodes.Call:
    return nodes.Call(
        nodes.Name(CONCAT, "load", lineno=node.lineno),
        list(node.nodes),
        [],
        None,
        None,
        lineno=node.lineno,
    )


def _check_argument(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER_ARG:
        raise LimitError(
            _("the number {value} is above the limit of {n} for a filter").format(
                value=value, n=MAX_NUMBER_ARG
            )
        )
    if _too_big(value):
        raise LimitError(_("a text longer than {n} characters").format(n=MAX_STRING))


def _check_format(text: str) -> None:
    if FORMAT_WIDTH.search(text):
        raise LimitError(_("a format width of more than 4 digits"))


def unsafe_tags(source: str, env: jinja2.Environment) -> list[tuple[str, str]]:
    """(tag, name) for each tag naming a `_`-prefixed name, attribute or key."""
    out = []
    for match in TAG.finditer(source):
        tag = match.group()
        try:
            tokens = list(env.lexer.tokeniter(tag, None))
        except jinja2.TemplateSyntaxError:
            continue
        for _line, kind, value in tokens:
            text = str(value).strip("'\"") if kind == "string" else str(value)
            if (kind == "name" and text.startswith("_")) or (
                kind == "string" and text.startswith("__")
            ):
                out.append((tag, text))
                break
    return out


def tag_text(source: str, index: int) -> str:
    """The `index`-th tag of `source`, as the author wrote it."""
    for i, match in enumerate(TAG.finditer(source)):
        if i == index:
            return match.group()
    return ""
