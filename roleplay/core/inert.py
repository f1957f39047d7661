"""Text that cannot act on a terminal: what a scenario file, a settings file or the history says is shown,
never obeyed.

A terminal obeys control characters: ESC starts sequences that set the clipboard (OSC 52), the window title
or clear the screen; C1 characters (U+0080–U+009F) do the same on some terminals; bidi overrides make text
read differently from what it is. The validator rejects them in scenario files (`has_control`), and every
front end passes what it shows through `inert`, so that text from an older history or a file never
validated is inert too.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
CONTROL_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f\x80-\x9f"  # C0 (not \t \n), DEL, C1
    "\u202a-\u202e\u2066-\u2069"  # LRE RLE PDF LRO RLO, LRI RLI FSI PDI
)
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
REPLACEMENT = "\ufffd"  # what a control character is shown as: visible, and inert


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def inert(text: str) -> str:
    """`text` with every control character replaced by U+FFFD (newlines and tabs stay)."""
    if text.isprintable() or CONTROL.search(text) is None:  # nearly always: no copy at all
        return text
    return CONTROL.sub(REPLACEMENT, text)


def describe(char: str) -> str:
    """A control character named so that the name itself is inert: `U+001B (ESC)`."""
    names = {"\x1b": "ESC", "\r": "CR", "\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x7f": "DEL"}
    code = f"U+{ord(char):04X}"
    if char in names:
        return f"{code} ({names[char]})"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"{code} (a bidi override)"
    return code


def first_control(text: str) -> str | None:
    match = CONTROL.search(text)
    return match.group() if match else None
