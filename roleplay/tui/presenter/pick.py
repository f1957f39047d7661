"""Which call the room plays next: a scenario from the library by its title only, or a random one.
Dismissed with the scenario's id, or None (back to the agenda).

Why titles only: the room is about to judge whether the call is a scam, so nothing on this projected list may
say so: no kind, and no id (an author's handle for the file, not something the room should read).
"""

from __future__ import annotations

import random

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.presenter.presenter import Presenter
from roleplay.tui.presenter.screen import PresenterScreen
from roleplay.tui.widgets.keys_footer import KeysFooter


class ScenarioPickScreen(PresenterScreen[str | None]):
    BINDINGS = [  # noqa: RUF012
        Binding("r", "random", N_("Random call")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, presenter: Presenter) -> None:
        super().__init__()
        self.presenter = presenter

    def compose(self) -> ComposeResult:
        scenarios = self.presenter.workshop.library.scenarios
        yield Header(show_clock=False)
        with Vertical(id="ws-pick"):
            yield Static(
                Text(_("Choose the call the room answers together (r: a random one)."), style="bold")
            )
            options = OptionList(id="ws-scenarios", markup=False)
            for number, scenario_id in enumerate(sorted(scenarios), 1):
                title = v.say(scenarios[scenario_id].title)
                played = "   ✓ " + _("played") if scenario_id in self.presenter.played else ""
                options.add_option(Option(Text(f"{number:>2}. {title}{played}"), id=scenario_id))
            yield options
        yield KeysFooter()

    def on_mount(self) -> None:
        self.composed()

    def composed(self) -> None:
        self.title = _("Play a call together")
        self.sub_title = ""
        options = self.query_one("#ws-scenarios", OptionList)
        if options.option_count and options.highlighted is None:
            options.highlighted = 0  # Enter plays the call under the cursor, so there is always one
        options.focus()

    @on(OptionList.OptionSelected, "#ws-scenarios")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._play(event.option.id)

    def action_random(self) -> None:
        """Any call the room has not played in this sitting (any call once they all were)."""
        scenarios = sorted(self.presenter.workshop.library.scenarios)
        fresh = [s for s in scenarios if s not in self.presenter.played] or scenarios
        if fresh:
            self._play(random.choice(fresh))

    def _play(self, scenario_id: str) -> None:
        self.dismiss(scenario_id)

    def action_back(self) -> None:
        self.dismiss(None)
