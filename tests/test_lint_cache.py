"""`render` keeps its lint verdict on disk (`lint/cache.py`): an unchanged record through an
unchanged template prints the same warnings without being linted again, and any change to
the template, the profile or the language is linted in full."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from helpers import edit_part, locale_env

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "data" / "thong-bao-ket-luan-tuy-phong-2014.yaml"  # HD 36, one layout warning
TEMPLATE = ROOT / "templates" / "van-ban.party.docx"
WARNING = (
    "warning: thong-bao-ket-luan-tuy-phong-2014.docx: HDR-ORG warning: write the provincial "
    "committee on one line: TỈNH ỦY … (where: table 1 row 1 cell 1 paragraph 2 «TỈNH ỦY»)"
)
# `notice-gen ARGS…` in a fresh process, then whether the linter was loaded, on stdout (an
# exit handler: notice-gen ends without Python's teardown, but runs the exit handlers)
RUN = """import atexit, runpy, sys
sys.argv = ["notice-gen", *sys.argv[1:]]
atexit.register(lambda: print("linted:", "notice_gen.lint.check" in sys.modules))
runpy.run_module("notice_gen", run_name="__main__")
"""


def render(out: Path, *more: object, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", RUN, "render", str(RECORD), "-o", str(out), "--force"]
    return subprocess.run(
        [*command, *map(str, more)], capture_output=True, text=True, env=locale_env(lang)
    )


def verdicts(cache: Path) -> list[Path]:
    return sorted((cache / "lint").glob("*.marshal"))


def test_a_second_render_prints_the_same_warnings_without_linting(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    first = render(tmp_path / "out")
    assert first.returncode == 0, first.stderr
    assert WARNING in first.stderr.splitlines()
    assert "linted: True" in first.stdout
    assert len(verdicts(tmp_path / "cache")) == 1
    again = render(tmp_path / "out")
    assert again.returncode == 0, again.stderr
    assert again.stderr == first.stderr
    assert "linted: False" in again.stdout
    assert len(verdicts(tmp_path / "cache")) == 1


def test_a_template_edited_to_break_a_rule_is_linted_again(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    mine = tmp_path / "templates" / TEMPLATE.name
    mine.parent.mkdir()
    shutil.copy(TEMPLATE, mine)
    clean = render(tmp_path / "out", "--templates", mine.parent)
    assert clean.returncode == 0, clean.stderr
    assert render(tmp_path / "out", "--templates", mine.parent).stdout.endswith("linted: False\n")
    upright = "<w:r><w:rPr><w:i w:val='0'/></w:rPr><w:t>{{ date_line }}</w:t></w:r>"
    mine.write_bytes(
        edit_part(
            mine.read_bytes(),
            "word/document.xml",
            lambda xml: xml.replace("<w:r><w:rPr/><w:t>{{ date_line }}</w:t></w:r>", upright),
        )
    )
    broken = render(tmp_path / "out", "--templates", mine.parent)
    assert broken.returncode == 1
    assert "linted: True" in broken.stdout
    assert f"error: {mine}: the rendered document breaks party-hd36:" in broken.stderr
    assert "DATE: the date line should be italic; make it italic" in broken.stderr
    assert len(verdicts(tmp_path / "cache")) == 2


def test_the_verdict_is_kept_per_language(tmp_path, monkeypatch):
    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    assert WARNING in render(tmp_path / "out").stderr.splitlines()
    vietnamese = render(tmp_path / "out", lang="vi_VN.UTF-8")
    assert vietnamese.returncode == 0, vietnamese.stderr
    assert "hãy ghi tỉnh ủy trên một dòng: TỈNH ỦY …" in vietnamese.stderr
    assert "write the provincial committee" not in vietnamese.stderr
    assert len(verdicts(tmp_path / "cache")) == 2


def test_the_oldest_verdicts_go_when_there_are_too_many(tmp_path, monkeypatch):
    from notice_gen.lint import cache

    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP", 4)
    data = b"not a .docx"  # a document that cannot be read has a verdict too
    for n in range(5):
        findings = cache.checked(data + bytes([n]), f"{n}.docx", "party-hd36")
        assert [(f.file, f.rule, f.severity) for f in findings] == [(f"{n}.docx", "FILE", "error")]
    assert len(verdicts(tmp_path / "cache")) == 2
    again = cache.checked(data + bytes([4]), "4.docx", "party-hd36")
    assert again == findings
