"""`notice-gen serve` and `notice-gen user add`: the desk's command line."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from ..errors import NoticeGenError
from ..i18n import _

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register_location(register: str | None, workspace: Path) -> str:
    """`--register`, else $NOTICE_GEN_REGISTER, else the workspace's SQLite file."""
    found = register or os.environ.get("NOTICE_GEN_REGISTER")
    return found or str(workspace.resolve() / "so-van-ban-di.sqlite")


workspace_option = click.option(
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help=_("Folder of the organisation, records, documents and templates."),
)
register_option = click.option(
    "--register", help=_("The register: a SQLite file or a postgresql:// address.")
)


@click.command(help=_("Start the desk: write, preview, number and issue documents in a browser."))
@workspace_option
@register_option
@click.option("--host", default="127.0.0.1", show_default=True, help=_("Address to listen on."))
@click.option("--port", default=8000, show_default=True, type=int, help=_("Port to listen on."))
@click.option("--no-browser", is_flag=True, help=_("Do not open the browser."))
def serve(workspace: Path, register: str | None, host: str, port: int, no_browser: bool) -> None:
    import uvicorn

    from .accounts import Accounts
    from .app import create_app

    location = register_location(register, workspace)
    login = host not in LOOPBACK
    if login:
        try:
            accounts = Accounts(location)
            count = accounts.count()
            accounts.close()
        except (NoticeGenError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        if not count:
            click.echo(
                _(
                    "error: the desk listens beyond this machine only with accounts; "
                    "create one first: notice-gen user add NAME"
                ),
                err=True,
            )
            sys.exit(2)
    app = create_app(workspace, location, login=login)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(_("The desk is at {url} (Ctrl+C stops it)").format(url=url))
    if not no_browser:
        import webbrowser  # not for `--help`, which lists this command

        threading.Timer(1.0, webbrowser.open, [url]).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group(help=_("Accounts of the desk (needed to serve beyond this machine)."))
def user() -> None:
    pass


@user.command("add", help=_("Create the account NAME, or change its password."))
@click.argument("name")
@workspace_option
@register_option
@click.option("--password-stdin", is_flag=True, help=_("Read the password from standard input."))
def add(name: str, workspace: Path, register: str | None, password_stdin: bool) -> None:
    from .accounts import Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        workspace.mkdir(parents=True, exist_ok=True)  # before the first `serve`, too
        accounts = Accounts(register_location(register, workspace))
        accounts.add(name, password)
        accounts.close()
    except NoticeGenError as exc:
        click.echo(_("error: {message}").format(message=exc), err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Account {name} saved.").format(name=name))
