"""Drafts typed "by hand" in python-docx, in the styles offices really use.

Each builder writes a .docx and returns the texts of its body, Nơi nhận and signature,
the words a re-issue must keep, as the draft's author typed them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


class Draft:
    """A document being typed, and the texts of it that must survive a re-issue."""

    def __init__(self, font: str = "Times New Roman") -> None:
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = font
        normal.font.size = Pt(13)
        self.kept: list[str] = []

    def line(
        self, text: str | list[tuple[str, str]], *, align=None, fmt: str = "", keep=False, to=None
    ):
        """A paragraph; `text` may be runs `(text, "b"|"i"|"bi"|"")`."""
        runs = [(text, fmt)] if isinstance(text, str) else text
        paragraph = (to or self.doc).add_paragraph()
        for chunk, style in runs:
            run = paragraph.add_run(chunk)
            run.bold = "b" in style or None
            run.italic = "i" in style or None
        if align is not None:
            paragraph.alignment = align
        if keep:
            self.kept.append("".join(chunk for chunk, _ in runs))
        return paragraph

    def body(self, text, **options):
        return self.line(text, align=JUSTIFY, keep=True, **options)

    def table(self, rows: list[list[list[tuple[str, str]]]], keep: bool = False):
        """A borderless table; each cell a list of lines `(text, fmt)`."""
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, lines in enumerate(row):
                cell = table.cell(r, c)
                first = True
                for text, fmt in lines:
                    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                    first = False
                    run = paragraph.add_run(text)
                    run.bold = "b" in fmt or None
                    run.italic = "i" in fmt or None
                    paragraph.alignment = CENTER if c or not text.startswith(("-", "Nơi")) else None
                    if keep:
                        self.kept.append(text)
        return table

    def word_list(self) -> int:
        """A list of Word's own numbering: `1.` / `a)` / `-` by level; returns its numId."""
        numbering = self.doc.part.numbering_part.element
        levels = [("decimal", "%1."), ("lowerLetter", "%2)"), ("bullet", "-")]
        xml = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{xml}</w:abstractNum>'
        )
        numbering.insert(0, abstract)
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
        numbering.append(num)
        return 90

    def numbered(self, runs, level: int, num_id: int):
        """A paragraph numbered by Word (the label is not in its text)."""
        paragraph = self.body(runs)
        ppr = paragraph._p.get_or_add_pPr()
        ilvl, num = f'<w:ilvl w:val="{level}"/>', f'<w:numId w:val="{num_id}"/>'
        first = 1 if ppr.find(qn("w:pStyle")) is not None else 0  # numPr comes before jc
        ppr.insert(first, parse_xml(f"<w:numPr {nsdecls('w')}>{ilvl}{num}</w:numPr>"))
        return paragraph

    def save(self, path: Path) -> Path:
        self.doc.add_paragraph()  # Word always ends a document with a paragraph
        self.doc.save(str(path))
        return path


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def document_words(path: Path) -> Counter[str]:
    """Every word a reader sees in the .docx: paragraphs and table cells."""
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    texts += [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return words(" ".join(texts))


def tab_run(draft: Draft, left: str, right: str, *, bold_left=False, bold_right=False, keep=False):
    """`left<TAB><TAB>right`: one line of two columns pushed apart with tabs."""
    runs = [(left, "b" if bold_left else ""), ("\t\t\t", ""), (right, "b" if bold_right else "")]
    paragraph = draft.line(runs)
    if keep:
        draft.kept += [t for t in (left, right) if t]
    return paragraph


def state_table(path: Path) -> list[str]:
    """ND 30 notice: header table, Arial, `Số: 15 /TB-VP`, typed `1.`/`a)`/`-` points, bold
    lead-ins, italic in the body, a literal asterisk, Nơi nhận ending in `,`, closing table."""
    d = Draft(font="Arial")
    d.table(
        [
            [
                [("UBND TỈNH LÂM ĐỒNG", ""), ("VĂN PHÒNG", "b"), ("", "")],
                [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), ("Độc lập - Tự do - Hạnh phúc", "b")],
            ],
            [[("Số: 15 /TB-VP", "")], [("Lâm Đồng, ngày 3 tháng 2 năm 2026", "i")]],
        ]
    )
    d.line("")
    d.line("THÔNG BÁO", align=CENTER, fmt="b")
    d.line(
        "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về tiến độ giải phóng mặt bằng",
        align=CENTER,
        fmt="b",
    )
    d.line("________", align=CENTER)
    d.body(
        [
            ("Ngày 28/01/2026, Chủ tịch UBND tỉnh chủ trì cuộc họp theo ", ""),
            ("Kế hoạch số 12/KH-UBND", "i"),
            ("; sau khi nghe báo cáo, Chủ tịch kết luận:", ""),
        ]
    )
    d.body(
        [
            ("1. ", ""),
            ("Về kết quả thực hiện:", "b"),
            (" đã bàn giao 82% diện tích (*) mặt bằng.", ""),
        ]
    )
    d.body([("2. ", ""), ("Về nhiệm vụ thời gian tới:", "b")])
    d.body("a) UBND các xã hoàn thành chi trả trước ngày 28/02/2026.")
    d.body("b) Sở Tài chính thẩm định phương án bồi thường bổ sung.")
    d.body("- Ưu tiên các hộ đã bàn giao mặt bằng sớm.")
    d.body("c) Sở Xây dựng tổng hợp, báo cáo.")
    d.body("(*) Số liệu đến ngày 25/01/2026.")
    d.body("Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.")
    d.table(
        [
            [
                [
                    ("Nơi nhận:", "bi"),
                    ("- Chủ tịch, các PCT UBND tỉnh,", ""),
                    ("- Các sở: Xây dựng, Tài chính,", ""),
                    ("- Lưu: VT, TH.", ""),
                ],
                [
                    ("KT. CHÁNH VĂN PHÒNG", "b"),
                    ("PHÓ CHÁNH VĂN PHÒNG", "b"),
                    ("", ""),
                    ("", ""),
                    ("Nguyễn Thị Hoa", "b"),
                ],
            ]
        ],
        keep=True,
    )
    d.save(path)
    return d.kept


