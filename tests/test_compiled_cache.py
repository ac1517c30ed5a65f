"""A compiled template is kept on disk (`docx/kept.py`): a later process loads it instead
of parsing, proving and compiling the template again, and gives the same bytes. An edited
template is compiled again; an entry that is damaged, or that lies where others could have
written it, is never run: the template is compiled again."""

from __future__ import annotations

import io
import marshal
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jinja2
import pytest

from helpers import edit_part, locale_env
from notice_gen import read_record
from notice_gen.docx import kept
from notice_gen.docx.template import Template
from notice_gen.errors import TemplateError
from notice_gen.pipeline.compose import context

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "data" / "thong-bao-ket-luan-tuy-phong-2014.yaml"
TEMPLATE = ROOT / "templates" / "van-ban.party.docx"  # the record's layout and regime
DOCUMENT = "word/document.xml"
# `notice-gen ARGS…` in a fresh process that notes each call of Jinja's compiler in LOG
RUN = """import runpy, sys, jinja2
log, sys.argv = sys.argv[1], ["notice-gen", *sys.argv[2:]]
compile = jinja2.Environment.compile
def noted(self, *args, **kwargs):
    with open(log, "a") as out:
        out.write("compiled\\n")
    return compile(self, *args, **kwargs)
jinja2.Environment.compile = noted
runpy.run_module("notice_gen", run_name="__main__")
"""


def render(tmp_path: Path, out: str) -> tuple[bytes, int]:
    """The document a fresh `render` writes, and how many times it called Jinja's compiler."""
    log = tmp_path / f"{out}.log"
    command = [sys.executable, "-c", RUN, log, "render", RECORD, "-o", tmp_path / out, "--force"]
    env = locale_env() | {"NOTICE_GEN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([str(a) for a in command], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    calls = len(log.read_text().splitlines()) if log.exists() else 0
    return (tmp_path / out / f"{RECORD.stem}.docx").read_bytes(), calls


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each call of Jinja's compiler in this process, from now on."""
    calls: list[object] = []
    compile = jinja2.Environment.compile

    def noted(self: jinja2.Environment, *args: object, **kwargs: object) -> object:
        calls.append(args)
        return compile(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", noted)
    return calls


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NOTICE_GEN_CACHE_DIR", str(folder))
    return folder


def rendered(path: Path) -> bytes:
    record, _ = read_record(RECORD)
    return Template(path, record.rules).render(context(record))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.compiled"))


def body_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_second_render_loads_the_compiled_template_and_gives_the_same_bytes(tmp_path):
    first, compiled = render(tmp_path, "first")
    assert compiled >= 1
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
    again, compiled_again = render(tmp_path, "again")
    assert compiled_again == 0
    assert again == first


def test_an_edited_template_is_compiled_again(tmp_path, cache, compiles):
    mine = tmp_path / TEMPLATE.name
    shutil.copy(TEMPLATE, mine)
    assert "Nơi nhận" in body_text(rendered(mine))
    assert len(entries(cache)) == 1
    compiles.clear()
    rendered(mine)
    assert compiles == []
    mine.write_bytes(edit_part(mine.read_bytes(), DOCUMENT, lambda x: x.replace("Nơi nhận", "Gửi")))
    text = body_text(rendered(mine))
    assert compiles != []
    assert "Gửi" in text
    assert "Nơi nhận" not in text
    assert len(entries(cache)) == 2


def hostile_entry(marker: Path) -> bytes:
    """An entry whose code writes `marker` when it is loaded."""
    code = compile(f"with open({str(marker)!r}, 'w') as f: f.write('ran')", "<hostile>", "exec")
    return marshal.dumps(([("word/document.xml", code, b"", b"", True)], [], {}))


@pytest.mark.parametrize("opened", ["the folder", "the file"])
def test_an_entry_others_could_have_written_is_not_run(tmp_path, cache, compiles, opened):
    fresh = rendered(TEMPLATE)
    [entry] = entries(cache)
    marker = tmp_path / "ran"
    kept.write(entry, hostile_entry(marker))
    writable = cache if opened == "the folder" else entry
    writable.chmod(writable.stat().st_mode | stat.S_IWGRP | stat.S_IWOTH)
    compiles.clear()
    assert rendered(TEMPLATE) == fresh
    assert not marker.exists()
    assert compiles != []


def test_a_hostile_entry_in_a_private_folder_would_be_run(tmp_path, cache):
    """The check above is what stops the hostile entry: in a private folder, it runs
    (its code is not a template, so the template is then compiled again)."""
    fresh = rendered(TEMPLATE)
    [entry] = entries(cache)
    marker = tmp_path / "ran"
    kept.write(entry, hostile_entry(marker))
    assert rendered(TEMPLATE) == fresh
    assert marker.read_text() == "ran"


@pytest.mark.parametrize("damage", ["truncated", "a byte changed", "empty"])
def test_a_damaged_entry_is_compiled_again(cache, compiles, damage):
    fresh = rendered(TEMPLATE)
    [entry] = entries(cache)
    data = entry.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "a byte changed":
        data = data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]
    else:
        data = b""
    entry.write_bytes(data)
    compiles.clear()
    assert rendered(TEMPLATE) == fresh
    assert compiles != []
    compiles.clear()
    assert rendered(TEMPLATE) == fresh  # the entry was written whole again
    assert compiles == []


def test_a_broken_template_fails_the_same_way_each_time_and_is_not_kept(tmp_path, cache):
    broken = tmp_path / TEMPLATE.name
    broken.write_bytes(
        edit_part(TEMPLATE.read_bytes(), DOCUMENT, lambda x: x.replace("Nơi nhận", "{% endif %}"))
    )
    messages = []
    for _ in range(2):
        with pytest.raises(TemplateError) as exc:
            rendered(broken)
        messages.append(str(exc.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith(f"{broken}: word/document.xml: ")
    assert entries(cache) == []


def test_an_entry_is_readable_by_its_owner_only(cache):
    rendered(TEMPLATE)
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert entry.stat().st_uid == os.getuid()


def test_only_the_newest_entries_of_a_kind_are_kept(tmp_path):
    folder = tmp_path / "cache"
    kept.write(folder / "verdict.marshal", b"another kind of entry", keep=4)
    for n in range(4):
        kept.write(folder / f"{n}.compiled", b"code", keep=4)
        os.utime(folder / f"{n}.compiled", ns=(10**9 * (n + 1),) * 2)  # 0 is the oldest
    assert len(list(folder.glob("*.compiled"))) == 4  # not more than 4 yet
    kept.write(folder / "4.compiled", b"code", keep=4)
    assert sorted(p.name for p in folder.glob("*.compiled")) == ["3.compiled", "4.compiled"]
    assert kept.read(folder / "verdict.marshal") == b"another kind of entry"
