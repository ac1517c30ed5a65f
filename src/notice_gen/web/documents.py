"""The desk's document pages: a new document, its form with inline checks and the
preview, saving, issuing (Cấp số: the register's next number, .docx and PDF), download."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import secrets
from pathlib import Path
from typing import Any

import yaml
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from . import forms, pipeline
from .desk import Desk, Refused, form_of, guarded, lang_of, page


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


def _check(
    desk: Desk, lang: str, draft: forms.Draft
) -> tuple[Any, dict[str, list[str]], list[Any]]:
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
    record, errors, _problems = await run_in_threadpool(_check, desk, lang_of(request), draft)
    pages: list[bytes] = []
    failure = ""
    if record is not None:
        try:
            pages = await run_in_threadpool(_pages, desk, record, lang_of(request), name)
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
    lang = lang_of(request)
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
