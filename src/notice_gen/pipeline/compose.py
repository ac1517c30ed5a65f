"""Stage 3, format: apply the profile's rules to a record, giving the template its ready values.

Number line, date line, labels, Nơi nhận punctuation, signature lines and the
lengths of the drawn lines are all decided here; templates only place them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from markupsafe import escape

from ..docx.proof import RunText
from ..docx.properties import generator
from ..docx.template import emphasis_markup
from ..record.model import Meeting, Person, Point, Record
from ..record.text import emphasis
from ..rules.breaking import (
    CLOSING_COLUMNS,
    HEADER_COLUMNS,
    balanced_lines,
    kept_end,
    symbol_hyphens,
)
from ..rules.lines import fraction_line
from ..rules.metrics import width
from ..rules.profiles import BLANK_DAY, BLANK_NUMBER, DOC_TYPES, Profile, text_width
from ..rules.wording import (
    AGENDA_COUNTER,
    agenda_items,
    archive_body,
    authority_marker,
    bare,
    curly_quotes,
    in_sentence,
    usual_title,
)

DEFAULT_NUMBERING = ("1.", "a)", "-")
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
_COUNTER = re.compile(r"\d+|[IVXLC]+|[a-zđ]")
_ROMAN = [
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


RUN_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
NO_BREAK_HYPHEN = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


class WordText(RunText):
    """Text whose line breaks become Word line breaks when a template prints it, and
    whose symbol hyphens (`01-CT/TU`) become non-breaking hyphens."""

    def __html__(self) -> str:
        return _escaped(str(self))


class BodyText(WordText):
    """Body text (intro, points, closing): `*nghiêng*` and `**đậm**` become italic and
    bold runs, `\\*` an asterisk; a marker without its pair is printed as written."""

    def pieces(self) -> list[tuple[str, str]]:
        spans = emphasis(str(self))
        if spans is None:
            return [(_escaped(str(self)), "")]
        return [(_escaped(piece), style) for piece, style in spans]

    def __html__(self) -> str:
        spans = emphasis(str(self))
        return emphasis_markup(spans, _escaped) if spans else _escaped(str(self))


@lru_cache(maxsize=4096)  # a batch prints the same lines in many documents
def _escaped(text: str) -> str:
    """`text` escaped for a `<w:t>`, line breaks and symbol hyphens made Word's own."""
    pieces, start = [], 0
    for at in symbol_hyphens(text):
        pieces.append(str(escape(text[start:at])))
        start = at + 1
    pieces.append(str(escape(text[start:])))
    return NO_BREAK_HYPHEN.join(pieces).replace("\n", RUN_BREAK)


def two_digits(value: int) -> str:
    """Zero-padded below 10, as days, numbers (from 1) and months 1-2 are written."""
    return f"{value:02d}"


def number_line(record: Record) -> str:
    """`Số: 05/TB-VP` (State) or `Số 135-TB/TU` (Party); blank when there is no number yet."""
    rules = record.rules
    number = two_digits(record.number) if isinstance(record.number, int) else BLANK_NUMBER
    return rules.number_format.format(
        number=number, type=rules.type_codes[record.kind], issuer=record.issuer.code
    )


def date_words(day: date | None, year: int | None = None) -> str:
    """`ngày 05 tháng 01 năm 2020`, `ngày 29 tháng 6 năm 2019`; blanks when undated."""
    if day is None:
        return f"ngày{BLANK_DAY}tháng{BLANK_DAY}năm" + (f" {year}" if year else "")
    month = two_digits(day.month) if day.month <= 2 else str(day.month)
    return f"ngày {two_digits(day.day)} tháng {month} năm {day.year}"


def date_line(record: Record) -> str:
    """`Hà Nội, ngày 05 tháng 3 năm 2026`; empty for ND 30 minutes, which carry none."""
    if record.kind == "bien-ban" and record.rules.regime == "state":
        return ""
    return f"{record.place}, {date_words(record.date, record.year)}"


def minutes_signers(record: Record) -> list[dict[str, str]]:
    """Biên bản: the secretary on the left, the chair on the right, with the profile's titles."""
    meeting = record.meeting or Meeting()
    people = (meeting.secretary, meeting.chair)
    return [
        {"title": WordText(title), "name": WordText(person.name if person else "")}
        for title, person in zip(record.rules.minutes_signers, people, strict=True)
    ]


def short_date(day: date) -> str:
    """`05/6/2014`: the same padding rule, as dates are cited inside the text."""
    month = two_digits(day.month) if day.month <= 2 else str(day.month)
    return f"{two_digits(day.day)}/{month}/{day.year}"


