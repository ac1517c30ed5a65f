"""The desk's routes, through Starlette's test client: pages, forms, issuing, safety."""

from __future__ import annotations

import io
import re
import sqlite3
import subprocess
import zipfile

import openpyxl
import pytest
import yaml
from argon2 import PasswordHasher
from click.testing import CliRunner
from docx import Document
from starlette.testclient import TestClient

from desk_helpers import ORG, notice, slot, token
from desk_helpers import docx_text as paragraphs
from notice_gen import Problem, read_record, render_file
from notice_gen.cli import main
from notice_gen.docx.template import builtin_templates
from notice_gen.web import forms
from notice_gen.web.accounts import Accounts
from notice_gen.web.app import create_app
from notice_gen.web.desk import translator
from notice_gen.web.office import TEMPLATE_LIMIT
from notice_gen.web.preview import Converter

BASE = "http://127.0.0.1:8000"
pytest_plugins = ("register_fixtures",)
vi = translator("vi")


@pytest.fixture(scope="module")
def converter():
    """One warm LibreOffice for the module's desks."""
    shared = Converter()
    yield shared
    shared.close()


@pytest.fixture
def desk(tmp_path, converter):
    with TestClient(create_app(tmp_path, converter=converter), base_url=BASE) as client:
        client.token = token(client.get("/").text)
        yield client


def post(client, url, data=None, **kw):
    return client.post(url, data={"csrf": client.token, **(data or {})}, **kw)


def new_notice(client) -> str:
    assert post(client, "/org", ORG).status_code == 200
    answer = post(client, "/doc/new", {"kind": "thong-bao-ket-luan"})
    return str(answer.url).rsplit("/", 1)[1]


def docx_text(data: bytes) -> list[str]:
    return paragraphs(Document(io.BytesIO(data)))


def test_organisation_is_a_file_the_records_extend(desk, tmp_path):
    name = new_notice(desk)
    org = (tmp_path / "orgs" / "vp.yaml").read_text("utf-8")
    assert (
        "code: VP" in org and "name: Nguyễn Thị Hoa" in org and "- Các sở, ngành liên quan" in org
    )
    record = (tmp_path / "records" / f"{name}.yaml").read_text("utf-8")
    assert "extends: ../orgs/vp.yaml" in record
    page = desk.get("/org").text
    assert 'value="PHÓ CHÁNH VĂN PHÒNG"' in page and "Các sở, ngành liên quan" in page


def test_organisation_errors_are_the_record_messages_next_to_the_field(desk, tmp_path):
    answer = post(desk, "/org", {**ORG, "code": "vp"})
    assert answer.status_code == 422
    capitals = vi("expected capital letters and digits, groups joined by '-' (e.g. UBND, VPTU)")
    assert slot(answer.text, "code") == capitals
    answer = post(desk, "/org", {**ORG, "name": "Văn phòng"})
    upper = vi("written in capitals by the rulebook: {text}").format(text="VĂN PHÒNG")
    assert slot(answer.text, "name") == upper
    assert not (tmp_path / "orgs" / "vp.yaml").exists()


def test_wrong_date_gets_the_cli_message_inline_then_the_preview(desk):
    name = new_notice(desk)
    answer = post(desk, f"/doc/{name}/check", {**notice(), "date": "31/02/2026"})
    expected = vi("there is no such date as {date}").format(date="2026-02-31")
    assert slot(answer.text, "date") == expected
    assert "<img" not in answer.text
    answer = post(desk, f"/doc/{name}/check", notice())
    assert slot(answer.text, "date") == ""
    image = re.search(r'<img class="page" src="([^"]+)"', answer.text)[1]
    png = desk.get(image)
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert desk.get(image.replace("/1.png", "/9.png")).status_code == 404


