"""Join a workshop from the trainer: a resident types the id the facilitator shows on the projector."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import translate_bindings

if TYPE_CHECKING:
    from roleplay.history.store import Store


def find_workshop(typed: str) -> Callable[[Store], tuple[str | None, str | None]]:
    """A history job: the workshop's id as recorded, or None and what to tell the resident."""

    def find(store: Store) -> tuple[str | None, str | None]:
        from roleplay.history.errors import UnknownWorkshop
        from roleplay.history.names import normalise_workshop_id

        wanted = normalise_workshop_id(typed)
        try:
            return store.workshop(wanted).id, None
        except UnknownWorkshop:
            return None, _(
                "There is no workshop {id} on this computer. Check the id on the screen at the front."
            ).format(id=wanted)

    return find


class JoinWorkshopScreen(ModalScreen[str | None]):
    """Returns the id as typed (checked by the app), or None when the resident changes their mind."""

    BINDINGS = [Binding("escape", "cancel", N_("Back"))]  # noqa: RUF012

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message = message
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="join"):
            yield Static(Text(_("Join a workshop"), style="bold"))
            yield Static(Text(_("Type the workshop id shown on the screen at the front, then press Enter.")))
            yield Input(placeholder=_("e.g. ABC234"), max_length=12, id="join-id")
            yield Static(Text(self.message), id="join-message")

    def on_mount(self) -> None:
        self.query_one("#join-id", Input).focus()

    @on(Input.Submitted, "#join-id")
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
