"""The fast path of validation gives exactly what the full path gives: the same record,
the same warnings, and for a refused record the same problems (fixed seed, bounded)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from notice_gen import RecordError
from notice_gen.errors import Problem
from notice_gen.record.load import KeyPath, Source, load, select_kind
from notice_gen.record.validate import full_validate, quick_validate, validate
from notice_gen.rules.profiles import KINDS


def _samples() -> list[Source]:
    out = []
    for path in sorted(DATA.glob("*.yaml")):
        source = load(path)
        kinds = [k for k in KINDS if isinstance(source.data.get(k), dict)]
        out += [select_kind(source, None, KINDS)] + [select_kind(source, k, KINDS) for k in kinds]
    return out


SAMPLES = _samples()


def _fresh(source: Source) -> Source:
    data = copy.deepcopy(source.data)
    return Source(source.path, data, source.positions, source.written, list(source.warnings))


def _outcome(check: Any, source: Source) -> tuple[Any, ...]:
    try:
        record, warnings = check(_fresh(source))
    except RecordError as error:
        return ("refused", error.problems)
    return ("accepted", record.model_dump(), warnings)


@pytest.mark.parametrize("source", SAMPLES, ids=lambda s: f"{s.path.stem}:{s.data.get('kind')}")
def test_samples_take_the_fast_path_with_the_same_result(source: Source) -> None:
    quick = quick_validate(_fresh(source))
    assert quick is not None
    record, warnings = full_validate(_fresh(source))
    assert (quick[0].model_dump(), quick[1]) == (record.model_dump(), warnings)


def _leaves(value: Any, key: KeyPath = ()) -> list[KeyPath]:
    out = [key]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _leaves(v, (*key, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _leaves(v, (*key, i))
    return out


TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            "   ",
            "1. Đánh giá cao kết quả",
            "a) Giao Sở Tài chính",
            "- Lưu: VT, TH.",
            "Lưu: VT",
            "KT. CHÁNH VĂN PHÒNG",
            "T/M BAN THƯỜNG VỤ",
            "TM. ỦY BAN NHÂN DÂN",
            "chủ tịch",
            "Th«ng b¸o kÕt luËn",
            "Thoâng baùo keát luaän",
            "Hµ Néi",
            "hoà thuỷ",
            "modern",
            "auto",
            "19/02/2021",
            "2014-02-30",
            "8h30",
            "25:00",
            "*nghiêng",
            "**đậm**",
            "Tỉnh ủy viên, Phó Trưởng Ban",
            "UBND",
            "X-1",
            "1945",
        ]
    ),
    st.text("aăâđêôơư ABCĐỆỨ1.:-)*\n\t\u00a0\u200b\x0b\x01µ¸«øù", max_size=30),
)
VALUES = st.one_of(
    TEXTS,
    st.integers(-3, 3000),
    st.booleans(),
    st.none(),
    st.lists(TEXTS, max_size=3),
    st.dictionaries(st.sampled_from(["text", "name", "label", "points", "odd"]), TEXTS, max_size=2),
)


def _mutate(data: dict[str, Any], draw: Any) -> None:
    for _n in range(draw(st.integers(0, 3))):
        keys = _leaves(data)
        key = draw(st.sampled_from(keys[1:] or [("subject",)]))
        container: Any = data
        for part in key[:-1]:
            container = container[part]
        action = draw(st.sampled_from(["set", "set", "delete", "add"]))
        if action == "set":
            container[key[-1]] = draw(VALUES)
        elif action == "delete":
            del container[key[-1]]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["odd", "label", "archive", "tone_marks"]))] = draw(
                VALUES
            )
        else:
            container.append(draw(VALUES))


def _habit(data: dict[str, Any], draw: Any) -> None:
    """One thing clerks do that the full path takes back with a warning."""
    habits = ["none", "label", "authority", "archive", "nbsp", "legacy", "lower", "year"]
    habit = draw(st.sampled_from(habits))
    texts = [k for k in _leaves(data) if k and isinstance(_at(data, k), str)]
    points = [k for k in texts if k[0] == "conclusions" and "text" in k]
    signer = data.get("signer")
    if habit == "label" and points:
        key = draw(st.sampled_from(points))
        _at(data, key[:-1])[key[-1]] = draw(st.sampled_from(["1. ", "a) ", "II. ", "- "])) + (
            _at(data, key)
        )
    elif habit == "authority" and isinstance(signer, dict) and "on_behalf_of" in signer:
        signer["authority"] = f"{signer['authority']} {signer.pop('on_behalf_of')}"
    elif habit == "archive" and isinstance(data.get("recipients"), list) and "archive" in data:
        data["recipients"].append(f"Lưu: {data.pop('archive')}.")
    elif habit == "lower" and isinstance(signer, dict) and isinstance(signer.get("position"), str):
        signer["position"] = signer["position"].lower()
    elif habit == "year":
        data["year"] = "1999"
    elif habit in ("nbsp", "legacy") and texts:
        key = draw(st.sampled_from(texts))
        new = draw(st.sampled_from(["Hà\u00a0Nội", "Th«ng b¸o", "Thoâng baùo keát", "ok\u200b"]))
        _at(data, key[:-1])[key[-1]] = new


def _at(data: Any, key: KeyPath) -> Any:
    for part in key:
        data = data[part]
    return data


PROOF = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROOF
@given(st.data())
def test_fast_and_full_paths_agree_on_any_record(data: st.DataObject) -> None:
    source = _fresh(data.draw(st.sampled_from(SAMPLES)))
    if data.draw(st.booleans()):
        source.warnings.append(Problem(source.path, 2, "kind", "a warning from loading"))
    _habit(source.data, data.draw)
    _mutate(source.data, data.draw)
    assert _outcome(validate, source) == _outcome(full_validate, source)
    if (quick := quick_validate(_fresh(source))) is not None:
        assert ("accepted", quick[0].model_dump(), quick[1]) == _outcome(full_validate, source)
