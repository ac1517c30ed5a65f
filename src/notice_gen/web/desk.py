"""The desk's request plumbing: the served workspace (`Desk`), pages in the user's
language, and `guarded`, which every state-changing request passes: signed in (when
accounts are required), same Origin, the session's CSRF token, and a bounded body.
"""

from __future__ import annotations

import gettext
import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..i18n import DOMAIN, LOCALE_DIR
from . import forms
from .preview import Converter
from .throttle import Throttle

FORM_LIMIT = 1024 * 1024  # bytes of a form
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
    throttle: Throttle = field(default_factory=Throttle)  # failed sign-ins

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


def lang_of(request: Request) -> str:
    return "en" if request.cookies.get("lang") == "en" else "vi"


def csrf_token(request: Request) -> str:
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
    lang = lang_of(request)
    html = _PAGES.get_template(template).render(
        _=translator(lang),
        lang=lang,
        csrf=csrf_token(request),
        user=request.session.get("user"),
        login=desk.login,
        path=request.url.path,
        kinds=forms.KIND_NAMES,
        **values,
    )
    return HTMLResponse(html, status_code=status)


def same_origin(request: Request) -> bool:
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
                    if not same_origin(request):
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
                _ = translator(lang_of(request))
                text = {
                    401: _("Please sign in again."),
                    403: _("Refused: the request did not come from this desk's own page."),
                    404: _("No such page or file."),
                    411: _("Refused: the request has no length."),
                    413: _("Refused: the file is too large."),
                }.get(refused.status, "")
                return HTMLResponse(f"<p role='alert'>{text}</p>", status_code=refused.status)
            finally:
                await request.close()  # the form's uploaded files, if any

        return endpoint

    return wrap


async def form_of(request: Request) -> FormData:
    return await request.form()  # already read, and bounded, by `guarded`
