"""A clerk at the desk in a real browser (Chromium through Playwright)."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect, sync_playwright

from desk_helpers import docx_text
from notice_gen.web.desk import translator

SHOTS = os.environ.get("NOTICE_GEN_SCREENSHOTS")  # `docs` refreshes the README's pictures
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
vi = translator("vi")
POINT_2 = "Sở Nội vụ tổng hợp kết quả, báo cáo trước ngày 28/02/2026."


def shot(tmp_path: Path, name: str) -> Path:
    """Where a screenshot goes: the test's folder, or the folder NOTICE_GEN_SCREENSHOTS names."""
    return Path(SHOTS) / name if SHOTS else tmp_path / name


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("desk")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "notice_gen", "serve", "--workspace", str(workspace),
               "--port", str(port), "--no-browser"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield url, workspace
    process.terminate()
    process.communicate(timeout=20)  # waits, and closes its output pipe


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def write_notice(page, url: str, subject: str) -> None:
    page.goto(url + "/")
    kind = re.compile(vi("Conclusion notice (thông báo kết luận)"))
    page.get_by_role("button", name=kind).click()
    page.get_by_label(vi("Subject (trích yếu)")).fill(subject)
    page.get_by_label(vi("Date of issue (DD/MM/YYYY)")).fill("03/02/2026")
    page.locator("#point-0").fill("Các sở, ngành đã triển khai đúng tiến độ kế hoạch năm 2026.")


def issue(page) -> None:
    page.get_by_role("button", name=vi("Issue (give the next number)")).click()


def test_a_clerk_writes_previews_issues_and_downloads(server, browser, tmp_path):
    url, _workspace = server
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.goto(url + "/")
    page.get_by_role("link", name=vi("Set up the organisation")).click()
    page.get_by_label(vi("Parent body (cơ quan chủ quản), in capitals")).fill("UBND TỈNH LÂM ĐỒNG")
    page.get_by_label(vi("Issuing body (cơ quan ban hành), in capitals")).fill("VĂN PHÒNG")
    page.get_by_label(vi("Code in the sign (e.g. VP in 05/TB-VP)")).fill("VP")
    page.get_by_label(vi("Place written before the date")).fill("Lâm Đồng")
    page.get_by_label(vi("Standing recipients (one per line)")).fill(
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh\nCác sở, ngành liên quan"
    )
    page.get_by_label(vi("Kept by (Lưu)")).fill("VT, TH")
    page.get_by_label(vi("Authority (KT., TL., T/M …)") + " 1").fill("KT.")
    page.get_by_label(vi("On behalf of") + " 1").fill("CHÁNH VĂN PHÒNG")
    page.get_by_label(vi("Position") + " 1").fill("PHÓ CHÁNH VĂN PHÒNG")
    page.get_by_label(vi("Name") + " 1").fill("Nguyễn Thị Hoa")
    page.screenshot(path=shot(tmp_path, "desk-organisation.png"))
    page.get_by_role("button", name=vi("Save the organisation")).click()
    expect(page).to_have_url(re.compile(r"/org\?org=vp"))

    write_notice(page, url, "Kết luận của Chủ tịch về công tác cải cách hành chính")
    page.get_by_label(vi("Date of issue (DD/MM/YYYY)")).fill("31/02/2026")
    wrong = vi("there is no such date as {date}").format(date="2026-02-31")
    expect(page.locator("#err-date")).to_have_text(wrong)
    page.get_by_label(vi("Date of issue (DD/MM/YYYY)")).fill("03/02/2026")
    expect(page.locator("#err-date")).to_have_text("", timeout=15000)
    add = page.get_by_role("button", name=re.compile(vi("Add a point")))
    add.click()
    page.locator("#point-1").fill(POINT_2)
    add.click()
    page.locator("#point-2").fill("Công khai kết quả tại trụ sở xã.")
    page.locator(".point").nth(2).get_by_role(
        "button", name=vi("Indent (make it a sub-point)")
    ).click()
    add.click()
    page.locator("#point-3").fill("rà soát thủ tục hành chính thuộc lĩnh vực quản lý.")
    page.locator(".point").nth(3).get_by_role("button", name=vi("Outdent")).click()
    area = page.locator("#point-3")
    area.evaluate("a => a.setSelectionRange(0, 2)")
    page.get_by_role("button", name=vi("Italic")).click()
    expect(area).to_have_value("*rà* soát thủ tục hành chính thuộc lĩnh vực quản lý.")
    area.fill("Các sở, ngành rà soát thủ tục hành chính thuộc lĩnh vực quản lý.")
    expect(page.locator("#preview img.page").first).to_be_visible(timeout=15000)
    with page.expect_response(lambda r: r.url.endswith("/check")):
        pass  # the preview of the last edit
    expect(page.locator("#preview img.page").first).to_be_visible()
    page.screenshot(path=shot(tmp_path, "desk-document.png"))

    issue(page)
    expect(page.locator("#issued")).to_contain_text("01/TB-VP")
    with page.expect_download() as download:
        page.get_by_role("link", name=vi("Download .docx")).click()
    text = docx_text(Document(io.BytesIO(Path(download.value.path()).read_bytes())))
    assert "Số: 01/TB-VP" in text
    assert "1. Các sở, ngành đã triển khai đúng tiến độ kế hoạch năm 2026." in text
    assert f"2. {POINT_2}" in text
    assert "a) Công khai kết quả tại trụ sở xã." in text
    assert "3. Các sở, ngành rà soát thủ tục hành chính thuộc lĩnh vực quản lý." in text
    with page.expect_download() as download:
        page.get_by_role("link", name=vi("Download PDF")).click()
    pdf = Path(download.value.path())
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Số: 01/TB-VP" in printed and "a) Công khai kết quả tại trụ sở xã." in printed

    write_notice(page, url, "Kết luận về công tác chuyển đổi số")
    expect(page.locator("#preview img.page").first).to_be_visible(timeout=15000)
    issue(page)
    expect(page.locator("#issued")).to_contain_text("02/TB-VP")

    page.get_by_role("link", name=vi("Register"), exact=True).click()
    rows = page.locator("table.register tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("01/TB-VP")
    expect(rows.nth(1)).to_contain_text("Kết luận về công tác chuyển đổi số")
    page.screenshot(path=shot(tmp_path, "desk-register.png"))

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of outgoing documents")
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Register of outgoing documents"))

    status = page.evaluate(
        """async () => (await fetch('/org', {method: 'POST',
             body: new URLSearchParams({code: 'XX', name: 'GIẢ MẠO'})})).status"""
    )
    assert status == 403
    context.close()


def test_two_tabs_issuing_at_once_get_different_numbers(server, browser):
    url, _workspace = server
    context = browser.new_context()
    tabs = [context.new_page(), context.new_page()]
    for n, tab in enumerate(tabs):
        write_notice(tab, url, f"Kết luận số {n + 1} của cuộc họp giao ban")
    for tab in tabs:
        tab.get_by_role("button", name=vi("Issue (give the next number)")).click(no_wait_after=True)
    numbers = set()
    for tab in tabs:
        expect(tab.locator("#issued")).to_be_visible(timeout=30000)
        numbers.add(re.search(r"\d+/TB-VP", tab.locator("#issued").inner_text())[0])
    assert len(numbers) == 2
    context.close()
