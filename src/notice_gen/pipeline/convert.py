"""`notice-gen convert`: TCVN3 and VNI text in a record file turned into Unicode, in
place, the original kept beside it."""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write
from ..errors import Problem, RecordError
from ..i18n import _
from ..record.text import convert_file


def convert_record(path: Path) -> tuple[int, Path | None]:
    """Convert the record at `path`; returns the number of lines converted and the
    backup (`RECORD.bak`), or None when the file was already Unicode and is unchanged."""
    original = path.read_bytes()
    try:
        text, changed = convert_file(original.decode("utf-8-sig"))
    except UnicodeDecodeError:  # raw 8-bit TCVN3 or VNI bytes
        text, changed = convert_file(original.decode("latin-1"))
        if not changed:
            message = _("neither UTF-8 nor TCVN3 or VNI text")
            raise RecordError([Problem(path, None, "", message)]) from None
    if not changed and text.encode("utf-8") == original:
        return 0, None
    backup = path.with_name(path.name + ".bak")
    atomic_write(backup, original)
    atomic_write(path, text.encode("utf-8"))
    return changed, backup
