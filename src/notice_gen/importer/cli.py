"""`notice-gen import` and `notice-gen reissue`: a Word draft to a record, and on to a
document that follows the rulebook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import NoticeGenError, OutputError
from ..i18n import _
from ..rules.profiles import KINDS, PROFILES
from .findings import GUESSED, RECOGNISED, UNPLACED, Finding

if TYPE_CHECKING:
    from .importer import Imported

kind_option = click.option(
    "--kind",
    type=click.Choice(["auto", *KINDS]),
    default="auto",
    show_default=True,
    help=_("The kind of document; auto reads it from THÔNG BÁO / GIẤY MỜI / BIÊN BẢN."),
)
profile_option = click.option(
    "--profile",
    type=click.Choice(["auto", *PROFILES]),
    default="auto",
    show_default=True,
    help=_("The rulebook; auto reads it from the header (and the date)."),
)
force_option = click.option("--force", is_flag=True, help=_("Overwrite an existing record."))
verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help=_("Also list what was recognised, not only the guesses.")
)


def fail(exc: NoticeGenError) -> None:
    for line in str(exc).splitlines():
        click.echo(_("error: {message}").format(message=line), err=True)
    sys.exit(exc.exit_code)


def report(draft: Path, findings: list[Finding], verbose: bool) -> None:
    for finding in findings:
        if verbose or finding.status != RECOGNISED:
            click.echo(f"{draft}: {finding}", err=True)
    count = {s: sum(f.status == s for f in findings) for s in (RECOGNISED, GUESSED, UNPLACED)}
    summary = _(
        "{draft}: {recognised} recognised, {guessed} guessed, {unplaced} could not be placed"
    )
    click.echo(
        summary.format(
            draft=draft,
            recognised=count[RECOGNISED],
            guessed=count[GUESSED],
            unplaced=count[UNPLACED],
        ),
        err=True,
    )


def write_record(target: Path, imported: Imported, force: bool) -> None:
    """Write the record, never over an existing file unless `force`."""
    from ..atomic import atomic_write

    if target.exists() and not force:
        raise OutputError(
            _("{path} exists and is kept; choose another with -o, or --force").format(path=target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, imported.text.encode("utf-8"))


def checked(target: Path) -> None:
    """The written record must be valid; its problems are shown with file and line."""
    from ..pipeline.document import read_record

    for warning in read_record(target)[1]:
        click.echo(_("warning: {message}").format(message=warning), err=True)


@click.command(
    "import",
    help=_("""Read a Word DRAFT (.docx, .doc or .odt, typed by hand) into a record.

    The record is written beside the draft (DRAFT.yaml) or to -o; every value the
    importer had to guess carries a '# đoán: …' comment. What it recognised, guessed
    or could not place is listed with its place in the draft; text it cannot place
    goes into the body, so no word is lost.

    \\b
    Examples:
      notice-gen import thong-bao-cu.docx
      notice-gen import giay-moi.doc -o records/giay-moi.yaml --profile nd30
    """),
)
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("The record to write."),
)
@kind_option
@profile_option
@force_option
@verbose_option
def import_command(
    draft: Path, output: Path | None, kind: str, profile: str, force: bool, verbose: bool
) -> None:
    from .importer import import_draft

    target = output or draft.with_suffix(".yaml")
    try:
        imported = import_draft(draft, kind, profile)
        report(draft, imported.findings, verbose)
        write_record(target, imported, force)
        click.echo(f"{draft} -> {target}")
        checked(target)
    except NoticeGenError as exc:
        fail(exc)


@click.command(
    help=_("""Import a Word DRAFT and issue it again to its rulebook: the record and the
    corrected document go to the output folder (the record stays for the next time),
    the document checked as `notice-gen check` does.

    \\b
    Example:
      notice-gen reissue thong-bao-cu.docx -o da-sua/
    """),
)
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help=_("Folder for the record and the document."),
)
@kind_option
@profile_option
@click.option("--force", is_flag=True, help=_("Overwrite an existing record and document."))
@verbose_option
def reissue(draft: Path, output: Path, kind: str, profile: str, force: bool, verbose: bool) -> None:
    from ..pipeline.document import render_file
    from .importer import import_draft, missing

    record = output / f"{draft.stem}.yaml"
    try:
        if (output / f"{draft.stem}.docx").resolve() == draft.resolve():
            raise OutputError(
                _("{path}: the re-issue would replace the draft; choose another -o").format(
                    path=draft
                )
            )
        imported = import_draft(draft, kind, profile)
        report(draft, imported.findings, verbose)
        write_record(record, imported, force)
        document, warnings = render_file(record, output, force=force)
    except NoticeGenError as exc:
        fail(exc)
    for warning in warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    lost = missing(imported, document.read_bytes(), str(document))
    if lost:
        click.echo(
            _("warning: {message}").format(
                message=_("words of the draft not in {path}: {words}").format(
                    path=document, words=", ".join(lost)
                )
            ),
            err=True,
        )
    click.echo(f"{draft} -> {record} -> {document}")
