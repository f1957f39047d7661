"""Below the smallest size the trainer is usable at, a screen that says so and how big it must be, in place
of a call squeezed to nothing. It goes once the terminal is big enough again; what was under it carries on."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.text.i18n import _

MIN_WIDTH = 60
MIN_HEIGHT = 18


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self._gone = False  # several resizes may arrive before it has gone: it leaves once

    def compose(self) -> ComposeResult:
        with Center(id="too-small"):
            yield Static(self._message(), id="too-small-message")

    def _message(self) -> Text:
        width, height = self.app.size
        return Text(
            _("This window is too small: make it at least {w}×{h} (it is {width}×{height} now).").format(
                w=MIN_WIDTH, h=MIN_HEIGHT, width=width, height=height
            )
        )

    def on_resize(self) -> None:
        if too_small(*self.app.size):
            self.query_one("#too-small-message", Static).update(self._message())
        elif not self._gone:
            self._gone = True
            self.dismiss(None)
