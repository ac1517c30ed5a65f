"""Rules of the page: A4, margins, page numbers (PAGE-A4, PAGE-MARGIN, PAGENUM)."""

from __future__ import annotations

from ..docx.ns import NS, TWIPS_PER_MM, w
from ..docx.reader import has_page_field
from ..i18n import N_, _
from ..rules.bounds import MM_SLACK
from ..rules.profiles import PAGE_HEIGHT, PAGE_WIDTH
from .context import Context
from .findings import points, span

SIDES = (N_("top"), N_("bottom"), N_("left"), N_("right"))


def page_a4(c: Context) -> None:
    for i, sect in enumerate(c.lay.sections, 1):
        where = _("section {i}").format(i=i)
        size = sect.find("w:pgSz", NS)
        if size is None:
            c.add("PAGE-A4", "unjudged", _("no page size in the section"), where)
            continue
        wd, ht = int(size.get(w("w"), 0)), int(size.get(w("h"), 0))
        if size.get(w("orient")) == "landscape" or wd > ht:
            wd, ht = ht, wd
            c.add("PAGE-A4", "warning", _("landscape page (only for wide tables)"), where)
        if abs(wd - PAGE_WIDTH) > TWIPS_PER_MM or abs(ht - PAGE_HEIGHT) > TWIPS_PER_MM:
            message = _("page is {value:.0f} × {value2:.0f} mm, not A4 210 × 297 mm")
            c.error(
                "PAGE-A4",
                message.format(value=wd / TWIPS_PER_MM, value2=ht / TWIPS_PER_MM),
                where,
            )


def page_margin(c: Context) -> None:
    for i, sect in enumerate(c.lay.sections, 1):
        where = _("section {i}").format(i=i)
        margins = sect.find("w:pgMar", NS)
        if margins is None:
            c.add("PAGE-MARGIN", "unjudged", _("no margins in the section"), where)
            continue
        for side in SIDES:
            low, high = c.bounds.margins[side]
            value = abs(int(margins.get(w(side), "0"))) / TWIPS_PER_MM
            if not low - MM_SLACK <= value <= high + MM_SLACK:
                expected = f"{low:g}–{high:g}" if high - low > 1 else f"{(low + high) / 2:g}"
                message = _("{side} margin {value:.1f} mm, expected {expected} mm")
                c.error(
                    "PAGE-MARGIN",
                    message.format(side=_(side), value=value, expected=expected),
                    where,
                )


def page_number(c: Context) -> None:
    sect = c.lay.sections[-1] if c.lay.sections else None
    if sect is None:
        c.add("PAGENUM", "unjudged", _("no section properties"), _("document"))
        return
    title_page = sect.find("w:titlePg", NS)
    distinct_first = title_page is not None and title_page.get(w("val"), "1") not in (
        "0",
        "false",
    )
    parts = c.doc.header_parts(sect)
    default, first = parts.get("default"), parts.get("first")
    where = _("section header")
    if default is None or not has_page_field(default):
        c.error("PAGENUM", _("no page-number field in the page header"), where)
        return
    if not distinct_first or (first is not None and has_page_field(first)):
        c.error(
            "PAGENUM",
            _("page 1 shows a page number; number pages from page 2 (Different First Page)"),
            where,
        )
    for p in default.iter(w("p")):
        if has_page_field(p):
            para = c.doc.para(p, _("page header"))
            if para.align != "center":
                c.error("PAGENUM", _("the page number is not centred; centre it"), _("page header"))
            accepted = c.bounds.sizes["NGPageNumber"]
            if para.sizes() and not accepted[0] <= max(para.sizes()) <= accepted[1]:
                c.error(
                    "PAGENUM",
                    _("page number size {value}, expected {value2}").format(
                        value=points(para.sizes()), value2=span(accepted)
                    ),
                    _("page header"),
                )
