"""What a profile and a kind of document require beyond the shape of the record:
capitals, the signer's authority, dates inside the rulebook's validity, Nơi nhận and
Lưu wording, and the keys each kind cannot do without."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..errors import Problem
from ..i18n import N_, _
from ..rules.profiles import PROFILES
from ..rules.wording import COMMITTEE, archive_body, authority_marker, bare
from .load import KeyPath, Source
from .model import Point, Record, Signer
from .register import register_problems
from .text import emphasis

_NO_SIGNER = Signer(position="-", name="-")


def check_rules(record: Record, source: Source) -> tuple[list[Problem], list[Problem]]:
    """What the profile and the kind require beyond the shape of the record."""
    rules = record.rules
    problems: list[Problem] = []
    warnings: list[Problem] = []
    problems += _capitals(record, source) + _wording(record, source)
    problems += [source.problem(key, message) for key, message in register_problems(record)]
    warnings += _unpaired(record, source)
    signer = record.signer or _NO_SIGNER
    if signer.authority is not None:
        marker = authority_marker(signer.authority, rules)
        if marker is None:
            others = [p for p in PROFILES.values() if authority_marker(signer.authority, p)]
            message = _("{marker!r} is not allowed by {profile}; use one of {markers}")
            if others:
                message = _(
                    "{marker!r} ({rulebook} marker) is not allowed by {profile}; "
                    "use one of {markers}"
                )
            problems.append(
                source.problem(
                    ("signer", "authority"),
                    message.format(
                        marker=signer.authority,
                        profile=rules.name,
                        rulebook=others[0].title if others else "",
                        markers=", ".join(rules.markers),
                    ),
                )
            )
        if signer.on_behalf_of is None:
            problems.append(
                source.problem(("signer", "on_behalf_of"), _("required with signer.authority"))
            )
    elif signer.on_behalf_of is not None:
        problems.append(
            source.problem(("signer", "authority"), _("required with signer.on_behalf_of"))
        )
    if record.date and record.year and record.date.year != record.year:
        problems.append(
            source.problem(
                ("year",), _("differs from the year of date ({year})").format(year=record.date.year)
            )
        )
    if record.date:
        outside = warnings if record.historical else problems
        historical = "" if record.historical else _(" (a re-typed old document: historical: true)")
        if rules.valid_from and record.date < rules.valid_from:
            outside.append(
                source.problem(
                    ("profile",),
                    _("{rulebook} applies from {day}").format(
                        rulebook=rules.title, day=f"{rules.valid_from:%d/%m/%Y}"
                    )
                    + historical,
                )
            )
        if rules.valid_until and record.date > rules.valid_until:
            outside.append(
                source.problem(
                    ("profile",),
                    _("{rulebook} was replaced on {day}").format(
                        rulebook=rules.title, day=f"{rules.valid_until:%d/%m/%Y}"
                    )
                    + historical,
                )
            )
    return problems, warnings


def _asterisks(record: Record) -> Iterator[tuple[KeyPath, str]]:
    """The body text a clerk typed with an asterisk in it (intro, points, closing), in
    the order of the record; body text is where emphasis is allowed."""
    for name, texts in (("intro", record.intro), ("closing", record.closing)):
        for i, text in enumerate(texts or ()):
            if "*" in text:
                yield (name, i), text

    def points(items: list[Point], key: KeyPath) -> Iterator[tuple[KeyPath, str]]:
        for n, point in enumerate(items):
            for i, text in enumerate(point.text or ()):
                if "*" in text:
                    yield (*key, n, "text", i), text
            if point.points:
                yield from points(point.points, (*key, n, "points"))

    yield from points(record.conclusions, ("conclusions",))


def _unpaired(record: Record, source: Source) -> list[Problem]:
    unpaired = [key for key, text in _asterisks(record) if emphasis(text) is None]
    if not unpaired:
        return []
    message = _(
        "an asterisk without its pair is printed as it is: *nghiêng* and **đậm** need "
        "both, and \\* prints an asterisk"
    )
    return [source.problem(key, message) for key in unpaired]


def _wording(record: Record, source: Source) -> list[Problem]:
    """Nơi nhận lines need words: the profile adds the dash and the punctuation."""
    problems = [
        source.problem(("recipients", i), _("needs words, not only punctuation"))
        for i, item in enumerate(record.recipients)
        if not _has_words(item)
    ]
    rules = record.rules
    if rules.regime == "party" and re.search(r":|\bVT\b", record.archive):
        body = re.sub(r"^Lưu\b|\bVT\b|:", "", bare(record.archive)).strip(" ,")
        example = body or "Văn phòng Tỉnh ủy"
        message = _(
            "the Party storage line has no colon and no VT (format-rules §10); "
            "write archive: {example} (printed - Lưu {example}.)"
        )
        problems.append(source.problem(("archive",), message.format(example=example)))
    elif not _keeper(record.archive, record.profile):
        example = "Văn phòng Tỉnh ủy" if rules.regime == "party" else "VT, TH"
        message = _("needs who keeps the copy, e.g. {example}").format(example=example)
        problems.append(source.problem(("archive",), message))
    return problems


@lru_cache(maxsize=4096)
def _has_words(item: str) -> bool:
    """Whether a Nơi nhận entry is more than punctuation (cached: a batch repeats them)."""
    return bool(bare(item))


@lru_cache(maxsize=256)
def _keeper(archive: str, profile: str) -> bool:
    """Whether the archive line names who keeps the copy (cached per line and profile)."""
    return bool(archive_body(archive, PROFILES[profile]).strip(" ,"))


def _capitals(record: Record, source: Source) -> list[Problem]:
    """Text the rulebooks print in capitals, or starting with one, checked where written."""
    problems = []
    upper: list[tuple[KeyPath, str]]
    upper = [(("issuer", "name", i), line) for i, line in enumerate(record.issuer.name)]
    upper += [(("issuer", "parent", i), line) for i, line in enumerate(record.issuer.parent or [])]
    if record.signer:
        upper += [(("signer", "position"), record.signer.position)]
        if record.signer.on_behalf_of:
            upper += [(("signer", "on_behalf_of"), record.signer.on_behalf_of)]
    for key, text in upper:
        if text != text.upper():
            problems.append(
                source.problem(
                    key, _("written in capitals by the rulebook: {text}").format(text=text.upper())
                )
            )
    first = next((ch for ch in record.subject if ch.isalpha()), "A")
    if record.rules.regime == "state" and not first.isupper():
        problems.append(
            source.problem(("subject",), _("under nd30 the subject starts with a capital"))
        )
    if (
        record.rules.regime == "party"
        and record.signer
        and COMMITTEE.search(record.signer.position)
    ):
        problems.append(
            source.problem(
                ("signer", "position"),
                _(
                    "under the Party rules the position does not repeat "
                    "the body's name (PHÓ BÍ THƯ, not PHÓ BÍ THƯ TỈNH ỦY)"
                ),
            )
        )
    return problems


# kind -> key path -> what it is, beyond the model's required keys
KIND_NEEDS: dict[str, dict[tuple[str, ...], str]] = {
    "thong-bao-ket-luan": {
        ("conclusions",): N_("at least one point"),
        ("recipients",): N_("recipients"),
        ("signer",): N_("the signature block"),
    },
    "giay-moi": {
        ("recipients",): N_("recipients"),
        ("signer",): N_("the signature block"),
        ("meeting", "date"): N_("the meeting's date"),
        ("meeting", "start"): N_("its start"),
        ("meeting", "location"): N_("its place"),
        ("meeting", "invitees"): N_("who is invited"),
    },
    "bien-ban": {
        ("meeting", "date"): N_("the meeting's date"),
        ("meeting", "start"): N_("its start"),
        ("meeting", "end"): N_("its end"),
        ("meeting", "chair"): N_("who chaired"),
        ("meeting", "secretary"): N_("who kept the minutes"),
    },
}


def kind_requirements(source: Source) -> list[Problem]:
    """Keys a kind of document cannot do without, looked up in the raw tree."""
    kind = source.data.get("kind")
    problems = []
    needs: dict[tuple[str, ...], str] = KIND_NEEDS.get(kind, {}) if isinstance(kind, str) else {}
    for key, what in needs.items():
        value: Any = source.data
        for part in key:
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, "", [], {}):
            message = _("required key is missing ({what}, for {kind})")
            problems.append(source.problem(key, message.format(what=_(what), kind=kind)))
    return problems
