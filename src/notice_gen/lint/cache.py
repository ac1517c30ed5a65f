"""The linter's verdicts kept on disk, so that a document rendered again is not linted again.

The findings of `check.check_bytes` depend on nothing but the document's bytes, its name,
the profile's values, the code that judges it and the language of the messages: `checked` keeps
them under a key made of all of these, beside the compiled templates
(`docx.template.cache_dir`). Rendering an unchanged record through an unchanged template
gives the same bytes and the same findings without loading the linter; any change
(record, template, profile, notice-gen itself, `--lang`) gives another key, and the
document is linted in full. The newest entries are kept; old ones are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from functools import cache
from pathlib import Path

from ..docx import kept
from ..docx.template import cache_dir
from ..i18n import catalog
from ..rules.profiles import PROFILES
from .findings import Finding

__all__ = ["KEEP", "checked", "code_digest", "folder"]

PACKAGE = Path(__file__).resolve().parents[1]
SOURCES = ("lint", "rules", "docx", "record")  # the linter and all it reads documents with
KEEP = kept.KEEP  # verdicts kept; the oldest half goes when there are more


def folder() -> Path:
    """Where the verdicts are kept."""
    return cache_dir() / "lint"


@cache
def code_digest(messages: Path) -> bytes:
    """A digest of the code a verdict depends on: the modules and data files of
    `SOURCES`, the shared modules, and the catalog of the messages (`i18n.catalog`), each
    known by its name, size and time of change, as Python knows its compiled modules."""
    digest = hashlib.sha256()
    files = [p for part in SOURCES for p in sorted((PACKAGE / part).iterdir())]
    shared = [PACKAGE / "i18n.py", PACKAGE / "errors.py", messages]
    for path in [*(p for p in files if p.suffix in (".py", ".json")), *shared]:
        with contextlib.suppress(OSError):
            found = path.stat()
            digest.update(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
    return digest.digest()


def checked(data: bytes, name: str, profile: str) -> list[Finding]:
    """`check.check_bytes(data, name, profile)`, from the disk when this document was
    judged before."""
    key = hashlib.sha256(code_digest(catalog()))
    rules = repr(PROFILES.get(profile)).encode()  # its values, as the linter reads them
    for part in (name.encode(), profile.encode(), rules, data):
        key.update(len(part).to_bytes(8, "big") + part)
    path = folder() / f"{key.hexdigest()}.marshal"
    if (body := kept.read(path)) is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            return [Finding(name, *fields) for fields in marshal.loads(body)]
    from .check import check_bytes  # loaded only when a document is judged

    findings = check_bytes(data, name, profile)
    kept.write(
        path, marshal.dumps([(f.rule, f.severity, f.message, f.where) for f in findings]), KEEP
    )
    return findings
