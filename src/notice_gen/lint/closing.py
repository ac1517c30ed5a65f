"""Rules of the closing blocks: Nơi nhận and the signatures (RECIP, SIGN)."""

from __future__ import annotations

from ..i18n import _
from ..rules.patterns import ARCHIVE
from ..rules.profiles import PROFILES, Profile
from ..rules.wording import COMMITTEE, ITEM_DASH, MINUTES, RECIPIENTS_LABEL
from .context import Context
from .findings import points, span
from .header import capitals


def recipients(c: Context) -> None:
    found = c.recipients()
    if found is None:
        c.error("RECIP", _("no 'Nơi nhận:' block"), _("document"))
        return
    label, items, _beside = found
    size = max(label.sizes(), default=0)
    low, high = c.bounds.sizes["NGRecipientsLabel"]
    wrong_label = label.text.strip() != RECIPIENTS_LABEL or not low <= size <= high
    if c.party:
        words = [r for r in label.shown if any(ch.isalpha() for ch in r.text)]
        underlined = all(r.underline for r in words)  # the colon after it need not be
        if wrong_label or not underlined or label.any("bold") or label.any("italic"):
            message = _("'Nơi nhận:' should be 14 pt, underlined, upright, not bold; format it so")
            c.error("RECIP", message, label.where)
    elif wrong_label or not (label.all("bold") and label.all("italic")):
        c.error("RECIP", _("'Nơi nhận:' should be 12 pt bold italic; format it so"), label.where)
    if not items:
        c.error("RECIP", _("no recipients under 'Nơi nhận:'"), label.where)
        return
    for index, message in recipient_problems([p.text for p in items], c.profile):
        c.error("RECIP", message, items[index].where)
    accepted = c.bounds.sizes["NGRecipient"]
    for p in items:
        if p.sizes() and not accepted[0] <= max(p.sizes()) <= accepted[1]:
            message = _("recipients are {value}; set them to {size} pt")
            c.error(
                "RECIP",
                message.format(size=span(accepted).removesuffix(" pt"), value=points(p.sizes())),
                p.where,
            )


def recipient_problems(items: list[str], profile: Profile) -> list[tuple[int, str]]:
    """What is wrong with the Nơi nhận lines `items` (the archive line last) under
    `profile`: the index of each wrong line and the message."""
    out = []
    for index, item in enumerate(items[:-1]):
        text = item.strip()
        if not text.startswith(ITEM_DASH):
            out.append((index, _("this recipient does not start with '- '; add the dash")))
        if not text.endswith(profile.separator):
            message = _("this recipient should end with '{separator}' under {name}; add it")
            out.append((index, message.format(separator=profile.separator, name=profile.name)))
    if items and not ARCHIVE[profile.regime].match(items[-1].strip()):
        message = (
            _("the last line should read '- Lưu <body>.' (no colon, no VT); correct it")
            if profile.regime == "party"
            else _("the last line should read '- Lưu: VT, <unit>.'; correct it")
        )
        out.append((len(items) - 1, message))
    return out


def foreign_marker(line: str, profile: Profile) -> str | None:
    """The message if the signing line `line` opens with another regime's marker."""
    first = line.strip().split(" ")[0]
    others = {m for p in PROFILES.values() for m in p.markers} - set(profile.markers)
    if first not in others:
        return None
    message = _("'{first}' belongs to the other regime; use {value}")
    return message.format(first=first, value=", ".join(profile.markers))


def signature(c: Context) -> None:
    if c.kind() == MINUTES:
        _minutes_signatures(c)
        return
    found = c.recipients()
    cell = found[2] if found else None
    if cell is None:
        message = _("no signature block found beside 'Nơi nhận:'")
        c.add("SIGN", "unjudged", message, _("document"))
        return
    lines = [p for p in cell.paras if p.text.strip()]
    if len(lines) < 2:
        message = _("the signature block needs a position and a name")
        c.error("SIGN", message, _("signature cell"))
        return
    name, above = lines[-1], lines[:-1]
    markers = c.profile.markers
    authority = [p for p in above if p.text.strip().split(" ")[0] in markers]
    for p in above:
        foreign = foreign_marker(p.text, c.profile)
        if foreign:
            c.error("SIGN", foreign, p.where)
    accepted = c.bounds.sizes["NGAuthority"]
    for p in above:
        if not capitals(p.text):
            c.error("SIGN", _("write the authority and position lines in capitals"), p.where)
        if p.sizes() and not accepted[0] <= max(p.sizes()) <= accepted[1]:
            message = _("size {value}, expected {value2}")
            c.error("SIGN", message.format(value=points(p.sizes()), value2=span(accepted)), p.where)
        must_bold = p in authority or not c.party
        if must_bold and not p.all("bold"):
            message = (
                _("the authority line should be bold; make it bold")
                if p in authority
                else _("the position line should be bold; make it bold")
            )
            c.error("SIGN", message, p.where)
        if not must_bold and p.any("bold"):
            c.error(
                "SIGN",
                _("under the Party rules the position line is not bold; remove the bold"),
                p.where,
            )
        if c.party and p not in authority and COMMITTEE.search(p.text):
            c.error(
                "SIGN",
                _("the position line repeats the body's name; leave it to the authority line"),
                p.where,
            )
        if c.party and p.text.startswith("K/T BÍ THƯ"):
            message = _(
                "a committee's deputy signs T/M …, not K/T BÍ THƯ; change the authority line"
            )
            c.add("SIGN", "warning", message, p.where)
    accepted = c.bounds.sizes["NGSignerName"]
    if not name.all("bold") or (
        name.sizes() and not accepted[0] <= max(name.sizes()) <= accepted[1]
    ):
        message = _("the signer's name should be bold, {size}; format it so")
        c.error("SIGN", message.format(size=span(accepted)), name.where)


def _minutes_signatures(c: Context) -> None:
    """Biên bản: two columns, secretary and chair, each a title and a name."""
    table = next(
        (
            t
            for t in c.lay.tables[1:]
            if len(t[0]) == 2 and all(any(p.text.strip() for p in cell.paras) for cell in t[0])
        ),
        None,
    )
    if table is None:
        message = _("minutes are signed in two columns (secretary | chair)")
        c.error("SIGN", message, _("document"))
        return
    for cell in table[0]:
        lines = [p for p in cell.paras if p.text.strip()]
        if len(lines) < 2:
            c.error(
                "SIGN",
                _("each signature column needs a title and a name"),
                lines[0].where if lines else _("signature table"),
            )
            continue
        heading, name = lines[0], lines[-1]
        if not capitals(heading.text):
            c.error("SIGN", _("write the signing title in capitals"), heading.where)
        if not c.party and not heading.all("bold"):
            c.error("SIGN", _("the signing title should be bold; make it bold"), heading.where)
        if c.party and heading.any("bold"):
            message = _("under the Party rules the title line is not bold; remove the bold")
            c.error("SIGN", message, heading.where)
        if not name.all("bold"):
            c.error("SIGN", _("the signer's name should be bold; make it bold"), name.where)
