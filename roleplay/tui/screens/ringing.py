"""The phone ringing: the caller as the phone shows them, before the trainee knows anything else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Static

from roleplay.core.model import Catalog, Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.screens.base import TrainerScreen

if TYPE_CHECKING:
    from roleplay.tui.app import TrainerApp


class RingingScreen(TrainerScreen):
    BINDINGS = [  # noqa: RUF012
        Binding("enter,a", "answer", N_("Answer")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, scenario: Scenario, catalog: Catalog, seed: int | None, source: Path | None) -> None:
        super().__init__()
        self.scenario = scenario
        self.catalog = catalog
        self.seed = seed
        self.source = source  # the scenario file, for the history's record of which version was played

    def compose(self) -> ComposeResult:
        channels = {
            "phone": _("Voice call"),
            "qq": _("QQ voice call"),
            "wechat": _("WeChat message"),
            "sms": _("Text message"),
        }
        with Center(id="ringing"), Vertical(id="phone-card"):
            yield Static(Text(channels[self.scenario.channel]), classes="channel")
            yield Static(Text(v.say(self.scenario.caller.name)), id="caller-name")
            yield Static(Text(self.scenario.caller.number), id="caller-number")
            if self.scenario.perspective == "helper":
                yield Static(
                    Text(_("Your parent's phone is ringing. You sit beside them and tell them what to say.")),
                    classes="perspective",
                )
            yield Static(Text(_("Enter: answer    Esc: back")), classes="keys")
        yield Footer()

    def action_answer(self) -> None:
        from roleplay.tui.screens.call import CallScreen

        app = cast("TrainerApp", self.app)
        app.switch_screen(CallScreen(self.scenario, self.catalog, self.seed, app.session, self.source))

    def action_back(self) -> None:
        self.app.pop_screen()
