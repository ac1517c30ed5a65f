"""Pages as they will print: .docx -> PDF through a LibreOffice kept warm -> PNG.

One headless `soffice` runs for the life of the desk with its own profile, driven
over UNO by a small bridge in LibreOffice's Python, so no conversion pays
LibreOffice's start-up. Conversions take turns.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import NoticeGenError
from ..i18n import _
from ..pipeline.pdf import soffice

TIMEOUT = 60  # seconds for one conversion
START_SECONDS = 90
RESOLUTION = 60  # PNG dots per inch
MAX_PAGES = 6


BRIDGE = Path(__file__).resolve().parent / "lo_bridge.py"
PYTHONS = (
    "/usr/bin/python3",
    "/usr/lib/libreoffice/program/python",
    "/opt/libreoffice/program/python",
)


@functools.cache
def uno_python() -> str | None:
    """A Python that can drive LibreOffice (Debian: package python3-uno), if any."""
    for python in PYTHONS:
        try:
            found = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0:
            return python
    return None


class Converter:
    """.docx bytes into PDF bytes and page images, through one LibreOffice kept running
    (driven over UNO by `lo_bridge.py`); without a UNO-capable Python, each conversion
    starts LibreOffice anew."""

    def __init__(self) -> None:
        self.home = tempfile.mkdtemp(prefix="notice-gen-desk-lo-")
        self.profile = f"file://{self.home}/profile"
        self.bridge: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()

    def warm(self, sample: Path) -> None:
        """Start LibreOffice and convert `sample` once, so that the clerk's first preview
        finds it ready."""
        with contextlib.suppress(NoticeGenError, OSError):
            self.pdf(sample.read_bytes())

    def _start(self) -> subprocess.Popen[str] | None:
        if self.bridge is not None and self.bridge.poll() is None:
            return self.bridge
        python = uno_python()
        if python is None:
            return None
        pipe = f"notice-gen-desk-{os.getpid()}-{id(self)}"
        self.bridge = subprocess.Popen(
            [python, str(BRIDGE), soffice(), self.profile, pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        if self._answer(START_SECONDS) != "ready":
            self.stop()
            raise NoticeGenError(_("LibreOffice made no PDF"))
        return self.bridge

    def _answer(self, seconds: float) -> str:
        assert self.bridge is not None and self.bridge.stdout is not None
        ready, _w, _x = select.select([self.bridge.stdout], [], [], seconds)
        return self.bridge.stdout.readline().strip() if ready else ""

    def pdf(self, docx: bytes) -> bytes:
        """The PDF of the document `docx`; raises `NoticeGenError` when LibreOffice fails."""
        with self.lock, tempfile.TemporaryDirectory(dir=self.home) as work:
            source = Path(work) / "document.docx"
            source.write_bytes(docx)
            made = source.with_suffix(".pdf")
            bridge = self._start()
            if bridge is None:
                self._cold(source, work)
            else:
                assert bridge.stdin is not None
                bridge.stdin.write(f"{source}\t{made}\n")
                bridge.stdin.flush()
                answer = self._answer(TIMEOUT)
                if answer != "ok":
                    self.stop()
                    why = answer or _(
                        "LibreOffice did not finish within {seconds} s and was restarted"
                    ).format(seconds=TIMEOUT)
                    raise NoticeGenError(_("LibreOffice failed: {detail}").format(detail=why))
            if not made.is_file():
                raise NoticeGenError(_("LibreOffice made no PDF"))
            return made.read_bytes()

    def _cold(self, source: Path, work: str) -> None:
        command = [soffice(), "--headless", "--norestore", f"-env:UserInstallation={self.profile}",
                   "--convert-to", "pdf", "--outdir", work, str(source)]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise NoticeGenError(
                _("LibreOffice did not finish within {seconds} s and was restarted").format(
                    seconds=TIMEOUT
                )
            ) from None

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
        """End the bridge and the LibreOffice it started."""
        bridge, self.bridge = self.bridge, None
        if bridge is None or bridge.poll() is not None:
            return
        assert bridge.stdin is not None
        with contextlib.suppress(OSError):
            bridge.stdin.close()
        try:
            bridge.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(bridge.pid, signal.SIGKILL)
            bridge.wait()
        for stream in (bridge.stdout, bridge.stderr):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        with self.lock:
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)
