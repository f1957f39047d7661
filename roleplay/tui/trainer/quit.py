"""Asked when the trainee presses q in the middle of a call: quit now, or go back to the call."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import translate_bindings


class QuitCallScreen(ModalScreen[bool]):
    """Dismissed with True to quit, False to carry on with the call."""

    BINDINGS = [  # noqa: RUF012
        Binding("y", "answer(True)", N_("Quit")),
        Binding("n,escape", "answer(False)", N_("Back to the call")),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-call"):
            yield Static(
                Text(_("Quit now? This call is not over; it will be kept as unfinished."), style="bold")
            )
            with Horizontal(id="quit-call-buttons"):
                yield Button(_("Quit (y)"), id="quit", variant="error")
                yield Button(_("Back to the call (n)"), id="stay", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed, "#quit")
    def _quit(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(True)

    @on(Button.Pressed, "#stay")
    def _stay(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(False)

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)
