"""The trainer's debrief, for the room: how the room voted in the title, and its next call and replay are
played by the room too. Dismissed, like the trainer's debrief, with what comes next."""

from __future__ import annotations

from textual.binding import Binding

from roleplay.core.debrief import Debrief
from roleplay.core.model import Catalog, Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
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

    def _show_votes(self) -> None:
        said_scam, said_not = self.room_votes
        votes = _("The room: {scam} said scam, {not_} said not").format(scam=said_scam, not_=said_not)
        self.sub_title = f"{v.say(self.scenario.title)} · {votes}"
