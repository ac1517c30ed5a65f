"""The cheap check of `batch --check-all`: the rules a document's values decide, judged
from the values the compose step gave the template instead of from the .docx.

The layout (styles, sizes, bold, page, fields) is the compiled template's and is the
same for every document of that template and profile; it is linted in full once
(`lint.check.check_bytes`). What varies per document are the texts: the number and date
lines, the Nơi nhận lines, the signing lines, the capitals of the names, and the lengths
of the drawn lines against the widths of the texts above them. They are judged here by
the same functions the full linter uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import _
from ..rules.bounds import RULE_UNDER
from ..rules.metrics import width
from ..rules.profiles import Profile, text_width
from .body import subject_line_problem
from .closing import foreign_marker, recipient_problems
from .context import line_problem
from .findings import Finding
from .header import capitals, date_problem, number_problem

__all__ = ["check_values"]


def check_values(values: Mapping[str, Any], profile: Profile, name: str) -> list[Finding]:
    """The findings for the document `name` rendered from `values` (`compose.context`)
    under `profile`, for the rules its values decide."""
    findings: list[Finding] = []

    def error(rule: str, message: str, where: str) -> None:
        findings.append(Finding(name, rule, "error", message, where))

    header = _("header table")
    problem = number_problem(str(values["number_line"]), profile)
    if problem:
        error("NUM", problem, header)
    date = str(values["date_line"])
    problem = date_problem(date) if date else None  # ND 30 minutes carry none
    if problem:
        error("DATE", problem, header)
    for line in [*values["parent_lines"], *values["issuer_lines"]]:
        if not capitals(str(line)):
            error("HDR-ORG", _("write body names in capitals"), header)
    recipients = [str(line) for line in values["recipients"]]
    for _index, problem in recipient_problems(recipients, profile):
        error("RECIP", problem, _("the Nơi nhận block"))
    _signatures(values, profile, error)
    if profile.regime == "state":
        _lines(values, profile, error)
    return findings


def _signatures(values: Mapping[str, Any], profile: Profile, error: Any) -> None:
    where = _("signature cell")
    if values["kind"] == "bien-ban":
        for signer in values["minutes_signers"]:
            if not capitals(str(signer["title"])):
                error("SIGN", _("write the signing title in capitals"), where)
        return
    signer = values["signer"]
    for line in (str(signer["authority_line"]), str(signer["position"])):
        if not line.strip():
            continue
        problem = foreign_marker(line, profile)
        if problem:
            error("SIGN", problem, where)
        if not capitals(line):
            error("SIGN", _("write the authority and position lines in capitals"), where)


def _lines(values: Mapping[str, Any], profile: Profile, error: Any) -> None:
    """State: the lines under the issuing body and under the subject."""
    styles, drawn = profile.styles, values["rules"]
    issuer = [
        width(part, styles["NGIssuer"].size, bold=True)
        for line in values["issuer_lines"]
        for part in str(line).split("\n")
    ]
    problem = line_problem(drawn["issuer"], max(issuer), RULE_UNDER, _("issuing body"))
    if problem:
        error("HDR-ORG", problem, _("header table"))
    if not str(values["subject"]).strip():
        return
    subject = min(
        max(
            width(line, styles["NGSubject"].size, bold=True)
            for line in str(values["subject"]).split("\n")
        ),
        text_width(profile),
    )
    problem = subject_line_problem(drawn["subject"], subject)
    if problem:
        error("TITLE", problem, _("title"))
