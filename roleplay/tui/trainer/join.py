"""Join a workshop from the trainer: a resident types the address and join code the projector shows (the
workshop runs on the presenter's laptop; each call finished here is sent there too), or, on the computer
that keeps the workshop's history, its id."""

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


class JoinWorkshopScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (the address or id as typed, the join code: empty for an id), checked by the app; or None
    when the resident changes their mind."""

    BINDINGS = [Binding("escape", "cancel", N_("Back"))]  # noqa: RUF012

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message = message
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="join"):
            yield Static(Text(_("Join a workshop"), style="bold"))
            yield Static(
                Text(
                    _(
                        "Type the address shown on the screen at the front, then Enter, then the join code "
                        "(on the computer that runs the workshop: its id, then Enter)."
                    )
                ),
            )
            yield Input(placeholder=_("e.g. 192.168.1.23:8765"), max_length=60, id="join-id")
            yield Input(placeholder=_("join code, e.g. 483 219"), max_length=9, id="join-code")
            yield Static(Text(self.message), id="join-message")

    def on_mount(self) -> None:
        self.query_one("#join-id", Input).focus()

    @on(Input.Submitted, "#join-id")
    def _typed(self, event: Input.Submitted) -> None:
        from roleplay.workshop.remote import presenter_url

        if presenter_url(event.value) is None:  # a workshop id, on the computer that keeps its history
            self.dismiss((event.value, ""))
        else:
            self.query_one("#join-code", Input).focus()

    @on(Input.Submitted, "#join-code")
    def _code(self, event: Input.Submitted) -> None:
        self.dismiss((self.query_one("#join-id", Input).value, event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
