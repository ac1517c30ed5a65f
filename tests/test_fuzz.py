"""Fuzzing (fixed seed, bounded): any record either renders to a .docx Word accepts,
or is refused with messages naming keys; never a traceback, never a partial file."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import DATA, ooxml_errors
from notice_gen import RecordError, render_file
from notice_gen.record.load import load

FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

odd = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
words = st.text(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẠẢẤĐỆỨ &<>\"'{}%#;,.-/\n\t\x0b\u00a0\u200b",
    min_size=1,
    max_size=60,
)
caps = st.text("ABCĐEÊGHIKLMNOÔƠPQRSTUƯVXYÀÁẠẢẤỆỨ &-", min_size=1, max_size=40)
phrase = words.map(lambda w: "Ý " + w)  # starts with a word, as text does
point = st.recursive(
    words,
    lambda inner: st.fixed_dictionaries(
        {"text": words},
        optional={
            "heading": words,
            "label": st.text("1aI.-)", min_size=1, max_size=4),
            "points": st.lists(inner, max_size=3),
        },
    ),
    max_leaves=6,
)


def records():
    return st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["thong-bao-ket-luan", "giay-moi", "bien-ban"]),
            "profile": st.sampled_from(["nd30", "party-hd05", "party-hd36"]),
            "issuer": st.fixed_dictionaries(
                {"name": caps, "code": st.sampled_from(["VP", "TU", "ĐU"])},
                optional={"parent": caps},
            ),
            "place": phrase,
            "subject": phrase,
            "conclusions": st.lists(point, min_size=1, max_size=4),
            "recipients": st.lists(phrase, min_size=1, max_size=4),
            "archive": phrase,
            "signer": st.fixed_dictionaries({"position": caps, "name": phrase}),
            "meeting": st.fixed_dictionaries(
                {
                    "date": st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(str),
                    "start": st.sampled_from(["08:00", "14:30"]),
                    "end": st.sampled_from(["10:00", "17:15"]),
                    "location": words,
                    "chair": words,
                    "secretary": words,
                    "invitees": st.lists(phrase, min_size=1, max_size=3),
                }
            ),
        },
        optional={
            "number": st.integers(1, 10**6),
            "date": st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(str),
            "title": st.lists(caps, max_size=2),
            "closing": words,
            "intro": st.lists(words, max_size=2),
        },
    )


def attempt(record: dict) -> None:
    """Render `record`; it must give a valid .docx, or a RecordError naming keys and no file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.json"
        path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        out = Path(tmp) / "out"
        try:
            docx, _ = render_file(path, out)
        except RecordError as exc:
            event("refused")
            assert exc.problems and all(p.key for p in exc.problems), str(exc)
            assert not list(out.glob("*")) if out.exists() else True
            return
        event("rendered")
        assert ooxml_errors(docx) == []
        assert [p.name for p in out.iterdir() if not p.name.startswith(".notice")] == [docx.name]


@FUZZ
@given(records())
def test_any_record_the_model_accepts_renders_valid_ooxml(record):
    attempt(record)


SAMPLE = load(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").data
PATHS = [
    ("subject",),
    ("signer",),
    ("signer", "name"),
    ("number",),
    ("date",),
    ("recipients",),
    ("issuer", "code"),
    ("conclusions",),
    ("meeting", "start"),
    ("kind",),
    ("profile",),
    ("archive",),
    ("place",),
    ("intro",),
    ("giay-moi",),
]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=True),
    odd,
    st.lists(odd, max_size=3),
    st.dictionaries(odd, odd, max_size=2),
    st.text(min_size=5000, max_size=20000),
)


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(PATHS), st.one_of(st.just("delete"), junk)),
        min_size=1,
        max_size=3,
    )
)
def test_any_mutation_renders_or_names_a_key(mutations):
    record = json.loads(json.dumps(SAMPLE, default=str))
    for key, value in mutations:
        node = record
        for part in key[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else {}
        if not isinstance(node, dict):
            continue
        if value == "delete":
            node.pop(key[-1], None)
        else:
            node[key[-1]] = value
    attempt(record)
