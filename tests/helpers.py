"""What the tests share: writing records, running the command line (in this process or
as a clerk would, in a fresh one), editing a .docx part, and reading a rendered .docx back
as a person checking it would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from docx.shared import Length

from notice_gen import RecordError, read_record
from notice_gen.cli import main

TWIPS_PER_MM = 1440 / 25.4
FONT = "Times New Roman"


def cli(*args: object, env: dict[str, str] | None = None) -> Result:
    """`notice-gen ARGS…` run in-process."""
    return CliRunner(env=env).invoke(main, [str(a) for a in args])


def locale_env(lang: str = "en_US.UTF-8") -> dict[str, str]:
    """This process's environment with only `lang` choosing the language."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    return env | {"LANG": lang}


def notice_gen(*args: object, lang: str = "en_US.UTF-8") -> subprocess.CompletedProcess[str]:
    """`notice-gen ARGS…` in a fresh process under the locale `lang`, as a clerk runs it."""
    command = [sys.executable, "-m", "notice_gen", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=locale_env(lang))


def write_record(folder: Path, text: str, name: str = "record.yaml") -> Path:
    """`text` (dedented) written as the record `folder/name`."""
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def record_problems(path: Path) -> list[str]:
    """The problems reading the record at `path` raises, as shown."""
    with pytest.raises(RecordError) as exc:
        read_record(path)
    return [str(p) for p in exc.value.problems]


def edit_part(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """The .docx `data` with its XML `part` passed through `change(xml) -> xml`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                changed = change(content.decode("utf-8"))
                assert changed != content.decode("utf-8"), "the edit changed nothing"
                content = changed.encode("utf-8")
            dst.writestr(info, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _inherited(style, read):
    while style is not None:
        value = read(style)
        if value is not None:
            return value
        style = style.base_style
    return None


def size(paragraph) -> float:
    return _inherited(paragraph.style, lambda s: s.font.size).pt


def bold(paragraph) -> bool:
    return bool(_inherited(paragraph.style, lambda s: s.font.bold))


def italic(paragraph) -> bool:
    return bool(_inherited(paragraph.style, lambda s: s.font.italic))


def underline(paragraph) -> bool:
    return bool(_inherited(paragraph.style, lambda s: s.font.underline))


def fmt(paragraph, name: str):
    return _inherited(paragraph.style, lambda s: getattr(s.paragraph_format, name))


def texts(container) -> list[str]:
    return [p.text for p in container.paragraphs]


def body_paragraphs(document) -> list:
    return [p for p in document.paragraphs if p.style.style_id in ("NGBody", "NGBodyLast")]


def paragraph(container, text: str):
    found = [p for p in container.paragraphs if p.text == text]
    assert found, f"no paragraph reads {text!r}; have {texts(container)}"
    return found[0]


def mm(length: Length | int) -> float:
    return int(length) / 36000


def rule_length_mm(cell, style_id: str) -> float:
    """Length of the line drawn by the empty bordered paragraph of `style_id` in `cell`."""
    rule = next(p for p in cell.paragraphs if p.style.style_id == style_id)
    assert rule.text == ""
    assert rule.style.element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None
    ind = rule._p.pPr.find(qn("w:ind"))
    width = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
    return (width - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))) / TWIPS_PER_MM


def fonts_are_times(document) -> list[str]:
    """Names of the places whose rFonts are not Times New Roman in all four slots."""
    styles = document.styles.element
    places = [
        ("docDefaults", styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))
    ]
    places += [
        (s.get(qn("w:styleId")), s.find(qn("w:rPr")))
        for s in styles.findall(qn("w:style"))
        if s.get(qn("w:styleId")).startswith("NG")
        and not s.get(qn("w:styleId")).startswith("NGRule")
    ]
    bad = []
    for name, rpr in places:
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        slots = [
            fonts.get(qn(f"w:{k}")) if fonts is not None else None
            for k in ("ascii", "hAnsi", "eastAsia", "cs")
        ]
        if slots != [FONT] * 4:
            bad.append(name)
    return bad
