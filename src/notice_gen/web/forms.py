"""Between the desk's forms and the record format: fields per kind, the list of points,
organisation files, and where each problem of a record is shown on the page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from starlette.datastructures import FormData

from ..i18n import N_
from . import pipeline


@dataclass(frozen=True)
class Field:
    name: str  # the record's key path, dotted: "meeting.date"
    label: str  # English, translated when shown
    type: str = "line"  # line | text | date | time | lines

    @property
    def slot(self) -> str:
        return self.name.replace(".", "-")


_SUBJECT = Field("subject", N_("Subject (trích yếu)"), "text")
_DATE = Field("date", N_("Date of issue (DD/MM/YYYY)"), "date")
_M = {
    "name": Field("meeting.name", N_("Meeting")),
    "date": Field("meeting.date", N_("Meeting date (DD/MM/YYYY)"), "date"),
    "start": Field("meeting.start", N_("Starts at (HH:MM)"), "time"),
    "end": Field("meeting.end", N_("Ends at (HH:MM)"), "time"),
    "location": Field("meeting.location", N_("Place of the meeting")),
    "chair": Field("meeting.chair.name", N_("Chaired by")),
    "chair_position": Field("meeting.chair.position", N_("Chair's position")),
    "secretary": Field("meeting.secretary.name", N_("Minutes kept by")),
    "secretary_position": Field("meeting.secretary.position", N_("Secretary's position")),
    "attendees": Field("meeting.attendees", N_("Attendees (one per line)"), "lines"),
    "agenda": Field("meeting.agenda", N_("Agenda (one item per line)"), "lines"),
    "reports": Field("meeting.reports", N_("Reports heard (one per line)"), "lines"),
    "inviter": Field("meeting.inviter", N_("Who invites")),
    "invitees": Field("meeting.invitees", N_("Invited (one per line)"), "lines"),
    "notes": Field("meeting.notes", N_("Notes (one per line)"), "lines"),
}
_INTRO = Field("intro", N_("Opening paragraph (optional)"), "text")
_CLOSING = Field("closing", N_("Closing sentence"), "text")

FIELDS: dict[str, list[Field]] = {
    "thong-bao-ket-luan": [
        _SUBJECT,
        _DATE,
        *(_M[k] for k in ("name", "date", "start", "location", "chair", "chair_position")),
        _M["attendees"],
        _INTRO,
    ],
    "giay-moi": [
        _SUBJECT,
        _DATE,
        *(_M[k] for k in ("name", "date", "start", "end", "location", "chair", "chair_position")),
        *(_M[k] for k in ("inviter", "invitees", "notes")),
    ],
    "bien-ban": [
        _SUBJECT,
        _DATE,
        *(_M[k] for k in ("date", "start", "end", "location", "chair", "chair_position")),
        *(_M[k] for k in ("secretary", "secretary_position", "attendees", "agenda", "reports")),
    ],
}
WITH_POINTS = {"thong-bao-ket-luan": True, "giay-moi": False, "bien-ban": True}
KIND_NAMES = {
    "thong-bao-ket-luan": N_("Conclusion notice (thông báo kết luận)"),
    "giay-moi": N_("Invitation (giấy mời)"),
    "bien-ban": N_("Minutes (biên bản)"),
}
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def iso(text: str) -> str:
    """`3/2/2026` -> `2026-02-03`; anything else is kept for the pipeline to judge."""
    match = _DMY.match(text)
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else text.strip()


def dmy(text: str) -> str:
    """`2026-02-03` -> `03/02/2026`, as clerks write dates."""
    match = _ISO.match(str(text))
    return f"{match[3]}/{match[2]}/{match[1]}" if match else str(text)


def slug(text: str) -> str:
    """A file name from an organisation's code: `ĐU` -> `du`."""
    text = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode().lower())
    return text.strip("-")[:60] or "co-quan"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _get(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


# --- organisations -------------------------------------------------------------------


@dataclass
class Org:
    """An issuing body as the desk keeps it: `orgs/<slug>.yaml`, which records extend
    (with its `register:` block), and `orgs/<slug>.desk.yaml` with what only the desk uses
    (the standing signers)."""

    profile: str = "nd30"
    parent: str = ""
    name: str = ""
    code: str = ""
    place: str = ""
    recipients: list[str] = field(default_factory=list)
    archive: str = ""
    signers: list[dict[str, str]] = field(default_factory=list)
    series: str = "single"  # single | per-kind
    term: str = ""

    @property
    def slug(self) -> str:
        return slug(self.code)

    def record_keys(self) -> dict[str, Any]:
        """The keys of the organisation file, shared by every record that extends it."""
        issuer: dict[str, Any] = {}
        if self.parent.strip():
            issuer["parent"] = _one_or_lines(self.parent)
        issuer["name"] = _one_or_lines(self.name)
        issuer["code"] = self.code.strip()
        data: dict[str, Any] = {"profile": self.profile, "issuer": issuer}
        data["place"] = self.place.strip()
        if self.recipients:
            data["recipients"] = self.recipients
        data["archive"] = self.archive.strip()
        if self.signers:
            data["signer"] = self.signers[0]
        if self.profile == "nd30":
            data["register"] = {"series": self.series}
        elif self.term.strip():
            data["register"] = {"term": self.term.strip()}
        return data

    def desk_keys(self) -> dict[str, Any]:
        return {"signers": self.signers}


def _one_or_lines(text: str) -> str | list[str]:
    lines = _lines(text)
    return lines[0] if len(lines) == 1 else lines


SIGNER_KEYS = ("authority", "on_behalf_of", "position", "name")


def org_from_form(form: FormData) -> Org:
    signers = []
    columns = {k: form.getlist(f"signer.{k}") for k in SIGNER_KEYS}
    for row in zip(*columns.values(), strict=False):
        entry = {k: v.strip() for k, v in zip(SIGNER_KEYS, row, strict=True) if v.strip()}
        if entry:
            signers.append(entry)
    return Org(
        profile=str(form.get("profile", "nd30")),
        parent=str(form.get("parent", "")),
        name=str(form.get("name", "")),
        code=str(form.get("code", "")).strip(),
        place=str(form.get("place", "")),
        recipients=_lines(str(form.get("recipients", ""))),
        archive=str(form.get("archive", "")),
        signers=signers,
        series="per-kind" if form.get("series") == "per-kind" else "single",
        term=str(form.get("term", "")).strip(),
    )


def read_org(path: Path) -> Org:
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    side = path.with_name(f"{path.stem}.desk.yaml")
    extra = yaml.safe_load(side.read_text("utf-8")) if side.is_file() else {}
    issuer = data.get("issuer") or {}
    join = "\n".join
    parent, name = issuer.get("parent") or "", issuer.get("name") or ""
    register = data.get("register") or (extra or {}).get("register") or {}  # older desks
    signers = (extra or {}).get("signers") or ([data["signer"]] if data.get("signer") else [])
    return Org(
        profile=data.get("profile", "nd30"),
        parent=join(parent) if isinstance(parent, list) else str(parent),
        name=join(name) if isinstance(name, list) else str(name),
        code=str(issuer.get("code", "")),
        place=str(data.get("place", "")),
        recipients=[str(r) for r in data.get("recipients") or []],
        archive=str(data.get("archive", "")),
        signers=signers,
        series=register.get("series", "single"),
        term=str(register.get("term", "")),
    )


def dump(data: dict[str, Any], comment: str = "") -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in comment.splitlines()) + text


