"""The languages every scenario text and the interface are written in.

Its own module, free of pydantic and gettext, so the trainer can name a language before its first screen is
drawn and the model never depends on the interface's translations."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
