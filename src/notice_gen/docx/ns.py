"""WordprocessingML namespaces, units, and which parts of a package carry text."""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20
EMU_PER_TWIP = 635

STORY_TYPES = (  # content types of the parts that carry text, by their suffix
    "document.main+xml",
    "header+xml",
    "footer+xml",
    "footnotes+xml",
    "endnotes+xml",
)


def w(tag: str) -> str:
    """The Clark name of a `w:` element or attribute: `w("p")` -> `{…main}p`."""
    return f"{{{W}}}{tag}"


def mm(value: float) -> int:
    """Millimetres to twips."""
    return round(value * TWIPS_PER_MM)


def story_parts(content_types: bytes) -> dict[str, str]:
    """Part name -> story type (`document.main+xml`, `header+xml` …) of every part that
    carries text, the main document first, read from `[Content_Types].xml`.

    Raises `etree.XMLSyntaxError` when the content types are not XML.
    """
    from lxml import etree  # here: the rulebook imports this module, and needs no XML

    out: dict[str, str] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for override in etree.fromstring(content_types, parser):
        content_type = override.get("ContentType", "")
        kind = next((t for t in STORY_TYPES if content_type.endswith(f".{t}")), None)
        name = override.get("PartName")
        if kind and name:
            out[name.lstrip("/")] = kind
    return dict(sorted(out.items(), key=lambda item: item[1] != STORY_TYPES[0]))


def main_part(stories: dict[str, str]) -> str | None:
    """The name of the main document part among `stories`."""
    return next((name for name, kind in stories.items() if kind == STORY_TYPES[0]), None)
