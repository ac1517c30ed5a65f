"""Output names from `--name` patterns: plain record fields only, always inside the folder.

A pattern such as `{number}-{issuer.code}` names fields by dotted keys of the record
(and `{stem}`, `{row}`); attribute or index access, conversions and format specs are
refused, as are absolute paths, `..` and folder separators. The values put in are
made safe for every file system: `<>:"/\\|?*` and control characters become `-`,
Windows device names (`CON`, `NUL.txt` …) get a `_`, and long names are cut.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

from ..errors import NoticeGenError, OutputError, Problem, RecordError
from ..i18n import _

FIELD = re.compile(r"\w[\w-]*(\.\w[\w-]*)*")
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.I)
LONGEST = 120  # characters of a name, before .docx


class PatternError(NoticeGenError):
    """A `--name` pattern that is refused. Exit status 2."""

    exit_code = 2


def fields(pattern: str) -> list[tuple[str, str | None]]:
    """(text, field name or None) pieces of `pattern`; raises `PatternError` when unsafe."""

    def refuse(why: str) -> PatternError:
        return PatternError(
            _("--name {pattern!r}: {why}").format(pattern=pattern, why=why)
            + "\n"
            + _("use plain field names such as '{number}-{issuer.code}' or '{stem}'")
        )

    if "/" in pattern or "\\" in pattern or pattern.startswith("~") or ".." in pattern:
        raise refuse(_("folders, '..' and full paths are not allowed; choose the folder with -o"))
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise refuse(str(exc)) from None
    pieces: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        pieces.append((literal, name))
        if name is None:
            continue
        if spec or conversion:
            raise refuse(_("{field!r} has a format; give the field name only").format(field=name))
        if not FIELD.fullmatch(name) or any(part.startswith("_") for part in name.split(".")):
            raise refuse(_("{field!r} is not a plain field name").format(field=name or "{}"))
    return pieces


def from_pattern(pattern: str, data: dict[str, Any], source: Path) -> str:
    """The file name (with .docx) `pattern` gives for a record's `data`."""
    text = ""
    for literal, name in fields(pattern):
        text += literal
        if name is None:
            continue
        value: Any = data
        for key in name.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or isinstance(value, (dict, list)) or value == "":
            raise RecordError(
                [
                    Problem(
                        source,
                        None,
                        name,
                        _("--name {pattern!r}: the record has no {key}").format(
                            pattern=pattern, key=repr(name)
                        ),
                    )
                ]
            )
        text += safe(str(value))
    return finish(text, source)


def safe(text: str) -> str:
    """`text` as part of a file name: no separators, reserved or control characters."""
    return UNSAFE.sub("-", text)


def finish(name: str, source: Path) -> str:
    """A whole name: cut to length, no leading/trailing dots or spaces, no device name."""
    name = safe(name).strip(" .")[:LONGEST].strip(" .")
    if not name:
        raise RecordError([Problem(source, None, "", _("--name gives an empty file name"))])
    if RESERVED.fullmatch(name):
        name = "_" + name
    return f"{name}.docx"


def inside_folder(folder: Path, name: str) -> Path:
    """`folder/name`, checked to lie inside `folder` (symlinks resolved)."""
    plain = not UNSAFE.search(name) and name.strip(".")
    if plain and not (folder / name).is_symlink():
        return folder / name  # a child of the folder, no link: inside without resolving
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise PatternError(
            _("{name}: would be written outside {folder}; it is refused").format(
                name=name, folder=folder
            )
        )
    return folder / name


def refuse_collisions(jobs: list[Any], results: list[Any]) -> None:
    """Raise `OutputError` naming the jobs (not failed already: no result) that would write
    the same document."""
    seen: dict[str, Any] = {}
    clashes = []
    for job, result in zip(jobs, results, strict=True):
        if result is not None:
            continue
        if job.name in seen:
            first = seen[job.name]
            clashes.append(
                _("{name}: from {first} and {second}").format(
                    name=job.name,
                    first=f"{first.source} {first.where}".strip(),
                    second=f"{job.source} {job.where}".strip(),
                )
            )
        seen[job.name] = job
    if clashes:
        raise OutputError(
            _("two records would write the same document (use --name):")
            + "\n  "
            + "\n  ".join(clashes)
        )
