"""The `notice-gen` command line.

Exit status: 0 done, 2 a record or the command line is wrong, 1 any other failure.
No traceback reaches the user; heavy modules load only when a command needs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import click

from . import NoticeGenError
from .i18n import _, language_from, set_language
from .rules.profiles import KINDS, PROFILES

set_language(language_from(sys.argv, os.environ))


def _warn(warnings: list) -> None:
    for warning in warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)


def _fail(exc: NoticeGenError) -> int:
    for line in str(exc).splitlines():
        click.echo(_("error: {message}").format(message=line), err=True)
    return exc.exit_code


def _run(paths: tuple[Path, ...], step, after=lambda: 0) -> None:  # type: ignore[no-untyped-def]
    """Apply `step` to each record, then `after`; a failed record never stops the others."""
    status = 0
    for path in paths:
        try:
            step(path)
        except NoticeGenError as exc:
            status = max(status, _fail(exc))
    sys.exit(max(status, after()))


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help=_("Folder for the documents."),
)
force_option = click.option(
    "--force", is_flag=True, help=_("Overwrite documents that were edited by hand.")
)
pdf_option = click.option(
    "--pdf", is_flag=True, help=_("Also make a PDF of each document (LibreOffice).")
)
templates_option = click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("A folder of your own templates (<kind or layout>.<state|party>.docx)."),
)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("""Vietnamese administrative notices from records: .docx laid out exactly as
    Nghị định 30/2020/NĐ-CP (State) or Hướng dẫn 05-HD/VPTW and 36-HD/VPTW (Party)
    require.

    \b
    Start with a record, then render it:
      notice-gen new thong-bao-ket-luan --profile nd30 > thong-bao.yaml
      notice-gen render thong-bao.yaml
    """),
)
@click.version_option(package_name="notice-gen")
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: set_language(value) if value else None,
    help=_("Language of the messages (default: Vietnamese when LANG is vi_*, else English)."),
)
def main() -> None:
    pass


@main.command(
    help=_("""Render each RECORD (YAML, JSON or TOML) to a Word document.

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
@click.option("--no-check", is_flag=True, help=_("Do not lint the documents before writing them."))
@click.option(
    "--kind", type=click.Choice(KINDS), help=_("Render another kind from the same record.")
)
@pdf_option
@templates_option
def render(
    records: tuple[Path, ...],
    output: Path,
    force: bool,
    no_check: bool,
    kind: str | None,
    pdf: bool,
    templates: Path | None,
) -> None:
    from . import render_file

    made: list[Path] = []

    def step(path: Path) -> None:
        written, warnings = render_file(
            path, output, force=force, check=not no_check, kind=kind, templates=templates
        )
        _warn(warnings)
        made.append(written)
        click.echo(f"{path} -> {written}")

    _run(records, step, after=lambda: _pdf(made) if pdf and made else 0)


def _pdf(documents: list[Path]) -> int:
    """Make the PDFs; their failures are reported and never undo a .docx."""
    from .pipeline.pdf import to_pdf

    try:
        failed = to_pdf(documents)
    except NoticeGenError as exc:
        return _fail(exc)
    _pdf_failed(failed)
    done = len(documents) - len(failed)
    click.echo(
        _("{done} PDF(s) written, {failed} failed").format(done=done, failed=len(failed)), err=True
    )
    return 1 if failed else 0


def _pdf_failed(failed: dict[Path, str]) -> int:
    for document, why in failed.items():
        click.echo(
            _("error: {message}").format(message=f"{document.with_suffix('.pdf')}: {why}"), err=True
        )
    return 1


@main.command(
    help=_("""Check each RECORD against the record format and its profile, writing nothing.

    \b
    Example:
      notice-gen validate data/*.yaml
    """)
)
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(records: tuple[Path, ...]) -> None:
    from . import read_record

    def step(path: Path) -> None:
        warnings = read_record(path)[1]
        _warn(warnings)
        click.echo(_("{path}: ok").format(path=path))

    _run(records, step)


