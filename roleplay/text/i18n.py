"""Interface strings through gettext. Messages are written in English; Simplified Chinese is the default."""

from __future__ import annotations

import gettext
from pathlib import Path

from roleplay.core.languages import Language

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "roleplay"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language: Language = "en"


def set_language(lang: Language) -> None:
    global _current, _language  # noqa: PLW0603 - gettext's own install() works the same way
    _language = lang
    if lang == "zh":
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    else:
        _current = gettext.NullTranslations()


def language() -> Language:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


set_language("zh")


def in_both(message: str) -> tuple[str, str]:
    """A message in Chinese and in English, whatever the language now: for a page each reader words in
    their own language (the phones)."""
    chinese = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    return chinese.gettext(message), message


def N_(message: str) -> str:
    """Mark a message for translation without translating it now (it is translated where it is shown)."""
    return message
