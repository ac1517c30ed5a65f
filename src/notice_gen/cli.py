"""The `notice-gen` command line.

Exit status: 0 done, 2 a record or the command line is wrong, 1 any other failure.
No traceback reaches the user; heavy modules load only when a command needs them.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import cli_support
from .cli_support import Group, Option, error, later, option, register_option, speak_click, warn
from .errors import NoticeGenError
from .i18n import N_, _, choose_language, set_language
from .rules.profiles import KINDS, PROFILES
from .version import VERSION

speak_click()
STATUSES = (N_("written"), N_("unchanged"), N_("skipped"), N_("kept"), N_("failed"))  # batch


def _each(paths: tuple[Path, ...], step: Callable[[Path], None]) -> int:
    """Apply `step` to each path; a failure is reported and never stops the others.
    Returns the exit status."""
    status = 0
    for path in paths:
        try:
            step(path)
        except NoticeGenError as exc:
            error(str(exc))
            status = max(status, exc.exit_code)
    return status


output_option = option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help=N_("Folder for the documents."),
)
force_option = option(
    "--force", is_flag=True, help=N_("Overwrite documents that were edited by hand.")
)
pdf_option = option(
    "--pdf", is_flag=True, help=N_("Also make a PDF of each document (LibreOffice).")
)
templates_option = option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("A folder of your own templates (<kind or layout>.<state|party>.docx)."),
)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("""Vietnamese administrative notices from records: .docx laid out exactly as
    Nghị định 30/2020/NĐ-CP (State) or Hướng dẫn 05-HD/VPTW and 36-HD/VPTW (Party)
    require.

    \b
    Start with a record, then render it:
      notice-gen new thong-bao-ket-luan --profile nd30 > thong-bao.yaml
      notice-gen render thong-bao.yaml
    """),
)
@click.version_option(VERSION, package_name="notice-gen", cls=Option)
@option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: set_language(value) if value else None,
    help=N_("Language of the messages (default: Vietnamese when LANG is vi_*, else English)."),
)
def main() -> None:
    pass


@main.command(
    help=N_("""Render each RECORD (YAML, JSON or TOML) to a Word document.

    A record with a mistake is reported with its file, line and key, and gives no
    document; the others are still rendered. Each document is checked against its
    rulebook before it is written (as `notice-gen check` does). A document that was
    changed by hand after notice-gen wrote it is kept unless --force is given.

    \b
    Examples:
      notice-gen render data/thong-bao.yaml
      notice-gen render data/*.yaml -o out/
      notice-gen render hop.yaml --kind giay-moi --pdf
    """)
)
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option
@force_option
@option("--no-check", is_flag=True, help=N_("Do not lint the documents before writing them."))
@option("--kind", type=click.Choice(KINDS), help=N_("Render another kind from the same record."))
@pdf_option
@templates_option
@register_option
def render(
    records: tuple[Path, ...],
    output: Path,
    force: bool,
    no_check: bool,
    kind: str | None,
    pdf: bool,
    templates: Path | None,
    register: str | None,
) -> None:
    from .pipeline.document import render_file

    made: list[Path] = []

    def step(path: Path) -> None:
        written, warnings = render_file(path, output, force=force, check=not no_check, kind=kind,
                                        templates=templates, register=register)  # fmt: skip
        warn(warnings)
        made.append(written)
        click.echo(f"{path} -> {written}")

    status = _each(records, step)
    sys.exit(max(status, _pdf(made) if pdf and made else 0))


def _pdf(documents: list[Path]) -> int:
    """Make the PDFs; their failures are reported and never undo a .docx."""
    from .pipeline.pdf import to_pdf

    try:
        failed = to_pdf(documents)
    except NoticeGenError as exc:
        error(str(exc))
        return exc.exit_code
    for document, why in failed.items():
        error(f"{document.with_suffix('.pdf')}: {why}")
    done = len(documents) - len(failed)
    click.echo(
        _("{done} PDF(s) written, {failed} failed").format(done=done, failed=len(failed)), err=True
    )
    return 1 if failed else 0


@main.command(
    help=N_("""Check each RECORD against the record format and its profile, writing nothing.

    \b
    Example:
      notice-gen validate data/*.yaml
    """)
)
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(records: tuple[Path, ...]) -> None:
    from .pipeline.document import read_record

    def step(path: Path) -> None:
        warn(read_record(path)[1])
        click.echo(_("{path}: ok").format(path=path))

    sys.exit(_each(records, step))


@main.command(
    help=N_("""Render every record of the SOURCES: folders of records (recursive), YAML files
    of `defaults:` and `records:`, and CSV or XLSX sheets with one row per document
    (columns named by key: number, signer.name, recipients with ';' between items).

    Documents are made in parallel; a failed record never stops the others. Each
    failure is reported with its source and row or record; manifest.json and
    manifest.csv in the output folder list every document with its status and SHA-256.
    The same input gives the same bytes, so a re-run leaves unchanged documents as
    they are; a document edited by hand is kept unless --force.

    \b
    Examples:
      notice-gen batch records/ -o out/
      notice-gen batch units.csv --base thong-bao.yaml --name "{number}-{issuer.code}"
    """)
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@output_option
@option(
    "--base",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("A record whose keys every sheet row or record starts from."),
)
@option("--name", "pattern", help=N_("Output names, e.g. '{number}-{kind}' or '{signer.name}'."))
@option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default=N_("the number of cores"),
    help=N_("Worker processes."),
)
@force_option
@option("--resume", is_flag=True, help=N_("Skip what an interrupted run already finished."))
@option("--wait", is_flag=True, help=N_("Wait for another run into the same folder to end."))
@option(
    "--check-all",
    is_flag=True,
    help=N_("Check every document, not only the first of each template."),
)
@option(
    "--check-full",
    is_flag=True,
    help=N_("Lint every document in full, as 'notice-gen check' does (slower than --check-all)."),
)
@option("--no-check", is_flag=True, help=N_("Do not check the documents."))
@pdf_option
@templates_option
@register_option
def batch(
    sources: tuple[Path, ...],
    output: Path,
    base: Path | None,
    pattern: str | None,
    workers: int,
    force: bool,
    resume: bool,
    check_all: bool,
    check_full: bool,
    no_check: bool,
    pdf: bool,
    templates: Path | None,
    wait: bool,
    register: str | None,
) -> None:
    from .pipeline import batch as engine

    jobs = engine.jobs_from(list(sources), base)
    for note in dict.fromkeys(job.note for job in jobs if job.note):
        click.echo(note, err=True)
    if not jobs:
        raise click.UsageError(_("no records found in the sources"))
    check = "none" if no_check else "full" if check_full else "all" if check_all else "first"
    tty = sys.stderr.isatty()
    counter = {"done": 0}

    def report(result: engine.Result) -> None:
        counter["done"] += 1
        if not tty and counter["done"] % max(1, len(jobs) // 10) == 0:
            click.echo(
                _("{done}/{total} documents").format(done=counter["done"], total=len(jobs)),
                err=True,
            )

    options: dict[str, Any] = {
        "workers": workers,
        "pattern": pattern,
        "force": force,
        "resume": resume,
        "check": check,
        "templates": templates,
        "wait": wait,
        "register": register,
    }
    try:
        if tty:
            with click.progressbar(length=len(jobs), label="notice-gen", file=sys.stderr) as bar:

                def progress(result: engine.Result) -> None:
                    report(result)
                    bar.update(1)

                results = engine.run(jobs, output, progress=progress, **options)
        else:
            results = engine.run(jobs, output, progress=report, **options)
    except KeyboardInterrupt:
        click.echo(
            "\n"
            + _("interrupted: {manifest} lists what was done; run again with --resume").format(
                manifest=output / "manifest.json"
            ),
            err=True,
        )
        sys.exit(130)
    status = _summary(results, output)
    if pdf:
        made = [
            output / r.output for r in results if r.status in ("written", "unchanged", "skipped")
        ]
        status = max(status, _pdf([d for d in made if d.is_file()]) if made else 0)
    sys.exit(status)


def _summary(results: list[Any], output: Path) -> int:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        warn(result.warnings)
        if result.error:
            error(result.error)
    parts = ", ".join(f"{n} {_(status)}" for status, n in sorted(counts.items()))
    summary = _("{total} documents: {parts} (manifest: {manifest})")
    click.echo(
        summary.format(total=len(results), parts=parts, manifest=output / "manifest.csv"), err=True
    )
    return max((r.exit_code for r in results), default=0)


@main.command(
    help=N_("""Lint each DOCUMENT (.docx, made by notice-gen or by hand) against its rulebook.

    Every rule of format-rules.md §14 is judged from the document's structure and
    effective formatting; one line per finding:
    FILE: RULE-ID severity: message (where: paragraph or cell «text»).
    A rule that cannot be judged says `unjudged`. Exit status 1 when any error.

    \b
    Examples:
      notice-gen check output/*.docx
      notice-gen check received.docx --profile party-hd36 --json
    """)
)
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@option(
    "--profile",
    type=click.Choice(["auto", *PROFILES]),
    default="auto",
    show_default=True,
    help=N_("The rulebook to judge by; auto reads it from the header (and the date)."),
)
@option("--json", "as_json", is_flag=True, help=N_("Print the findings as JSON."))
def check(documents: tuple[Path, ...], profile: str, as_json: bool) -> None:
    import json

    from .lint.check import check_file
    from .lint.findings import as_json as to_json

    findings = [f for path in documents for f in check_file(path, profile)]
    if as_json:
        click.echo(json.dumps(to_json(findings), ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(
            _("{count} document(s), {errors} error(s), {warnings} warning(s)").format(
                count=len(documents),
                errors=errors,
                warnings=sum(f.severity == "warning" for f in findings),
            ),
            err=True,
        )
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


@main.command(
    help=N_("""Print a starter record for KIND (a whole meeting record: the other kinds render
    from it too), its keys explained in Vietnamese.

    \b
    Example:
      notice-gen new thong-bao-ket-luan --profile party-hd05 > thong-bao.yaml
    """)
)
@click.argument("kind", type=click.Choice(KINDS))
@option(
    "--profile",
    type=click.Choice(list(PROFILES)),
    default="nd30",
    show_default=True,
    help=N_("The rulebook: nd30 (State), party-hd05 (Party, 2026), party-hd36 (Party, 2018)."),
)
def new(kind: str, profile: str) -> None:
    from .record.starters import starter_text

    click.echo(starter_text(kind, profile), nl=False)


@main.command(
    help=N_("""Convert text typed in TCVN3 (.VnTime) or VNI-Windows inside each RECORD to Unicode
    (NFC), in place, after keeping the original as RECORD.bak.

    \b
    Example:
      notice-gen convert data/thong-bao-cu.yaml
    """)
)
@click.argument(
    "records", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def convert(records: tuple[Path, ...]) -> None:
    from .pipeline.convert import convert_record

    def step(record: Path) -> None:
        changed, backup = convert_record(record)
        if backup is None:
            click.echo(_("{path}: already Unicode, unchanged").format(path=record))
            return
        message = _("{path}: {count} line(s) converted; the original is {backup}")
        click.echo(message.format(path=record, count=changed, backup=backup))

    sys.exit(_each(records, step))


@main.group(
    help=N_("""List, export, check, repair and preview Word templates.

    \b
    Examples:
      notice-gen template list
      notice-gen template export van-ban.state my-office.docx
      notice-gen template check my-office.docx --fix
      notice-gen template preview my-office.docx
    """)
)
def template() -> None:
    pass


@template.command(
    "list",
    help=N_("""The built-in templates and yours, with the kinds and the regime each serves."""),
)
@option(
    "--templates",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("A folder of your own templates, which win over the built-in ones."),
)
def template_list(folder: Path | None) -> None:
    from .docx.template import available_templates

    for name, path, kinds, regime, origin in available_templates(folder):
        click.echo(f"{name:<24} {origin:<9} {regime:<6} {', '.join(kinds):<40} {path}")


@template.command(
    "export",
    help=N_("""Copy the built-in template NAME (see `template list`), or the one serving
    the kind NAME (KIND or KIND.party), to DEST to start from; DEST's folder is created."""),
)
@click.argument("name")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
def template_export(name: str, dest: Path) -> None:
    from .atomic import atomic_write
    from .docx.template import builtin_named

    source = builtin_named(name)
    if source is None:
        message = _("no built-in template {name!r}; see notice-gen template list")
        raise click.UsageError(message.format(name=name))
    if dest.exists():
        error(_("{path} exists; it is kept").format(path=dest))
        sys.exit(1)
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, source.read_bytes())
    click.echo(f"{source.name} -> {dest}")


@template.command(
    "check",
    help=N_("""Report every problem of a template FILE at once: Jinja syntax, blocks never
    closed, tags split across runs with different formatting, smart quotes, proofing
    marks, misplaced {%p %}/{%tr %}, variables the record model does not give (with the
    closest valid one), a missing signature block or Nơi nhận. Each with its part,
    table/row/cell, paragraph and the text around it. Exit status 1 on errors.
    """),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--kind", type=click.Choice(KINDS), help=N_("The kind it is for (default: from its name)."))
@option("--json", "as_json", is_flag=True, help=N_("Print the problems as JSON."))
@option("--fix", is_flag=True, help=N_("Write a repaired copy (FILE.fixed.docx, or --output)."))
@option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Where --fix writes; the input itself only when named here."),
)
def template_check(
    file: Path, kind: str | None, as_json: bool, fix: bool, output: Path | None
) -> None:
    import json

    from .atomic import atomic_write
    from .docx import doctor
    from .pipeline.variables import model_variables

    kind = kind or doctor.kind_of(file)
    known = model_variables(kind)
    data = file.read_bytes()
    if fix:
        repaired, fixed = doctor.fix(data, kind, known)
        if fixed:
            target = output or file.with_name(f"{file.stem}.fixed.docx")
            atomic_write(target, repaired)
            for issue in fixed:
                click.echo(_("fixed: {issue}").format(issue=issue), err=True)
            click.echo(_("repaired copy: {path}").format(path=target), err=True)
            data = repaired
        else:
            click.echo(_("nothing --fix can repair; no copy written"), err=True)
    issues = doctor.diagnose(data, kind, known)[0]
    if as_json:
        click.echo(json.dumps(doctor.as_json(issues), ensure_ascii=False, indent=1))
    else:
        for issue in issues:
            click.echo(f"{file}: {issue}")
        click.echo(
            _("{count} problem(s) for {kind}").format(count=len(issues), kind=kind), err=True
        )
    sys.exit(1 if any(i.severity == "error" for i in issues) else 0)


@template.command(
    "vars",
    help=N_("""The variables FILE prints, beside everything the record model offers its kind."""),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--kind", type=click.Choice(KINDS), help=N_("The kind it is for (default: from its name)."))
def template_vars(file: Path, kind: str | None) -> None:
    from .docx import doctor
    from .pipeline.variables import model_variables

    kind = kind or doctor.kind_of(file)
    known = model_variables(kind)
    used = doctor.diagnose(file.read_bytes(), kind, known)[1]
    variable, used_, example_, yes = _("variable"), _("used"), _("example"), _("yes")
    click.echo(f"{variable:<32} {used_:<5} {example_}")
    for path, example in sorted(known.items()):
        shown = str(example).replace("\n", " ")[:50]
        click.echo(f"{path:<32} {yes if path in used else '':<5} {shown}")


_PREVIEW_HELP = N_("""Render TEMPLATE_FILE with RECORD, or with a sample record of its kind, to
    .docx and, where LibreOffice is installed, to PDF and a PNG of page 1.

    \b
    Example:
      notice-gen template preview my-office.docx
    """)


@click.argument("template_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("record", required=False, type=click.Path(exists=True, path_type=Path))
@option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output/preview"),
    show_default=True,
    help=N_("Folder for the preview files."),
)
@option("--kind", type=click.Choice(KINDS), help=N_("The kind (default: from the name)."))
@option("--profile", type=click.Choice(list(PROFILES)), help=N_("Default: the template's regime."))
def preview(
    template_file: Path, record: Path | None, output: Path, kind: str | None, profile: str | None
) -> None:
    from .docx.doctor import kind_of
    from .pipeline.preview import preview as make

    made = make(template_file, record, output, kind or kind_of(template_file), profile)
    for path in made.made:
        click.echo(str(path))
    if made.note:
        click.echo(_("note: {message}").format(message=made.note), err=True)


preview_command = template.command("preview", help=_PREVIEW_HELP)(preview)
main.add_command(copy.copy(preview_command), "preview")
main.commands["preview"].hidden = True  # the older spelling, `notice-gen preview`


def run() -> None:
    """Entry point: the language chosen, `main` run, any unexpected failure a message."""
    args = choose_language(sys.argv[1:], os.environ)
    # notice-gen uses no pydantic plugin; looking for them reads every installed package
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    later("importlib.metadata")  # which pydantic imports all the same: 15 ms of each start
    try:
        main(args, standalone_mode=True)
    except SystemExit as done:
        cli_support.leave(done.code)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        message = _("internal error ({detail}); please report it with the record that caused it")
        error(message.format(detail=detail))
        cli_support.leave(1)


main.lazy = {  # loaded when used (or listed by --help): the rest starts faster
    "register": ("notice_gen.register.cli", "register"),
    "import": ("notice_gen.importer.cli", "import_command"),
    "reissue": ("notice_gen.importer.cli", "reissue"),
    "serve": ("notice_gen.web.cli", "serve"),
    "user": ("notice_gen.web.cli", "user"),
}
