"""Messages in Vietnamese for clerks, English on request; every message has its translation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import DATA
from helpers import notice_gen

SRC = Path(__file__).resolve().parents[1] / "src" / "notice_gen"
BROKEN = "kind: thong-bao-ket-luan\nprofile: nd30\nsigmer: {}\n"


def validate(tmp_path: Path, *args: str, lang: str) -> subprocess.CompletedProcess[str]:
    record = tmp_path / "hong.yaml"
    record.write_text(BROKEN, "utf-8")
    return notice_gen("validate", record, *args, lang=lang)


def test_vietnamese_locale_answers_in_vietnamese(tmp_path):
    result = validate(tmp_path, lang="vi_VN.UTF-8")
    assert result.returncode == 2
    assert "lỗi: " in result.stderr
    assert "sigmer: khóa không có trong định dạng hồ sơ; có phải là 'signer'?" in result.stderr
    assert "place: thiếu khóa bắt buộc" in result.stderr


def test_lang_option_chooses_english_anywhere(tmp_path):
    result = validate(tmp_path, "--lang", "en", lang="vi_VN.UTF-8")
    assert "error: " in result.stderr and "unknown key; did you mean 'signer'?" in result.stderr
    assert "lỗi" not in result.stderr
    english_locale = validate(tmp_path, lang="en_US.UTF-8")
    assert "required key is missing" in english_locale.stderr


def test_help_in_vietnamese():
    env = {**os.environ, "LANG": "vi_VN.UTF-8", "LANGUAGE": "vi"}
    result = subprocess.run([sys.executable, "-m", "notice_gen", "render", "--help"],
                            capture_output=True, text=True, env=env, check=True)  # fmt: skip
    assert "Tạo văn bản Word từ từng hồ sơ RECORD" in result.stdout
    assert "Ghi đè cả văn bản đã được sửa tay." in result.stdout


def test_warnings_from_text_hygiene_in_vietnamese(tmp_path):
    record = tmp_path / "tcvn3.yaml"
    source = (DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
    record.write_text(source.replace("name: Nguyễn Thị Hoa", "name: NguyÔn ThÞ Hoa"), "utf-8")
    env = {**os.environ, "LANG": "vi_VN.UTF-8", "LANGUAGE": "vi"}
    result = subprocess.run([sys.executable, "-m", "notice_gen", "validate", str(record)],
                            capture_output=True, text=True, env=env)  # fmt: skip
    assert "signer.name: đã chuyển từ TCVN3 (.VnTime) sang Unicode" in result.stderr


CLICK_FOR_DEVELOPERS = {  # click's messages about a program's own mistakes, never a user's
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Unknown standard stream '{name}'",
    "Unknown color {colour!r}",
    "Windows error: {error}",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "d",
}


def test_clicks_own_words_have_a_vietnamese_translation():
    found = {e[2] for e in extract_from_dir(str(Path(click.__file__).parent)) if e[2]}
    with (SRC / "locale" / "vi" / "LC_MESSAGES" / "notice_gen.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    singular = {m if isinstance(m, str) else m[0] for m in found}
    translated |= {m[0] for m in translated if isinstance(m, tuple)}
    missing = {m for m in singular - translated if not m.startswith("No options defined")}
    assert sorted(missing - CLICK_FOR_DEVELOPERS) == []


def test_click_speaks_vietnamese(tmp_path):
    env = {**os.environ, "LANG": "vi_VN.UTF-8", "LANGUAGE": "vi"}
    run = [sys.executable, "-m", "notice_gen"]
    help_text = subprocess.run([*run, "check", "--help"], capture_output=True, text=True, env=env)
    assert help_text.stdout.startswith("Cách dùng: ")
    assert "Tùy chọn:" in help_text.stdout and "Hiện hướng dẫn này rồi thoát." in help_text.stdout
    wrong = subprocess.run([*run, "new", "cong-van"], capture_output=True, text=True, env=env)
    assert wrong.returncode == 2
    assert "Lỗi: Giá trị không hợp lệ cho '{thong-bao-ket-luan|" in wrong.stderr
    assert "'cong-van' không phải là một trong 'thong-bao-ket-luan'," in wrong.stderr
    english = subprocess.run([*run, "check", "--help", "--lang", "en"], capture_output=True,
                             text=True, env=env)  # fmt: skip
    assert english.stdout.startswith("Usage: ") and "Show this message and exit." in english.stdout


PAGES = [("**.py", "python"), ("web/pages/**.html", "jinja2.ext:babel_extract")]
CATALOG = SRC / "locale" / "vi" / "LC_MESSAGES" / "notice_gen.po"


def messages_in_the_code() -> set[str]:
    """Every message id in the Python code and the desk's pages."""
    found = {entry[2] for entry in extract_from_dir(str(SRC), method_map=PAGES) if entry[2]}
    return {m if isinstance(m, str) else m[0] for m in found}


def test_every_message_in_the_code_has_a_vietnamese_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.string}
    assert sorted(messages_in_the_code() - translated) == []


def test_the_catalog_holds_no_stale_or_duplicate_entry():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    click_words = {e[2] for e in extract_from_dir(str(Path(click.__file__).parent)) if e[2]}
    click_words = {m if isinstance(m, str) else m[0] for m in click_words}
    ids = [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id]
    assert sorted(set(ids) - messages_in_the_code() - click_words) == []
    written = CATALOG.read_text("utf-8").count("\nmsgid ")
    assert written == len(ids) + 1  # the header's empty msgid; a second copy of an entry adds one
