"""Click in the user's language, and notice-gen's errors shown the click way.

Help texts are marked with `N_` and translated when shown, so the language can be
chosen after the commands are defined; click's own words (`Usage:`, `Options:`, its
error messages) go through the same catalog. A command ends through `leave`.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import IO, Any, NoReturn, TypeVar

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from .errors import NoticeGenError
from .i18n import N_, _, ngettext

CLICK_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


def speak_click() -> None:
    """Let click's own messages come from notice-gen's catalog."""
    for module in CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def error(message: str) -> None:
    """The one place an error reaches the user: `error: …`, a line each."""
    for line in message.splitlines() or [""]:
        click.echo(_("error: {message}").format(message=line), err=True)


def warn(warnings: list[Any]) -> None:
    for warning in warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)


class Failure(click.ClickException):
    """A `NoticeGenError` on its way to the user, with its exit status."""

    def __init__(self, exc: NoticeGenError) -> None:
        super().__init__(str(exc))
        self.exit_code = exc.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        error(self.message)


class _Translated:
    """Help texts translated when shown."""

    _help: str | None = None

    @property
    def help(self) -> str | None:
        return _(self._help) if self._help else self._help

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value


class Option(_Translated, click.Option):
    @property
    def show_default(self) -> bool | str | None:
        shown = self._show_default
        return _(shown) if isinstance(shown, str) else shown

    @show_default.setter
    def show_default(self, value: bool | str | None) -> None:
        self._show_default = value


class Command(_Translated, click.Command):
    pass


class Group(_Translated, click.Group):
    """A group whose commands and options translate their help, and whose
    `NoticeGenError`s become `Failure`s."""

    command_class = Command
    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = {}  # name -> (module, attribute), loaded on use

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name]
            self.add_command(getattr(import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoticeGenError as exc:
            raise Failure(exc) from None


F = TypeVar("F", bound=Callable[..., Any])


def option(*names: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` with a translated help text."""
    return click.option(*names, cls=Option, **attrs)


register_option = option(
    "--register",
    envvar="NOTICE_GEN_REGISTER",
    metavar="PATH|URL",
    help=N_("The register that gives `number: auto` its number: a SQLite file on this "
            "machine or postgresql://… [default: so-van-ban-di.sqlite in the working folder]"),
)  # fmt: skip


class Later(ModuleType):
    """A module imported when one of its names is first read."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(import_module(self.__name__), name)


def later(name: str) -> None:
    """Import the submodule `name` when it is first used, not when it is imported."""
    if name not in sys.modules:
        package, _dot, attribute = name.rpartition(".")
        later = Later(name)
        later.__spec__ = find_spec(name)  # what the import system asks of it, no import
        sys.modules[name] = later
        setattr(sys.modules[package], attribute, later)


def leave(code: object) -> NoReturn:
    """Exit with `code` as `sys.exit` would, without Python's teardown of every module
    and object (40–100 ms of each command, a third of a `render`): the exit handlers run
    and the standard streams are flushed first. Every file notice-gen writes is written
    whole and closed, and every worker it starts has ended, before its command returns:
    nothing is left to flush or to wait for."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code or 0)
