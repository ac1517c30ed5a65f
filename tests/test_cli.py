"""The command line as a clerk uses it: messages, exit status, and files kept safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, RECORDS
from helpers import cli

SAMPLE = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"


def test_render_writes_named_document(tmp_path):
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.docx").is_file()


def test_bad_record_gives_file_line_key_and_no_document(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text("utf-8").replace("authority: KT.", "authority: T/M"), "utf-8")
    result = cli("render", bad, SAMPLE, "-o", tmp_path / "out")
    assert result.exit_code == 2
    line = next(n for n, t in enumerate(bad.read_text("utf-8").splitlines(), 1) if "T/M" in t)
    assert f"error: {bad}:{line}: signer.authority: 'T/M'" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".notice-gen.json",
        "thong-bao-ket-luan-ubnd-lam-dong.docx",
    ]


def test_validate_says_ok_per_record_or_why_not(tmp_path):
    records = sorted(DATA.glob("*.yaml"))
    result = cli("validate", *records)
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.endswith(": ok")] == [
        f"{record}: ok" for record in records
    ]
    missing = cli("validate", tmp_path / "none.yaml")
    assert missing.exit_code == 2 and "cannot read" in missing.output


@pytest.mark.parametrize("profile", ["nd30", "party-hd05", "party-hd36"])
def test_new_prints_a_commented_record_that_renders(tmp_path, profile):
    result = cli("new", "thong-bao-ket-luan", "--profile", profile)
    assert result.exit_code == 0
    assert "# thẩm quyền ký" in result.output
    assert yaml.safe_load(result.output)["profile"] == profile
    record = tmp_path / f"{profile}.yaml"
    record.write_text(result.output, "utf-8")
    assert cli("render", record, "-o", tmp_path).exit_code == 0


def test_hand_edited_output_is_kept_unless_forced(tmp_path):
    assert cli("render", SAMPLE, "-o", tmp_path).exit_code == 0
    out = tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.docx"
    assert cli("render", SAMPLE, "-o", tmp_path).exit_code == 0  # unchanged: no complaint
    edited = out.read_bytes() + b"\0"  # as if a person saved it again
    out.write_bytes(edited)
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 1
    assert "was changed after notice-gen wrote it" in result.output
    assert out.read_bytes() == edited
    assert cli("render", SAMPLE, "-o", tmp_path, "--force").exit_code == 0
    assert out.read_bytes() != edited


def test_a_file_not_written_by_notice_gen_is_kept(tmp_path):
    foreign = tmp_path / "thong-bao-ket-luan-ubnd-lam-dong.docx"
    foreign.write_text("the clerk's own file")
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 1 and "was not written by notice-gen" in result.output
    assert foreign.read_text() == "the clerk's own file"
    foreign.unlink()


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def fail(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = cli("render", SAMPLE, "-o", tmp_path)
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert list(tmp_path.iterdir()) == []


def test_same_record_gives_identical_bytes(tmp_path):
    cli("render", SAMPLE, "-o", tmp_path / "a")
    cli("render", SAMPLE, "-o", tmp_path / "b")
    name = "thong-bao-ket-luan-ubnd-lam-dong.docx"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_python_m_and_help_examples():
    result = subprocess.run(
        [sys.executable, "-m", "notice_gen", "render", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Examples:" in result.stdout and "notice-gen render data/thong-bao.yaml" in result.stdout
    for command in ("validate", "new"):
        assert "Example" in cli(command, "--help").output


def test_json_and_toml_records_render(tmp_path):
    records = sorted(p for p in RECORDS.iterdir() if p.is_file())  # trial/: test_trial.py
    for record in records:
        assert cli("render", record, "-o", tmp_path).exit_code == 0
    assert len(list(tmp_path.glob("*.docx"))) == len(records)


def test_data_error_in_python_m_has_no_traceback(tmp_path):
    bad = Path(tmp_path / "bad.yaml")
    bad.write_text("kind: [\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "notice_gen", "validate", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}:") and "Traceback" not in result.stderr


def test_prepared_template_cache_gives_the_same_document(tmp_path, monkeypatch):
    from notice_gen import read_record
    from notice_gen.docx.template import Template, builtin_template
    from notice_gen.pipeline.compose import context

    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    record, _ = read_record(SAMPLE)
    path = builtin_template(record.kind, record.rules)
    fresh = Template(path, record.rules).render(context(record))
    assert len(list((tmp_path / "cache").iterdir())) == 1
    cached = Template(path, record.rules).render(context(record))
    assert cached == fresh
    (next((tmp_path / "cache").iterdir())).write_bytes(b"garbage")
    assert Template(path, record.rules).render(context(record)) == fresh
