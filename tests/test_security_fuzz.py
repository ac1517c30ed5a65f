"""Fuzzing with hostile values (fixed seed, bounded): records and sheet rows full of
template syntax, paths, device names, formulas, broken characters and odd shapes are
rendered or refused with a message; never a traceback, never "internal error", and
every document written is valid OOXML (checked by conftest after each test)."""

from __future__ import annotations

import csv
import itertools
import json

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from notice_gen.cli import main

RECORD = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HOSTILE = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ 'A'*10**10 }}",
    "../../../../etc/passwd",
    "/etc/passwd",
    "..\\..\\win.ini",
    "CON",
    "NUL.txt",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t\r\n",
    "\ud800",
    "\x00\x01\x1b",
    "&a *a <<: *a",
    "]]>]]><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;",
    "<w:p/></w:t></w:r>",
    "A" * 5000,
    "Ư" * 300,
    "x.yaml",
    "secret.txt",
    "",
    " ",
    "{number}",
    "%s%n%999999d",
]
value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.integers(-(10**30), 10**30),
    st.lists(st.sampled_from(HOSTILE), max_size=3),
    st.dictionaries(st.sampled_from(["text", "label", "__class__", "points"]), st.just("x")),
    st.none(),
)
BASE = yaml.safe_load(RECORD.read_text("utf-8"))
KEYS = [*sorted(BASE), "template", "extends", "__class__", "signer.name", "issuer.code"]
COLUMNS = ["number", "subject", "conclusions", "template", "extends", "signer.name", "a..b", ""]


def clean(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output and "internal error" not in result.output


counter = itertools.count()


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(KEYS), value, min_size=1, max_size=4))
def test_hostile_record_values_render_or_are_refused(changes, tmp_path):
    n = next(counter)
    data = {**BASE, **changes}
    record = tmp_path / f"r{n}.json"
    record.write_text(json.dumps(data, default=str, ensure_ascii=True), "ascii")
    result = CliRunner().invoke(main, ["render", str(record), "-o", str(tmp_path / f"o{n}")])
    clean(result)


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), max_size=8),
        min_size=1,
        max_size=4,
    ),
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6),
    pattern=st.sampled_from([None, "{number}", "{subject}-{row}", "{stem}"]),
)
def test_hostile_sheets_render_or_are_refused(rows, header, pattern, tmp_path):
    n = next(counter)
    folder = tmp_path / f"s{n}"
    folder.mkdir()
    (folder / "secret.txt").write_text("Kết luận.", "utf-8")
    sheet = folder / "rows.csv"
    with sheet.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        csv.writer(handle).writerows([header, *rows])
    args = ["batch", str(sheet), "--base", str(RECORD), "-o", str(folder / "out"), "-j", "1"]
    result = CliRunner().invoke(main, args + (["--name", pattern] if pattern else []))
    clean(result)
