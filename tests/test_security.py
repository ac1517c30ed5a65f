"""Tried as an attacker would: hostile templates, records, sheets and names run no code,
write nothing outside the output folder, stay small, and every failure is reported."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from helpers import cli
from notice_gen.pipeline import journal

RECORD = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
STATE = ROOT / "templates" / "van-ban.state.docx"
MB = 1024 * 1024
POPEN = "{{{{ cycler.__init__.__globals__.os.popen('touch {canary}').read() }}}}"


def child(*args: object, timeout: float = 120, env: dict[str, str] | None = None):
    """`notice-gen ARGS` in a fresh process, with its peak RSS in bytes."""
    measure = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(p.returncode)\n"
    )
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LANGUAGE": "en", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "notice_gen", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )
    *lines, rss = done.stderr.rstrip("\n").split("\n")
    return done.returncode, done.stdout + "\n".join(lines), int(rss) * 1024


def with_tag(dest: Path, tag: str) -> Path:
    """The built-in State template with `{{ subject }}` replaced by `tag`."""
    out = io.BytesIO()
    with zipfile.ZipFile(STATE) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                assert b"{{ subject }}" in data
                data = data.replace(b"{{ subject }}", tag.replace("&", "&amp;").encode(), 1)
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(out.getvalue())
    return dest


@pytest.fixture
def elsewhere(tmp_path_factory):
    """A folder outside tmp_path for hostile .docx files (the OOXML check skips it)."""
    return tmp_path_factory.mktemp("hostile")


# -- templates are data --------------------------------------------------------


@pytest.mark.parametrize("route", ["--templates", "template:", "sheet", "preview", "check"])
def test_a_template_cannot_run_code(route, tmp_path, elsewhere):
    canary = elsewhere / "canary"
    folder = elsewhere / "templates"
    template = with_tag(folder / "van-ban.state.docx", POPEN.format(canary=canary))
    out = tmp_path / "out"
    if route == "--templates":
        result = cli("render", RECORD, "-o", out, "--templates", folder)
    elif route == "template:":
        record = folder / "record.yaml"
        record.write_text(RECORD.read_text("utf-8") + "\ntemplate: van-ban.state.docx\n", "utf-8")
        result = cli("render", record, "-o", out)
    elif route == "sheet":
        sheet = folder / "rows.csv"
        sheet.write_text("number,template\n7,van-ban.state.docx\n", "utf-8")
        result = cli("batch", sheet, "--base", RECORD, "-o", out, "-j", "1")
    elif route == "preview":
        result = cli("preview", template, "-o", out)
    else:
        result = cli("template", "check", template)
    assert not canary.exists()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if route == "check":
        assert "reaches for '__init__'; templates may use the record's values only" in result.output
    else:
        assert f"{template}: word/document.xml:" in result.output
        assert "cycler.__init__.__globals__" in result.output
    assert not list(out.glob("*.docx")) if out.exists() else True


@pytest.mark.parametrize(
    ("tag", "stopped"),
    [
        ("{{ range(10**9)|list }}", "Range too big"),
        ("{{ 'A'*10**10 }}", "a text longer than 1000000 characters"),
        ("{{ 'x'|center(10**9) }}", "above the limit of 1000 for a filter"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}"
            "{% if 'x' * 900000 %}{% endif %}{% endfor %}{% endfor %}",
            "the document took longer than 2 s",  # well before 5,000,000 steps
        ),
        ("{% for i in range(100000) %}{{ 'x'*100000 }}{% endfor %}", "the output passed 20 MB"),
    ],
    ids=["range", "repeat", "center", "loops", "output"],
)
def test_a_runaway_template_is_stopped_small_and_named(tag, stopped, elsewhere):
    folder = elsewhere / "t"
    with_tag(folder / "van-ban.state.docx", tag)
    code, err, rss = child(
        "render", RECORD, "-o", elsewhere / "out", "--templates", folder,
        env={"NOTICE_GEN_RENDER_SECONDS": "2"},
    )  # fmt: skip
    assert code == 1, err
    named = re.search(r"word/document\.xml: the tag (['\"])(.+?)\1 (was stopped|failed): ", err)
    assert named and named.group(2) in tag and stopped in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert rss < 500 * MB
    assert not (elsewhere / "out" / f"{RECORD.stem}.docx").exists()


def test_a_loop_of_cheap_tags_is_stopped_by_its_steps(elsewhere):
    """Marks cost little, yet every loop iteration is counted: a loop that would pass
    10**10 tags is stopped at the step limit, well within a generous time limit."""
    folder = elsewhere / "t"
    tag = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with_tag(folder / "van-ban.state.docx", tag)
    code, err, _rss = child(
        "render", RECORD, "-o", elsewhere / "out", "--templates", folder,
        env={"NOTICE_GEN_RENDER_SECONDS": "120"},
    )  # fmt: skip
    assert code == 1, err
    assert "word/document.xml: the tag '{% endfor %}' was stopped: more than 5000000 steps" in err
    assert not (elsewhere / "out" / f"{RECORD.stem}.docx").exists()


def test_template_check_flags_names_outside_the_context(tmp_path, elsewhere):
    template = with_tag(elsewhere / "van-ban.state.docx", "{{ (lipsum(5), config)|join }}")
    result = cli("template", "check", template)
    assert result.exit_code == 1
    assert "the record model gives no 'config' for this kind" in result.output
    assert "the record model gives no 'lipsum' for this kind" in result.output


def test_a_record_template_outside_its_folder_is_refused(tmp_path, elsewhere):
    with_tag(elsewhere / "van-ban.state.docx", "{{ subject }}")
    for name in (elsewhere / "van-ban.state.docx", "../" * 12 + str(elsewhere)[1:] + "/x.docx"):
        record = tmp_path / "r.yaml"
        record.write_text(RECORD.read_text("utf-8") + f"\ntemplate: {name}\n", "utf-8")
        result = cli("render", record, "-o", tmp_path / "out")
        assert result.exit_code == 2
        assert f"{record}: template: {str(name)!r} is outside the record's folder" in result.output


# -- packages bounded before reading -------------------------------------------


def test_zip_bomb_and_escaping_members_are_refused(tmp_path, elsewhere):
    bomb = elsewhere / "bomb" / "van-ban.state.docx"
    bomb.parent.mkdir()
    with zipfile.ZipFile(STATE) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/huge.bin", b"\0" * (200 * MB))
    assert bomb.stat().st_size < 1 * MB
    evil = elsewhere / "evil" / "van-ban.state.docx"
    evil.parent.mkdir()
    with zipfile.ZipFile(STATE) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("../../evil.txt", b"x")
    for template, message in (
        (bomb, "part word/media/huge.bin unpacks to 200 MB, more than the limit of 64 MB"),
        (evil, "part '../../evil.txt' points outside the document; the file is refused"),
    ):
        code, err, rss = child(
            "render", RECORD, "-o", tmp_path / "out", "--templates", template.parent
        )
        assert code == 1 and message in err and f"{template}:" in err, err
        assert rss < 500 * MB
        code, err, _rss = child("template", "check", template)
        assert code == 1 and message in err, err
        code, err, _rss = child("check", template)
        assert code == 1 and message in err, err
    assert not (tmp_path / "out" / "evil.txt").exists() and not (ROOT / "evil.txt").exists()


def test_xml_entities_in_a_template_are_refused(elsewhere):
    xxe = '<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    template = elsewhere / "van-ban.state.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(STATE) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b"?>" + xxe.encode(), 1)
            dst.writestr(info, data)
    template.write_bytes(out.getvalue())
    result = cli("render", RECORD, "-o", elsewhere / "out", "--templates", elsewhere)
    assert result.exit_code == 1
    assert "part word/document.xml declares a DTD or entities" in result.output


# -- records bounded before parsing --------------------------------------------


def alias_bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bomb.yaml", alias_bomb(), "bomb.yaml:1: YAML anchors and aliases (&name, *name)"),
        ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000, "deep.yaml:1: nested more than 40"),
        ("dash.yaml", "- " * 100_000 + "x", "dash.yaml:1: nested more than 40"),
        ("deep.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "deep.json:1: nested more"),
        ("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000, "deep.toml:1: nested more than"),
        (
            "lone.json",
            '{"kind": "thong-bao-ket-luan", "subject": "\\ud800"}',
            "lone.json: subject: holds a broken character",
        ),
        ("many.yaml", "a: [" + "1," * 1_200_000 + "1]", "many.yaml: the file is 2343 KB"),
    ],
    ids=["alias-bomb", "deep-yaml", "deep-dash", "deep-json", "deep-toml", "surrogate", "big"],
)
def test_hostile_records_end_in_a_message_not_a_crash(name, text, message, elsewhere):
    record = elsewhere / name
    record.write_text(text, "utf-8")
    started = time.monotonic()
    code, err, rss = child("render", record, "-o", elsewhere / "out", timeout=60)
    assert code == 2, err
    assert message in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert rss < 500 * MB
    assert time.monotonic() - started < 30


# -- outputs stay in the output folder ---------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("../../x-{number}", "folders, '..' and full paths are not allowed"),
        ("/tmp/x-{number}", "folders, '..' and full paths are not allowed"),
        ("{signer.__class__.__init__}", "'signer.__class__.__init__' is not a plain field name"),
        ("{issuer[code]}", "'issuer[code]' is not a plain field name"),
        ("{number:>99}", "'number' has a format; give the field name only"),
    ],
)
def test_unsafe_name_patterns_are_refused(pattern, message, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("number\n5\n", "utf-8")
    result = cli("batch", sheet, "--base", RECORD, "-o", tmp_path / "a" / "b", "--name", pattern)
    assert result.exit_code == 2, result.output
    assert f"--name {pattern!r}: {message}" in result.output
    assert not list(tmp_path.rglob("*.docx"))


def test_device_names_and_unsafe_characters_are_replaced(tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text('number,subject\n5,"Về việc a/b:c* ""x"""\n', "utf-8")
    out = tmp_path / "out"
    for pattern in ("NUL", "{subject}"):
        result = cli("batch", sheet, "--base", RECORD, "-o", out, "--name", pattern, "-j", "1")
        assert result.exit_code == 0, result.output
    names = ["Về việc a-b-c- -x-.docx", "_NUL.docx"]
    assert sorted(p.name for p in tmp_path.rglob("*.docx")) == names


