"""The outgoing-document register (sổ đăng ký văn bản đi): numbers never lost, never given
twice, and the printable book of Nghị định 30/2020 Phụ lục IV.

Rendering with `number: auto`: `reserve` a number before rendering, `confirm` the entry
after the document is written, `release` it when rendering fails. Names load on first use,
so the command line starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .book import export
    from .model import DuplicateNumber, Entry, RegisterError, Request, Series, source_key
    from .series import RegisterSettings, entry_for, series_for
    from .store import Register, open_register
    from .writeback import stamp, write_number

DEFAULT_FILE = "so-van-ban-di.sqlite"  # the register used when none is named
ENVIRONMENT = "NOTICE_GEN_REGISTER"  # names the register to use

_WHERE = {
    "DuplicateNumber": "model",
    "Entry": "model",
    "Register": "store",
    "RegisterError": "model",
    "RegisterSettings": "series",
    "Request": "model",
    "Series": "model",
    "entry_for": "series",
    "export": "book",
    "open_register": "store",
    "series_for": "series",
    "source_key": "model",
    "stamp": "writeback",
    "write_number": "writeback",
}
__all__ = [
    "DEFAULT_FILE",
    "ENVIRONMENT",
    "DuplicateNumber",
    "Entry",
    "Register",
    "RegisterError",
    "RegisterSettings",
    "Request",
    "Series",
    "entry_for",
    "export",
    "open_register",
    "series_for",
    "source_key",
    "stamp",
    "write_number",
]


def __getattr__(name: str) -> Any:
    """The register's name `name`, loaded from its module on first use and kept here."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    return value
