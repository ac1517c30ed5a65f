"""The desk: the Starlette application, its routes and its session cookie.

The pages live in `documents.py`, `office.py` and `signin.py`; every state-changing
request passes `desk.guarded`.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import pipeline
from .desk import Desk
from .documents import check, document, download, home, issue, new_document, preview_image, save
from .office import (
    builtin_template,
    organisation,
    register_book,
    register_page,
    register_print,
    save_organisation,
    templates_page,
    upload_template,
)
from .preview import Converter
from .signin import language, login_form, logout, sign_in

STATIC = Path(__file__).resolve().parent / "static"


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
