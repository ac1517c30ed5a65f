"""Pages as they will print: .docx -> PDF through a LibreOffice kept warm -> PNG.

One headless `soffice` runs for the life of the desk with its own profile; each
conversion is a short `soffice --convert-to` that hands the document to it, so no
conversion pays LibreOffice's start-up. Conversions take turns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..errors import NoticeGenError
from ..i18n import _
from ..pdf import soffice

TIMEOUT = 60  # seconds for one conversion
RESOLUTION = 60  # PNG dots per inch
MAX_PAGES = 6


class Converter:
    """A warm LibreOffice turning .docx bytes into PDF bytes and page images."""

    def __init__(self) -> None:
        self.home = tempfile.mkdtemp(prefix="notice-gen-desk-lo-")
        self.profile = f"file://{self.home}/profile"
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start the long-lived LibreOffice (at once, so the first preview is quick)."""
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            [
                soffice(),
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"-env:UserInstallation={self.profile}",
                f"--accept=pipe,name=notice-gen-desk-{os.getpid()};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(1)

    def warm(self, sample: Path) -> None:
        """Start LibreOffice and convert `sample` once, so that the clerk's first preview
        finds it ready."""
        with contextlib.suppress(NoticeGenError, OSError):
            self.pdf(sample.read_bytes())

    def pdf(self, docx: bytes) -> bytes:
        """The PDF of the document `docx`; raises `NoticeGenError` when LibreOffice fails."""
        with self.lock, tempfile.TemporaryDirectory(dir=self.home) as work:
            self.start()
            source = Path(work) / "document.docx"
            source.write_bytes(docx)
            command = [
                soffice(),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={self.profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ]
            try:
                subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
            except subprocess.TimeoutExpired:
                self.stop()
                raise NoticeGenError(
                    _("LibreOffice did not finish within {seconds} s and was restarted").format(
                        seconds=TIMEOUT
                    )
                ) from None
            made = source.with_suffix(".pdf")
            if not made.is_file():
                raise NoticeGenError(_("LibreOffice made no PDF"))
            return made.read_bytes()

    def pages(self, pdf: bytes) -> list[bytes]:
        """PNG images of the first pages of `pdf`."""
        with tempfile.TemporaryDirectory(dir=self.home) as work:
            source = Path(work) / "document.pdf"
            source.write_bytes(pdf)
            command = ["pdftoppm", "-png", "-r", str(RESOLUTION), "-l", str(MAX_PAGES)]
            try:
                subprocess.run(
                    [*command, str(source), f"{work}/page"],
                    capture_output=True,
                    timeout=TIMEOUT,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                return []
            return [p.read_bytes() for p in sorted(Path(work).glob("page-*.png"))]

    def stop(self) -> None:
        """End the LibreOffice this converter started."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)
