"""Write src/notice_gen/metrics.json: advance widths of Liberation Serif, which is
metric-compatible with Times New Roman, for the characters Vietnamese documents use.

Run once where Debian's fonts-liberation2 is installed (needs fontTools):
    python tools/extract_metrics.py
"""

import json
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path("/usr/share/fonts/truetype/liberation2")
STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
OUT = Path(__file__).resolve().parents[1] / "src" / "notice_gen" / "metrics.json"


def characters() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xC0, 0x250) if unicodedata.category(chr(c)).startswith("L")}
    chars |= {chr(c) for c in range(0x1EA0, 0x1EFA)}
    chars |= set("–—‘’“”…•·")
    return "".join(sorted(chars))


def main() -> None:
    table: dict[str, object] = {}
    for key, style in STYLES.items():
        font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        table["units_per_em"] = font["head"].unitsPerEm
        table[key] = {ch: hmtx[cmap[ord(ch)]][0] for ch in characters() if ord(ch) in cmap}
    OUT.write_text(json.dumps(table, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
