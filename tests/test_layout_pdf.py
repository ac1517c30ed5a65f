"""Line and page breaking as LibreOffice prints it, read back from the PDF page by page.

Notices of every length from 1 to 4 pages, minutes and invitations, under every
profile, with short and long issuing bodies and subjects, converted in one
`soffice` run: no orphan syllable or leading dash in header and title, no split
symbol, no closing block alone on its page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from notice_gen import read_record, render_file
from notice_gen.pipeline.compose import context

PROFILES = ("nd30", "party-hd05", "party-hd36")
ISSUERS = {
    "state": [
        {"parent": "UBND TỈNH LÂM ĐỒNG", "name": "VĂN PHÒNG", "code": "VP"},
        {"parent": "BỘ NỘI VỤ", "name": "CỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC", "code": "VTLTNN"},
        {
            "parent": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
            "name": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
            "code": "SLĐTBXH",
        },
    ],
    "party": [
        {"parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "name": "ĐẢNG ỦY PHƯỜNG CAM LY - ĐÀ LẠT", "code": "ĐU"},
        {"parent": "ĐẢNG BỘ CỤC LƯU TRỮ", "name": "CHI BỘ PHÒNG HÀNH CHÍNH - QUẢN TRỊ"}
        | {"code": "CB"},
        {"name": "TỈNH ỦY BÌNH THUẬN", "code": "TU"},
        {"parent": "TỈNH ỦY LÂM ĐỒNG", "name": "BAN TUYÊN GIÁO VÀ DÂN VẬN", "code": "BTGDVTU"},
    ],
}
SUBJECTS = [
    "về công tác chuẩn bị tổng kết năm 2026 và xây dựng chương trình công tác năm 2027",
    "về kết quả sinh hoạt chi bộ tháng 11",
    "về tiến độ giải phóng mặt bằng dự án đường cao tốc Tân Phú - Bảo Lộc",
    "tại buổi làm việc với Thường trực Huyện ủy Tuy Phong về tình hình, kết quả công tác xây "
    "dựng tổ chức cơ sở đảng, công tác dân vận, Mặt trận và các đoàn thể trong năm 2026",
]
FILLER = "các cơ quan, đơn vị tập trung triển khai".split()
SYMBOLS = ("01-CT/TU", "135-TB/TU", "05/TB-VP")


def paragraph(i: int) -> str:
    """A body paragraph whose symbols fall at every place of a line as `i` grows."""
    words = " ".join((FILLER * 3)[: i % 17])
    symbol = SYMBOLS[i % 3]
    long = " Đồng thời rà soát, báo cáo kết quả thực hiện đúng thời hạn quy định." * (i % 4)
    return f"Thực hiện {words} theo Chỉ thị số {symbol} của Ban Thường vụ.{long}"


def record(profile: str, kind: str, n: int, variant: int) -> dict:
    party = profile != "nd30"
    issuers = ISSUERS["party" if party else "state"]
    subject = SUBJECTS[variant % len(SUBJECTS)]
    data: dict = {
        "kind": kind,
        "profile": profile,
        "issuer": issuers[variant % len(issuers)],
        "number": 7 + variant,
        "place": "Đà Lạt",
        "date": "2019-01-09" if profile == "party-hd36" else "2026-10-15",
        "subject": subject if party else subject[0].upper() + subject[1:],
        "recipients": ["Ban Thường vụ Tỉnh ủy", "Các chi bộ trực thuộc"],
        "archive": "Văn phòng Đảng ủy" if party else "VT, TH",
        "signer": {"authority": "T/M" if party else "TM.", "on_behalf_of": "BAN THƯỜNG VỤ"}
        | {"position": "BÍ THƯ", "name": "Phạm Minh Tuấn"},
        "conclusions": [paragraph(i) for i in range(n)],
        "closing": "Văn phòng thông báo để các đơn vị biết, thực hiện.",
        "meeting": {
            "date": "2026-10-12",
            "start": "14:00",
            "end": "16:30",
            "location": "Hội trường",
            "chair": {"name": "Phạm Minh Tuấn", "position": "Bí thư"},
            "secretary": {"name": "Đỗ Thị Lan", "position": "Chánh Văn phòng"},
            "invitees": ["Các đồng chí Ủy viên Ban Thường vụ"],
            "reports": [paragraph(i + 5) for i in range(max(1, n // 3))],
        },
    }
    if not party:
        data["signer"] |= {"on_behalf_of": "ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH"}
    if kind == "bien-ban":
        data["closing"] = None
    if kind == "giay-moi":
        data["meeting"]["notes"] = [paragraph(i) for i in range(n)]
        data["conclusions"] = []
    if variant % 3 == 2 and party and kind == "thong-bao-ket-luan":
        data["title"] = "KẾT LUẬN CỦA ĐỒNG CHÍ PHÓ TRƯỞNG BAN TUYÊN GIÁO TỈNH ỦY"
    return data


CASES = (
    [("thong-bao-ket-luan", n) for n in range(1, 58, 3)]
    + [("bien-ban", n) for n in (2, 9, 16, 23, 30)]
    + [("giay-moi", n) for n in (1, 8, 15)]
)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """name -> (template context, pages as lists of lines), all through one soffice run."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.fail("LibreOffice and poppler-utils must be installed (.ci/run installs them)")
    from notice_gen.pipeline.pdf import to_pdf

    folder = tmp_path_factory.mktemp("layout")
    contexts, documents = {}, []
    for profile in PROFILES:
        for variant, (kind, n) in enumerate(CASES):
            name = f"{profile}-{kind}-{n:02d}"
            source = folder / f"{name}.json"
            source.write_text(json.dumps(record(profile, kind, n, variant), ensure_ascii=False))
            docx, _ = render_file(source, folder / "out")
            contexts[name] = context(read_record(source)[0])
            documents.append(docx)
    assert not to_pdf(documents)
    out = {}
    for name, ctx in contexts.items():
        pdf = folder / "out" / f"{name}.pdf"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        out[name] = (ctx, [page.splitlines() for page in text.split("\f")[:-1]], pdf)
    return out


