"""The desk: Starlette routes for the organisation, documents, the register and templates.

Every state-changing request passes `guard`: signed in (when accounts are required),
same Origin, the session's CSRF token, and a bounded body.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import hashlib
import json
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..i18n import DOMAIN, LOCALE_DIR
from ..register import Entry, open_register
from . import forms, pipeline
from .accounts import Accounts
from .preview import Converter

FORM_LIMIT = 1024 * 1024  # bytes of a form
TEMPLATE_LIMIT = 4 * 1024 * 1024  # bytes of an uploaded template
TEMPLATE_NAME = re.compile(r"^(thong-bao-ket-luan|giay-moi|bien-ban|van-ban)\.(state|party)\.docx$")
STATIC = Path(__file__).resolve().parent / "static"
Handler = Callable[[Request], Awaitable[Response]]


@cache
def translator(lang: str) -> Callable[[str], str]:
    """Page strings in `lang` (`vi` or `en`), without touching the pipeline's language."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True).gettext


@dataclass
class Desk:
    """One workspace served: its folders, its register and a warm LibreOffice."""

    workspace: Path
    register: str
    login: bool = False
    converter: Converter = field(default_factory=Converter)
    previews: OrderedDict[str, list[bytes]] = field(default_factory=OrderedDict)

    def folder(self, name: str) -> Path:
        path = self.workspace / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def orgs(self) -> list[forms.Org]:
        return [
            forms.read_org(p)
            for p in sorted(self.folder("orgs").glob("*.yaml"))
            if not p.name.endswith(".desk.yaml")
        ]

    def record_path(self, name: str) -> Path:
        """`records/<name>.yaml`; a name that could leave the workspace is refused."""
        if not forms.NAME.match(name):
            raise Refused(404)
        return self.folder("records") / f"{name}.yaml"

    def issued(self, name: str) -> dict[str, Any]:
        path = self.folder(".desk/issued") / f"{name}.json"
        return json.loads(path.read_text("utf-8")) if path.is_file() else {}

    def keep_preview(self, pages: list[bytes]) -> str:
        key = hashlib.sha256(b"".join(pages)).hexdigest()[:16]
        self.previews[key] = pages
        while len(self.previews) > 64:
            self.previews.popitem(last=False)
        return key


class Refused(Exception):
    """A request the desk turns away, with its HTTP status."""

    def __init__(self, status: int) -> None:
        self.status = status


def _lang(request: Request) -> str:
    return "en" if request.cookies.get("lang") == "en" else "vi"


def _csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


