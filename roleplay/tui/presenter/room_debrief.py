"""The trainer's debrief, for the room: how the room voted comes first (and stays in the title), then the
ending is revealed; its next call and replay are played by the room too. Dismissed, like the trainer's
debrief, with what comes next."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding

from roleplay.core.debrief import Debrief
from roleplay.core.model import Catalog, Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.render import Palette
from roleplay.tui.trainer.debrief import DebriefScreen


class RoomDebriefScreen(DebriefScreen):
    BINDINGS = [  # noqa: RUF012 - the same keys as the trainer's debrief, named for the presenter
        Binding("n", "next_call", N_("Next call for the room")),
        Binding("escape", "home", N_("Back to the agenda")),
    ]

    def __init__(
        self, scenario: Scenario, catalog: Catalog, result: Debrief, room_votes: tuple[int, int]
    ) -> None:
        super().__init__(scenario, catalog, result)
        self.room_votes = room_votes

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_votes)  # after the debrief's own on_mount set its titles

    def _votes(self) -> str:
        said_scam, said_not = self.room_votes
        return _("The room: {scam} said scam, {not_} said not").format(scam=said_scam, not_=said_not)

    def _before_ending(self, palette: Palette) -> list[RenderableType]:
        """The room's count, then the ending: the room hears how the call ended after it has said its say."""
        return [Text(self._votes(), style="bold")]

    def _show_votes(self) -> None:
        self.sub_title = f"{v.say(self.scenario.title)} · {self._votes()}"
