"""A template seen with a record: .docx, and where LibreOffice is installed, PDF and a
PNG of page 1."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write
from ..errors import NoticeGenError
from ..record.starters import sample
from ..record.validate import validate
from ..rules.profiles import PROFILES
from .document import read_record, render_record
from .pdf import to_pdf

PNG_DPI = 70


@dataclass
class Preview:
    """The files made, and why the PDF could not be, if so."""

    made: list[Path] = field(default_factory=list)
    note: str = ""


def preview(
    template: Path, record: Path | None, out_dir: Path, kind: str, profile: str | None = None
) -> Preview:
    """Render `template` with `record`, or with the starter record of `kind` under
    `profile` (default: the template's regime), into `out_dir`."""
    if record is None:
        regime = "party" if ".party" in template.name else "state"
        chosen = profile or next(p.name for p in PROFILES.values() if p.regime == regime)
        rec = validate(sample(kind, chosen))[0]
    else:
        rec = read_record(record, kind)[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{template.stem}.docx"
    atomic_write(target, render_record(rec, template))
    result = Preview([target])
    try:
        failed = to_pdf([target])
    except NoticeGenError as exc:
        result.note = str(exc)
        return result
    pdf = target.with_suffix(".pdf")
    if failed or not shutil.which("pdftoppm"):
        return result
    page = ["-png", "-r", str(PNG_DPI), "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run(["pdftoppm", *page, str(pdf), str(target.with_suffix(""))], check=False)
    result.made += [pdf, target.with_suffix(".png")]
    return result