def recipient_lines(record: Record) -> list[str]:
    """`- X;` for each recipient (`,` under HD 36) and the archive line last; an item that
    wraps in the Nơi nhận column keeps its last two syllables together."""
    rules = record.rules
    size = rules.styles["NGRecipient"].size
    lines = [_recipient(item, rules.separator, size) for item in record.recipients]
    archive = rules.archive_format.format(archive=archive_body(record.archive, rules))
    return [*lines, _kept_end(archive, size)]


@lru_cache(maxsize=4096)  # a batch sends to the same recipients in many documents
def _recipient(item: str, separator: str, size: float) -> str:
    return _kept_end(f"- {bare(item)}{separator}", size)


@lru_cache(maxsize=4096)
def _kept_end(line: str, size: float) -> str:
    return kept_end(line, CLOSING_COLUMNS[0], size)


@lru_cache(maxsize=4096)  # a batch measures the same header lines in many documents
def _width(text: str, size: float, bold: bool) -> int:
    return width(text, size, bold=bold)


def signer_lines(record: Record) -> dict[str, str]:
    signer = record.signer
    if signer is None:
        return {"authority_line": "", "position": "", "name": ""}
    authority = ""
    if signer.authority:
        marker = authority_marker(signer.authority, record.rules)
        authority = f"{marker} {signer.on_behalf_of}"
    return {"authority_line": authority, "position": signer.position, "name": signer.name}


def label(pattern: str, path: list[int]) -> str:
    """The label of the item at `path` (1-based counts by depth) under `pattern`.

    The last counter of the pattern counts this level, earlier ones the levels above:
    `1.` -> `3.`, `a)` -> `c)`, `1.1-` -> `2.1-`, `I.` -> `IV.`, `-` -> `-`.
    """
    found = list(_COUNTER.finditer(pattern))
    numbers = ([1] * len(found) + path)[len(path) :] if found else []
    out, end = [], 0
    for match, n in zip(found, numbers, strict=True):
        out += [pattern[end : match.start()], _counter(match.group(), n)]
        end = match.end()
    return "".join([*out, pattern[end:]])


def _counter(token: str, n: int) -> str:
    if token.isdigit():
        return str(n)
    if token.islower():
        letters, out = VIETNAMESE_LETTERS, ""
        while n:
            n, rest = divmod(n - 1, len(letters))
            out = letters[rest] + out
        return out
    roman = ""
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        roman += numeral * count
    return roman


def body(record: Record) -> list[dict[str, str]]:
    """The body's paragraphs in order, as the kind of document lays them out."""
    if record.kind == "giay-moi":
        paragraphs = invitation(record)
    elif record.kind == "bien-ban":
        paragraphs = minutes(record)
    else:
        intro = [BodyText(t) for t in record.intro] if record.intro else intro_from(record.meeting)
        paragraphs = [_paragraph(text) for text in intro]
        paragraphs += _points(record.conclusions, tuple(record.numbering or DEFAULT_NUMBERING), [])
    return paragraphs + [_paragraph(BodyText(text)) for text in record.closing or []]


def clock(time: str) -> str:
    """`08:00` -> `8 giờ 00`."""
    hours, minutes = time.split(":")
    return f"{int(hours)} giờ {minutes}"


def weekday(day: date) -> str:
    """`thứ Năm`, `Chủ nhật`: Babel's Vietnamese day names."""
    from babel.dates import format_date  # only invitations and minutes name the day

    name = format_date(day, "EEEE", locale="vi")
    return name if name.startswith("Chủ") else name[0].lower() + name[1:]


def _person(person: Person) -> str:
    return person.name + (f", {person.position}" if person.position else "")


def invitation(record: Record) -> list[dict[str, str]]:
    """ND 30 Mẫu 1.7: who is invited, to what, chair, time, place, notes."""
    meeting = record.meeting or Meeting()
    opening = (
        f"{meeting.inviter} trân trọng kính mời:" if meeting.inviter else ("Trân trọng kính mời:")
    )
    invitees = meeting.invitees
    if len(invitees) == 1:
        out = [_paragraph(f"{opening} {bare(invitees[0])}.")]
    else:
        out = [_paragraph(opening)]
        out += [
            _paragraph(f"- {bare(item)}" + (";" if i < len(invitees) - 1 else "."))
            for i, item in enumerate(invitees)
        ]
    out.append(_paragraph(f"Tới dự {meeting.name or record.subject}."))
    if meeting.chair:
        out.append(_paragraph(f"{_person(meeting.chair)}.", heading="Chủ trì: "))
    if meeting.date and meeting.start:
        when = f"{clock(meeting.start)}, {weekday(meeting.date)}, ngày {short_date(meeting.date)}."
        out.append(_paragraph(when, heading="Thời gian: "))
    if meeting.location:
        out.append(_paragraph(f"{meeting.location}.", heading="Địa điểm: "))
    return out + [_paragraph(note) for note in meeting.notes]


