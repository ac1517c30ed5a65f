"""Lint a .docx against its rulebook: the rule table of format-rules.md §14.

Judged from the document's structure: the header table's cells, paragraphs and runs
with their effective formatting, section properties, header parts and their fields,
and the lengths of drawn lines. A rule that cannot be judged says so and is never
counted as passed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ..docx.package import PackageError, read_docx
from ..docx.properties import declared_profile
from ..docx.reader import Document, layout
from ..i18n import _
from ..rules.profiles import PROFILES
from . import body, closing, fonts, header, page
from . import layout as layout_rules
from .context import Context
from .detect import detect_profile
from .findings import Finding, as_json

__all__ = ["RULES", "Finding", "as_json", "check_bytes", "check_file"]

Rule = Callable[[Context], None]

RULES: dict[str, Rule] = {  # rule id -> its judge, in the order findings are reported
    "PAGE-A4": page.page_a4,
    "PAGE-MARGIN": page.page_margin,
    "FONT": fonts.font,
    "UNICODE": fonts.unicode,
    "HDR-QH": header.national,
    "HDR-TITLE": header.party_title,
    "HDR-ORG": header.issuer,
    "NUM": header.number,
    "DATE": header.date_line,
    "TITLE": body.title,
    "CV-SUBJ": body.cv_subject,
    "BODY": body.body,
    "SIGN": closing.signature,
    "RECIP": closing.recipients,
    "PAGENUM": page.page_number,
    "SYM-HYPHEN": layout_rules.symbol_hyphen,
    "RECIP-COLON": layout_rules.recipients_colon,
    "KEEP-CLOSE": layout_rules.keep_close,
}


def check_bytes(
    data: bytes, name: str, profile: str = "auto", *, package: bool = False
) -> list[Finding]:
    """All findings for the .docx `data`; `profile` is a profile name or `auto`. With
    `package`, the OOXML package is validated first (rule OOXML: what Word would refuse)."""
    findings = package_findings(data, name) if package else []
    if any(f.severity == "error" for f in findings):
        return findings
    try:
        doc = Document(data)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        message = _("not a readable .docx ({exc})").format(exc=exc)
        return [*findings, Finding(name, "FILE", "error", message)]
    declared = PROFILES.get(declared_profile(data) or "") if profile == "auto" else None
    chosen = PROFILES.get(profile) if profile != "auto" else declared or detect_profile(layout(doc))
    if chosen is None:
        message = _("neither the Quốc hiệu nor ĐẢNG CỘNG SẢN VIỆT NAM found; give --profile")
        return [Finding(name, "PROFILE", "unjudged", message)]
    context = Context(name, doc, chosen)
    for judge in RULES.values():
        judge(context)
    return findings + context.findings


def package_findings(data: bytes, name: str) -> list[Finding]:
    """What the OOXML validator says of the package, as findings of rule OOXML."""
    from ..docx.ooxml import validate_package  # the schemas load only when asked for

    return [
        Finding(name, "OOXML", f.severity, f.message, f"{f.part}:{f.line}" if f.line else f.part)
        for f in validate_package(data, suffix=Path(name).suffix or ".docx")
    ]


def check_file(path: Path, profile: str = "auto") -> list[Finding]:
    """All findings for the .docx at `path`."""
    try:
        data = read_docx(Path(path))
    except PackageError as exc:
        return [Finding(str(path), "FILE", "error", str(exc))]
    except OSError as exc:
        message = _("cannot read ({reason})").format(reason=exc.strerror)
        return [Finding(str(path), "FILE", "error", message)]
    return check_bytes(data, str(path), profile, package=True)
