"""Help: the keys, and what the trainer is for. Any key closes it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.text.i18n import _


class HelpScreen(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        lines = [
            _("How it works"),
            _("A phone call comes in. Some are scams, some are real. Answer as you would in real life."),
            _("When the call ends you say whether you think it was a scam; only then do you see how it"),
            _("ended, and the debrief shows which warning signs you spotted and which you missed."),
            "",
            _("Keys"),
            _("1-9 or arrows + Enter   choose a reply"),
            _("h                       hang up (in a call); your progress (home screen)"),
            _("v                       hang up and check through an official channel"),
            _("space                   let the caller finish at once"),
            _("+ / -                   caller speaks faster / slower"),
            _("r                       a random incoming call (home screen)"),
            _("k                       the quick-fire round: many short items, scam or not? (home screen)"),
            _("c                       the recommended next call (home screen)"),
            _("l                       switch language 中文 / English (home screen)"),
            _("t                       light or dark colours (home screen)"),
            _("w                       join a workshop by its id (home screen)"),
            _("q or Ctrl+C             quit"),
            "",
            _("In real life: hang up, open the official app or call the official number yourself,"),
            _("or call the 96110 anti-fraud line."),
            "",
            _("Press any key to close."),
        ]
        with VerticalScroll(id="help"):
            for line in lines:
                yield Static(Text(line))

    def on_key(self, event: Key) -> None:
        event.stop()
        self.dismiss()