def test_documents_are_made_with_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert cli("render", RECORD, "-o", tmp_path).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / f"{RECORD.stem}.docx").stat().st_mode & 0o777 == 0o644


def test_sheet_cells_cannot_name_files_outside_the_sheets_folder(tmp_path, elsewhere):
    secret = elsewhere / "secret.txt"
    secret.write_text("MẬT KHẨU 1234", "utf-8")
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "kl.txt").write_text("Kết luận từ tệp.", "utf-8")
    inside = os.path.relpath(secret, folder)
    rows = [["number", "conclusions"], ["1", str(secret)], ["2", inside], ["3", "kl.txt"]]
    with (folder / "s.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "out"
    result = cli("batch", folder / "s.csv", "--base", RECORD, "-o", out, "-j", "1")
    assert result.exit_code == 2
    assert f"{folder / 's.csv'}: conclusions: {str(secret)!r} is outside the sheet's folder" in (
        result.output
    )
    assert not out.exists()
    with (folder / "s.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([rows[0], rows[2]])
    result = cli("batch", folder / "s.csv", "--base", RECORD, "-o", out, "-j", "1")
    assert result.exit_code == 2 and f"{inside!r} is outside the sheet's folder" in result.output
    with (folder / "s.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([rows[0], rows[3]])
    result = cli("batch", folder / "s.csv", "--base", RECORD, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out / "s-2.docx")).paragraphs)
    assert "Kết luận từ tệp." in text and "MẬT KHẨU" not in text


# -- failures are reported -----------------------------------------------------------


def fake_soffice(folder: Path, body: str) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    program.chmod(0o755)
    return {"PATH": f"{folder}:{os.environ['PATH']}", "NOTICE_GEN_PDF_SECONDS": "2"}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("echo 'javaldx: broken' >&2; exit 1", "LibreOffice failed: javaldx: broken"),
        ("sleep 60", "LibreOffice did not finish within 2 s and was stopped"),
        ("exit 0", "LibreOffice made no PDF"),
    ],
)
def test_a_pdf_that_was_not_made_is_a_failure(body, why, tmp_path, elsewhere):
    env = fake_soffice(elsewhere / "bin", body)
    code, err, _rss = child("render", RECORD, "-o", tmp_path, "--pdf", env=env)
    assert code == 1, err
    pdf = tmp_path / f"{RECORD.stem}.pdf"
    assert f"error: {pdf}: {why}" in err
    assert "0 PDF(s) written, 1 failed" in err
    assert not pdf.exists() and (tmp_path / f"{RECORD.stem}.docx").is_file()