_PAGES = Environment(
    loader=PackageLoader("notice_gen.web", "pages"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    desk: Desk = request.app.state.desk
    lang = _lang(request)
    html = _PAGES.get_template(template).render(
        _=translator(lang),
        lang=lang,
        csrf=_csrf(request),
        user=request.session.get("user"),
        login=desk.login,
        path=request.url.path,
        kinds=forms.KIND_NAMES,
        **values,
    )
    return HTMLResponse(html, status_code=status)


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # not a browser's cross-site request; the CSRF token still applies
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.url.scheme}://{request.url.netloc}"


def guarded(limit: int = FORM_LIMIT) -> Callable[[Handler], Handler]:
    """Sign-in for every route; for POST also Origin, CSRF token and body size."""

    def wrap(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            desk: Desk = request.app.state.desk
            try:
                if desk.login and not request.session.get("user"):
                    if request.method == "GET":
                        return RedirectResponse("/login", 303)
                    raise Refused(401)
                if request.method == "POST":
                    if not _same_origin(request):
                        raise Refused(403)
                    length = request.headers.get("content-length", "")
                    if not length.isdigit() or int(length) > limit:
                        raise Refused(413 if length.isdigit() else 411)
                    form = await request.form(max_part_size=limit, max_files=1, max_fields=2000)
                    sent = str(form.get("csrf", "")) or request.headers.get("x-csrf-token", "")
                    expected = request.session.get("csrf", "")
                    if not expected or not secrets.compare_digest(sent, expected):
                        raise Refused(403)
                return await handler(request)
            except Refused as refused:
                _ = translator(_lang(request))
                text = {
                    401: _("Please sign in again."),
                    403: _("Refused: the request did not come from this desk's own page."),
                    404: _("No such page or file."),
                    411: _("Refused: the request has no length."),
                    413: _("Refused: the file is too large."),
                }.get(refused.status, "")
                return HTMLResponse(f"<p role='alert'>{text}</p>", status_code=refused.status)

        return endpoint

    return wrap


async def form_of(request: Request) -> FormData:
    return await request.form()  # already read, and bounded, by `guarded`


# --- documents ---------------------------------------------------------------------------


@guarded()
async def home(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    documents = []
    for path in sorted(desk.folder("records").glob("*.yaml"), reverse=True):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        issued = desk.issued(path.stem)
        documents.append(
            {
                "name": path.stem,
                "kind": data.get("kind", ""),
                "subject": data.get("subject", ""),
                "symbol": issued.get("symbol", ""),
            }
        )
    return page(request, "home.html", documents=documents, orgs=desk.orgs())


@guarded()
async def new_document(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    form = await form_of(request)
    kind = str(form.get("kind", ""))
    orgs = desk.orgs()
    if kind not in forms.FIELDS or not orgs:
        return RedirectResponse("/org", 303)
    org = next((o for o in orgs if o.slug == form.get("org")), orgs[0])
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{kind}-{stamp}-{secrets.token_hex(2)}"
    draft = forms.Draft(
        kind=kind, org=org.slug, recipients=list(org.recipients), archive=org.archive
    )
    _save(desk, name, draft, org)
    return RedirectResponse(f"/doc/{name}", 303)


def _org_of(desk: Desk, slug: str) -> forms.Org:
    return next((o for o in desk.orgs() if o.slug == slug), forms.Org(code=slug))


def _save(desk: Desk, name: str, draft: forms.Draft, org: forms.Org) -> dict[str, int]:
    data, rows = forms.record_data(draft, org)
    text = forms.dump(data, "Written by the notice-gen desk; `notice-gen render` renders it too.")
    pipeline.atomic_write(desk.record_path(name), text.encode("utf-8"))
    return rows


def _load(desk: Desk, name: str) -> tuple[forms.Draft, dict[str, Any]]:
    path = desk.record_path(name)
    if not path.is_file():
        raise Refused(404)
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    org = Path(str(data.get("extends", ""))).stem
    draft = forms.draft_from_record(data, org)
    if forms.WITH_POINTS.get(draft.kind) and not draft.points:
        draft.points = [("", 0)]  # a first box to type in
    org_obj = _org_of(desk, org)
    if org_obj.signers and isinstance(data.get("signer"), dict):
        with contextlib.suppress(ValueError):
            draft.signer = org_obj.signers.index(data["signer"])
    return draft, data


def _document_page(
    request: Request,
    name: str,
    draft: forms.Draft,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    **values: Any,
) -> Response:
    desk: Desk = request.app.state.desk
    org = _org_of(desk, draft.org)
    issued = desk.issued(name)
    edited = bool(issued) and issued.get("sha256") != _digest(desk.record_path(name))
    return page(
        request,
        "document.html",
        status,
        name=name,
        draft=draft,
        org=org,
        fields=forms.FIELDS[draft.kind],
        with_points=forms.WITH_POINTS[draft.kind],
        errors=errors or {},
        issued=issued,
        edited=edited,
        **values,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


@guarded()
async def document(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    draft, _data = _load(desk, name)
    return _document_page(request, name, draft)


def _draft(desk: Desk, name: str, form: FormData) -> forms.Draft:
    kept, _data = _load(desk, name)
    draft = forms.draft_from_form(form, kept.kind)
    draft.org, draft.number = kept.org, kept.number
    return draft


def _check(desk: Desk, lang: str, draft: forms.Draft) -> tuple[Any, dict[str, list[str]], list]:
    org = _org_of(desk, draft.org)
    data, rows = forms.record_data(draft, org)
    with pipeline.language(lang):
        record, problems = pipeline.check(forms.dump(data), desk.folder("records"))
    return record, forms.slots(draft.kind, problems if record is None else [], rows), problems


@guarded()
async def check(request: Request) -> Response:
    """Inline messages and the preview, for the form as it is now (htmx, not saved)."""
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    draft = _draft(desk, name, await form_of(request))
    record, errors, _problems = await run_in_threadpool(_check, desk, _lang(request), draft)
    pages: list[bytes] = []
    failure = ""
    if record is not None:
        try:
            pages = await run_in_threadpool(_pages, desk, record, _lang(request), name)
        except pipeline.NoticeGenError as exc:
            failure = str(exc)
    return page(
        request,
        "check.html",
        draft=draft,
        errors=errors,
        fields=forms.FIELDS[draft.kind],
        preview=desk.keep_preview(pages) if pages else "",
        count=len(pages),
        failure=failure,
    )


def _pages(desk: Desk, record: Any, lang: str, name: str) -> list[bytes]:
    with pipeline.language(lang):
        data = pipeline.render(record, desk.folder("templates"), f"{name}.docx")
    return desk.converter.pages(desk.converter.pdf(data))


async def preview_image(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    if desk.login and not request.session.get("user"):
        return Response(status_code=401)
    pages = desk.previews.get(request.path_params["key"], [])
    index = request.path_params["page"]
    if not 1 <= index <= len(pages):
        return Response(status_code=404)
    return Response(pages[index - 1], media_type="image/png")


@guarded()
async def save(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    draft = _draft(desk, name, await form_of(request))
    _save(desk, name, draft, _org_of(desk, draft.org))
    return RedirectResponse(f"/doc/{name}", 303)


@guarded()
async def issue(request: Request) -> Response:
    """Cấp số: save, take the number, write .docx and PDF, record it in the register."""
    desk: Desk = request.app.state.desk
    name = request.path_params["name"]
    form = await form_of(request)
    draft = _draft(desk, name, form)
    lang = _lang(request)
    issued = desk.issued(name)
    org = _org_of(desk, draft.org)
    _save(desk, name, draft, org)
    changed = issued and issued.get("sha256") != _digest(desk.record_path(name))
    if changed and form.get("reissue") != "yes":
        return _document_page(request, name, draft, ask=True)
    record, errors, _problems = await run_in_threadpool(_check, desk, lang, draft)
    if record is None:
        return _document_page(request, name, draft, errors, 422)
    try:
        await run_in_threadpool(_issue, desk, name, draft, org, lang)
    except pipeline.NoticeGenError as exc:
        return _document_page(request, name, draft, {"general": [str(exc)]}, 422)
    return RedirectResponse(f"/doc/{name}", 303)


def _issue(desk: Desk, name: str, draft: forms.Draft, org: forms.Org, lang: str) -> None:
    """Issue through the pipeline of `notice-gen render`: `number: auto` is numbered by the
    register once the .docx is written, and written back into the record."""
    path = desk.record_path(name)
    if draft.number is None:
        draft.number = "auto"
        _save(desk, name, draft, org)
    output = desk.folder("output")
    with pipeline.language(lang):
        written = pipeline.issue(
            path, output, desk.folder("templates"), desk.register, f"records/{name}.yaml"
        )
        record, _warnings = pipeline.read(path)
    pdf = desk.converter.pdf(written.read_bytes())
    pipeline.write_output(output, f"{name}.pdf", pdf, path)
    mark = {"number": record.number, "symbol": pipeline.symbol(record), "sha256": _digest(path)}
    target = desk.folder(".desk/issued") / f"{name}.json"
    pipeline.atomic_write(target, json.dumps(mark).encode("utf-8"))


@guarded()
async def download(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    name, ext = request.path_params["name"], request.path_params["ext"]
    desk.record_path(name)  # refuses names that could leave the workspace
    path = desk.folder("output") / f"{name}.{ext}"
    if ext not in ("docx", "pdf") or not path.is_file():
        raise Refused(404)
    issued = desk.issued(name)
    filename = re.sub(r"[^\w.-]+", "-", f"{issued.get('symbol') or name}") + f".{ext}"
    return FileResponse(path, filename=filename)


# --- organisation ------------------------------------------------------------------------

_ORG_SLOTS = {"issuer.code": "code", "issuer.name": "name", "issuer.parent": "parent"}


@guarded()
async def organisation(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    orgs = desk.orgs()
    org = next((o for o in orgs if o.slug == request.query_params.get("org")), None)
    org = org or (orgs[0] if orgs else forms.Org())
    return page(request, "org.html", org=org, orgs=orgs, errors={}, profiles=pipeline.PROFILES)


@guarded()
async def save_organisation(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    org = forms.org_from_form(await form_of(request))
    errors: dict[str, list[str]] = {}
    if not org.code:
        errors["code"] = [translator(_lang(request))("required key is missing")]
    else:
        with tempfile.TemporaryDirectory() as trial:
            forms.save_org(Path(trial), org)
            with pipeline.language(_lang(request)):
                record, problems = pipeline.check(forms.org_sample(org), Path(trial))
        for problem in problems if record is None else []:
            key = re.sub(r"\[\d+\]", "", problem.key)
            slot = _ORG_SLOTS.get(key, key.split(".")[0])
            slot = "signers" if slot == "signer" else slot
            errors.setdefault(slot, []).append(problem.message)
    if errors:
        return page(
            request, "org.html", 422, org=org, orgs=desk.orgs(), errors=errors,
            profiles=pipeline.PROFILES,
        )  # fmt: skip
    forms.save_org(desk.folder("orgs"), org)
    return RedirectResponse(f"/org?org={org.slug}&saved=1", 303)


# --- register and templates --------------------------------------------------------------


def _entries(desk: Desk, year: int | None, kind: str | None) -> list[Entry]:
    register = open_register(desk.register)
    try:
        return register.entries(year, kind)
    finally:
        register.close()


def _filters(request: Request) -> tuple[int | None, str | None]:
    year = request.query_params.get("year", "")
    kind = request.query_params.get("kind", "")
    return (int(year) if year.isdigit() else None), (kind if kind in forms.FIELDS else None)


@guarded()
async def register_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    year, kind = _filters(request)
    entries = await run_in_threadpool(_entries, desk, year, kind)
    return page(request, "register.html", entries=entries, year=year, kind=kind)


@guarded()
async def register_print(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    year, kind = _filters(request)
    entries = await run_in_threadpool(_entries, desk, year, kind)
    return page(request, "register_print.html", entries=entries, year=year, kind=kind)


@guarded()
async def register_book(request: Request) -> Response:
    """The printable book of one year (`notice-gen register export`), .docx or .xlsx."""
    desk: Desk = request.app.state.desk
    ext = request.path_params["ext"]
    year, _kind = _filters(request)
    if ext not in ("docx", "xlsx"):
        raise Refused(404)
    year = year or dt.date.today().year
    entries = await run_in_threadpool(_entries, desk, year, None)
    data = await run_in_threadpool(pipeline.book, entries, year, f".{ext}")
    filename = f"so-van-ban-di-{year}.{ext}"
    disposition = f'attachment; filename="{filename}"'
    media = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[ext]
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


@guarded()
async def templates_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    listing = pipeline.available_templates(desk.folder("templates"))
    return page(request, "templates.html", templates=listing, report=None)


@guarded(limit=TEMPLATE_LIMIT)
async def upload_template(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    form = await form_of(request)
    upload = form.get("template")
    _ = translator(_lang(request))
    if upload is None or isinstance(upload, str):
        raise Refused(404)
    filename = Path(upload.filename or "").name
    data = await upload.read(TEMPLATE_LIMIT + 1)
    report: dict[str, Any] = {"name": filename, "issues": [], "saved": False}
    if len(data) > TEMPLATE_LIMIT:
        raise Refused(413)
    if not TEMPLATE_NAME.match(filename) or filename != upload.filename:
        report["refused"] = _(
            "Name the template <kind or layout>.<state|party>.docx, e.g. van-ban.state.docx."
        )
    else:
        with pipeline.language(_lang(request)):
            issues, _used = await run_in_threadpool(pipeline.diagnose, data, filename)
        report["issues"] = [str(i) for i in issues]
        if not any(i.severity == "error" for i in issues):
            pipeline.atomic_write(desk.folder("templates") / filename, data)
            report["saved"] = True
    listing = pipeline.available_templates(desk.folder("templates"))
    return page(request, "templates.html", templates=listing, report=report)


@guarded()
async def builtin_template(request: Request) -> Response:
    name = request.path_params["file"]
    path = pipeline.builtin_templates() / name
    if not TEMPLATE_NAME.match(name) or not path.is_file():
        raise Refused(404)
    return FileResponse(path, filename=name)


# --- sign-in and language ----------------------------------------------------------------


async def login_form(request: Request) -> Response:
    return page(request, "login.html", failed=False)


async def sign_in(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    if not _same_origin(request):
        return Response(status_code=403)
    form = await request.form(max_part_size=4096, max_files=0, max_fields=10)
    expected = request.session.get("csrf", "")
    if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
        return Response(status_code=403)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    accounts = Accounts(desk.register)
    try:
        good = await run_in_threadpool(accounts.verify, name, password)
    finally:
        accounts.close()
    if not good:
        return page(request, "login.html", 401, failed=True)
    request.session.clear()
    request.session["user"] = name
    return RedirectResponse("/", 303)


@guarded()
async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login" if request.app.state.desk.login else "/", 303)


async def language(request: Request) -> Response:
    code = request.path_params["code"]
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, 303)
    response.set_cookie("lang", "en" if code == "en" else "vi", samesite="strict", httponly=True)
    return response


def secret_key(workspace: Path) -> str:
    """The key signing session cookies, kept in the workspace (readable by its owner only)."""
    path = workspace / ".desk" / "secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        pipeline.atomic_write(path, secrets.token_urlsafe(48).encode())
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(
    workspace: Path,
    register: str | None = None,
    *,
    login: bool = False,
    converter: Converter | None = None,
) -> Starlette:
    """The desk for `workspace`; `login` requires accounts (any host but this machine).
    A `converter` given is shared: the desk neither starts nor stops it."""
    workspace = Path(workspace).resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    location = register or str(workspace / "so-van-ban-di.sqlite")
    own = converter is None
    desk = Desk(workspace, location, login, converter or Converter())
    routes = [
        Route("/", home),
        Route("/doc/new", new_document, methods=["POST"]),
        Route("/doc/{name}", document),
        Route("/doc/{name}/check", check, methods=["POST"]),
        Route("/doc/{name}/save", save, methods=["POST"]),
        Route("/doc/{name}/issue", issue, methods=["POST"]),
        Route("/doc/{name}/file.{ext}", download),
        Route("/preview/{key}/{page:int}.png", preview_image),
        Route("/org", organisation),
        Route("/org", save_organisation, methods=["POST"]),
        Route("/register", register_page),
        Route("/register/print", register_print),
        Route("/register/so-van-ban-di.{ext}", register_book),
        Route("/templates", templates_page),
        Route("/templates", upload_template, methods=["POST"]),
        Route("/templates/builtin/{file}", builtin_template),
        Route("/login", login_form),
        Route("/login", sign_in, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang/{code}", language),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=secret_key(workspace),
            session_cookie="notice_gen_desk",
            same_site="strict",
            max_age=12 * 3600,
        )
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if own:
            sample = pipeline.builtin_templates() / "van-ban.state.docx"
            threading.Thread(target=desk.converter.warm, args=(sample,), daemon=True).start()
        yield
        if own:
            desk.converter.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.desk = desk
    return app
