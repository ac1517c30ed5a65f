"""One rulebook: what the renderer writes lies inside what the linter accepts, and the
linter refuses values just outside, for each profile."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from lxml import etree

from conftest import DATA, RECORDS
from helpers import edit_part
from notice_gen import read_record, render_record
from notice_gen.docx.ns import NS, TWIPS_PER_MM, mm, w
from notice_gen.lint.check import check_bytes
from notice_gen.rules.bounds import MM_SLACK
from notice_gen.rules.profiles import PROFILES

SAMPLES = {
    "nd30": DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml",
    "party-hd05": RECORDS / "hd05-chi-bo.toml",
    "party-hd36": RECORDS / "hd36-huyen-uy.yaml",
}
RULE_OF_STYLE = {
    "NGNationalTitle": "HDR-QH",
    "NGMotto": "HDR-QH",
    "NGPartyTitle": "HDR-TITLE",
    "NGParent": "HDR-ORG",
    "NGIssuer": "HDR-ORG",
    "NGNumber": "NUM",
    "NGDate": "DATE",
    "NGDocType": "TITLE",
    "NGSubject": "TITLE",
    "NGBody": "BODY",
    "NGRecipientsLabel": "RECIP",
    "NGRecipient": "RECIP",
    "NGAuthority": "SIGN",
    "NGPosition": "SIGN",
    "NGSignerName": "SIGN",
    "NGPageNumber": "PAGENUM",
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render_record(read_record(path)[0]) for name, path in SAMPLES.items()}


def edit(data: bytes, part: str, change: Callable[[etree._Element], None]) -> bytes:
    """`data` with the XML `part` changed in place by `change`."""

    def on_tree(xml: str) -> str:
        root = etree.fromstring(xml.encode("utf-8"))
        change(root)
        return etree.tostring(root, encoding="unicode")

    return edit_part(data, part, on_tree)


def errors(data: bytes, profile: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in check_bytes(data, "x.docx", profile):
        if f.severity == "error":
            found.setdefault(f.rule, []).append(f.message)
    return found


def set_size(style_id: str, points: float) -> Callable[[etree._Element], None]:
    def change(styles: etree._Element) -> None:
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        for tag in ("sz", "szCs"):
            style.find(f"w:rPr/w:{tag}", NS).set(w("val"), str(round(points * 2)))

    return change


def used_styles(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if n.startswith("word/"))
    return {v.decode() for v in re.findall(rb'w:pStyle w:val="(\w+)"', xml)}


@pytest.mark.parametrize("name", PROFILES)
def test_the_renderers_values_lie_inside_the_linters(name, rendered):
    profile = PROFILES[name]
    bounds = profile.bounds
    for style, accepted in bounds.sizes.items():
        if style in profile.styles:
            assert accepted[0] <= profile.styles[style].size <= accepted[1], style
    for side, twips in zip(("top", "bottom", "left", "right"), profile.margins, strict=True):
        low, high = bounds.margins[side]
        assert low - MM_SLACK <= twips / TWIPS_PER_MM <= high + MM_SLACK, side
    body = profile.styles["NGBody"]
    indent = body.first_line / TWIPS_PER_MM
    assert any(low <= indent <= high for low, high in bounds.first_line)
    assert body.line_rule == bounds.line_rule
    per_unit = 20 if bounds.line_rule == "exact" else 240
    assert bounds.line[0] <= body.line / per_unit <= bounds.line[1]
    assert errors(rendered[name], name) == {}


@pytest.mark.parametrize("name", PROFILES)
def test_sizes_one_point_outside_are_errors(name, rendered):
    data = rendered[name]
    bounds = PROFILES[name].bounds
    used = used_styles(data)
    judged = [s for s in RULE_OF_STYLE if s in bounds.sizes and s in used]
    assert len(judged) >= 10, used
    for style in judged:
        low, high = bounds.sizes[style]
        for size in (low - 1, high + 1):
            found = errors(edit(data, "word/styles.xml", set_size(style, size)), name)
            assert RULE_OF_STYLE[style] in found, (style, size, found)


@pytest.mark.parametrize("name", PROFILES)
def test_margins_one_millimetre_outside_are_errors(name, rendered):
    bounds = PROFILES[name].bounds
    for side, (low, high) in bounds.margins.items():
        for value in (low - 1, high + 1):

            def change(root: etree._Element, side: str = side, value: float = value) -> None:
                root.find(".//w:sectPr/w:pgMar", NS).set(w(side), str(mm(value)))

            found = errors(edit(rendered[name], "word/document.xml", change), name)
            assert list(found) == ["PAGE-MARGIN"], (side, value)
            assert f"{side} margin {value:.1f} mm" in found["PAGE-MARGIN"][0]


def replace_text(old: str, new: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        hits = [t for t in root.iter(w("t")) if t.text and old in t.text]
        assert hits, old
        hits[0].text = hits[0].text.replace(old, new, 1)

    return change


@pytest.mark.parametrize(
    ("name", "old", "new", "rule"),
    [
        ("nd30", "Số: ", "Số ", "NUM"),
        ("party-hd05", "Số ", "Số: ", "NUM"),
        ("nd30", ";", ",", "RECIP"),
        ("party-hd05", ";", ",", "RECIP"),
        ("party-hd36", ",", ";", "RECIP"),
        ("nd30", "- Lưu: VT", "- Lưu VT", "RECIP"),
        ("party-hd05", "- Lưu ", "- Lưu: ", "RECIP"),
    ],
)
def test_wrong_separators_are_errors(name, old, new, rule, rendered):
    part = "word/document.xml"
    data = rendered[name]
    if rule == "RECIP":  # the first recipient's separator
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read(part))
        label = next(t for t in root.iter(w("t")) if t.text == "Nơi nhận")
        cell = next(label.iterancestors(w("tc")))
        texts = [t.text for t in cell.iter(w("t")) if t.text and t.text.startswith("- ")]
        if old in (";", ","):
            old, new = texts[0], texts[0][:-1] + new
    found = errors(edit(data, part, replace_text(old, new)), name)
    assert list(found) == [rule], found


@pytest.mark.parametrize(("style", "rule"), [("NGBody", "BODY"), ("NGNationalTitle", "HDR-QH")])
def test_twenty_point_text_is_an_error(style, rule, rendered):
    found = errors(edit(rendered["nd30"], "word/styles.xml", set_size(style, 20)), "nd30")
    assert any("20 pt" in message for message in found[rule]), found
