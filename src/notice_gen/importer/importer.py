"""One draft to one record: read, recognise, write the YAML text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .read import paragraphs, read_draft
from .recognise import Recogniser
from .record import dump


@dataclass(frozen=True)
class Imported:
    """The record's YAML text, what the importer found, and the words it must keep."""

    text: str
    findings: list[Finding]
    words: Counter[str]  # every word of the body, Nơi nhận and signature


def words(text: str) -> Counter[str]:
    """The words of `text`, case-folded, as a multiset."""
    return Counter(re.findall(r"\w+", text.casefold()))


def import_draft(path: Path, kind: str = "auto", profile: str = "auto") -> Imported:
    """Read the draft at `path` (.docx, .doc, .odt) into a record in the record format."""
    path = Path(path)
    paras = read_draft(path)
    recogniser = Recogniser(paras, kind, profile, str(path))
    data = recogniser.run()
    kept = words(" ".join(p.text for p in paras[recogniser.body_start :]))
    kept -= words(" ".join(recogniser.left_out))
    return Imported(dump(data, recogniser.guesses, path.name), recogniser.findings, kept)


def missing(imported: Imported, document: bytes, name: str) -> list[str]:
    """Words of the draft that the re-issued `document` does not say, in draft order."""
    printed = words(" ".join(p.text for p in paragraphs(document, name)))
    return sorted(imported.words - printed)
