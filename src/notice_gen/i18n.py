"""Messages in Vietnamese or English, through gettext catalogs kept with Babel.

The language comes from `--lang`, else the locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`,
`LANG`): Vietnamese when it starts with `vi`, English otherwise. Catalogs live in
`locale/<lang>/LC_MESSAGES/notice_gen.po`; the build compiles them to `.mo`.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "notice_gen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def choose_language(argv: list[str], environ: Mapping[str, str]) -> list[str]:
    """Set the language from `--lang X` / `--lang=X` anywhere in `argv`, else from the
    locale variables; returns `argv` without the option."""
    args = list(argv)
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
            del args[i : i + 2]
            break
        if arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
            del args[i]
            break
    if chosen is None:
        chosen = next((v for n in LOCALE_VARIABLES if (v := environ.get(n))), "en")
    set_language("vi" if chosen.lower().startswith("vi") else "en")
    return args


def set_language(language: str) -> None:
    """Messages from now on in `language` (`vi` or `en`)."""
    global _translation, _language
    _language = language
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def language() -> str:
    """The language messages are given in (`set_language`): `vi` or `en`."""
    return _language


def catalog() -> Path:
    """The compiled catalog of the chosen language (it may not exist: English)."""
    return LOCALE_DIR / _language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _(message: str) -> str:
    """The message in the chosen language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, in the chosen language."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is translated later, when shown."""
    return message