def test_an_empty_point_list_and_a_bad_point_are_reported_where_they_are(desk):
    name = new_notice(desk)
    answer = post(desk, f"/doc/{name}/check", {**notice(), "point": [""], "level": ["0"]})
    assert slot(answer.text, "points").startswith(
        vi("required key is missing ({what}, for {kind})")[:10]
    )
    rows = forms.tree([("Ý một", 0), ("", 0), ("Ý hai", 1)])[1]
    problem = Problem(forms.Path("x.yaml"), 3, "conclusions[0].points[0].text", "sai")
    assert forms.slots("thong-bao-ket-luan", [problem], rows) == {"point-2": ["sai"]}
    problem = Problem(forms.Path("x.yaml"), 3, "meeting.chair.name", "sai")
    assert forms.slots("thong-bao-ket-luan", [problem], rows) == {"meeting-chair-name": ["sai"]}


def test_issue_gives_01_then_02_writes_docx_and_pdf_and_the_register(desk, tmp_path):
    first = new_notice(desk)
    answer = post(desk, f"/doc/{first}/issue", notice())
    assert answer.status_code == 200 and "01/TB-VP" in answer.text
    text = docx_text(desk.get(f"/doc/{first}/file.docx").content)
    assert "Số: 01/TB-VP" in text
    assert "1. Các sở, ngành đã triển khai đúng tiến độ kế hoạch năm 2026." in text
    assert "a) Công khai kết quả tại trụ sở xã." in text
    assert "3. Các sở, ngành rà soát thủ tục hành chính thuộc lĩnh vực quản lý." in text
    pdf = desk.get(f"/doc/{first}/file.pdf")
    assert pdf.content.startswith(b"%PDF") and "01-TB-VP.pdf" in pdf.headers["content-disposition"]
    printed = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    assert "Số: 01/TB-VP" in printed.decode()
    record = tmp_path / "records" / f"{first}.yaml"
    assert "number: 1" in record.read_text("utf-8")
    # the CLI renders the desk's record to the same document
    path, _ = render_file(record, tmp_path / "cli")
    assert "Số: 01/TB-VP" in docx_text(path.read_bytes())
    assert (tmp_path / "output" / f"{first}.docx").is_file()

    second = str(post(desk, "/doc/new", {"kind": "thong-bao-ket-luan"}).url).rsplit("/", 1)[1]
    answer = post(desk, f"/doc/{second}/issue", notice("Kết luận về công tác chuyển đổi số"))
    assert "02/TB-VP" in answer.text
    register = desk.get("/register?year=2026").text
    assert "01/TB-VP" in register and "02/TB-VP" in register
    assert "Kết luận về công tác chuyển đổi số" in register
    assert "01/TB-VP" not in desk.get("/register?year=2025").text
    assert "02/TB-VP" not in desk.get("/register?kind=giay-moi").text
    printable = desk.get("/register/print?year=2026").text
    assert vi("REGISTER OF OUTGOING DOCUMENTS") in printable and printable.count("<th scope") == 10
    home = desk.get("/").text
    assert "01/TB-VP" in home and "02/TB-VP" in home


def test_editing_an_issued_document_asks_before_reissuing_under_the_same_number(desk):
    name = new_notice(desk)
    post(desk, f"/doc/{name}/issue", notice())
    assert "01/TB-VP" in desk.get(f"/doc/{name}").text
    changed = notice("Kết luận đã sửa về công tác cải cách hành chính")
    answer = post(desk, f"/doc/{name}/issue", changed)
    assert vi("Re-issue it under the same number?") in answer.text
    assert "Kết luận đã sửa" not in docx_text(desk.get(f"/doc/{name}/file.docx").content)[8:]
    answer = post(desk, f"/doc/{name}/issue", {**changed, "reissue": "yes"})
    assert vi("Re-issue it under the same number?") not in answer.text
    text = "\n".join(docx_text(desk.get(f"/doc/{name}/file.docx").content))
    assert "Số: 01/TB-VP" in text and "Kết luận đã sửa" in text


