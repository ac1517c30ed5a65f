"""Word drafts -> records: read a hand-typed notice, invitation or minutes (.docx, .doc,
.odt), recognise its parts, and write a record that re-issues it to the rulebook.

Stages: `read` (paragraphs, emphasis, list numbering), `recognise` (with `body`,
`meeting`), `record` (the YAML text); `importer.import_draft` joins them. They load
when first used, so the command line starts fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DraftError", "Finding", "Imported", "import_draft"]


def __getattr__(name: str) -> Any:
    if name in ("Imported", "import_draft"):
        from . import importer

        return getattr(importer, name)
    if name == "Finding":
        from .findings import Finding

        return Finding
    if name == "DraftError":
        from .read import DraftError

        return DraftError
    raise AttributeError(name)
