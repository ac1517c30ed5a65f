"""Classify the draft's lines into the record: header, number, place and date, kind, title,
subject, body, Nơi nhận, archive and signer. Whatever cannot be placed becomes body text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from ..i18n import _
from ..record.load import KeyPath, key_name
from ..rules.profiles import DOC_TYPES, PROFILES
from ..rules.wording import PARTY_TITLE, QUOC_HIEU, TIEU_NGU, bare
from . import body as bodies
from .findings import GUESSED, RECOGNISED, UNPLACED, Finding, shown
from .pieces import Piece, pieces
from .read import DraftError, Para

KIND_LINES = {name.replace(" ", ""): kind for kind, (name, _state, _party) in DOC_TYPES.items()}
NUMBER = re.compile(
    r"^Số\s*(?P<colon>:)?\s*(?P<n>\d+)?[\s.…_]*(?P<sep>[/-])\s*(?P<type>[A-ZĐ][A-Za-zĐđ]*)\s*[-/]\s*"
    r"(?P<code>[A-ZĐ0-9][A-Za-zĐđ0-9]*(?:-[A-ZĐ0-9][A-Za-zĐđ0-9]*)*)\s*\.?$"
)
DATE = re.compile(
    r"^(?P<place>[^,\d]+?)\s*,\s*[Nn]gày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
    r"(?:năm\s*(?P<y>\d{4})?)?[\s.…_]*$"
)
MARKER = re.compile(r"^(?P<m>TUQ\.?|T[./]?M\.?|K[./]?T\.?|T[./]?L\.?|Q\.)\s+(?P<rest>\S.*)$")
MARKERS = {
    "TM": ("TM.", "T/M"),
    "KT": ("KT.", "K/T"),
    "TL": ("TL.", "T/L"),
    "TUQ": ("TUQ.", "TUQ."),
    "Q": ("Q.", "Q."),
}
DECORATION = re.compile(r"^[\s*_\-–—=.~]*$")
PLACEHOLDER = re.compile(r"^[(\[].*[)\]]$")
LABEL = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.I)
ARCHIVE = re.compile(r"^[-–+•]?\s*Lưu\b\s*:?\s*(?P<rest>.*)$")
MINUTES_LEFT = ("THƯ KÝ", "NGƯỜI GHI BIÊN BẢN", "THƯ KÝ CUỘC HỌP", "THƯ KÝ HỘI NGHỊ")
MINUTES_RIGHT = ("CHỦ TỌA", "CHỦ TOẠ", "CHỦ TRÌ", "CHỦ TRÌ HỘI NGHỊ", "CHỦ TRÌ CUỘC HỌP")
UNIT = re.compile(r"\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\s+(?P<name>[^,]+)$")
HD36_FROM, HD05_FROM = date(2018, 4, 3), date(2026, 5, 27)


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def upper(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


def kind_line(text: str) -> str | None:
    """`THÔNG BÁO`, also letter-spaced `T H Ô N G   B Á O`, -> its kind."""
    squeezed = re.sub(r"\s", "", unicodedata.normalize("NFC", text)).upper()
    return KIND_LINES.get(squeezed)


class Recogniser:
    """Builds the record tree from the paragraphs, with a finding for every value."""

    def __init__(self, paras: list[Para], kind: str, profile: str, name: str) -> None:
        self.paras, self.name = paras, name
        self.kind_given, self.profile_given = kind, profile
        self.data: dict[str, Any] = {}
        self.guesses: dict[KeyPath, str] = {}
        self.findings: list[Finding] = []
        self.extra: list[tuple[Para, str]] = []  # text that could not be placed
        self.left_out: list[str] = []  # marks of the signed copy, not printed again
        self.body_start = 0
        self.regime: str | None = None
        self.regime_at = ""  # where the regime was seen
        self.day: date | None = None

    # -- bookkeeping -----------------------------------------------------------
    def node(self, key: KeyPath) -> dict[str | int, Any]:
        """The mapping that holds `key`'s last part, made on the way."""
        node: dict[str | int, Any] = self.data  # type: ignore[assignment]
        for part in key[:-1]:
            node = node.setdefault(part, {})
        return node

    def put(self, key: KeyPath, value: Any, where: str, guess: str | None = None) -> None:
        self.node(key)[key[-1]] = value
        message = _("{key}: {value}").format(key=key_name(key), value=shown(value))
        if guess:
            self.guesses[key] = guess
            message += f" — {guess}"
        self.findings.append(Finding(GUESSED if guess else RECOGNISED, message, where))

    def append(self, key: KeyPath, value: Any, where: str) -> None:
        """Add `value` to the list at `key`, reported as its own entry."""
        node = self.node(key)
        node.setdefault(key[-1], []).append(value)
        message = _("{key}: {value}").format(
            key=key_name((*key, len(node[key[-1]]) - 1)), value=shown(value)
        )
        self.findings.append(Finding(RECOGNISED, message, where))

    def seen(self, what: str, where: str) -> None:
        self.findings.append(Finding(RECOGNISED, what, where))

    def unplaced(self, para: Para, text: str) -> None:
        """Text with no place of its own: it goes into the body, never lost."""
        self.extra.append((para, text))

    # -- the whole draft --------------------------------------------------------
    def run(self) -> dict[str, Any]:
        k = next((i for i, p in enumerate(self.paras) if kind_line(p.text)), None)
        if k is None:
            raise DraftError(
                _(
                    "{name}: no document type line (THÔNG BÁO, GIẤY MỜI or BIÊN BẢN) was found; "
                    "is this a notice, an invitation or minutes?"
                ).format(name=self.name)
            )
        found = kind_line(self.paras[k].text) or ""
        kind = found if self.kind_given == "auto" else self.kind_given
        self.data["kind"] = kind
        self.put(("kind",), kind, self.paras[k].at())
        self.header(self.paras[:k])
        if "place" not in self.data:
            self.place_from_issuer(self.paras[k].at())
        start = self.body_start = self.title(k + 1)
        end = self.closing_start(start, kind)
        body = [p for p in self.paras[start:end] if p.text.strip()]
        self.closing_block(self.paras[end:], kind)
        self.choose_profile()
        if kind == "thong-bao-ket-luan":
            self.notice(body)
        else:
            from .meeting import Meeting

            Meeting(self, kind).run(body)
        self.place_extra(kind)
        self.fit_profile()
        return self.data

    # -- header ----------------------------------------------------------------
    def header(self, paras: list[Para]) -> None:
        left: list[Piece] = []
        for para in paras:
            for piece in pieces(para):
                text = norm(piece.text)
                if DECORATION.match(text):
                    continue
                if text.upper().replace("HOÀ", "HÒA") == QUOC_HIEU:
                    self.regime, self.regime_at = "state", para.at(text)
                    self.seen(_("the Quốc hiệu: a State document (nd30)"), para.at(text))
                elif re.sub(r"\s*[-–—]\s*", " - ", text).lower() == TIEU_NGU.lower():
                    self.seen(_("the Tiêu ngữ"), para.at(text))
                elif text.upper() == PARTY_TITLE:
                    self.regime, self.regime_at = "party", para.at(text)
                    self.seen(_("ĐẢNG CỘNG SẢN VIỆT NAM: a Party document"), para.at(text))
                elif m := NUMBER.match(text):
                    self.number(m, para.at(text))
                elif m := DATE.match(text):
                    self.date(m, para.at(text))
                elif upper(text) and piece.column != 1:
                    left.append(piece)
                else:
                    self.unplaced(para, text)
        self.issuer(left)

    def issuer(self, lines: list[Piece]) -> None:
        if not lines:
            return
        bold = [p.bold for p in lines]
        if any(bold) and not all(bold):
            first = bold.index(True)
            parent, name = lines[:first], lines[first:]
            guess = above = None
        else:
            parent, name = lines[:-1], lines[-1:]
            guess = _("the last header line taken as the issuing body") if parent else None
            above = _("the header lines above the issuing body taken as its parent body")
        if parent:
            value = [norm(p.text) for p in parent]
            self.put(
                ("issuer", "parent"),
                value[0] if len(value) == 1 else value,
                parent[0].para.at(),
                above,
            )
        value = [norm(p.text) for p in name]
        self.put(
            ("issuer", "name"), value[0] if len(value) == 1 else value, name[0].para.at(), guess
        )

    def place_from_issuer(self, where: str) -> None:
        """No date line (ND 30 minutes print none): the place from the body's unit name."""
        issuer = self.data.get("issuer", {})
        for line in [issuer.get("parent", ""), issuer.get("name", "")]:
            text = " ".join(line) if isinstance(line, list) else line
            if m := UNIT.search(text):
                why = _("no date line: the place taken from the issuing body's name")
                self.put(("place",), m.group("name").title(), where, why)
                return

    def number(self, m: re.Match[str], where: str) -> None:
        if m.group("sep") == "/" or m.group("colon"):
            self.regime = self.regime or "state"
        if m.group("n"):
            self.put(("number",), int(m.group("n")), where)
        else:
            self.seen(_("a blank number, left for hand filling"), where)
        self.put(("issuer", "code"), m.group("code"), where)
        self.type_code = m.group("type")

    def date(self, m: re.Match[str], where: str) -> None:
        self.put(("place",), norm(m.group("place")), where)
        d, mo, y = m.group("d"), m.group("m"), m.group("y")
        if d and mo and y:
            try:
                self.day = date(int(y), int(mo), int(d))
            except ValueError:
                self.findings.append(
                    Finding(UNPLACED, _("no such date: {d}/{m}/{y}").format(d=d, m=mo, y=y), where)
                )
                return
            self.put(("date",), self.day.isoformat(), where)
        elif y:
            self.put(("year",), int(y), where)
        elif d or mo:
            self.findings.append(
                Finding(UNPLACED, _("the date has no year; it is left blank to fill in"), where)
            )

    # -- title and subject ---------------------------------------------------------
    def title(self, start: int) -> int:
        """Title lines in capitals, then the subject; returns where the body starts."""
        title: list[Para] = []
        subject: list[Para] = []
        i = start
        while i < len(self.paras):
            para = self.paras[i]
            text = norm(para.text)
            if not text:
                if subject:
                    break
            elif DECORATION.match(text):
                if subject or title:
                    i += 1
                    break
            elif para.label or bodies.TYPED.match(para.text) or len(subject) >= 4:
                break
            elif upper(text) and not subject:
                title.append(para)
            elif not subject or self.centred_or_bold(para):
                if subject and para.align in ("both", "distribute"):
                    break
                subject.append(para)
            else:
                break
            i += 1
        if title:
            lines = [norm(p.text) for p in title]
            self.put(("title",), lines[0] if len(lines) == 1 else lines, title[0].at())
        if subject:
            guess = (
                None if self.centred_or_bold(subject[0]) else _("the first line after the title")
            )
            lines = [norm(line) for p in subject for line in p.text.split("\n") if line.strip()]
            self.put(("subject",), "\n".join(lines), subject[0].at(), guess)
        return i

    @staticmethod
    def centred_or_bold(para: Para) -> bool:
        shown_spans = [s for s in para.spans if s.text.strip()]
        return para.align == "center" or (bool(shown_spans) and all(s.bold for s in shown_spans))

    # -- where the Nơi nhận and signature begin ------------------------------------------
    def closing_start(self, start: int, kind: str) -> int:
        for i in range(start, len(self.paras)):
            para = self.paras[i]
            texts = [norm(p.text) for p in pieces(para)]
            if any(
                LABEL.match(t)
                or MARKER.match(t)
                or (kind == "bien-ban" and t in MINUTES_LEFT + MINUTES_RIGHT)
                for t in texts
            ) or (
                len(texts) == 1
                and upper(texts[0])
                and len(texts[0].split()) <= 8
                and not re.search(r"\d", texts[0])
                and not para.label
                and not bodies.TYPED.match(texts[0])
            ):
                if para.table is not None:  # the whole table that holds it
                    while i > start and self.paras[i - 1].table == para.table:
                        i -= 1
                return i
        return len(self.paras)

    def closing_block(self, paras: list[Para], kind: str) -> None:
        left: list[Piece] = []
        right: list[Piece] = []
        listing = False
        for para in paras:
            for piece in pieces(para):
                text = norm(piece.text)
                if DECORATION.match(text):
                    continue
                listing = listing or bool(LABEL.match(text))
                column = piece.column
                if column is None:
                    starts = text[0] in "-–+•" or ARCHIVE.match(text)
                    column = 0 if listing and (starts or not upper(text)) else 1
                    listing = listing and column == 0
                listing = listing and not ARCHIVE.match(text)
                (left if column == 0 else right).append(piece)
        self.recipients(left, kind)
        self.signer(right, kind)

    def recipients(self, items: list[Piece], kind: str) -> None:
        recipients: list[tuple[str, Piece]] = []
        minutes = None
        for piece in items:
            text = norm(piece.text)
            if m := LABEL.match(text):
                self.seen(_("the Nơi nhận label"), piece.para.at(text))
                text = m.group("rest")
                if not text:
                    continue
            if kind == "bien-ban" and text.upper() in MINUTES_LEFT:
                minutes = "secretary"
                self.seen(_("the minutes' secretary signs on the left"), piece.para.at(text))
            elif minutes and not upper(text) and text[0] not in "-–+•":
                self.put(("meeting", minutes, "name"), text, piece.para.at(text))
                minutes = None
            elif m := ARCHIVE.match(text):
                self.put(("archive",), bare(m.group("rest")), piece.para.at(text))
            elif (
                text[0] not in "-–+•" and recipients and not re.search(r"[;,.]$", recipients[-1][0])
            ):
                recipients[-1] = (f"{recipients[-1][0]} {text}", recipients[-1][1])
            else:
                recipients.append((text, piece))
        for text, piece in recipients:
            if bare(text):
                self.append(("recipients",), bare(text), piece.para.at(text))
        if recipients:
            self.separators = [t[-1] for t, _p in recipients if t[-1] in ";,."]

    def signer(self, items: list[Piece], kind: str) -> None:
        minutes = None
        for piece in items:
            text = norm(piece.text)
            where = piece.para.at(text)
            if PLACEHOLDER.match(text):
                self.left_out.append(text)
                self.seen(
                    _("a mark of the signed copy, not printed again: {text}").format(text=text),
                    where,
                )
            elif kind == "bien-ban" and text.upper() in MINUTES_RIGHT + MINUTES_LEFT:
                minutes = "chair" if text.upper() in MINUTES_RIGHT else "secretary"
                self.seen(_("a signature title of the minutes"), where)
            elif minutes and not upper(text):
                self.put(("meeting", minutes, "name"), text, where)
                minutes = None
            elif (m := MARKER.match(text)) and "authority" not in self.data.get("signer", {}):
                self.marker = re.sub(r"[./]", "", m.group("m"))
                self.put(("signer", "authority"), m.group("m"), where)
                self.put(("signer", "on_behalf_of"), m.group("rest"), where)
            elif upper(text) and "name" not in self.data.get("signer", {}):
                position = self.data.get("signer", {}).get("position")
                if position:
                    self.put(
                        ("signer", "position"),
                        f"{position} {text}",
                        where,
                        _("two lines of capitals joined as the position"),
                    )
                else:
                    self.put(("signer", "position"), text, where)
            elif (
                not upper(text) and "name" not in self.data.get("signer", {}) and kind != "bien-ban"
            ):
                self.put(("signer", "name"), text, where)
            else:
                self.unplaced(piece.para, text)

    # -- profile -----------------------------------------------------------------
    def choose_profile(self) -> None:
        self.pick_profile()
        rules = PROFILES[self.data["profile"]]
        early = rules.valid_from and self.day and self.day < rules.valid_from
        late = rules.valid_until and self.day and self.day > rules.valid_until
        if early or late:
            self.data["historical"] = True
            self.guesses[("historical",)] = _(
                "dated outside the rulebook's validity: a re-typed old document"
            )

    def pick_profile(self) -> None:
        where = self.regime_at
        if self.profile_given != "auto":
            self.put(("profile",), self.profile_given, where)
            self.regime = PROFILES[self.profile_given].regime
            return
        if self.regime is None:
            self.regime = "state"
            self.put(
                ("profile",),
                "nd30",
                where,
                _("neither the Quốc hiệu nor ĐẢNG CỘNG SẢN VIỆT NAM was found"),
            )
        elif self.regime == "state":
            self.put(("profile",), "nd30", where)
        elif self.day and self.day >= HD05_FROM:
            self.put(("profile",), "party-hd05", where)
        elif self.day and self.day >= HD36_FROM:
            self.put(("profile",), "party-hd36", where)
        elif self.day:
            self.put(
                ("profile",),
                "party-hd36",
                where,
                _("dated before HD 36 (2018): its nearest rulebook"),
            )
        elif set(getattr(self, "separators", [])[:-1]) == {","}:
            self.put(("profile",), "party-hd36", where, _("undated; Nơi nhận items end with ','"))
        else:
            self.put(("profile",), "party-hd05", where, _("undated: the current Party rulebook"))

    def fit_profile(self) -> None:
        """What the rulebook writes its own way: the marker's spelling, capitals."""
        signer = self.data.get("signer", {})
        party = self.regime == "party"
        if "authority" in signer:
            marker = MARKERS.get(getattr(self, "marker", ""), (signer["authority"],) * 2)[party]
            if marker != signer["authority"]:
                self.guesses[("signer", "authority")] = _("written {typed} in the draft").format(
                    typed=signer["authority"]
                )
                signer["authority"] = marker
        for key in (("signer", "position"), ("signer", "on_behalf_of")):
            value = signer.get(key[1])
            if value and value != value.upper():
                signer[key[1]] = value.upper()
        subject = self.data.get("subject", "")
        if not party and subject[:1].islower():
            self.data["subject"] = subject[0].upper() + subject[1:]
            self.guesses[("subject",)] = _("capital first letter, as nd30 writes the subject")
        self.type_check()

    def type_check(self) -> None:
        typed = getattr(self, "type_code", None)
        kind = self.data["kind"]
        if typed and typed not in DOC_TYPES[kind][1:]:
            self.findings.append(
                Finding(
                    GUESSED,
                    _(
                        "the number's type {typed} is not {kind}'s; the re-issue writes {code}"
                    ).format(typed=typed, kind=kind, code=DOC_TYPES[kind][1]),
                    "",
                )
            )

    # -- body of a notice -------------------------------------------------------------
    def notice(self, paras: list[Para]) -> None:
        intro: list[Para] = []
        items: list[bodies.Item] = []
        for para in paras:
            found = bodies.labelled(para)
            if found:
                typed, sort, spans = found
                items.append(bodies.Item(typed, sort, [(para, spans)]))
            elif items:
                items[-1].paras.append((para, list(para.spans)))
            else:
                intro.append(para)
        closing = None
        if (
            items
            and len(items[-1].paras) > 1
            and bodies.CLOSING.search(items[-1].paras[-1][0].text)
        ):
            closing = items[-1].paras.pop()[0]
        elif not items and len(intro) > 1 and bodies.CLOSING.search(intro[-1].text):
            closing = intro.pop()
        if intro:
            self.put(("intro",), self.texts(intro), intro[0].at())
        if not items and len(intro) > 1:
            texts = self.data.pop("intro")
            self.put(("intro",), texts[0], intro[0].at())
            self.put(
                ("conclusions",),
                texts[1:],
                intro[1].at(),
                _("no labelled points: each paragraph after the first made a point"),
            )
        tree = bodies.nest(items)
        scheme = bodies.scheme(tree)
        if scheme:
            self.put(("numbering",), scheme, items[0].paras[0][0].at())
        if tree:
            self.data["conclusions"] = bodies.points(tree, scheme, [])
            for item in items:
                para = item.paras[0][0]
                self.seen(
                    _("point {label} at level {level}").format(
                        label=item.label, level=item.level + 1
                    ),
                    para.at(),
                )
        if closing is not None:
            self.put(("closing",), bodies.marked(list(closing.spans)), closing.at())

    def texts(self, paras: list[Para]) -> str | list[str]:
        texts = [bodies.marked(list(p.spans)) for p in paras]
        return texts[0] if len(texts) == 1 else texts

    def place_extra(self, kind: str) -> None:
        """Text that found no place goes into the body, with a warning for each."""
        key = {
            "thong-bao-ket-luan": ("intro",),
            "giay-moi": ("meeting", "notes"),
            "bien-ban": ("meeting", "reports"),
        }[kind]
        for para, text in self.extra:
            node = self.node(key)
            current = node.get(key[-1], [])
            node[key[-1]] = [*([current] if isinstance(current, str) else current), text]
            self.findings.append(
                Finding(
                    UNPLACED,
                    _("kept as body text in {key}: move it where it belongs").format(
                        key=key_name(key)
                    ),
                    para.at(text),
                )
            )