def state_tabs(path: Path) -> list[str]:
    """ND 30 notice: header pushed into columns with tabs, Word-numbered points, an italic
    document title in the body, signature and Nơi nhận pushed with tabs."""
    d = Draft()
    tab_run(d, "UBND TỈNH BẮC KẠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold_right=True)
    tab_run(d, "VĂN PHÒNG", "Độc lập - Tự do - Hạnh phúc", bold_left=True, bold_right=True)
    d.line("\t\t\t____________________")
    tab_run(d, "Số: 07/TB-VP", "Bắc Kạn, ngày 19 tháng 2 năm 2025")
    d.line("THÔNG BÁO", align=CENTER, fmt="b")
    d.line(
        "Kết luận của Phó Chủ tịch UBND tỉnh tại buổi kiểm tra xây dựng trường học",
        align=CENTER,
        fmt="b",
    )
    d.body(
        "Ngày 14/02/2025, Phó Chủ tịch UBND tỉnh kiểm tra tiến độ; sau khi nghe báo cáo, "
        "Phó Chủ tịch kết luận:"
    )
    num = d.word_list()
    d.numbered("Các trường đã hoàn thành 70% khối lượng.", 0, num)
    d.numbered(
        [
            ("Thực hiện tốt Đề án ", ""),
            ("Xây dựng trường chuẩn quốc gia", "i"),
            (" giai đoạn 2025 - 2030:", ""),
        ],
        0,
        num,
    )
    d.numbered("Sở Giáo dục và Đào tạo đôn đốc nhà thầu.", 1, num)
    d.numbered("UBND huyện bàn giao mặt bằng còn lại.", 1, num)
    d.numbered("Báo cáo kết quả trước ngày 30/3/2025.", 0, num)
    d.body("Văn phòng UBND tỉnh thông báo để các cơ quan biết, thực hiện./.")
    tab_run(d, "Nơi nhận:", "TL. CHỦ TỊCH", bold_right=True, keep=True)
    tab_run(d, "- Như trên;", "CHÁNH VĂN PHÒNG", bold_right=True, keep=True)
    d.line("- Sở Giáo dục và Đào tạo;", keep=True)
    d.line("- Lưu: VT, VX.", keep=True)
    d.line("")
    d.line([("\t\t\t\t", ""), ("Hoàng Văn Nam", "b")], keep=True)
    d.save(path)
    return d.kept


def party_2014(path: Path) -> list[str]:
    """The 2014 Bình Thuận notice as typed then: Party header table, `1.`/`2.1-` points with
    a repeated label, italic titles in quotes, Nơi nhận and signature as plain lines."""
    d = Draft()
    d.table(
        [
            [
                [("ĐẢNG BỘ TỈNH BÌNH THUẬN", ""), ("TỈNH ỦY", "b"), ("*", "")],
                [("ĐẢNG CỘNG SẢN VIỆT NAM", "b")],
            ],
            [[("Số 135-TB/TU", "")], [("Phan Thiết, ngày 10 tháng 6 năm 2014", "i")]],
        ]
    )
    d.line("THÔNG BÁO", align=CENTER, fmt="b")
    d.line("KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY", align=CENTER, fmt="b")
    d.line("tại buổi làm việc với Thường trực Huyện ủy Tuy Phong về", align=CENTER, fmt="b")
    d.line("công tác xây dựng tổ chức cơ sở đảng trong năm 2013", align=CENTER, fmt="b")
    d.line("-----", align=CENTER)
    d.body(
        "Ngày 05/6/2014, đồng chí Dương Văn An – Phó Bí thư Tỉnh ủy có buổi làm việc với "
        "Thường trực Huyện ủy Tuy Phong; đồng chí Phó Bí thư Tỉnh ủy đã kết luận:"
    )
    d.body("1. Ban Thường vụ Huyện ủy Tuy Phong đã tập trung lãnh đạo, chỉ đạo đạt kết quả.")
    d.body("Bên cạnh những kết quả đạt được, một số hạn chế cần khắc phục.")
    d.body("2. Thời gian tới, đề nghị Ban Thường vụ Huyện ủy Tuy Phong quan tâm một số vấn đề sau:")
    d.body(
        [
            ("2.1- Thực hiện tốt Đề án “", ""),
            ("Nâng cao chất lượng sinh hoạt chi bộ", "i"),
            ("”.", ""),
        ]
    )
    d.body("2.2- Đổi mới công tác dân vận của Đảng.")
    d.body("2.2- Tăng cường công tác kết nạp đảng viên mới.")
    d.body("2.3- Tham gia phong trào “Toàn dân bảo vệ an ninh tổ quốc”.")
    d.body(
        "Văn phòng Tỉnh ủy thông báo ý kiến kết luận của Thường trực Tỉnh ủy đề Ban Thường vụ "
        "Huyện ủy Tuy Phong biết, triển khai thực hiện./."
    )
    d.line("Nơi nhận:", keep=True)
    for item in (
        "- Thường trực Tỉnh ủy,",
        "- Các ban của Tỉnh ủy,",
        "- Ban Thường vụ Huyện ủy Tuy Phong,",
        "- Lưu Văn phòng Tỉnh ủy.",
    ):
        d.line(item, keep=True)
    d.line("CHÁNH VĂN PHÒNG", align=RIGHT, keep=True)
    d.line("(đã ký và đóng dấu)", align=RIGHT, fmt="i")
    d.line("Lê Tấn Lai", align=RIGHT, fmt="b", keep=True)
    d.save(path)
    return d.kept


def invitation(path: Path) -> list[str]:
    """ND 30 giấy mời typed after Mẫu 1.7, header table, closing table."""
    d = Draft()
    d.table(
        [
            [
                [("UBND TỈNH LÂM ĐỒNG", ""), ("VĂN PHÒNG", "b")],
                [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"), ("Độc lập - Tự do - Hạnh phúc", "b")],
            ],
            [[("Số:    /GM-VP", "")], [("Lâm Đồng, ngày 22 tháng 01 năm 2026", "i")]],
        ]
    )
    d.line("GIẤY MỜI", align=CENTER, fmt="b")
    d.line("Họp về tiến độ giải phóng mặt bằng dự án đường cao tốc", align=CENTER, fmt="b")
    d.body("Văn phòng UBND tỉnh trân trọng kính mời:")
    d.body("- Lãnh đạo Sở Xây dựng, Sở Tài chính;")
    d.body("- Chủ tịch UBND các xã có dự án đi qua.")
    d.body("Tới dự cuộc họp về tiến độ giải phóng mặt bằng dự án đường cao tốc.")
    d.body("Chủ trì: Trần Văn Bình, Chủ tịch UBND tỉnh.")
    d.body("Thời gian: 8 giờ 00, thứ Tư, ngày 28/01/2026.")
    d.body("Địa điểm: Phòng họp số 1, UBND tỉnh.")
    d.body("Sở Xây dựng chuẩn bị báo cáo tiến độ, gửi trước ngày 26/01/2026.")
    d.body("Rất mong các đồng chí tham dự đúng giờ./.")
    d.table(
        [
            [
                [("Nơi nhận:", "bi"), ("- Như thành phần mời;", ""), ("- Lưu: VT, TH.", "")],
                [("TL. CHỦ TỊCH", "b"), ("CHÁNH VĂN PHÒNG", "b"), ("", ""), ("Lê Văn Tâm", "b")],
            ]
        ],
        keep=True,
    )
    d.save(path)
    return d.kept


def minutes(path: Path) -> list[str]:
    """Party biên bản (HD 05), header pushed with tabs, signatures and Nơi nhận in a table."""
    d = Draft()
    tab_run(d, "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM", bold_right=True)
    d.line([("ĐẢNG ỦY PHƯỜNG CAM LY", "b")])
    d.line("*")
    tab_run(d, "Số 41-BB/ĐU", "Cam Ly, ngày 12 tháng 10 năm 2026")
    d.line("BIÊN BẢN", align=CENTER, fmt="b")
    d.line("hội nghị Ban Thường vụ Đảng ủy phường tháng 10 năm 2026", align=CENTER, fmt="b")
    d.line("-----", align=CENTER)
    d.body("Thời gian bắt đầu: 14 giờ 00, ngày 12 tháng 10 năm 2026.")
    d.body("Địa điểm: Hội trường Đảng ủy phường.")
    d.body("Thành phần tham dự:")
    d.body("- Các đồng chí Ủy viên Ban Thường vụ Đảng ủy;")
    d.body("- Trưởng các ban xây dựng Đảng.")
    d.body("Chủ trì (chủ tọa): Phạm Minh Tuấn, Bí thư Đảng ủy phường.")
    d.body("Thư ký (người ghi biên bản): Đỗ Thị Lan, Chánh Văn phòng Đảng ủy.")
    d.body("Nội dung (theo diễn biến cuộc họp):")
    d.body("Văn phòng Đảng ủy báo cáo kết quả thực hiện nhiệm vụ 9 tháng đầu năm 2026.")
    d.body("Kết luận:")
    d.body("1. Các chi bộ tổ chức tổng kết đúng hướng dẫn.")
    d.body("2. Văn phòng Đảng ủy dự thảo chương trình công tác năm 2027.")
    d.body("Cuộc họp kết thúc vào 16 giờ 30, ngày 12 tháng 10 năm 2026.")
    d.table(
        [
            [
                [("NGƯỜI GHI BIÊN BẢN", "b"), ("", ""), ("Đỗ Thị Lan", "b")],
                [("CHỦ TRÌ HỘI NGHỊ", "b"), ("", ""), ("Phạm Minh Tuấn", "b")],
            ],
            [
                [
                    ("Nơi nhận:", ""),
                    ("- Các đồng chí Ủy viên Ban Thường vụ Đảng ủy;", ""),
                    ("- Lưu Văn phòng Đảng ủy.", ""),
                ],
                [("", "")],
            ],
        ],
        keep=True,
    )
    d.save(path)
    return d.kept
