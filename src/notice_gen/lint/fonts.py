"""Rules of the text everywhere: font and colour, Unicode (FONT, UNICODE)."""

from __future__ import annotations

import unicodedata

from ..docx.reader import Para
from ..i18n import _
from ..record.text import legacy_encoding, legacy_fragment
from ..rules.patterns import LEGACY_FONT
from ..rules.profiles import FONT
from .context import Context

BLACK = (None, "auto", "000000")


def font(c: Context) -> None:
    bad: dict[str, Para] = {}
    for p in c.all_paras():
        for r in p.shown:
            if r.font != FONT:
                bad.setdefault(_("font {name}").format(name=r.font or _("not set")), p)
            if r.color not in BLACK:
                bad.setdefault(_("colour {name}").format(name=r.color), p)
    for what, p in bad.items():
        c.error(
            "FONT", _("text in {what}; expected Times New Roman, black").format(what=what), p.where
        )


def unicode(c: Context) -> None:
    for p in c.all_paras():
        for r in p.shown:
            if r.font and LEGACY_FONT.match(r.font):
                message = _("legacy font {font} (TCVN3/VNI text, not Unicode)")
                c.error("UNICODE", message.format(font=r.font), p.where)
                break
            if encoding := legacy_encoding(r.text) or legacy_fragment(r.text):
                message = _(
                    "text looks like {value} code points (notice-gen convert turns it into Unicode)"
                )
                c.error("UNICODE", message.format(value=encoding.upper()), p.where)
                break
            if not unicodedata.is_normalized("NFC", r.text):
                c.error("UNICODE", _("text is not NFC (decomposed accents)"), p.where)
                break