def test_save_keeps_the_form_as_a_record(desk, tmp_path):
    name = new_notice(desk)
    assert post(desk, f"/doc/{name}/save", notice()).status_code == 200
    record, _ = read_record(tmp_path / "records" / f"{name}.yaml")
    assert record.conclusions[1].points[0].text == ["Công khai kết quả tại trụ sở xã."]
    page = desk.get(f"/doc/{name}").text
    assert "03/02/2026" in page and 'data-level="1"' in page


def test_every_kind_has_a_page(desk):
    new_notice(desk)
    for kind in ("giay-moi", "bien-ban"):
        answer = post(desk, "/doc/new", {"kind": kind})
        assert answer.status_code == 200 and vi(forms.KIND_NAMES[kind]) in answer.text


def test_post_without_the_csrf_token_is_refused(desk, tmp_path):
    answer = desk.post("/org", data=ORG)
    assert answer.status_code == 403 and not (tmp_path / "orgs" / "vp.yaml").exists()
    name = new_notice(desk)
    for url in ("/doc/new", f"/doc/{name}/check", f"/doc/{name}/save", f"/doc/{name}/issue",
                "/templates", "/logout"):  # fmt: skip
        assert desk.post(url, data={"csrf": "forged", "kind": "giay-moi"}).status_code == 403


