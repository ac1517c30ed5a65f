"""Run by LibreOffice's own Python (it needs `uno`): converts documents to PDF through
one LibreOffice kept running, on requests read from standard input.

Protocol, one line each: the desk writes `<source.docx>\t<target.pdf>`, the bridge
answers `ok` or `error <reason>`. It starts LibreOffice with the profile and pipe name
given as arguments and stops it when standard input closes.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(soffice: str, profile: str, pipe: str) -> tuple[subprocess.Popen[bytes], object]:
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            desktop = context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
            return office, desktop
        except Exception:
            time.sleep(0.1)
    raise SystemExit("LibreOffice did not start")


def convert(desktop: object, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(  # type: ignore[attr-defined]
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),)
        )
    finally:
        document.close(True)


def main() -> None:
    soffice, profile, pipe = sys.argv[1:4]
    office, desktop = connect(soffice, profile, pipe)
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            source, _, target = line.rstrip("\n").partition("\t")
            try:
                convert(desktop, source, target)
                print("ok", flush=True)
            except Exception as exc:
                print(f"error {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()  # type: ignore[attr-defined]
        office.wait(timeout=20)


if __name__ == "__main__":
    main()
