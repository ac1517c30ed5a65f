"""The body of an invitation or of minutes: the labelled lines the rulebook's form prints
(`Chủ trì:`, `Thời gian:`, `Địa điểm:` …) become meeting fields, the rest stays as written."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..pipeline.compose import clock, date_words, short_date, weekday
from ..rules.wording import bare
from . import body as bodies
from .findings import GUESSED, Finding
from .read import Para

if TYPE_CHECKING:
    from .recognise import Recogniser

INVITE = re.compile(r"^(?P<who>.*?)\s*trân trọng kính mời\s*:?\s*(?P<rest>.*)$", re.I)
TO = re.compile(r"^Tới dự\s*:?\s*(?P<rest>.+)$")
CHAIR = re.compile(r"^Chủ (?:trì|tọa|toạ)(?:\s*\(chủ t[ọo]a\))?\s*:\s*(?P<rest>.+)$", re.I)
SECRETARY = re.compile(r"^Thư ký(?:\s*\([^)]*\))?\s*:\s*(?P<rest>.+)$", re.I)
TIME = re.compile(r"^Thời gian(?: bắt đầu)?\s*:\s*(?P<rest>.+)$", re.I)
PLACE = re.compile(r"^Địa điểm\s*:\s*(?P<rest>.+)$", re.I)
ATTENDEES = re.compile(r"^Thành phần(?: tham dự| dự họp| tham gia)?\s*:\s*(?P<rest>.*)$", re.I)
PROCEEDINGS = re.compile(r"^Nội dung\b.*:$", re.I)
CONCLUSIONS = re.compile(r"^Kết luận\b.*:$", re.I)
ENDED = re.compile(r"^(Cuộc họp|Hội nghị|Buổi làm việc|Phiên họp)\b.*kết thúc", re.I)
HOUR = re.compile(r"(\d{1,2})\s*(?:giờ|h|:)\s*(\d{1,2})?")
DAY = re.compile(r"(\d{1,2})\s*(?:/|-|tháng)\s*(\d{1,2})\s*(?:/|-|năm)\s*(\d{4})")


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def keeps(draft: str, printed: str) -> bool:
    """Whether `printed` says every word of `draft`."""
    return not words(draft) - words(printed)


def when(text: str) -> tuple[str | None, date | None]:
    """`8 giờ 00, thứ Tư, ngày 28/01/2026` -> ('08:00', 2026-01-28)."""
    hour = HOUR.search(re.sub(DAY, " ", text))
    day = DAY.search(text)
    start = f"{int(hour.group(1)):02d}:{int(hour.group(2) or 0):02d}" if hour else None
    try:
        found = date(int(day.group(3)), int(day.group(2)), int(day.group(1))) if day else None
    except ValueError:
        found = None
    return start, found


def person(text: str) -> dict[str, str]:
    """`Trần Văn Bình, Chủ tịch UBND tỉnh` (or ` - `) -> name and position."""
    parts = re.split(r"\s*,\s*|\s+[-–]\s+", bare(text), maxsplit=1)
    return {"name": parts[0], "position": parts[1]} if len(parts) == 2 else {"name": parts[0]}


class Meeting:
    """Reads the body of a giấy mời or a biên bản into `meeting:` fields."""

    def __init__(self, owner: Recogniser, kind: str) -> None:
        self.owner, self.kind = owner, kind
        self.items: list[bodies.Item] = []

    def put(self, key: str, value: Any, para: Para) -> None:
        self.owner.put(("meeting", key), value, para.at())

    def keep(self, para: Para) -> None:
        """A line printed as written: a note of the invitation, a report of the minutes."""
        key = "notes" if self.kind == "giay-moi" else "reports"
        meeting = self.owner.data.setdefault("meeting", {})
        meeting[key] = [*meeting.get(key, []), " ".join(para.text.split())]
        self.owner.seen(_("kept as written in meeting.{key}").format(key=key), para.at())

    def run(self, paras: list[Para]) -> None:
        mode = ""
        last = len(paras) - 1
        for i, para in enumerate(paras):
            text = " ".join(para.text.split())
            if self.kind == "giay-moi" and (m := INVITE.match(text)):
                if m.group("who"):
                    self.put("inviter", m.group("who"), para)
                mode = "invitees"
                if m.group("rest"):
                    self.owner.append(("meeting", "invitees"), bare(m.group("rest")), para.at())
            elif m := TIME.match(text):
                self.time(m.group("rest"), para)
            elif m := PLACE.match(text):
                location = bare(m.group("rest"))
                self.field("location", location, f"{location}.", m.group("rest"), para)
            elif m := CHAIR.match(text):
                self.person("chair", m.group("rest"), para)
            elif self.kind == "bien-ban" and (m := SECRETARY.match(text)):
                self.person("secretary", m.group("rest"), para)
            elif self.kind == "giay-moi" and (m := TO.match(text)):
                name = bare(m.group("rest"))
                self.field("name", name, f"Tới dự {name}.", text, para)
                mode = ""
            elif self.kind == "bien-ban" and (m := ATTENDEES.match(text)):
                mode = "attendees"
                if m.group("rest"):
                    self.owner.append(("meeting", "attendees"), bare(m.group("rest")), para.at())
            elif self.kind == "bien-ban" and PROCEEDINGS.match(text):
                mode = "reports"
                self.owner.seen(_("the minutes' proceedings"), para.at())
            elif self.kind == "bien-ban" and CONCLUSIONS.match(text):
                mode = "conclusions"
                self.owner.seen(_("the minutes' conclusions"), para.at())
            elif self.kind == "bien-ban" and ENDED.match(text):
                self.ended(text, para)
            elif mode in ("invitees", "attendees") and (text[0] in "-–+•" or para.label):
                self.owner.append(("meeting", mode), bare(text), para.at())
            elif mode == "conclusions" and (found := bodies.labelled(para)):
                self.items.append(bodies.Item(found[0], found[1], [(para, found[2])]))
            elif mode == "conclusions" and self.items:
                self.items[-1].paras.append((para, list(para.spans)))
            elif i == last and bodies.CLOSING.search(text):
                self.owner.put(("closing",), bodies.marked(list(para.spans)), para.at())
            else:
                self.keep(para)
                mode = "" if mode in ("invitees", "attendees") else mode
        if self.items:
            tree = bodies.nest(self.items)
            scheme = bodies.scheme(tree)
            if scheme:
                self.owner.put(("numbering",), scheme, self.items[0].paras[0][0].at())
            self.owner.data["conclusions"] = bodies.points(tree, scheme, [])
        self.fallbacks(paras[0] if paras else None)

    def field(self, key: str, value: str, printed: str, draft: str, para: Para) -> None:
        """Set `meeting.key` when the form prints every word of the line; else keep it."""
        if keeps(draft, printed):
            self.put(key, value, para)
        else:
            self.keep(para)

    def time(self, text: str, para: Para) -> None:
        start, day = when(text)
        if not (start and day):
            self.keep(para)
            return
        if self.kind == "giay-moi":
            printed = f"{clock(start)}, {weekday(day)}, ngày {short_date(day)}."
        else:
            printed = f"{clock(start)}, {date_words(day)}."
        if keeps(text, printed):
            self.put("start", start, para)
            self.put("date", day.isoformat(), para)
        else:
            self.keep(para)

    def person(self, key: str, text: str, para: Para) -> None:
        found = person(text)
        meeting = self.owner.data.setdefault("meeting", {})
        signed = meeting.get(key, {}).get("name")
        printed = found["name"] + (f", {found['position']}" if "position" in found else "") + "."
        if not keeps(text, printed):
            self.keep(para)
            return
        if signed and not found["name"].endswith(signed):
            self.owner.unplaced(para, signed)
        self.put(key, found, para)

    def ended(self, text: str, para: Para) -> None:
        start, _day = when(text)
        if start:
            self.put("end", start, para)
        self.owner.put(("closing",), bodies.marked(list(para.spans)), para.at())

    def fallbacks(self, first: Para | None) -> None:
        """The minutes' date from the header's when the body does not give one."""
        meeting = self.owner.data.setdefault("meeting", {})
        if self.kind == "bien-ban" and "date" not in meeting and self.owner.day:
            meeting["date"] = self.owner.day.isoformat()
            why = _("the date of the document")
            self.owner.guesses[("meeting", "date")] = why
            self.owner.findings.append(
                Finding(
                    GUESSED, f"meeting.date: {meeting['date']} — {why}", first.at() if first else ""
                )
            )
