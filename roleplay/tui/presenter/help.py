"""Help for the facilitator: the presenter's own keys, step by step, and how to make the projector readable.
Any key closes it (the trainer's help is about a trainee's keys, which the presenter does not have)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static

from roleplay.text.i18n import _


def presenter_help_lines() -> list[str]:
    return [
        _("Running a workshop"),
        _("The agenda has four steps: the pre-test, calls played by the room, the post-test, the report."),
        _("Each step shows what is done; Enter on a step, or its number, opens it."),
        "",
        _("Keys"),
        _("1-4 or arrows + Enter   open a step of the agenda"),
        _("digits, Tab, arrows     type the room's counts, move between the boxes"),
        _("Enter                   the counts are typed: go on (the majority's answer is played)"),
        _("o                       choose for the room (a tie, or to show another way)"),
        _("space                   let the caller finish at once"),
        _("PageUp / PageDown       scroll the conversation; End: back to the newest line"),
        _("Esc                     back: the item before, or the agenda"),
        _("p                       open the room to residents' phones (agenda): pick the room's network"),
        _("w                       write the handout (on the report)"),
        _("l                       switch language 中文 / English (agenda)"),
        _("t                       light or dark colours: light is easier to read on most projectors"),
        _("q or Ctrl+C             quit (in the room's call it asks first)"),
        "",
        _("With phones: residents type the address and the join code shown on the agenda; each test"),
        _("item, turn and judgement is voted on the phones while it is shown, and Enter closes the vote"),
        _("(hands typed for those without a phone are added)."),
        _("Weeks later: roleplay workshop --follow-up ID."),
        "",
        _("On a projector: make the terminal's font bigger (Ctrl and + in most terminals) until the"),
        _("back row can read the caller's line, and use the light colours in a bright room."),
        "",
        _("Press any key to close."),
    ]


class PresenterHelpScreen(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            for line in presenter_help_lines():
                yield Static(Text(line))

    def on_key(self, event: Key) -> None:
        event.stop()
        self.dismiss()