def minutes(record: Record) -> list[dict[str, str]]:
    """ND 30 Mẫu 1.9: time, place, attendance, chair, secretary, then the proceedings."""
    meeting = record.meeting or Meeting()
    out = []
    if meeting.date and meeting.start:
        start = f"{clock(meeting.start)}, {date_words(meeting.date)}."
        out.append(_paragraph(start, heading="Thời gian bắt đầu: "))
    if meeting.location:
        out.append(_paragraph(f"{meeting.location}.", heading="Địa điểm: "))
    if meeting.attendees:
        out.append(_paragraph("", heading="Thành phần tham dự:"))
        out += [
            _paragraph(f"- {bare(a)};" if i < len(meeting.attendees) - 1 else f"- {bare(a)}.")
            for i, a in enumerate(meeting.attendees)
        ]
    if meeting.chair:
        out.append(_paragraph(f"{_person(meeting.chair)}.", heading="Chủ trì (chủ tọa): "))
    if meeting.secretary:
        out.append(
            _paragraph(f"{_person(meeting.secretary)}.", heading="Thư ký (người ghi biên bản): ")
        )
    out += _agenda(agenda_items(meeting.agenda or []))
    out.append(_paragraph("", heading="Nội dung (theo diễn biến cuộc họp):"))
    out += [_paragraph(text) for text in meeting.reports]
    for speech in meeting.speeches:
        who = f"Đồng chí {speech.speaker}" + (f", {speech.position}" if speech.position else "")
        out.append(_paragraph(speech.content[0], heading=f"{who}: "))
        out += [_paragraph(text) for text in speech.content[1:]]
    if record.conclusions:
        out.append(_paragraph("", heading="Kết luận:"))
        out += _points(record.conclusions, tuple(record.numbering or DEFAULT_NUMBERING), [])
    if meeting.end and not record.closing:
        end = "./." if record.rules.regime == "state" else "."  # HD 05 ends with a full stop
        ended = f"Cuộc họp kết thúc vào {clock(meeting.end)}, {date_words(meeting.date)}{end}"
        out.append(_paragraph(ended))
    return out


def _agenda(items: list[str]) -> list[dict[str, str]]:
    """Biên bản: what the meeting was about, before its proceedings: `Nội dung: X.` or
    the items one a line, as typed when numbered, else as dashed items."""
    if len(items) == 1:
        return [_paragraph(in_sentence(items[0]) + ".", heading="Nội dung: ")]
    out = [_paragraph("", heading="Nội dung:")] if items else []
    for i, item in enumerate(items):
        if AGENDA_COUNTER.match(item) and not item.startswith(("-", "–", "+", "•")):
            out.append(_paragraph(item))
        else:
            out.append(_paragraph(f"- {bare(item)}" + (";" if i < len(items) - 1 else ".")))
    return out


def _paragraph(text: str, lead: str = "", heading: str = "") -> dict[str, str]:
    body = (BodyText if isinstance(text, BodyText) else WordText)(curly_quotes(text))
    return {"label": WordText(lead), "heading": WordText(heading), "text": body}


def _points(points: list[Point], scheme: tuple[str, ...], path: list[int]) -> list[dict[str, str]]:
    out = []
    depth = len(path)
    pattern = scheme[depth] if depth < len(scheme) else DEFAULT_NUMBERING[-1]
    for n, point in enumerate(points, 1):
        mark = point.label or label(pattern, [*path, n])
        texts = point.text or [""]
        heading = point.heading or ""
        first = _paragraph(
            BodyText(texts[0]),
            f"{mark} ",
            f"{heading} " if heading and texts[0] else heading,
        )
        out += [first, *(_paragraph(BodyText(t)) for t in texts[1:])]
        out += _points(point.points, scheme, [*path, n])
    return out


