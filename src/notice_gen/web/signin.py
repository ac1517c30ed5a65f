"""Signing in and out of the desk, and choosing its language."""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .accounts import Accounts
from .desk import Desk, guarded, page, same_origin


async def login_form(request: Request) -> Response:
    return page(request, "login.html", failed=False)


async def sign_in(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    if not same_origin(request):
        return Response(status_code=403)
    form = await request.form(max_part_size=4096, max_files=0, max_fields=10)
    expected = request.session.get("csrf", "")
    if not expected or not secrets.compare_digest(str(form.get("csrf", "")), expected):
        return Response(status_code=403)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    address = request.client.host if request.client else ""
    if wait := desk.throttle.wait(name, address):
        return page(request, "login.html", 429, wait=-(-wait // 60))
    desk.throttle.attempted(name, address)  # counted now: attempts at once are counted at once
    accounts = Accounts(desk.register)
    try:
        good = await run_in_threadpool(accounts.verify, name, password)
    finally:
        accounts.close()
    if not good:
        return page(request, "login.html", 401, failed=True)
    desk.throttle.passed(name, address)
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
