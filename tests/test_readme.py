"""Every command of the README works as written: the fenced `sh` commands run in order in
one folder, as a reader following the README would; each `$ …` example of a `text` block
fails with the messages it shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from helpers import edit_part, locale_env
from notice_gen import render_file

README = ROOT / "README.md"
FIXTURES = Path(__file__).resolve().parent / "readme"
# What the README runs that a test cannot: installing, the suite itself, and servers.
NOT_RUN = ("pip install", "pytest", "notice-gen serve")
# The folder of tests/readme/ each `$` example runs in, in the order of the README.
EXAMPLES = ["mistakes", "mistakes", "syntax", "mistakes", "received"]
# How the document received from another office breaks the rules the README shows.
BROKEN = {
    'w:left="1701" w:right="850"': 'w:left="1417" w:right="850"',  # left margin 25 mm
    "Số: 05": "Số: 5",
    "tháng 3 năm": "tháng 03 năm",
    "Các chi bộ;": "Các chi bộ",
    '<w:r><w:rPr/><w:t xml:space="preserve">UBND': '<w:r><w:rPr><w:rFonts w:ascii="Arial" '
    'w:hAnsi="Arial" w:cs="Arial"/></w:rPr><w:t xml:space="preserve">UBND',
}


def blocks(language: str) -> list[str]:
    return re.findall(rf"^ *```{language}\n(.*?)^ *```", README.read_text("utf-8"), re.M | re.S)


def shell(command: str, folder: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`command` run by bash in `folder`, `notice-gen` and `python` being this checkout's."""
    env = locale_env() | {"HOME": str(folder), "PY": sys.executable}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    script = 'notice-gen() { "$PY" -m notice_gen "$@"; }\npython() { "$PY" "$@"; }\n' + command
    return subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, input=stdin, capture_output=True, text=True
    )


def commands() -> list[str]:
    """Every command of the `sh` blocks, split at `&&`, without those in NOT_RUN."""
    found = []
    for block in blocks("sh"):
        for line in block.splitlines():
            for part in line.split("&&"):
                command = part.split(" #")[0].strip()
                if command and not command.startswith(NOT_RUN):
                    found.append(command)
    return found


def test_every_sh_command_runs_as_written(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(FIXTURES / "files", tmp_path, dirs_exist_ok=True)
    for command in commands():
        stdin = "mật-khẩu-dài-12\nmật-khẩu-dài-12\n" if "user add" in command else ""
        result = shell(command, tmp_path, stdin)
        assert result.returncode == 0, f"$ {command}\n{result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (tmp_path / "output" / "thong-bao.giay-moi.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [
        "8-VP.docx", "9-VP.docx", "so-xay-dung.docx", "units-2.docx", "units-3.docx",
    ]  # fmt: skip
    assert (tmp_path / "mine" / "van-ban.state.docx").is_file()
    assert (tmp_path / "output" / "hop.docx").is_file()


def examples() -> list[tuple[str, list[str]]]:
    """(command, the lines it shows) of every `$` line of the `text` blocks."""
    found = []
    for block in blocks("text"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = chunk.rstrip("\n").split("\n")
            found.append((command, shown))
    return found


@pytest.mark.parametrize(
    ("folder", "command", "shown"),
    [(folder, *example) for folder, example in zip(EXAMPLES, examples(), strict=True)],
    ids=[command for command, _shown in examples()],
)
def test_every_error_example_fails_as_shown(tmp_path, folder, command, shown):
    shutil.copytree(FIXTURES / folder, tmp_path, dirs_exist_ok=True)
    for record in tmp_path.glob("cong-van-den.yaml"):
        docx, _warnings = render_file(record, tmp_path)
        docx.write_bytes(edit_part(docx.read_bytes(), "word/document.xml", broken))
    result = shell(command, tmp_path)
    assert result.returncode in (1, 2), result.stderr
    printed = (result.stdout + result.stderr).splitlines()
    assert [line for line in shown if line not in printed] == []


def broken(xml: str) -> str:
    for good, bad in BROKEN.items():
        assert xml.count(good) == 1, good
        xml = xml.replace(good, bad)
    return xml