@main.command(
    help=_("""Render every record of the SOURCES: folders of records (recursive), YAML files
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
@click.option(
    "--base",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=_("A record whose keys every sheet row or record starts from."),
)
@click.option(
    "--name", "pattern", help=_("Output names, e.g. '{number}-{kind}' or '{signer.name}'.")
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help=_("Worker processes."),
)
@force_option
@click.option("--resume", is_flag=True, help=_("Skip what an interrupted run already finished."))
@click.option("--wait", is_flag=True, help=_("Wait for another run into the same folder to end."))
@click.option(
    "--check-all",
    is_flag=True,
    help=_("Check every document, not only the first of each template."),
)
@click.option("--no-check", is_flag=True, help=_("Do not check the documents."))
@pdf_option
@templates_option
def batch(
    sources: tuple[Path, ...],
    output: Path,
    base: Path | None,
    pattern: str | None,
    workers: int,
    force: bool,
    resume: bool,
    check_all: bool,
    no_check: bool,
    pdf: bool,
    templates: Path | None,
    wait: bool,
) -> None:
    from .pipeline import batch as engine

    try:
        jobs = engine.jobs_from(list(sources), base)
    except NoticeGenError as exc:
        sys.exit(_fail(exc))
    if not jobs:
        click.echo(
            _("error: {message}").format(message=_("no records found in the sources")), err=True
        )
        sys.exit(2)
    check = "none" if no_check else "all" if check_all else "first"
    tty = sys.stderr.isatty()
    counter = {"done": 0}

    def report(result) -> None:  # type: ignore[no-untyped-def]
        counter["done"] += 1
        if not tty and counter["done"] % max(1, len(jobs) // 10) == 0:
            click.echo(
                _("{done}/{total} documents").format(done=counter["done"], total=len(jobs)),
                err=True,
            )

    options = {
        "workers": workers,
        "pattern": pattern,
        "force": force,
        "resume": resume,
        "check": check,
        "templates": templates,
        "wait": wait,
    }
    try:
        if tty:
            with click.progressbar(length=len(jobs), label="notice-gen", file=sys.stderr) as bar:
                progress = lambda r: (report(r), bar.update(1))  # noqa: E731
                results = engine.run(jobs, output, progress=progress, **options)
        else:
            results = engine.run(jobs, output, progress=report, **options)
    except NoticeGenError as exc:
        sys.exit(_fail(exc))
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


def _summary(results: list, output: Path) -> int:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        for line in result.error.splitlines():
            click.echo(_("error: {message}").format(message=line), err=True)
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    summary = _("{total} documents: {parts} (manifest: {manifest})")
    click.echo(
        summary.format(total=len(results), parts=parts, manifest=output / "manifest.csv"), err=True
    )
    return max((r.exit_code for r in results), default=0)


@main.command(
    help=_("""Lint each DOCUMENT (.docx, made by notice-gen or by hand) against its rulebook.

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
@click.option(
    "--profile",
    type=click.Choice(["auto", *PROFILES]),
    default="auto",
    show_default=True,
    help=_("The rulebook to judge by; auto reads it from the header (and the date)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the findings as JSON."))
def check(documents: tuple[Path, ...], profile: str, as_json: bool) -> None:
    import json

    from .lint.check import as_json as to_json
    from .lint.check import check_file

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
    help=_("""Print a starter record for KIND (a whole meeting record: the other kinds render
    from it too), its keys explained in Vietnamese.

    \b
    Example:
      notice-gen new thong-bao-ket-luan --profile party-hd05 > thong-bao.yaml
    """)
)
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--profile",
    type=click.Choice(list(PROFILES)),
    default="nd30",
    show_default=True,
    help=_("The rulebook: nd30 (State), party-hd05 (Party, 2026), party-hd36 (Party, 2018)."),
)
def new(kind: str, profile: str) -> None:
    regime = "state" if profile == "nd30" else "party"
    starter = resources.files(__package__).joinpath("starters", f"meeting.{regime}.yaml")
    text = starter.read_text("utf-8").replace("profile: party-hd05", f"profile: {profile}")
    click.echo(text.replace("kind: thong-bao-ket-luan ", f"kind: {kind} "), nl=False)