def intro_from(meeting: Meeting | None) -> list[str]:
    """An opening paragraph composed from the meeting, for records without `intro`."""
    if meeting is None or meeting.date is None or meeting.chair is None:
        return []
    when = f"Ngày {short_date(meeting.date)}"
    if meeting.start:
        hours, minutes = meeting.start.split(":")
        when = f"Vào lúc {int(hours)} giờ {minutes} ngày {short_date(meeting.date)}"
    chair = meeting.chair
    who = f"đồng chí {chair.name}" + (f", {chair.position}" if chair.position else "")
    what = f"buổi làm việc với {meeting.with_}" if meeting.with_ else "cuộc họp"
    sentence = f"{when}, {who} chủ trì {what}"
    listed = agenda_items(meeting.agenda or [])
    items = [in_sentence(item, lower=len(listed) > 1) for item in listed]
    place = f" tại {meeting.location}" if meeting.location else ""
    if len(items) > 1:  # the place first: a list of items ends the sentence
        sentence += f"{place} về các nội dung: " + "; ".join(items)
    else:
        sentence += "".join(f" về {item}" for item in items) + place
    parts = [sentence + "."]
    if meeting.attendees:
        joiner = "; " if any("," in a for a in meeting.attendees) else ", "
        parts.append(f"Cùng dự có {joiner.join(bare(a) for a in meeting.attendees)}.")
    title = usual_title(chair.position) if chair.position else chair.name
    speaker = f"đồng chí {title}"
    parts.append(f"Sau khi nghe báo cáo và ý kiến của các thành viên dự họp, {speaker} kết luận:")
    return [" ".join(parts)]


def _lines(lines: list[str], room: int, size: float, *, bold: bool) -> list[str]:
    """Lines as the record gives them, or one given line broken as a văn thư would."""
    if len(lines) != 1:
        return lines
    return balanced_lines(lines[0], room, size, bold=bold)


def header_lines(record: Record) -> dict[str, list[str]]:
    """The parent body, the issuing body, the title and the subject, line by line."""
    styles = record.rules.styles
    column, full = HEADER_COLUMNS[0], text_width(record.rules)
    subject = styles["NGSubject"]
    return {
        "parent": _lines(record.issuer.parent or [], column, styles["NGParent"].size, bold=False),
        "issuer": _lines(record.issuer.name, column, styles["NGIssuer"].size, bold=True),
        "title": _lines(
            [curly_quotes(t) for t in record.title or []], full, subject.size, bold=True
        ),
        "subject": _lines(curly_quotes(record.subject).split("\n"), full, subject.size, bold=True),
    }


def rule_lengths(record: Record, lines: dict[str, list[str]]) -> dict[str, int]:
    """Lengths (twips) of the drawn lines: State 1/3-1/2 of the longest line of the
    issuer and of the subject (`rules.lines`) and the full Tiêu ngữ; Party the full
    title ĐẢNG CỘNG SẢN VIỆT NAM."""
    rules = record.rules
    styles = rules.styles
    if rules.regime == "party":
        title = styles["NGPartyTitle"]
        return {"party_title": _width(rules.header_lines["party_title"], title.size, True)}
    issuer = max(_width(line, styles["NGIssuer"].size, True) for line in lines["issuer"])
    subject = min(
        max(_width(line, styles["NGSubject"].size, True) for line in lines["subject"]),
        text_width(rules),
    )
    return {
        "issuer": fraction_line(issuer),
        "motto": _width(rules.header_lines["motto"], styles["NGMotto"].size, True),
        "subject": fraction_line(subject),
    }


def context(record: Record) -> dict[str, Any]:
    """Every value a template may print, ready to print."""
    rules: Profile = record.rules
    lines = header_lines(record)
    return {
        **{name: WordText(value) for name, value in rules.header_lines.items()},
        "parent_lines": [WordText(line) for line in lines["parent"]],
        "issuer_lines": [WordText(line) for line in lines["issuer"]],
        "number_line": WordText(number_line(record)),
        "date_line": WordText(date_line(record)),  # ND 30 minutes: none
        "doc_type": WordText(DOC_TYPES[record.kind][0]),
        "title_lines": [WordText(line) for line in lines["title"]],
        "subject": WordText("\n".join(lines["subject"])),
        "body": body(record),
        "recipients": [WordText(line) for line in recipient_lines(record)],
        "signer": {k: WordText(v) for k, v in signer_lines(record).items()},
        "minutes_signers": minutes_signers(record),
        "rules": rule_lengths(record, lines),
        "profile": rules.name,
        "kind": record.kind,
        "properties": {  # docProps: what the document says about itself
            "profile": rules.name,
            "generator": generator(),
            "title": record.subject,
            "creator": " ".join(record.issuer.name),
        },
    }
