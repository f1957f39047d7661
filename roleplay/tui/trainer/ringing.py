"""The phone ringing: the caller as the phone shows them, before the trainee knows anything else.
Dismissed with True when the trainee answers, False when they go back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Static

from roleplay.core.engine import Call
from roleplay.core.model import Scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import relabel
from roleplay.tui.render import channel_name
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.wrapped import wrapped


class RingingScreen(TrainerScreen[bool]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter,a", "answer", N_("Answer")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, call: Call) -> None:
        """`call` is not started yet: only the name its run draws is shown."""
        super().__init__()
        self.call = call
        self._label_keys()

    def _label_keys(self) -> None:
        scenario = self.call.scenario
        if scenario.caller.dialled:  # the footer says what Enter does: the trainee is the one ringing
            relabel(self, "answer", v.dialled_word())
        elif v.is_chat(scenario.channel):  # ... or in a chat
            relabel(self, "answer", v.answer_word(scenario.channel))

    def composed(self) -> None:
        self._label_keys()  # after a language switch

    @property
    def scenario(self) -> Scenario:
        return self.call.scenario

    def compose(self) -> ComposeResult:
        scenario = self.call.scenario
        with Center(id="ringing"), Vertical(id="phone-card"):
            dialled = scenario.caller.dialled
            yield Static(Text(channel_name(scenario.channel, dialled)), classes="channel")
            yield Static(Text(v.say(self.call.caller_name)), id="caller-name")
            yield Static(Text(self.call.caller_number), id="caller-number")
            if scenario.perspective == "helper":
                yield Static(
                    wrapped(
                        _("Your parent's phone is ringing. You sit beside them and tell them what to say.")
                    ),
                    classes="perspective",
                )
            yield Static(Text(v.answer_keys(scenario.channel, dialled)), classes="keys")
        yield KeysFooter()

    def action_answer(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