def chunks(line: str) -> list[str]:
    """The column pieces of a -layout line (separated by 3 spaces or more)."""
    return [c.strip() for c in re.split(r"\s{3,}", line) if c.strip()]


def test_every_profile_has_notices_of_1_to_4_pages(printed):
    for profile in PROFILES:
        lengths = {len(p) for name, (_, p, _) in printed.items() if name.startswith(profile)}
        assert {1, 2, 3, 4} <= lengths, (profile, lengths)


def test_header_lines_are_the_balanced_lines_and_never_one_syllable(printed):
    for name, (ctx, pages, _) in printed.items():
        first = pages[0]
        doc_type = next(i for i, line in enumerate(first) if line.strip() == ctx["doc_type"])
        header = [c for line in first[:doc_type] for c in chunks(line)]
        for line in [*ctx["parent_lines"], *ctx["issuer_lines"]]:
            assert line in header, (name, line, header)
        for piece in header:
            assert piece == "*" or len(piece.split()) >= 2, (name, piece)
            assert not piece.startswith("-"), (name, piece)


def test_title_and_subject_lines_print_as_composed(printed):
    for name, (ctx, pages, _) in printed.items():
        first = [line.strip() for line in pages[0] if line.strip()]
        doc_type = first.index(ctx["doc_type"])
        expected = [*ctx["title_lines"], *ctx["subject"].split("\n")]
        assert first[doc_type + 1 : doc_type + 1 + len(expected)] == expected, name
        for line in expected:
            assert len(line.split()) >= 2 and not line.startswith("-"), (name, line)


def test_symbols_never_split(printed):
    for name, (ctx, pages, _) in printed.items():
        text = "\n".join(line for page in pages for line in page)
        written = " ".join(p["text"] for p in ctx["body"])
        for symbol in SYMBOLS:
            assert text.count(symbol) == written.count(symbol), (name, symbol)
        assert not re.search(r"\d-\s*$|^\s*[A-Z]{2}/[A-Z]{2}", text, re.M), name
        assert ctx["number_line"].replace("\n", "") in text.replace("\u2011", "-")