def save_org(folder: Path, org: Org) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{org.slug}.yaml"
    note = "Organisation file written by the notice-gen desk; records extend it."
    pipeline.atomic_write(path, dump(org.record_keys(), note).encode("utf-8"))
    side = folder / f"{org.slug}.desk.yaml"
    pipeline.atomic_write(side, dump(org.desk_keys()).encode("utf-8"))
    return path


def org_sample(org: Org) -> str:
    """A small notice extending `org`, to check the organisation with the record rules."""
    data: dict[str, Any] = {
        "extends": f"{org.slug}.yaml",
        "kind": "thong-bao-ket-luan",
        "subject": "Kiểm tra",
        "conclusions": ["Kiểm tra."],
    }
    if not org.recipients:
        data["recipients"] = ["Kiểm tra"]
    if not org.signers:
        data["signer"] = {"position": "KIỂM TRA", "name": "Kiểm Tra"}
    return dump(data)


# --- documents -------------------------------------------------------------------------


@dataclass
class Draft:
    """A document as the form shows it."""

    kind: str
    org: str  # the organisation's slug
    values: dict[str, str] = field(default_factory=dict)
    points: list[tuple[str, int]] = field(default_factory=list)  # (text, level 0-2)
    recipients: list[str] = field(default_factory=list)
    archive: str = ""
    signer: int = 0
    number: int | Literal["auto"] | None = None


def draft_from_form(form: FormData, kind: str) -> Draft:
    values = {f.name: str(form.get(f.name, "")) for f in FIELDS[kind]}
    values["closing"] = str(form.get("closing", ""))
    texts, levels = form.getlist("point"), form.getlist("level")
    points = []
    for text, level in zip(texts, levels, strict=False):
        depth = int(str(level)) if str(level) in ("0", "1", "2") else 0
        points.append((str(text), depth))
    chosen = [str(r) for r in form.getlist("recipient")]
    chosen += _lines(str(form.get("recipients_more", "")))
    signer = str(form.get("signer", "0"))
    return Draft(
        kind=kind,
        org=str(form.get("org", "")),
        values=values,
        points=points,
        recipients=chosen,
        archive=str(form.get("archive", "")),
        signer=int(signer) if signer.isdigit() else 0,
    )


