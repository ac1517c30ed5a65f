"""The bounds of a YAML record are measured while its tree is built, and the whole-tree
checks of `limits` run only when something comes near a bound. Whatever the text, the
outcome is the one of the checks made one after the other (aliases and the count of
values on the composed nodes, then building, then the sizes in the tree): the same
tree, or the same message. The bounds are made small here, so that texts reach them."""

from __future__ import annotations

import itertools

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice_gen.errors import RecordError
from notice_gen.record import limits
from notice_gen.record.load import read

SMALL = {"MAX_NODES": 30, "MAX_ITEMS": 4, "MAX_TEXT": 12, "MAX_DEPTH": 3}
WORDS = ["a", "b", "kind", "Hà Nội", "x" * 13, "null", "~", "", "Lưu: VT", "- 1", "\\ud7ff"]
leaf = st.sampled_from(WORDS)
tree = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(leaf, inner, max_size=6),
    max_leaves=40,
)
counter = itertools.count()


def yaml_texts() -> st.SearchStrategy[str]:
    """Records as YAML writes them, block or flow, with an anchor and an alias where a
    value is shared, and with a key given twice or an escape now and then."""

    def text(data: dict, flow: bool, shared: bool, twice: bool, escape: bool) -> str:
        if shared and data:
            first = next(iter(data))
            data = {**data, "again": data[first]}  # the same object twice: &id001 / *id001
        out = yaml.dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
        if twice and data:
            out += out.splitlines()[0] + "\n"
        if escape:
            out += 'escaped: "\\x41\\u00e0"\n'
        return out

    mapping = st.dictionaries(leaf, tree, min_size=1, max_size=6)
    return st.builds(text, mapping, st.booleans(), st.booleans(), st.booleans(), st.booleans())


def outcome(path) -> tuple:
    try:
        source = read(path)
    except RecordError as exc:
        return ("refused", str(exc))
    return ("read", source.data, source.positions, source.written)


def one_after_the_other(path, text: str) -> tuple:
    """What reading gives when every check is made on the whole, in turn."""
    try:
        limits.check_depth(text, path)
    except RecordError as exc:
        return ("refused", str(exc))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return outcome(path)  # the parser's own message: not a bound
    if node is not None:
        try:
            limits.check_nodes(node, path)
        except RecordError as exc:
            return ("refused", str(exc))
    with pytest.MonkeyPatch.context() as wide:  # the tree without the size bounds
        for name in SMALL:
            wide.setattr(limits, name, 10**9)
        wide_path = path.parent / "wide" / path.name
        built = outcome(wide_path)
    if built[0] == "refused":
        return ("refused", built[1].replace(str(wide_path), str(path)))
    try:
        limits.check_tree(built[1], path, {k: line for k, (_f, line) in built[2].items()})
    except RecordError as exc:
        return ("refused", str(exc))
    return ("read", built[1], {k: (path, line) for k, (_f, line) in built[2].items()}, built[3])


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=yaml_texts())
def test_bounds_measured_while_building_refuse_what_the_whole_tree_checks_refuse(
    text, tmp_path, monkeypatch
):
    for name, value in SMALL.items():
        monkeypatch.setattr(limits, name, value)
    n = next(counter)
    path = tmp_path / f"r{n}.yaml"
    path.write_text(text, "utf-8")
    (tmp_path / "wide").mkdir(exist_ok=True)
    (tmp_path / "wide" / path.name).write_text(text, "utf-8")
    assert outcome(path) == one_after_the_other(path, text)


def test_too_many_values_is_said_before_a_key_given_twice(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_NODES", 10)
    record = tmp_path / "many.yaml"
    record.write_text("a: 1\na: 2\n" + "".join(f"k{i}: v\n" for i in range(20)), "utf-8")
    with pytest.raises(RecordError) as caught:
        read(record)
    assert "more than 10 values in one file" in str(caught.value)
    assert "twice" not in str(caught.value)


def test_a_long_text_is_refused_with_its_key_and_line(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT", 8)
    record = tmp_path / "long.yaml"
    record.write_text("kind: a\nsubject:\n  - ngắn\n  - dài hơn năm\n", "utf-8")
    with pytest.raises(RecordError) as caught:
        read(record)
    assert str(caught.value) == (f"{record}:4: subject[1]: a text of 11 characters; the limit is 8")


LINE_PARTS = [" ", "  ", "- ", "? ", ": ", "\t", "\u00a0", "\u3000", "\n", "\r\n", "\r", "\u2028"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    parts=st.lists(st.sampled_from([*LINE_PARTS, "a", "bc", "Hà", "[", "{"]), max_size=80),
    width=st.integers(-2, 12),
)
def test_a_shallow_text_has_no_line_starting_that_wide(parts, width):
    text = "".join(parts)
    widest = max(
        (len(line) - len(line.lstrip(limits.PREFIX)) for line in text.splitlines()), default=0
    )
    if limits.shallow(text, width):
        assert widest < width
    elif all(mark not in text for mark in "\r\u2028") and width > 0:
        assert widest >= width


def test_a_record_read_already_is_refused_with_its_own_size(tmp_path):
    """A batch reads a record once, at most one byte past the limit, for its fingerprint
    and its parse: the message still gives the file's size."""
    path = tmp_path / "a.yaml"
    path.write_text("kind: thong-bao-ket-luan\n# " + "x" * 3 * 1024 * 1024 + "\n", "utf-8")
    for raw in (None, limits.head(path)):
        with pytest.raises(RecordError, match="the file is 3072 KB; a record may have 2048 KB"):
            read(path, raw)
