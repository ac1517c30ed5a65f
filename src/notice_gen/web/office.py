"""The desk's office pages: the organisation (issuer, signers, recipients), the register
of outgoing documents, and the templates (list, upload through the doctor, download)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..register import Entry, open_register
from . import forms, pipeline
from .desk import Desk, Refused, form_of, guarded, lang_of, page, translator

TEMPLATE_LIMIT = 4 * 1024 * 1024  # bytes of an uploaded template
TEMPLATE_NAME = re.compile(r"^(thong-bao-ket-luan|giay-moi|bien-ban|van-ban)\.(state|party)\.docx$")

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
        errors["code"] = [translator(lang_of(request))("required key is missing")]
    else:
        with tempfile.TemporaryDirectory() as trial:
            forms.save_org(Path(trial), org)
            with pipeline.language(lang_of(request)):
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
    _ = translator(lang_of(request))
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
        with pipeline.language(lang_of(request)):
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
