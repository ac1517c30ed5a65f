"""The outgoing-document register (sổ đăng ký văn bản đi): numbers never lost, never given
twice, and the printable book of Nghị định 30/2020 Phụ lục IV.

Rendering with `number: auto`: `reserve` a number before rendering, `confirm` the entry
after the document is written, `release` it when rendering fails.
"""

from __future__ import annotations

from .model import DuplicateNumber, Entry, RegisterError, Series
from .series import RegisterSettings, series_for
from .store import Register, open_register
from .writeback import stamp, write_number

__all__ = [
    "DuplicateNumber",
    "Entry",
    "Register",
    "RegisterError",
    "RegisterSettings",
    "Series",
    "open_register",
    "series_for",
    "stamp",
    "write_number",
]