def test_the_closing_block_keeps_company(printed):
    for name, (ctx, pages, _) in printed.items():
        minutes = ctx["kind"] == "bien-ban"
        marker = ctx["minutes_signers"][0]["title"] if minutes else "Nơi nhận:"
        page = next(p for p in pages if any(marker in line for line in p))
        at = next(i for i, line in enumerate(page) if marker in line)
        above = [line for line in page[:at] if line.strip() and not line.strip().isdigit()]
        assert above, f"{name}: the closing block is alone on page {pages.index(page) + 1}"
        signer = ctx["minutes_signers"][1]["name"] if minutes else ctx["signer"]["name"]
        assert any(signer in line for line in page[at:]), f"{name}: the signature is split"
        assert "Nơi nhận:" in "\n".join(page[at:]), name


DPI = 300


def picture(pdf: Path, page: int, box: tuple[float, float, float, float]) -> list[bytes]:
    """Rows of grey pixels (0 black) of `box` (x0, y0, x1, y1 in pt) on `page`, via pdftoppm."""
    x0, y0, x1, y1 = (round(v * DPI / 72) for v in box)
    data = subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(x0),
            "-y",
            str(y0),
            "-W",
            str(x1 - x0),
            "-H",
            str(y1 - y0),
            str(pdf),
        ],
        check=True,
        capture_output=True,
    ).stdout
    _magic, wide, high, _depth, pixels = data.split(maxsplit=4)
    wide, high = int(wide), int(high)
    pixels = pixels[-wide * high :]
    return [pixels[y * wide : (y + 1) * wide] for y in range(high)]


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of every word on `page`, in pt."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [
        (m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3]))
        for m in re.findall(pattern, html)
    ]


def dark(row: bytes, start: int = 0, end: int | None = None) -> int:
    return sum(1 for v in row[start:end] if v < 128)


def longest_run(row: bytes) -> int:
    """The longest run of dark pixels: a drawn line, not letters."""
    return max((len(run) for run in re.split(rb"[\x80-\xff]+", row)), default=0)


def test_party_underline_stops_before_the_colon(printed):
    from notice_gen.rules.metrics import width

    colon = width(":", 14) / 20 * DPI / 72  # pixels
    for name, (_, pages, pdf) in printed.items():
        if name.startswith("nd30") or not name.endswith(("01", "16")):
            continue
        page = next(i for i, p in enumerate(pages, 1) if any("Nơi nhận:" in s for s in p))
        word = next(w for w in words(pdf, page) if w[0] == "nhận:")
        _, x0, y0, x1, y1 = word
        rows = picture(pdf, page, (x0, y0, x1, y1 + 4))
        text_end = round(len(rows[0]) - colon)
        underline = [r for r in rows if dark(r, 0, text_end) > 0.9 * text_end]
        assert underline, f"{name}: no underline under 'nhận'"
        assert all(dark(r, text_end + 2) == 0 for r in underline), (
            f"{name}: the colon is underlined"
        )


def test_state_subject_line_clears_the_descenders(printed):
    """LibreOffice sets ~2.3 pt of descent below the letters; Word none: the 1.5 pt
    before the line gives ≥ 3.5 pt here, so ≥ 1.5 pt in Word."""
    for name, (ctx, _pages, pdf) in printed.items():
        if not name.startswith("nd30") or not name.endswith(("01", "04", "07")):
            continue
        last = ctx["subject"].split("\n")[-1].split()[-1]
        found = [w for w in words(pdf, 1) if w[0] == last and w[2] > 150]
        _, _, y0, _, y1 = found[0]
        rows = picture(pdf, 1, (85, y0, 580, y1 + 12))
        rule = next(i for i, r in enumerate(rows) if longest_run(r) > DPI * 0.3)
        ink = max(i for i, r in enumerate(rows[:rule]) if dark(r))
        gap = (rule - ink - 1) * 72 / DPI
        assert 3.5 <= gap <= 7, f"{name}: {gap:.1f} pt between the subject and its line"
