"""A LibreOffice round trip: the document as printed, page by page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import DATA

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    if not (SOFFICE and shutil.which("pdftotext")):
        pytest.fail("LibreOffice and poppler-utils must be installed (.ci/run installs them)")
    from notice_gen import render_file

    folder = tmp_path_factory.mktemp("pdf")
    docx, _ = render_file(DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml", folder)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(docx.with_suffix(".pdf")), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [page.strip().splitlines() for page in text.split("\f") if page.strip()]


def test_header_on_page_1_without_page_number(pages):
    first = pages[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first[0]
    assert "ĐẢNG BỘ TỈNH BÌNH THUẬN" in first[0]
    assert not any(line.strip().isdigit() for line in first[:3])


def test_page_2_starts_with_its_number(pages):
    assert len(pages) >= 2
    assert pages[1][0].strip() == "2"
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in "\n".join(pages[1])


def test_signature_block_is_on_the_last_page_whole(pages):
    last = "\n".join(pages[-1])
    assert "Nơi nhận:" in last and "T/L BAN THƯỜNG VỤ" in last and "Lê Tấn Lai" in last
