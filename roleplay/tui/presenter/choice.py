"""A question the facilitator answers with one key: what the room plays when the facilitator steps in, what
the room's judgement is on a tie, whether to leave a call. Dismissed with the key pressed, or None (Esc)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.text.i18n import _


@dataclass(frozen=True)
class KeyOption:
    key: str  # as Textual names it: "1", "h", "enter"
    shown: str  # as the facilitator reads it on the key: "1", "h", "Enter"
    label: Text


class KeyChoiceScreen(ModalScreen[str | None]):
    def __init__(self, question: str, options: Sequence[KeyOption]) -> None:
        super().__init__()
        self.question = question
        self.options = tuple(options)

    def compose(self) -> ComposeResult:
        with Vertical(id="ws-choice"):
            yield Static(Text(self.question, style="bold"), classes="ws-choice-question")
            for option in self.options:
                line = Table.grid(padding=(0, 2))  # a long label wraps under itself, not under the key
                line.add_column(no_wrap=True)
                line.add_column()
                line.add_row(Text(f" {option.shown} ", style="bold reverse"), option.label)
                yield Static(line, classes="ws-choice-option")
            yield Static(Text(_("Esc: cancel"), style="dim"), classes="ws-choice-cancel")

    def on_key(self, event: Key) -> None:
        keys = {option.key for option in self.options}
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
        elif event.key in keys:
            event.stop()
            self.dismiss(event.key)
