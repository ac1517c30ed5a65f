"""Old formats: `.doc` and `.odt` become .docx through LibreOffice, in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import NoticeGenError
from ..i18n import _
from ..pipeline.pdf import soffice

SECONDS = 120
CONVERTED = (".doc", ".odt", ".rtf")


class ConvertError(NoticeGenError):
    """LibreOffice is missing or could not convert the draft."""


def to_docx(path: Path) -> bytes:
    """The .docx bytes of the `.doc`/`.odt` draft at `path`, converted by LibreOffice."""
    try:
        program = soffice()
    except NoticeGenError as exc:
        raise ConvertError(
            _("{path}: a {suffix} draft is read through LibreOffice: {why}").format(
                path=path, suffix=path.suffix, why=exc
            )
        ) from None
    with tempfile.TemporaryDirectory(prefix="notice-gen-import-") as folder:
        work = Path(folder)
        source = work / f"draft{path.suffix.lower()}"
        source.write_bytes(path.read_bytes())
        command = [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            err = process.communicate(timeout=SECONDS)[1]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConvertError(
                _("{path}: LibreOffice did not convert it within {seconds} s").format(
                    path=path, seconds=SECONDS
                )
            ) from None
        made = work / "out" / "draft.docx"
        if process.returncode or not made.is_file():
            detail = err.decode(errors="replace").strip()[:200]
            raise ConvertError(
                _("{path}: LibreOffice could not convert it to .docx ({detail})").format(
                    path=path, detail=detail or process.returncode
                )
            )
        return made.read_bytes()