def many_rows(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["number"], *([str(n)] for n in range(1, count + 1))])
    return path


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KB file system: a real tmpfs where the machine allows mounting one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_fails_each_document_plainly_and_the_manifest_lists_them(tmp_path, small_disk):
    sheet = many_rows(tmp_path / "s.csv", 40)
    code, err, _rss = child("batch", sheet, "--base", RECORD, "-o", small_disk, "-j", "1")
    assert code == 1, err
    assert "the disk is full (No space left on device); free some space, then run again" in err
    assert "internal error" not in err and "Traceback" not in err
    rows = json.loads((small_disk / "manifest.json").read_text("utf-8"))["documents"]
    assert len(rows) == 40
    written = [r for r in rows if r["status"] == "written"]
    failed = [r for r in rows if r["status"] == "failed"]
    assert written and failed and len(written) + len(failed) == 40
    assert all("the disk is full" in r["error"] for r in failed)
    assert all((small_disk / r["output"]).is_file() for r in written)
    assert not list(small_disk.glob("*.tmp")) and not list(small_disk.glob(".*.tmp"))


# -- the books survive a crash ---------------------------------------------------------


def test_kill_9_then_resume_skips_what_was_done(tmp_path):
    sheet = many_rows(tmp_path / "s.csv", 300)
    out = tmp_path / "out"
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "notice_gen", "batch", str(sheet), "--base", str(RECORD)]
    process = subprocess.Popen(
        [*command, "-o", str(out), "-j", "1"], env=environ, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    made = {p.name for p in out.glob("*.docx")}
    assert 20 <= len(made) < 300
    assert (out / journal.JOURNAL).is_file() and not (out / "manifest.json").exists()
    resumed = subprocess.run(
        [*command, "-o", str(out), "-j", "2", "--resume"],
        env=environ,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "not written by notice-gen" not in resumed.stderr
    rows = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    skipped = {r["output"] for r in rows if r["status"] == "skipped"}
    assert len(skipped) >= len(made) - 2 and skipped <= made
    assert len(list(out.glob("*.docx"))) == 300
    assert not (out / journal.JOURNAL).exists()


def test_a_second_run_into_the_same_folder_stops_or_waits(tmp_path):
    sheet = many_rows(tmp_path / "s.csv", 2)
    out = tmp_path / "out"
    out.mkdir()
    held = journal.Lock(out)
    try:
        code, err, _rss = child("batch", sheet, "--base", RECORD, "-o", out)
        assert code == 1
        assert f"{out}: another notice-gen run (process {os.getpid()}) is writing here" in err
        assert not list(out.glob("*.docx"))
        waiting = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "notice_gen",
                "batch",
                sheet,
                "--base",
                RECORD,
                "-o",
                out,
                "--wait",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert waiting.poll() is None
    finally:
        held.release()
    _out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert len(list(out.glob("*.docx"))) == 2


# -- manifest.csv is safe for Excel ----------------------------------------------------


def test_manifest_csv_cells_never_start_a_formula(tmp_path):
    sheet = many_rows(tmp_path / "=HYPERLINK(1).csv", 1)
    out = tmp_path / "out"
    result = cli("batch", sheet, "--base", RECORD, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "manifest.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0]["output"] == "'=HYPERLINK(1)-2.docx"
    assert json.loads((out / "manifest.json").read_text("utf-8"))["documents"][0]["output"] == (
        "=HYPERLINK(1)-2.docx"
    )
    assert [journal.excel_safe(c) for c in ("+1", "-1", "@a", "\tx", "\rx", "a=b")] == [
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "a=b",
    ]
