"""Property: no text shown by any front end contains a control character, whatever text it was given.

The validator refuses control characters in scenario files (tests/test_security.py); these properties are
for text that never met it: an older history, a scenario built by a program, a file name, a piped answer.
The front ends: line mode, what every command prints (reports and the history too: the end-to-end cases are
in tests/test_security.py), and the trainer's drawing (Rich and Textual text; a whole call screen is in
tests/tui/test_inert_screens.py). Newlines and tabs are text, not control characters, and stay.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text as RichText
from textual.content import Content

from roleplay import plain
from roleplay.cli.common import InertStream
from roleplay.core.inert import CONTROL, inert
from roleplay.core.model import Catalog, Scenario
from roleplay.tui.inert import make_rendering_inert

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL: dict[str, Any] = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))

# Any text, with the characters that act on a terminal drawn far more often than chance would draw them.
ACTING = [*"\x1b\x07\x08\r\x00\x7f\x9b\x9d\u202e\u2066", "\x1b]52;c;MTIz\x07", "\x1b[2J", "\x1b]0;t\x1b\\"]
TEXT = st.lists(st.one_of(st.sampled_from(ACTING), st.text(max_size=5)), min_size=1, max_size=8).map("".join)


def _shown_nothing_acting(shown: str) -> None:
    match = CONTROL.search(shown)
    assert match is None, f"{match.group()!r} shown in {shown!r}"


@given(text=TEXT)
def test_inert_text_has_no_control_character_and_keeps_the_rest(text: str) -> None:
    made = inert(text)
    _shown_nothing_acting(made)
    assert len(made) == len(text)  # one mark for each: nothing is hidden
    assert inert(made) == made
    assert made.count("\n") == text.count("\n") and made.count("\t") == text.count("\t")


@given(text=TEXT.filter(lambda t: t.strip() and "{" not in t))
def test_line_mode_shows_no_control_character(text: str, catalog: Catalog) -> None:
    data = copy.deepcopy(MINIMAL)
    both = {"zh": text, "en": text}
    data["title"] = data["caller"]["name"] = data["verify_how"] = both
    data["caller"]["number"] = text[:40]
    data["nodes"]["offer"]["say"] = [both]
    data["nodes"]["offer"]["choices"][0]["text"] = both
    data["nodes"]["code"]["events"][0] |= {"sender": text, "body": both, "title": both}
    for ending in data["endings"].values():
        ending |= {"title": both, "lesson": both, "say": [both]}
    out = io.StringIO()
    answers = io.StringIO(f"{text}\n1\n1\ny\n")  # a piped answer is echoed too
    plain.play(Scenario.model_validate(data), catalog, answers, out, seed=1)
    _shown_nothing_acting(out.getvalue())


@given(text=TEXT)
def test_what_a_command_prints_has_no_control_character(text: str) -> None:
    out = io.StringIO()
    stream = InertStream(out)
    stream.write(text)
    print(text, file=stream)
    _shown_nothing_acting(out.getvalue())


@given(text=TEXT)
def test_the_trainer_draws_no_control_character(text: str) -> None:
    make_rendering_inert()
    _shown_nothing_acting(Content(text).plain)
    _shown_nothing_acting(Content.from_markup(text.replace("[", "\\[")).plain)
    _shown_nothing_acting(RichText(text).plain)
    _shown_nothing_acting(RichText.assemble((text, "bold"), text).plain)
