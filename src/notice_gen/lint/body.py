"""Rules of the title block and the text: TITLE, CV-SUBJ, BODY."""

from __future__ import annotations

from ..docx.ns import TWIPS_PER_MM, TWIPS_PER_PT
from ..docx.reader import Para
from ..i18n import _
from ..rules.bounds import MIN_SPACING, RULE_SLACK, RULE_UNDER, SINGLE_LINE
from ..rules.metrics import width
from ..rules.wording import TITLE_SEPARATOR
from .context import Context
from .findings import points, span


def _first_letter(text: str) -> str:
    return next((ch for ch in text if ch.isalpha()), "A")


def title(c: Context) -> None:
    block = c.title()
    if not block:
        if c.cv_subject() is None:
            message = _("no document type (THÔNG BÁO, BIÊN BẢN …) under the header")
            c.error("TITLE", message, _("body"))
        return
    kind, subject = block[0], block[1:]
    c.caps_bold(kind, "TITLE", _("document type"), "NGDocType")
    if kind.align != "center":
        c.error("TITLE", _("the document type is not centred; centre it"), kind.where)
    if not subject:
        c.error("TITLE", _("no subject (trích yếu) under the document type"), kind.where)
        return
    for p in subject:
        c.caps_bold(p, "TITLE", _("subject"), "NGSubject")
    last = subject[-1]
    if c.party:
        first_line = last.text.strip()
        if first_line[:1].isupper() and first_line != first_line.upper():
            c.add(
                "TITLE",
                "warning",
                _("the subject starts with a capital letter; a Party subject starts in lower case"),
                last.where,
            )
        index = c.lay.body.index(last)
        after = next((p for p in c.lay.body[index + 1 :] if p.text.strip()), None)
        if after is None or after.text.strip() != TITLE_SEPARATOR:
            c.error("TITLE", _("five hyphens '-----' must follow the subject"), last.where)
        return
    if not _first_letter(subject[0].text).isupper():
        c.error(
            "TITLE",
            _("the subject starts in lower case; write its first letter as a capital"),
            subject[0].where,
        )
    length = c.line_under(last)
    if length is None:
        c.error("TITLE", _("no line under the subject"), last.where)
        return
    widest = min(
        max(
            width(line, max(p.sizes(), default=14), bold=True)
            for p in subject
            for line in p.text.split("\n")
        ),
        c.widest_text(),
    )
    problem = subject_line_problem(length, widest)
    if problem:
        c.error("TITLE", problem, last.where)


def subject_line_problem(length: int, widest: int) -> str | None:
    """What is wrong with the line `length` twips long under a State subject whose
    widest line is `widest` twips, or None."""
    low, high = (share * widest for share in RULE_UNDER)
    if low * (1 - RULE_SLACK) <= length <= high * (1 + RULE_SLACK):
        return None
    message = _(
        "line under the subject is {value:.0f} mm; expected 1/3–1/2 of the "
        "subject line (≈ {value2:.0f}–{value3:.0f} mm)"
    )
    return message.format(
        value=length / TWIPS_PER_MM, value2=low / TWIPS_PER_MM, value3=high / TWIPS_PER_MM
    )


def cv_subject(c: Context) -> None:
    subject = c.cv_subject()
    if subject is None:
        return  # not a công văn
    low, high = c.bounds.sizes["NGCvSubject"]
    size = max(subject.sizes(), default=0)
    if c.party:
        if not subject.all("italic") or not low <= size <= high:
            c.error(
                "CV-SUBJ",
                _("the công văn subject should be 12 pt italic; format it so"),
                subject.where,
            )
    elif not subject.text.startswith("V/v") or subject.any("bold") or not low <= size <= high:
        message = _(
            "the công văn subject should read 'V/v …', 12–13 pt, upright, not bold; correct it"
        )
        c.error("CV-SUBJ", message, subject.where)


def body(c: Context) -> None:
    paras = c.body()
    if not paras:
        c.add("BODY", "unjudged", _("no body paragraphs found"), _("body"))
        return
    accepted = c.bounds.sizes["NGBody"]
    for p in paras:
        problems = []
        found = p.sizes()
        if found and not (accepted[0] <= min(found) and max(found) <= accepted[1]):
            message = _("size {value} (expected {expected})")
            problems.append(message.format(value=points(found), expected=span(accepted)))
        if p.align not in ("both", "distribute"):
            problems.append(_("not justified"))
        indent = p.first_line / TWIPS_PER_MM
        if not any(low <= indent <= high for low, high in c.bounds.first_line):
            expected = " / ".join(f"{(low + high) / 2:g}" for low, high in c.bounds.first_line)
            message = _("first-line indent {value:.1f} mm (expected {expected} mm)")
            problems.append(message.format(value=indent, expected=expected))
        if p.before < MIN_SPACING and p.after < MIN_SPACING:
            problems.append(_("paragraph spacing below 6 pt"))
        problems += _line_spacing(c, p)
        if problems:
            c.error("BODY", "; ".join(problems), p.where)
    end = paras[-1].text.rstrip()
    if c.party and not end.endswith("."):
        c.add(
            "BODY",
            "warning",
            _("the last body paragraph should end with a full stop; add one"),
            paras[-1].where,
        )
    elif c.profile.name == "party-hd05" and end.endswith("./."):
        c.add(
            "BODY",
            "warning",
            _("under HD 05 the text ends with '.', not './.'; remove the '/.'"),
            paras[-1].where,
        )


def _line_spacing(c: Context, p: Para) -> list[str]:
    rule, line = p.line_rule or "auto", p.line
    low, high = c.bounds.line
    if c.bounds.line_rule == "exact":
        if rule != "exact" or line is None or not low * TWIPS_PER_PT <= line <= high * TWIPS_PER_PT:
            shown = f"{line / TWIPS_PER_PT:g} pt {rule}" if line else _("single")
            expected = f"{low:g}–{high:g} pt" if high < 99 else f"{low:g}+ pt"
            message = _("line spacing {value} (expected exactly {expected})")
            return [message.format(value=shown, expected=expected)]
        return []
    message = _("line spacing {value} (expected single to 1.5 lines)")
    if rule == "auto":
        if line is not None and not low * 240 <= line <= high * 240:
            return [message.format(value=_("{n:.2f} lines").format(n=line / 240))]
        return []
    single = SINGLE_LINE * max(p.sizes(), default=14) * TWIPS_PER_PT
    if line is None or not low * single * 0.95 <= line <= high * single:
        return [message.format(value=f"{(line or 0) / TWIPS_PER_PT:g} pt {rule}")]
    return []