@main.command(
    help=_("""Convert text typed in TCVN3 (.VnTime) or VNI-Windows inside each RECORD to Unicode
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
    from .pipeline.write import atomic_write
    from .record.text import convert_file

    for record in records:
        original = record.read_bytes()
        try:
            text, changed = convert_file(original.decode("utf-8-sig"))
        except UnicodeDecodeError:
            click.echo(
                _("error: {message}").format(
                    message=_("{path}: not UTF-8 text").format(path=record)
                ),
                err=True,
            )
            sys.exit(2)
        if not changed and text.encode("utf-8") == original:
            click.echo(_("{path}: already Unicode, unchanged").format(path=record))
            continue
        backup = record.with_name(record.name + ".bak")
        atomic_write(backup, original)
        atomic_write(record, text.encode("utf-8"))
        click.echo(
            _("{path}: {count} line(s) converted; the original is {backup}").format(
                path=record, count=changed, backup=backup
            )
        )


@main.group(
    help=_("""List, export, check and repair Word templates.

    \b
    Examples:
      notice-gen template list
      notice-gen template export van-ban.state my-office.docx
      notice-gen template check my-office.docx --fix
    """)
)
def template() -> None:
    pass


@template.command(
    "list",
    help=_("""The built-in templates and yours, with the kinds and the regime each serves."""),
)
@click.option(
    "--templates",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help=_("A folder of your own templates, which win over the built-in ones."),
)
def template_list(folder: Path | None) -> None:
    from .docx.template import available_templates

    for name, path, kinds, regime, origin in available_templates(folder):
        click.echo(f"{name:<24} {origin:<9} {regime:<6} {', '.join(kinds):<40} {path}")


@template.command(
    "export",
    help=_("""Copy the built-in template NAME (see `template list`) to DEST to start from."""),
)
@click.argument("name")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
def template_export(name: str, dest: Path) -> None:
    from .docx.template import builtin_templates
    from .pipeline.write import atomic_write

    source = builtin_templates() / (name if name.endswith(".docx") else f"{name}.docx")
    if not source.is_file():
        click.echo(
            _("error: {message}").format(
                message=_("no built-in template {name!r}; see notice-gen template list").format(
                    name=name
                )
            ),
            err=True,
        )
        sys.exit(2)
    if dest.exists():
        click.echo(
            _("error: {message}").format(message=_("{path} exists; it is kept").format(path=dest)),
            err=True,
        )
        sys.exit(1)
    atomic_write(dest, source.read_bytes())
    click.echo(f"{source.name} -> {dest}")


@template.command(
    "check",
    help=_("""Report every problem of a template FILE at once: Jinja syntax, blocks never
    closed, tags split across runs with different formatting, smart quotes, proofing
    marks, misplaced {%p %}/{%tr %}, variables the record model does not give (with the
    closest valid one), a missing signature block or Nơi nhận. Each with its part,
    table/row/cell, paragraph and the text around it. Exit status 1 on errors.
    """),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind", type=click.Choice(KINDS), help=_("The kind it is for (default: from its name).")
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the problems as JSON."))
@click.option(
    "--fix", is_flag=True, help=_("Write a repaired copy (FILE.fixed.docx, or --output).")
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("Where --fix writes; the input itself only when named here."),
)
def template_check(
    file: Path, kind: str | None, as_json: bool, fix: bool, output: Path | None
) -> None:
    import json

    from .docx import doctor
    from .pipeline.write import atomic_write

    kind = kind or doctor.kind_of(file)
    data = file.read_bytes()
    if fix:
        target = output or file.with_name(f"{file.stem}.fixed.docx")
        atomic_write(target, doctor.repair(data))
        click.echo(_("repaired copy: {path}").format(path=target), err=True)
        data = target.read_bytes()
    issues = doctor.diagnose(data, kind)[0]
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
    help=_("""The variables FILE prints, beside everything the record model offers its kind."""),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind", type=click.Choice(KINDS), help=_("The kind it is for (default: from its name).")
)
def template_vars(file: Path, kind: str | None) -> None:
    from .docx import doctor

    kind = kind or doctor.kind_of(file)
    used = doctor.diagnose(file.read_bytes(), kind)[1]
    known = doctor.model_variables(kind)
    click.echo(f"{'variable':<32} {'used':<5} example")
    for path, example in sorted(known.items()):
        shown = str(example).replace("\n", " ")[:50]
        click.echo(f"{path:<32} {'yes' if path in used else '':<5} {shown}")


@main.command(
    help=_("""Render TEMPLATE_FILE with RECORD, or with a sample record of its kind, to .docx
    and, where LibreOffice is installed, to PDF and a PNG of page 1.

    \b
    Example:
      notice-gen preview my-office.docx
    """)
)
@click.argument("template_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("record", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output/preview"),
    show_default=True,
)
@click.option("--kind", type=click.Choice(KINDS), help=_("The kind (default: from the name)."))
@click.option(
    "--profile", type=click.Choice(list(PROFILES)), help=_("Default: the template's regime.")
)
def preview(
    template_file: Path, record: Path | None, output: Path, kind: str | None, profile: str | None
) -> None:
    from . import render_record
    from .docx import doctor
    from .pipeline.pdf import to_pdf
    from .pipeline.write import atomic_write

    kind = kind or doctor.kind_of(template_file)
    try:
        if record is None:
            from .record.load import Source, select_kind
            from .record.validate import validate

            profile = profile or ("party-hd05" if ".party" in template_file.name else "nd30")
            regime = "state" if profile == "nd30" else "party"
            text = resources.files(__package__).joinpath("starters", f"meeting.{regime}.yaml")
            import yaml

            from .record.load import _TextLoader

            data = yaml.load(text.read_text("utf-8"), Loader=_TextLoader)
            data["profile"] = profile
            rec = validate(select_kind(Source(Path("sample.yaml"), data), kind, KINDS))[0]
        else:
            from . import read_record

            rec = read_record(record, kind)[0]
        output.mkdir(parents=True, exist_ok=True)
        target = output / f"{template_file.stem}.docx"
        atomic_write(target, render_record(rec, template_file))
    except NoticeGenError as exc:
        sys.exit(_fail(exc))
    click.echo(str(target))
    try:
        failed = to_pdf([target])
    except NoticeGenError as exc:
        click.echo(_("note: {message}").format(message=exc), err=True)
        return
    pdf = target.with_suffix(".pdf")
    if failed:
        sys.exit(_pdf_failed(failed))
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(target.with_suffix("")),
            ],
            check=False,
        )
        click.echo(str(pdf))
        click.echo(str(target.with_suffix(".png")))


def run() -> None:
    """Entry point: `main` with every unexpected failure turned into a message."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):  # --lang may stand anywhere; it was read at import
        if arg == "--lang":
            del args[i : i + 2]
            break
        if arg.startswith("--lang="):
            del args[i]
            break
    try:
        main(args, standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(
            _("error: {message}").format(
                message=_(
                    "internal error ({detail}); please report it with the record that caused it"
                ).format(detail=f"{type(exc).__name__}: {exc}")
            ),
            err=True,
        )
        sys.exit(1)
