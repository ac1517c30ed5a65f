"""PDF through LibreOffice headless: one `soffice` converts a whole list of documents.

LibreOffice is an unreliable external service: each run has a time limit, a hung
run is killed and the documents it did not finish are tried again in a new one, and
a PDF failure is reported per document without touching the .docx.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import NoticeGenError
from ..i18n import _

CHUNK = 100  # documents per soffice run
SECONDS_PER_DOCUMENT = 10
START_SECONDS = 60
TRIES = 2


class PdfError(NoticeGenError):
    """LibreOffice is missing or failed."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise PdfError(
            _(
                "LibreOffice is not installed, so no PDF was made (the .docx files are written); "
                "on Debian/Ubuntu: apt-get install libreoffice-writer-nogui fonts-liberation2"
            )
        )
    return found


def to_pdf(documents: list[Path]) -> dict[Path, str]:
    """Write `X.pdf` beside each `X.docx`; returns the documents that failed, with why."""
    program = soffice()
    failed: dict[Path, str] = {}
    pending = list(documents)
    with tempfile.TemporaryDirectory(prefix="notice-gen-lo-") as profile:
        for _attempt in range(TRIES):
            retry = []
            for start in range(0, len(pending), CHUNK):
                chunk = pending[start : start + CHUNK]
                why = _convert(program, profile, chunk)
                for doc in chunk:
                    if _moved(doc):
                        failed.pop(doc, None)
                    else:
                        retry.append(doc)
                        failed[doc] = why or _("LibreOffice made no PDF")
            pending = retry
            if not pending:
                break
    return failed


def time_limit(count: int) -> float:
    """Seconds one soffice run over `count` documents may take (NOTICE_GEN_PDF_SECONDS
    sets it outright)."""
    try:
        return float(os.environ["NOTICE_GEN_PDF_SECONDS"])
    except (KeyError, ValueError):
        return START_SECONDS + SECONDS_PER_DOCUMENT * count


def _convert(program: str, profile: str, documents: list[Path]) -> str:
    """Run one soffice over `documents`, each PDF going to a hidden folder beside it."""
    folders = {doc.parent for doc in documents}
    try:
        outputs = {folder: Path(tempfile.mkdtemp(prefix=".pdf-", dir=folder)) for folder in folders}
    except OSError as exc:
        return _("cannot write beside the documents ({reason})").format(reason=exc.strerror)
    why = ""
    for folder, out in outputs.items():
        group = [str(doc) for doc in documents if doc.parent == folder]
        command = [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *group,
        ]
        limit = time_limit(len(group))
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
            )
        except OSError as exc:
            why = _("LibreOffice could not be started ({reason})").format(reason=exc.strerror)
            continue
        try:
            err = process.communicate(timeout=limit)[1]
            if process.returncode:
                detail = err.decode(errors="replace").strip()[:200]
                why = _("LibreOffice failed: {detail}").format(detail=detail)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            why = _("LibreOffice did not finish within {seconds:g} s and was stopped").format(
                seconds=limit
            )
    for doc in documents:
        made = outputs[doc.parent] / f"{doc.stem}.pdf"
        if made.is_file():
            try:
                os.replace(made, doc.parent / f".{doc.stem}.pdf.done")
            except OSError as exc:
                why = _("cannot write the PDF ({reason})").format(reason=exc.strerror)
    for out in outputs.values():
        shutil.rmtree(out, ignore_errors=True)
    return why


def _moved(doc: Path) -> bool:
    """Put a finished PDF in place (a rename, so never a partial file)."""
    done = doc.parent / f".{doc.stem}.pdf.done"
    if not done.is_file():
        return False
    try:
        os.replace(done, doc.with_suffix(".pdf"))
    except OSError:
        return False
    return True
