"""Write the record as YAML in the record format, a `# đoán: …` comment on every guess."""

from __future__ import annotations

import json
import re
from typing import Any

from ..i18n import _
from ..record.load import KeyPath

ORDER = [  # record-format.md's order; a key's place is looked up among its siblings
    "kind",
    "profile",
    "historical",
    "issuer",
    "parent",
    "number",
    "place",
    "date",
    "year",
    "title",
    "subject",
    "meeting",
    "start",
    "end",
    "location",
    "chair",
    "secretary",
    "inviter",
    "invitees",
    "attendees",
    "reports",
    "notes",
    "intro",
    "numbering",
    "conclusions",
    "label",
    "heading",
    "text",
    "points",
    "closing",
    "recipients",
    "archive",
    "signer",
    "authority",
    "on_behalf_of",
    "position",
    "name",
    "code",
]
PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")
RESOLVED = re.compile(r"[\d.:+\-_eE]+|yes|no|on|off|y|n|true|false|null|~", re.I)  # YAML 1.1 types


def scalar(value: Any) -> str:
    """`value` as a YAML scalar the loader reads back as the same text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (
        PLAIN.fullmatch(text)
        and not RESOLVED.fullmatch(text)
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def dump(data: dict[str, Any], guesses: dict[KeyPath, str], draft: str) -> str:
    """The record's YAML text, keys in the order of record-format.md."""
    head = _(
        "Imported from {draft} by notice-gen import. Lines marked '{mark}' are guesses: check them."
    )
    lines = ["# " + head.format(draft=draft, mark=_("guessed: {why}").format(why="…"))]
    lines += _mapping(data, (), 0, guesses)
    return "\n".join(lines) + "\n"


def _comment(key: KeyPath, guesses: dict[KeyPath, str]) -> str:
    why = guesses.get(key)
    return "  # " + _("guessed: {why}").format(why=why) if why else ""


def _order(key: str) -> int:
    return ORDER.index(key) if key in ORDER else len(ORDER)


def _mapping(
    data: dict[str, Any], key: KeyPath, indent: int, guesses: dict[KeyPath, str]
) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for name in sorted(data, key=_order):
        value, path = data[name], (*key, name)
        note = _comment(path, guesses)
        if isinstance(value, dict):
            out += [f"{pad}{name}:{note}", *_mapping(value, path, indent + 2, guesses)]
        elif isinstance(value, list) and not value:
            out.append(f"{pad}{name}: []{note}")
        elif isinstance(value, list):
            out.append(f"{pad}{name}:{note}")
            for i, item in enumerate(value):
                out += _item(item, (*path, i), indent + 2, guesses)
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{pad}{name}: |-{note}")
            out += [f"{pad}  {line}" for line in value.split("\n")]
        else:
            out.append(f"{pad}{name}: {scalar(value)}{note}")
    return out


def _item(item: Any, key: KeyPath, indent: int, guesses: dict[KeyPath, str]) -> list[str]:
    pad = " " * indent
    if isinstance(item, dict):
        inner = _mapping(item, key, indent + 2, guesses)
        return [f"{pad}- {inner[0].lstrip()}", *inner[1:]]
    if isinstance(item, str) and "\n" in item:
        return [
            f"{pad}- |-{_comment(key, guesses)}",
            *(f"{pad}  {line}" for line in item.split("\n")),
        ]
    return [f"{pad}- {scalar(item)}{_comment(key, guesses)}"]
