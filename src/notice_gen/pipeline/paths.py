"""Files named inside records and sheets stay inside the folders they may come from.

A record's `template:`, a sheet's `template` column and a sheet cell naming a file
(`conclusions: ket-luan.txt`) are resolved with symlinks followed and must lie inside
an allowed folder: no absolute path, `..` or link may lead elsewhere.
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import TypeVar

from ..errors import Problem, RecordError
from ..i18n import _

FILE_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".txt")
LONGEST = 255
T = TypeVar("T")


def inside(folder: Path, name: str) -> Path | None:
    """`folder/name` with symlinks resolved, when it lies inside `folder`; else None."""
    if not name or "\x00" in name or PureWindowsPath(name).drive:
        return None
    try:
        root = folder.resolve()
        candidate = (root / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return candidate if candidate == root or root in candidate.parents else None


def record_template(record_path: Path, name: str, templates: Path | None) -> Path:
    """The template a record names, from the record's folder or the `--templates` folder."""
    folders = [record_path.parent, *([templates] if templates else [])]
    found = [path for folder in folders if (path := inside(folder, name)) is not None]
    if found:
        return next((path for path in found if path.is_file()), found[0])
    raise RecordError(
        [
            Problem(
                record_path,
                None,
                "template",
                _(
                    "{name!r} is outside the record's folder; put the template in {folder} "
                    "(or in the --templates folder) and name it without '..' or a full path"
                ).format(name=name, folder=record_path.parent),
            )
        ]
    )


def cell_file(sheet: Path, value: str, key: str = "conclusions") -> Path:
    """The file a sheet cell names (only a one-line name ending in .yaml, .txt …), inside
    the sheet's folder; a cell that is not a file name gives a path that is no file."""
    if len(value) > LONGEST or "\n" in value or not value.lower().endswith(FILE_SUFFIXES):
        return Path(os.devnull)
    found = inside(sheet.parent, value)
    if found is None:
        raise RecordError(
            [
                Problem(
                    sheet,
                    None,
                    key,
                    _(
                        "{name!r} is outside the sheet's folder; copy the file into {folder} "
                        "and name it without '..' or a full path"
                    ).format(name=value, folder=sheet.parent),
                )
            ]
        )
    return found


def read_sheet(sheet: Path, read: Callable[[], list[T]]) -> list[T]:
    """`read()` of a sheet, with a sheet that cannot be read (not UTF-8, not a workbook,
    a cell too long, a file it names unreadable) turned into a message naming it."""
    try:
        return read()
    except UnicodeDecodeError as exc:
        why = _("not UTF-8 text ({reason}); save the sheet as CSV UTF-8").format(reason=exc.reason)
    except (csv.Error, zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        why = _("cannot read the sheet ({detail}); save it again as .csv or .xlsx").format(
            detail=exc
        )
    except OSError as exc:
        why = _("cannot read: {reason}").format(reason=exc.strerror or exc)
    raise RecordError([Problem(sheet, None, "", why)])