def tree(points: list[tuple[str, int]]) -> tuple[list[Any], dict[str, int]]:
    """Rows with levels -> nested points, and each point's key path -> its row."""
    out: list[dict[str, Any]] = []
    rows: dict[str, int] = {}
    stack: list[tuple[list[dict[str, Any]], str]] = [(out, "conclusions")]
    for row, (text, level) in enumerate(points):
        if not text.strip():
            continue
        del stack[min(level, len(stack) - 1) + 1 :]
        siblings, prefix = stack[-1]
        key = f"{prefix}[{len(siblings)}]"
        node: dict[str, Any] = {"text": text.strip().replace("\r", ""), "points": []}
        siblings.append(node)
        rows[key] = row
        stack.append((node["points"], f"{key}.points"))
    return _settle(out), rows


def _settle(points: list[dict[str, Any]]) -> list[Any]:
    """A point without sub-points is its text alone."""
    return [
        {"text": p["text"], "points": _settle(p["points"])} if p["points"] else p["text"]
        for p in points
    ]


def flatten(points: list[Any], level: int = 0) -> list[tuple[str, int]]:
    """Nested points -> rows with levels (headings and labels are shown as text)."""
    rows: list[tuple[str, int]] = []
    for item in points or []:
        if isinstance(item, dict):
            text = item.get("text") or item.get("heading") or ""
            text = "\n\n".join(text) if isinstance(text, list) else str(text)
            rows.append((text, level))
            rows += flatten(item.get("points") or [], min(level + 1, 2))
        else:
            rows.append((str(item), level))
    return rows


def record_data(draft: Draft, org: Org) -> tuple[dict[str, Any], dict[str, int]]:
    """The record file's keys for `draft`, and each point's key path -> its row."""
    data: dict[str, Any] = {"extends": f"../orgs/{draft.org}.yaml", "kind": draft.kind}
    if draft.number:
        data["number"] = draft.number
    for f in FIELDS[draft.kind]:
        value = draft.values.get(f.name, "").strip()
        if not value:
            continue
        if f.type == "date":
            _put(data, f.name, iso(value))
        elif f.type == "lines":
            _put(data, f.name, _lines(value))
        else:
            _put(data, f.name, value.replace("\r", ""))
    rows: dict[str, int] = {}
    if WITH_POINTS[draft.kind]:
        data["conclusions"], rows = tree(draft.points)
    closing = draft.values.get("closing", "").strip()
    if closing:
        data["closing"] = closing.replace("\r", "")
    data["recipients"] = draft.recipients
    if draft.archive.strip():
        data["archive"] = draft.archive.strip()
    if org.signers and draft.kind != "bien-ban":
        data["signer"] = org.signers[min(draft.signer, len(org.signers) - 1)]
    return data, rows


def draft_from_record(data: dict[str, Any], org_slug: str) -> Draft:
    kind = str(data.get("kind", "thong-bao-ket-luan"))
    values = {}
    for f in [*FIELDS.get(kind, []), _CLOSING]:
        value = _get(data, f.name)
        if value is None:
            continue
        if f.type == "lines" and isinstance(value, list):
            value = "\n".join(map(str, value))
        elif f.type == "date":
            value = dmy(value)
        elif isinstance(value, list):
            value = "\n\n".join(map(str, value))
        values[f.name] = str(value)
    number = data.get("number")
    return Draft(
        kind=kind,
        org=org_slug,
        values=values,
        points=flatten(data.get("conclusions") or []),
        recipients=[str(r) for r in data.get("recipients") or []],
        archive=str(data.get("archive") or ""),
        number=int(str(number)) if str(number or "").isdigit() else None,
    )


def slots(
    kind: str, problems: list[pipeline.Problem], rows: dict[str, int]
) -> dict[str, list[str]]:
    """Each problem's message under the form field it is about ("general" otherwise)."""
    names = {f.name for f in FIELDS[kind]} | {"closing", "intro"}
    out: dict[str, list[str]] = {}
    for problem in problems:
        key = problem.key
        where = "general"
        point = max((k for k in rows if key == k or key.startswith((k + ".", k + "["))),
                    key=len, default=None)  # fmt: skip
        if point is not None:
            where = f"point-{rows[point]}"
        elif key.startswith("conclusions"):
            where = "points"
        else:
            dotted = re.sub(r"\[\d+\]", "", key)
            for candidate in (dotted, dotted.rsplit(".", 1)[0]):
                if candidate in names:
                    where = candidate.replace(".", "-")
                    break
            else:
                top = dotted.split(".")[0]
                if top in ("recipients", "archive", "signer"):
                    where = top
                elif top in ("issuer", "place", "profile"):
                    where = "org"
        out.setdefault(where, []).append(problem.message)
    return out
