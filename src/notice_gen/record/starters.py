"""The starter records `notice-gen new` prints: a whole meeting, its keys explained."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..rules.profiles import KINDS, PROFILES
from .load import Source, read, select_kind

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def _starter(profile: str) -> Traversable:
    regime = PROFILES[profile].regime
    return resources.files("notice_gen") / "starters" / f"meeting.{regime}.yaml"


def starter_text(kind: str, profile: str) -> str:
    """The starter record for `kind` under `profile`, as YAML text with its comments."""
    text = str(_starter(profile).read_text("utf-8"))
    text = text.replace("profile: party-hd05", f"profile: {profile}")
    if profile == "party-hd36":  # dated while Hướng dẫn 36 was in force
        text = text.replace("2026-10-", "2025-10-")
    text = text.replace("# Thông báo kết luận của", f"# {_TITLES[kind]} của", 1)
    return text.replace("kind: thong-bao-ket-luan ", f"kind: {kind} ".ljust(25))


_TITLES = {
    "thong-bao-ket-luan": "Thông báo kết luận",
    "giay-moi": "Giấy mời",
    "bien-ban": "Biên bản",
}


def sample(kind: str, profile: str) -> Source:
    """The starter record as a tree for `kind` under `profile`, ready to validate."""
    with resources.as_file(_starter(profile)) as path:
        parsed = read(Path(path))
    data = {**parsed.data, "profile": profile}
    if profile == "party-hd36":  # dated while Hướng dẫn 36 was in force
        data["date"] = data["date"].replace("2026-", "2025-")
        data["meeting"] = {
            **data["meeting"],
            "date": data["meeting"]["date"].replace("2026-", "2025-"),
        }
    return select_kind(Source(parsed.path, data, dict(parsed.positions)), kind, KINDS)
