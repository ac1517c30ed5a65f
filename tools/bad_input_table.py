"""Write docs/bad-input.md: each bad input tried, and what `notice-gen` answers.

Every row is a real run of the command line on a record derived from the State sample.
    python tools/bad_input_table.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "data" / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
CASES = [  # (what the clerk did, change to the sample: old -> new, or a whole text)
    ("a typo in a key", ("signer:", "sigmer:")),
    ("a required key left out", ("place: Lâm Đồng\n", "")),
    ("a date written the Vietnamese way", ("date: 2026-02-03", "date: 03/02/2026")),
    ("a date that does not exist", ("date: 2026-02-03", "date: 2026-02-30")),
    ("a number that is not a number", ("number: 5", "number: năm")),
    ("a number below 1", ("number: 5", "number: 0")),
    ("a time written 8h", ('start: "08:00"', "start: 8h")),
    ("a Party marker in a State record", ("authority: KT.", "authority: K/T")),
    (
        "a position not in capitals",
        ("position: PHÓ CHÁNH VĂN PHÒNG", "position: Phó Chánh Văn phòng"),
    ),
    ("an unknown profile", ("profile: nd30", "profile: nd-30")),
    ("an unknown kind", ("kind: thong-bao-ket-luan", "kind: cong-van")),
    ("a key given twice", ("place: Lâm Đồng", "place: Lâm Đồng\nplace: Đà Lạt")),
    ("a list where text is expected", ("name: Nguyễn Thị Hoa", "name: [Nguyễn, Hoa]")),
    ("a recipient that is only punctuation", ("  - UBND các xã có dự án đi qua", "  - ;")),
    ("broken YAML (an unclosed bracket)", ("recipients:", "recipients: [")),
    (
        "extends pointing nowhere",
        ("kind: thong-bao-ket-luan", "extends: khong-co.yaml\nkind: thong-bao-ket-luan"),
    ),
    ("& < > and {{ }} in text", ("name: Nguyễn Thị Hoa", "name: Nguyễn & <Hoa> {{ x }}")),
    (
        "text pasted from a TCVN3 (.VnTime) document",
        ("name: Nguyễn Thị Hoa", "name: NguyÔn ThÞ Hoa"),
    ),
    (
        "text pasted from a VNI document",
        ("  - UBND các xã có dự án đi qua", "  - UBND caùc xaõ coù döï aùn ñi qua"),
    ),
    (
        "text from Excel with a vertical tab and a non-breaking space",
        ("name: Nguyễn Thị Hoa", 'name: "Nguyễn\\vThị\\u00a0Hoa"'),
    ),
    ("decomposed accents (macOS)", ("place: Lâm Đồng", "place: La\u0302m \u0110o\u0302\u0300ng")),
    ("a control character (BEL)", ("name: Nguyễn Thị Hoa", 'name: "Nguyễn\\aThị Hoa"')),
    ("a file that is not UTF-8", None),
    ("not a record at all (a list)", "- một\n- hai\n"),
]


def run(text: str | bytes, folder: Path) -> tuple[int, str]:
    record = folder / "thong-bao.yaml"
    record.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    command = [
        sys.executable,
        "-m",
        "notice_gen",
        "render",
        "thong-bao.yaml",
        "-o",
        "out",
        "--force",
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    return done.returncode, "<br>".join(lines).replace("|", "\\|")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for what, change in CASES:
            if change is None:
                text: str | bytes = SAMPLE.encode("cp1258", errors="replace")
            elif isinstance(change, str):
                text = change
            else:
                assert change[0] in SAMPLE, change
                text = SAMPLE.replace(change[0], change[1], 1)
            code, said = run(text, folder)
            rows.append(f"| {what} | {code} | {said} |")
    head = [
        "# Bad input, and what the user sees",
        "",
        "Each row is a real run of `notice-gen render thong-bao.yaml` on the State sample",
        "with one mistake made (`python tools/bad_input_table.py` writes this page). Exit",
        "status 2: the record is wrong and no document was written; 0: written, with warnings",
        "where the text was cleaned. No traceback is ever shown.",
        "",
        "| input | exit | what notice-gen says |",
        "|---|---|---|",
    ]
    (ROOT / "docs" / "bad-input.md").write_text("\n".join(head + rows) + "\n", "utf-8")


if __name__ == "__main__":
    main()
