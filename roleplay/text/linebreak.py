"""Where a line of mixed Chinese and English may break, with the basic rule of Chinese typesetting (禁则):
no line starts with closing punctuation (，。、；：？！…）」』》” and the like) and none ends with opening
punctuation (（「『《“ and the like) or a list bullet. Rich breaks Chinese between any two characters, so a
comma can open a line and 「“」 can close one; the terminal front end wraps with these breaks instead.

English words stay whole (a word longer than the line is cut, as Rich does); spaces at a break are dropped.
"""

from __future__ import annotations

import itertools
import unicodedata

from rich.cells import cell_len

NO_LINE_START = frozenset("，。、；：？！…‥）」』》〉】〕〗〙｝”’・·—～%,.;:?!)]}")
NO_LINE_END = frozenset("（「『《〈【〔〖〘｛“‘([{·•")


def _units(text: str) -> list[tuple[int, int]]:
    """(start, end) of each piece a line may break before: one Chinese character or punctuation mark, a
    run of spaces, or a run of other characters (an English word, a number)."""
    units: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i] == " ":
            while j < len(text) and text[j] == " ":
                j += 1
        elif not _wide(text[i]) and text[i] not in NO_LINE_START and text[i] not in NO_LINE_END:
            while j < len(text) and text[j] != " " and not _wide(text[j]) and text[j] not in "([{“‘":
                j += 1
        units.append((i, j))
        i = j
    return units


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def line_starts(text: str, width: int) -> list[int]:
    """The offsets in `text` (one paragraph, no newline) where each line after the first begins, for lines
    at most `width` cells wide."""
    width = max(width, 2)
    units = _units(text)
    starts: list[int] = []
    first = 0  # the unit the current line begins with
    cells = 0
    k = 0
    while k < len(units):
        start, end = units[k]
        if k == first and text[start] == " " and starts:  # spaces at the start of a wrapped line are dropped
            first = k = k + 1
            starts[-1] = end
            continue
        size = cell_len(text[start:end])
        if cells + size <= width or text[start] == " ":
            cells += size
            k += 1
            continue
        if k == first:  # a word wider than the line: cut it where the line is full
            cut = start + 1
            while cut < end and cell_len(text[start : cut + 1]) <= width:
                cut += 1
            units[k : k + 1] = [(start, cut), (cut, end)]
            k += 1
        else:
            k = _allowed_break(text, units, first, k)
        starts.append(units[k][0])
        first, cells = k, 0
    return starts


def _allowed_break(text: str, units: list[tuple[int, int]], first: int, k: int) -> int:
    """The unit to break before, at `k` or up to three units earlier (never emptying the line): a comma is
    carried down with the character before it, an opening quote with the word after it."""
    for _ in range(3):
        if k - 1 <= first or not _bad_break(text, units, k):
            break
        k -= 1
    start, end = units[first]
    if k - 1 == first and end - start > 1 and text[start] != " " and _starts_badly(text, units, k):
        # One word or number fills the line up to a comma: its last characters go down with the comma (a
        # line may not start with one), as Chinese typesetting does, at most three of them.
        for cut in range(end - 1, max(start, end - 4), -1):
            if text[cut - 1] not in NO_LINE_END and text[cut] not in NO_LINE_START:
                units[first : first + 1] = [(start, cut), (cut, end)]
                return first + 1
    return k


def _starts_badly(text: str, units: list[tuple[int, int]], k: int) -> bool:
    """A break before unit `k` would start the next line with closing punctuation (spaces at a break are
    dropped, so the line starts after them)."""
    while k < len(units) - 1 and text[units[k][0]] == " ":
        k += 1
    return text[units[k][0]] in NO_LINE_START


def _bad_break(text: str, units: list[tuple[int, int]], k: int) -> bool:
    if _starts_badly(text, units, k):
        return True
    before = k - 1
    while before >= 0 and text[units[before][0]] == " ":
        before -= 1
    return before >= 0 and text[units[before][1] - 1] in NO_LINE_END


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines at most `width` cells wide (newlines kept as breaks), spaces at the breaks dropped."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        bounds = [0, *line_starts(paragraph, width), len(paragraph)]
        lines += [paragraph[a:b].rstrip(" ") for a, b in itertools.pairwise(bounds)]
    return lines
