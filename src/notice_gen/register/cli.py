"""`notice-gen register …`: list, print, cancel and back up the sổ đăng ký văn bản đi."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import NoticeGenError
from ..i18n import _

if TYPE_CHECKING:
    from .model import Entry
    from .store import Register

register_option = click.option(
    "--register",
    "location",
    envvar="NOTICE_GEN_REGISTER",
    metavar="PATH|URL",
    help=_("The register: a SQLite file (never on a network share) or postgresql://… "
           "[default: so-van-ban-di.sqlite in the working folder]"),
)  # fmt: skip
force_option = click.option("--force", is_flag=True, help=_("Replace an existing file."))


@contextmanager
def _opened(location: str | None) -> Iterator[Register]:
    """The register, with every failure told as a message and an exit status."""
    try:
        from .store import open_register

        with open_register(location) as register:
            yield register
    except NoticeGenError as exc:
        for line in str(exc).splitlines():
            click.echo(_("error: {message}").format(message=line), err=True)
        sys.exit(exc.exit_code)


def _free(path: Path, force: bool) -> None:
    if path.exists() and not force:
        click.echo(
            _("error: {message}").format(
                message=_("{path} exists; add --force to replace it").format(path=path)
            ),
            err=True,
        )
        sys.exit(1)


@click.group(help=_("The outgoing-document register (sổ đăng ký văn bản đi)."))
def register() -> None:
    """The `register` command group."""


FIELDS = ("issuer", "scope", "series", "secret", "body", "number", "symbol", "date", "kind",
          "subject", "signer", "recipients", "archive", "copies", "note", "source", "status",
          "void_reason")  # fmt: skip


def _fields(entry: Entry) -> dict[str, Any]:
    s = entry.series
    values = (s.issuer, s.scope, s.kind, s.secret, s.body, entry.number, entry.label,
              entry.date.isoformat() if entry.date else "", entry.kind, entry.subject,
              entry.signer, entry.recipients, entry.archive, entry.copies, entry.note,
              entry.source, entry.status, entry.void_reason)  # fmt: skip
    return dict(zip(FIELDS, values, strict=True))


@register.command("list", help=_("List the numbers given, in series order."))
@click.option("--year", type=int, help=_("Only the documents of this year."))
@click.option("--kind", help=_("Only this kind of document (thong-bao-ket-luan, giay-moi …)."))
@click.option(
    "--format",
    "form",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@register_option
def list_(year: int | None, kind: str | None, form: str, location: str | None) -> None:
    with _opened(location) as book:
        entries = book.entries(year, kind)
    if form == "json":
        click.echo(json.dumps([_fields(e) for e in entries], ensure_ascii=False, indent=2))
    elif form == "csv":
        writer = csv.DictWriter(sys.stdout, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_fields(e) for e in entries)
    else:
        status = {"issued": _("issued"), "reserved": _("reserved"), "void": _("cancelled")}
        heads = (_("Number"), _("Date"), _("Status"), _("Source"), _("Subject"))
        rows = [
            (e.label, f"{e.date:%d/%m/%Y}" if e.date else "", status[e.status], e.source,
             e.subject or e.void_reason)
            for e in entries
        ]  # fmt: skip
        widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(4)]
        for line in [heads, *rows]:
            click.echo(
                "  ".join([*(c.ljust(w) for c, w in zip(line, widths, strict=False)), line[4]])
            )
        if not rows:
            click.echo(_("No numbers given yet."), err=True)


@register.command(help=_("Print the book (Sổ đăng ký văn bản đi, Phụ lục IV) of one year."))
@click.option("--year", type=int, default=lambda: date.today().year, show_default=_("this year"))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=_("The book: a .docx or .xlsx file."),
)
@force_option
@register_option
def export(year: int, output: Path, force: bool, location: str | None) -> None:
    from .book import export as write_book

    _free(output, force)
    with _opened(location) as book:
        write_book(book.entries(year), output, year)
    click.echo(str(output))


@register.command(help=_("Cancel a number: it is never given again."))
@click.argument("number", type=click.IntRange(min=1))
@click.option("--reason", required=True, help=_("Why the number is cancelled."))
@click.option("--year", type=int, help=_("State: the year of the series."))
@click.option("--term", help=_("Party: the term of the series (2025-2030)."))
@click.option("--kind", help=_("The kind of document, when each kind has its series."))
@click.option("--issuer", help=_("The issuer's code (VP, TU …)."))
@click.option("--secret", is_flag=True, help=_("The series of secret documents."))
@click.option("--body", default="", help=_("The advisory body's own series."))
@register_option
def void(
    number: int,
    reason: str,
    year: int | None,
    term: str | None,
    kind: str | None,
    issuer: str | None,
    secret: bool,
    body: str,
    location: str | None,
) -> None:
    from .model import RegisterError, Series

    scope = str(year) if year else term
    with _opened(location) as book:
        found = [
            s
            for s in book.series()
            if (issuer is None or s.issuer == issuer)
            and (scope is None or s.scope == scope)
            and (kind is None or s.kind in (kind, "*"))
            and (s.secret, s.body) == (secret, body)
        ]
        if not found and issuer and scope:  # a number never given from a new series
            found = [Series(issuer, scope, kind or "*", secret, body)]
        if len(found) != 1:
            names = "; ".join(str(s) for s in found) or _("none")
            raise RegisterError(
                _("say which series number {number:02d} is from with --year or --term, "
                  "--kind, --issuer (matching series: {names})").format(number=number, names=names)
            )  # fmt: skip
        series = found[0]
        book.void(series, number, reason)
    click.echo(_("Number {number:02d} of series {series} is cancelled.").format(
        number=number, series=series))  # fmt: skip


@register.command(help=_("Copy the register to a file (SQLite; PostgreSQL: use pg_dump)."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@force_option
@register_option
def backup(output: Path, force: bool, location: str | None) -> None:
    _free(output, force)
    with _opened(location) as book:
        book.backup(output)
    click.echo(str(output))