def test_post_from_another_origin_is_refused(desk, tmp_path):
    answer = post(desk, "/org", ORG, headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403 and not list((tmp_path / "orgs").glob("*.yaml"))


def test_names_cannot_leave_the_workspace(desk):
    new_notice(desk)
    for url in ("/doc/..%2F..%2Fetc%2Fpasswd", "/doc/..%2Forgs%2Fvp/file.docx",
                "/doc/x/file.yaml", "/templates/builtin/..%2F..%2Fpyproject.toml",
                "/templates/builtin/van-ban.state.xml"):  # fmt: skip
        assert desk.get(url).status_code == 404, url
    assert post(desk, "/doc/..%2Fx/save", notice()).status_code == 404


def test_uploads_are_bounded_named_and_diagnosed(desk, tmp_path):
    big = b"0" * (TEMPLATE_LIMIT + 10)
    too_big = post(desk, "/templates", files={"template": ("van-ban.state.docx", big)})
    assert too_big.status_code == 413
    template = (builtin_templates() / "van-ban.state.docx").read_bytes()
    wrong = post(desk, "/templates", files={"template": ("../../x.docx", template)})
    assert "van-ban.state.docx" in wrong.text and not (tmp_path / "x.docx").exists()
    good = post(desk, "/templates", files={"template": ("van-ban.state.docx", template)})
    assert vi("No errors: the template is saved and used from now on.") in good.text
    assert (tmp_path / "templates" / "van-ban.state.docx").read_bytes() == template
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("word/document.xml", b"<w:document")
    bad = post(desk, "/templates", files={"template": ("giay-moi.party.docx", broken.getvalue())})
    assert vi("The template has errors and was not saved.") in bad.text
    assert not (tmp_path / "templates" / "giay-moi.party.docx").exists()
    listing = desk.get("/templates").text
    assert "bien-ban.party.docx" in listing
    assert desk.get("/templates/builtin/bien-ban.party.docx").content[:2] == b"PK"


def test_language_switch(desk):
    assert "<h1>Văn bản</h1>" in desk.get("/").text
    english = desk.get("/lang/en?next=/register")
    assert english.url.path == "/register" and "Register of outgoing documents" in english.text
    assert desk.get("/lang/vi?next=https://evil.example").url.path == "/"


def test_accounts_sign_in_with_strict_http_only_cookies(tmp_path, converter):
    register = str(tmp_path / "so.sqlite")
    app = create_app(tmp_path, register, login=True, converter=converter)
    with TestClient(app, base_url=BASE) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        page = client.get("/login")
        cookie = page.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        data = {"csrf": token(page.text), "name": "hoa", "password": "mat-khau-dai"}
        assert client.post("/login", data=data).status_code == 401
        accounts = Accounts(register)
        accounts.add("hoa", "mat-khau-dai")
        accounts.close()
        assert client.post("/login", data={**data, "csrf": "x"}).status_code == 403
        assert client.post("/login", data=data).url.path == "/"
        assert client.get("/org").status_code == 200
    stored = sqlite3.connect(register).execute("SELECT name, hash FROM desk_users").fetchall()
    assert stored[0][0] == "hoa" and stored[0][1].startswith("$argon2id$")


def test_accounts_kept_in_either_register(location, tmp_path, converter):
    accounts = Accounts(location)  # SQLite, or the PostgreSQL several desks share
    accounts.add("hoa", "mat-khau-cu")
    accounts.add("hoa", "mat-khau-moi")  # a changed password replaces the old one
    assert accounts.count() == 1
    accounts.close()
    app = create_app(tmp_path, location, login=True, converter=converter)
    with TestClient(app, base_url=BASE) as client:
        data = {"csrf": token(client.get("/login").text), "name": "hoa"}
        assert client.post("/login", data={**data, "password": "mat-khau-cu"}).status_code == 401
        assert client.post("/login", data={**data, "password": "mat-khau-moi"}).url.path == "/"
        assert client.get("/org").status_code == 200


def test_wrong_passwords_make_that_name_wait(tmp_path, converter):
    register = str(tmp_path / "so.sqlite")
    accounts = Accounts(register)
    accounts.add("hoa", "mat-khau-dai")
    accounts.add("lan", "mat-khau-khac")
    accounts.close()
    app = create_app(tmp_path, register, login=True, converter=converter)
    desk = app.state.desk
    now = [1000.0]
    desk.throttle.clock = lambda: now[0]
    with TestClient(app, base_url=BASE) as client:
        csrf = token(client.get("/login").text)
        hoa = {"csrf": csrf, "name": "hoa", "password": "mat-khau-dai"}
        for minute in range(5):
            now[0] = 1000.0 + 60 * minute
            wrong = client.post("/login", data={**hoa, "password": "doan-thu"})
            assert wrong.status_code == 401 and "Sai tên hoặc mật khẩu." in wrong.text
        refused = client.post("/login", data=hoa)  # the right password, too soon
        assert refused.status_code == 429
        assert (
            "Nhập sai mật khẩu quá nhiều lần: hãy thử lại sau 11 phút, "
            "hoặc nhờ người quản lý bàn làm việc." in refused.text
        )
        assert client.get("/org", follow_redirects=False).status_code == 303
        lan = {"csrf": csrf, "name": "lan", "password": "mat-khau-khac"}
        assert client.post("/login", data=lan).url.path == "/"  # another name is not held
    now[0] = 1000.0 + 15 * 60 + 1  # the first failure is 15 minutes old
    with TestClient(app, base_url=BASE) as client:
        csrf = token(client.get("/login").text)
        assert client.post("/login", data={**hoa, "csrf": csrf}).url.path == "/"


def test_a_name_without_account_is_checked_against_a_hash_too(tmp_path, monkeypatch):
    accounts = Accounts(str(tmp_path / "so.sqlite"))
    accounts.add("hoa", "mat-khau-dai")
    checked = []
    verify = PasswordHasher.verify

    def spy(self, digest, password):
        checked.append(digest)
        return verify(self, digest, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    assert not accounts.verify("khong-co", "mat-khau-dai")  # as slow as a wrong password
    assert not accounts.verify("hoa", "sai-mat-khau")
    assert accounts.verify("hoa", "mat-khau-dai")
    accounts.close()
    assert len(checked) == 3 and all(d.startswith("$argon2id$") for d in checked)


def test_serve_beyond_this_machine_refused_without_accounts(tmp_path):
    runner = CliRunner()
    args = ["serve", "--workspace", str(tmp_path), "--host", "0.0.0.0", "--no-browser"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "notice-gen user add" in result.output


def test_user_add_reads_the_password_from_stdin(tmp_path):
    runner = CliRunner()
    args = ["user", "add", "lan", "--workspace", str(tmp_path), "--password-stdin"]
    assert runner.invoke(main, args, input="mat-khau-dai\n").exit_code == 0
    accounts = Accounts(str(tmp_path / "so-van-ban-di.sqlite"))
    assert accounts.verify("lan", "mat-khau-dai") and not accounts.verify("lan", "sai")
    short = runner.invoke(main, [*args[:-1], "--password-stdin"], input="ngan\n")
    assert short.exit_code == 1


def test_points_as_rows_and_back():
    rows = [("a", 0), ("b", 0), ("b1", 1), ("b1x", 2), ("c", 2)]
    nested, keys = forms.tree(rows)
    assert nested == ["a", {"text": "b", "points": [{"text": "b1", "points": ["b1x", "c"]}]}]
    assert keys["conclusions[1].points[0].points[1]"] == 4
    assert forms.flatten(nested) == [("a", 0), ("b", 0), ("b1", 1), ("b1x", 2), ("c", 2)]
    assert forms.iso("3/2/2026") == "2026-02-03" and forms.dmy("2026-02-03") == "03/02/2026"
    assert forms.slug("ĐU") == "du"


def test_every_page_string_has_a_vietnamese_translation():
    pages = forms.Path(forms.__file__).parent / "pages"
    strings = set()
    for page in pages.glob("*.html"):
        strings |= set(re.findall(r'_\("([^"]+)"\)', page.read_text("utf-8")))
        strings |= set(re.findall(r"_\('([^']+)'\)", page.read_text("utf-8")))
    missing = sorted(s for s in strings if vi(s) == s)
    assert missing == []


def test_register_settings_live_in_the_organisation_file_and_the_book_downloads(desk, tmp_path):
    assert post(desk, "/org", {**ORG, "series": "per-kind"}).status_code == 200
    org = yaml.safe_load((tmp_path / "orgs" / "vp.yaml").read_text("utf-8"))
    assert org["register"] == {"series": "per-kind"}
    assert "register" not in (tmp_path / "orgs" / "vp.desk.yaml").read_text("utf-8")
    assert forms.read_org(tmp_path / "orgs" / "vp.yaml").series == "per-kind"
    name = str(post(desk, "/doc/new", {"kind": "thong-bao-ket-luan"}).url).rsplit("/", 1)[1]
    assert "01/TB-VP" in post(desk, f"/doc/{name}/issue", notice()).text
    record = (tmp_path / "records" / f"{name}.yaml").read_text("utf-8")
    assert "\nnumber: 1\n" in record  # written back by the pipeline of `render`
    page = desk.get("/register?year=2026").text
    assert 'href="/register/so-van-ban-di.docx?year=2026"' in page
    book = desk.get("/register/so-van-ban-di.docx?year=2026")
    assert 'filename="so-van-ban-di-2026.docx"' in book.headers["content-disposition"]
    rows = [[c.text for c in r.cells] for r in Document(io.BytesIO(book.content)).tables[0].rows]
    assert ["01/TB-VP", "03/02/2026"] in [r[:2] for r in rows]
    sheet = openpyxl.load_workbook(
        io.BytesIO(desk.get("/register/so-van-ban-di.xlsx?year=2026").content)
    )
    assert "01/TB-VP" in [c.value for row in sheet.active.iter_rows() for c in row]
    assert desk.get("/register/so-van-ban-di.pdf").status_code == 404


def test_wrong_passwords_sent_at_once_are_counted_at_once(tmp_path, converter):
    import asyncio

    import httpx

    register = str(tmp_path / "so.sqlite")
    accounts = Accounts(register)
    accounts.add("hoa", "mat-khau-dai")
    accounts.close()
    app = create_app(tmp_path, register, login=True, converter=converter)

    async def guesses() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            csrf = token((await client.get("/login")).text)
            data = {"csrf": csrf, "name": "hoa", "password": "doan-thu"}
            answers = await asyncio.gather(*(client.post("/login", data=data) for _ in range(12)))
            return sorted(answer.status_code for answer in answers)

    assert asyncio.run(guesses()) == [401] * 5 + [429] * 7
