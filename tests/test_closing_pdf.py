"""The closing block as LibreOffice prints the QA trial records (tests/records/trial/),
read back page by page with pdftotext: Nơi nhận items never leave one syllable alone on
a line, and minutes never leave their signatures alone under one line with no space."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import RECORDS
from notice_gen import read_record, render_file
from notice_gen.pipeline.compose import recipient_lines

TRIAL = sorted((RECORDS / "trial").glob("*.yaml"))
MINUTES = RECORDS / "trial" / "bien-ban-ben-tre.yaml"
STATE_MINUTES = {  # the same minutes as a State body keeps them
    "profile: party-hd36": "profile: nd30",
    "  parent: ĐẢNG BỘ TỈNH BẾN TRE\n  name: TỈNH ỦY BẾN TRE\n  code: TU": (
        "  parent: UBND TỈNH BẾN TRE\n  name: VĂN PHÒNG\n  code: VP"
    ),
    "archive: Văn phòng Tỉnh ủy": "archive: VT, TH",
    "subject: hội nghị": "subject: Hội nghị",
}


def pdf_pages(pdf: Path) -> list[list[str]]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page.splitlines() for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[list[str]]]:
    """name -> pages as lines, all through one soffice run."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.fail("LibreOffice and poppler-utils must be installed (.ci/run installs them)")
    from notice_gen.pipeline.pdf import to_pdf

    folder = tmp_path_factory.mktemp("closing")
    sources = list(TRIAL)
    text = MINUTES.read_text("utf-8")
    hd05 = folder / "bien-ban-hd05.yaml"
    hd05.write_text(text.replace("party-hd36", "party-hd05") + "historical: true\n", "utf-8")
    state = text
    for old, new in STATE_MINUTES.items():
        assert old in state
        state = state.replace(old, new)
    (folder / "bien-ban-nd30.yaml").write_text(state, "utf-8")
    sources += [hd05, folder / "bien-ban-nd30.yaml"]
    documents = [render_file(source, folder / "out")[0] for source in sources]
    assert not to_pdf(documents)
    return {d.stem: pdf_pages(d.with_suffix(".pdf")) for d in documents}


def recipients_printed(pages: list[list[str]]) -> list[str]:
    """The Nơi nhận column's lines: from `Nơi nhận:` on, the text starting at the margin."""
    lines = [line for page in pages for line in page]
    at = next(i for i, line in enumerate(lines) if line.startswith("Nơi nhận:"))
    left = [line for line in lines[at + 1 :] if line[:1].strip()]
    return [re.split(r"\s{3,}", line)[0] for line in left]


def test_no_recipient_line_is_a_single_syllable(printed):
    for name, pages in printed.items():
        lines = recipients_printed(pages)
        assert lines and lines[-1].startswith("- Lưu"), (name, lines)
        alone = [line for line in lines if len(line.split()) < 2]
        assert alone == [], (name, lines)


def test_the_trial_items_that_wrapped_keep_their_last_two_syllables(printed):
    lines = recipients_printed(printed["cum-6-binh-thuan"])
    assert "La Gi," in lines  # was "- Ban Thường vụ … Bắc Bình, La" over "Gi,"
    lines = recipients_printed(printed["tuy-phong-2014"])
    assert "Tỉnh ủy," in lines  # was "- Các đồng chí … Ban Thường vụ Tỉnh" over "ủy,"


def test_only_an_item_that_wraps_gets_a_non_breaking_space():
    record, _ = read_record(RECORDS / "trial" / "cum-6-binh-thuan.yaml")
    lines = recipient_lines(record)
    assert lines[0] == "- Thường trực Tỉnh ủy (báo cáo),"  # fits its column: as typed
    assert lines[1].endswith("Bắc Bình, La\u00a0Gi,")
    assert lines[1].count("\u00a0") == 1


def test_minutes_keep_body_lines_and_a_space_above_their_signatures(printed):
    for name in ("bien-ban-ben-tre", "bien-ban-hd05", "bien-ban-nd30"):
        pages = printed[name]
        titles = "THƯ KÝ" if name.endswith("nd30") else "NGƯỜI GHI BIÊN BẢN"
        number = next(i for i, page in enumerate(pages) if any(titles in s for s in page))
        page = pages[number]
        at = next(i for i, line in enumerate(page) if titles in line)
        above = [line for line in page[:at] if line.strip() and not line.strip().isdigit()]
        assert len(above) >= 2, f"{name}: {above} alone above the signatures"
        assert not page[at - 1].strip(), f"{name}: no space above the signatures"
