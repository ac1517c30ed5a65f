"""Messages in Vietnamese or English, through gettext catalogs kept with Babel.

The language comes from `--lang`, else the locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`,
`LANG`): Vietnamese when it starts with `vi`, English otherwise. Catalogs live in
`locale/<lang>/LC_MESSAGES/notice_gen.po`; the build compiles them to `.mo`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "notice_gen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def language_from(argv: list[str], environ: os._Environ[str] | dict[str, str]) -> str:
    """`vi` or `en`: `--lang X` / `--lang=X` in `argv` first, then the locale variables."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "vi" if argv[i + 1].lower().startswith("vi") else "en"
        if arg.startswith("--lang="):
            return "vi" if arg[7:].lower().startswith("vi") else "en"
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def set_language(language: str) -> None:
    global _translation
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """The message in the chosen language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is translated later, when shown."""
    return message
