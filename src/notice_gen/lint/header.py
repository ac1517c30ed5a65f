"""Rules of the header: Quốc hiệu and Tiêu ngữ, the Party title, the issuing body, the
number and the date line (HDR-QH, HDR-TITLE, HDR-ORG, NUM, DATE)."""

from __future__ import annotations

from ..i18n import _
from ..rules.bounds import RULE_UNDER
from ..rules.patterns import DATE, DATE_DRAFT, NUMBER, PROVINCE_COMMITTEE, PROVINCE_PARENT
from ..rules.profiles import Profile
from ..rules.wording import MINUTES, ORG_SEPARATOR, PARTY_TITLE, QUOC_HIEU, TIEU_NGU
from .context import Context
from .findings import points, span

FULL = (1.0, 1.0)  # a line as long as the text


def national(c: Context) -> None:
    if c.party:
        return
    paras = c.header_paras()
    qh = next((p for p in paras if p.text.strip() == QUOC_HIEU), None)
    if qh is None:
        message = _("the Quốc hiệu line '{QUOC_HIEU}' is missing").format(QUOC_HIEU=QUOC_HIEU)
        c.error("HDR-QH", message, _("header table"))
        return
    c.caps_bold(qh, "HDR-QH", "Quốc hiệu", "NGNationalTitle")
    tn = next((p for p in paras if p.text.strip() == TIEU_NGU), None)
    if tn is None:
        message = _("the Tiêu ngữ line '{TIEU_NGU}' is missing").format(TIEU_NGU=TIEU_NGU)
        c.error("HDR-QH", message, _("header table"))
        return
    c.caps_bold(tn, "HDR-QH", "Tiêu ngữ", "NGMotto")
    if qh.sizes() and tn.sizes() and max(tn.sizes()) != max(qh.sizes()) + 1:
        message = _("the Tiêu ngữ is usually one point larger than the Quốc hiệu; enlarge it")
        c.add("HDR-QH", "warning", message, tn.where)
    c.check_line(tn, "HDR-QH", "Tiêu ngữ", FULL)


def party_title(c: Context) -> None:
    if not c.party:
        return
    paras = c.header_paras()
    if any(p.text.strip() == QUOC_HIEU for p in paras):
        c.error(
            "HDR-TITLE", _("a Party document carries no Quốc hiệu; remove it"), _("header table")
        )
    title = next((p for p in paras if p.text.strip() == PARTY_TITLE), None)
    if title is None:
        message = _("the title '{PARTY_TITLE}' is missing").format(PARTY_TITLE=PARTY_TITLE)
        c.error("HDR-TITLE", message, _("header table"))
        return
    c.caps_bold(title, "HDR-TITLE", _("title"), "NGPartyTitle")
    c.check_line(title, "HDR-TITLE", _("title"), FULL)


def issuer(c: Context) -> None:
    if not c.lay.header:
        c.error("HDR-ORG", _("no header table (issuing body | title)"), _("document"))
        return
    org = c.org_paras()
    if not org:
        c.error("HDR-ORG", _("the issuing body is missing"), _("header table, left column"))
        return
    issuers = [p for p in org if p.all("bold")]
    parent = [p for p in org if not p.any("bold")]
    if not issuers:
        c.error("HDR-ORG", _("make the issuing body bold"), org[-1].where)
    for p in org:
        if not capitals(p.text):
            c.error("HDR-ORG", _("write body names in capitals"), p.where)
        style = "NGIssuer" if p in issuers else "NGParent"
        c.caps_bold(p, "HDR-ORG", _("body name"), style, bold=p in issuers)
    if parent and issuers and org.index(parent[0]) > org.index(issuers[0]):
        c.error("HDR-ORG", _("move the parent body above the issuing body"), parent[0].where)
    if c.party:
        left = c.header_paras(0)
        last = max(left.index(p) for p in issuers) if issuers else -1
        star = next((p for p in left[last + 1 :] if p.text.strip()), None)
        if star is None or star.text.strip() != ORG_SEPARATOR:
            c.error(
                "HDR-ORG",
                _("a centred '*' must follow the issuing body"),
                issuers[-1].where if issuers else "",
            )
        elif star.align != "center":
            c.error("HDR-ORG", _("centre the '*'"), star.where)
        if (
            len(org) >= 2
            and PROVINCE_PARENT.match(org[0].text)
            and PROVINCE_COMMITTEE.fullmatch(org[1].text.strip())
        ):
            message = _("write the provincial committee on one line: TỈNH ỦY …")
            c.add("HDR-ORG", "warning", message, org[1].where)
    elif issuers:
        c.check_line(issuers[-1], "HDR-ORG", _("issuing body"), RULE_UNDER, issuers)


def number(c: Context) -> None:
    line = next((p for p in c.header_paras() if p.text.strip().startswith("Số")), None)
    if line is None:
        c.error("NUM", _("the number line (Số …) is missing"), _("header table"))
        return
    message = number_problem(line.text, c.profile)
    if message:
        c.error("NUM", message, line.where)
    c.sizes(line, "NUM", "NGNumber")
    if line.any("bold") or line.any("italic"):
        c.error(
            "NUM",
            _("the number line should be upright and not bold; remove the bold and italic"),
            line.where,
        )


def date_line(c: Context) -> None:
    if c.kind() == MINUTES and not c.party:
        return  # ND 30 minutes carry no date line in the header
    line = next((p for p in c.header_paras() if ", ngày" in p.text), None)
    if line is None:
        c.error("DATE", _("the place and date line is missing"), _("header table"))
        return
    message = date_problem(line.text)
    if message:
        c.error("DATE", message, line.where)
    if not line.all("italic"):
        c.error("DATE", _("the date line should be italic; make it italic"), line.where)
    accepted = c.bounds.sizes["NGDate"]
    if line.sizes() and not accepted[0] <= max(line.sizes()) <= accepted[1]:
        message = _("size {value}, expected {value2}")
        c.error(
            "DATE", message.format(value=points(line.sizes()), value2=span(accepted)), line.where
        )


def capitals(text: str) -> bool:
    """Whether `text` is written in capitals, as body names and signing lines are."""
    return text == text.upper()


def number_problem(text: str, profile: Profile) -> str | None:
    """What is wrong with the number line `text` under `profile`, or None."""
    text = text.strip(" \t")
    if NUMBER[profile.regime].match(text):
        return None
    hint = (
        _("Số 05-TB/TU (no colon, numbers below 10 padded)")
        if profile.regime == "party"
        else _("Số: 05/TB-VP (colon, numbers below 10 padded)")
    )
    return _("'{text}' does not follow {hint}").format(text=text, hint=hint)


def date_problem(text: str) -> str | None:
    """What is wrong with the place and date line `text`, or None."""
    text = text.strip()
    if DATE.match(text) or DATE_DRAFT.match(text):
        return None
    message = _(
        "'{text}' does not follow 'Địa danh, ngày 05 tháng 3 năm 2026' (days below "
        "10 and months 1–2 padded, months 3–12 not)"
    )
    return message.format(text=text)
