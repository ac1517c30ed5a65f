"""Write docs/bad-input.md: each bad input tried, and what `notice-gen` answers.

Every row is a real run of the command line on a record derived from the State sample
(or the 2014 Party sample, where the trap is a Party one).
    python tools/bad_input_table.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from legacy import to_tcvn3  # noqa: E402

SAMPLE = (ROOT / "data" / "thong-bao-ket-luan-ubnd-lam-dong.yaml").read_text("utf-8")
CASES = [  # (what the clerk did, change to the sample: old -> new, or a whole text)
    ("a typo in a key", ("signer:", "sigmer:")),
    ("a required key left out", ("place: Lâm Đồng\n", "")),
    ("a date written the Vietnamese way", ("date: 2026-02-03", "date: 3/2/2026")),
    ("a date that does not exist", ("date: 2026-02-03", "date: 30/02/2026")),
    ("a date written in words", ("date: 2026-02-03", "date: ngày 3 tháng 2")),
    ("a number that is not a number", ("number: 5", "number: năm")),
    ("a number below 1", ("number: 5", "number: 0")),
    ("a time written 8h", ('start: "08:00"', "start: 8h")),
    ("a time written 8 giờ 30", ('start: "08:00"', "start: 8 giờ 30")),
    ("a time that does not exist", ('start: "08:00"', "start: 25h")),
    (
        "a recipient line containing ': '",
        ("  - UBND các xã có dự án đi qua", "  - UBND các huyện: Bảo Lâm, Di Linh"),
    ),
    (
        "a comma inside { } (the position)",
        (
            "position: Chủ tịch Ủy ban nhân dân tỉnh}",
            "position: Tỉnh ủy viên, Chủ tịch Ủy ban nhân dân tỉnh}",
        ),
    ),
    (
        "a comma inside { } followed by ': '",
        (
            "position: Chủ tịch Ủy ban nhân dân tỉnh}",
            "position: Phó Chủ tịch, Trưởng ban: chỉ đạo}",
        ),
    ),
    (
        "a sub-point indented one space too far",
        (
            "          - Ưu tiên các hộ đã bàn giao mặt bằng sớm.\n",
            "          - Ưu tiên các hộ đã bàn giao mặt bằng sớm.\n"
            "           - Chi trả trước Tết.\n",
        ),
    ),
    (
        "conclusions typed with their own numbers",
        ("      - Sở Xây dựng tổng hợp", "      - c) Sở Xây dựng tổng hợp"),
    ),
    (
        "a tab for indentation",
        ("  - UBND các xã có dự án đi qua", "\t- UBND các xã có dự án đi qua"),
    ),
    ("a wrong indent", ("  code: VP", "   code: VP")),
    ("a quote inside quotes", ("place: Lâm Đồng", 'place: "Lâm Đồng "mới""')),
    ("': ' in a plain value", ("place: Lâm Đồng", "place: Lâm Đồng: Đà Lạt")),
    ("'#' starting a comment in a list", ("agenda: [", "agenda: [số #1, ")),
    ("emphasis in a point", ("Ưu tiên các hộ", "Ưu tiên *các hộ* đã bàn giao **sớm**, các hộ")),
    ("an asterisk without its pair", ("Ưu tiên các hộ", "Ưu tiên *các hộ")),
    ("a type error and a rulebook error together", ("number: 5", "number: năm\nyear: 2025")),
    ("number: auto", ("number: 5", "number: auto")),
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
    ("a file typed in raw TCVN3 bytes", "tcvn3"),
    (
        "VT in a Party storage line",
        ("archive: Văn phòng Tỉnh ủy", "archive: Lưu VT"),
        "thong-bao-ket-luan-tuy-phong-2014.yaml",
    ),
    (
        "a Party notice dated before its rulebook",
        ("profile: party-hd36", "profile: party-hd05"),
        "thong-bao-ket-luan-tuy-phong-2014.yaml",
    ),
    (
        "the same, re-typed: historical: true",
        ("profile: party-hd36", "profile: party-hd05\nhistorical: true"),
        "thong-bao-ket-luan-tuy-phong-2014.yaml",
    ),
    ("not a record at all (a list)", "- một\n- hai\n"),
    (
        "a typed label on a point that holds ': '",
        (
            "      - Sở Xây dựng tổng hợp, báo cáo",
            "      - b) Sở Xây dựng: tổng hợp, báo cáo",
        ),
    ),
    (
        "a point ending with ':' over indented sub-points",
        (
            '  - heading: "Về nhiệm vụ thời gian tới:"\n    points:',
            "  - Về nhiệm vụ thời gian tới:",
        ),
    ),
    (
        "a point ending with ':' and its text on the next line",
        ('  - heading: "Về kết quả thực hiện:"\n    text: >-', "  - Về kết quả thực hiện:"),
    ),
    (
        "the marker and the body on one line",
        ("authority: KT.\n  on_behalf_of: CHÁNH VĂN PHÒNG", "authority: KT. CHÁNH VĂN PHÒNG"),
    ),
    ("the storage line typed as the last recipient", ("archive: VT, KT", "  - Lưu: VT, KT.")),
    ("the storage line left out", ("archive: VT, KT\n", "")),
    (
        "a list where one text is expected, from a comma in [ ]",
        ("location:", "with: [A, B]\n  location:"),
    ),
    (
        "a ':' ending a long value",
        ("place: Lâm Đồng", "place: Lâm Đồng" + ", tỉnh Lâm Đồng" * 8 + " kết luận:"),
    ),
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
        for what, change, *other in CASES:
            sample = (ROOT / "data" / other[0]).read_text("utf-8") if other else SAMPLE
            if change is None:
                text: str | bytes = SAMPLE.encode("cp1258", errors="replace")
            elif change == "tcvn3":
                text = to_tcvn3(SAMPLE)
            elif isinstance(change, str):
                text = change
            else:
                assert change[0] in sample, change
                text = sample.replace(change[0], change[1], 1)
            code, said = run(text, folder)
            rows.append(f"| {what} | {code} | {said} |")
    head = [
        "# Bad input, and what the user sees",
        "",
        "Each row is a real run of `notice-gen render thong-bao.yaml` on the State sample",
        "(the 2014 Party sample for the Party traps) with one mistake made, as a clerk makes",
        "it (`python tools/bad_input_table.py` writes this page). Exit status 2: the record",
        "is wrong and no document was written; 0: written, with a warning for everything",
        "that was read otherwise than typed. No traceback is ever shown.",
        "",
        "| input | exit | what notice-gen says |",
        "|---|---|---|",
    ]
    (ROOT / "docs" / "bad-input.md").write_text("\n".join(head + rows) + "\n", "utf-8")


if __name__ == "__main__":
    main()
