"""The question after every call, asked before anything says how the call ended: shown where the replies
were, under the conversation, which ends on the trainee's last move and 「通话结束。」 whatever the ending."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import relabel, translate_bindings


class JudgementBar(Vertical, can_focus=True):
    """Asks "was this a scam?" and posts `JudgementBar.Judged` with True, False, or None when skipped."""

    BINDINGS = [  # noqa: RUF012
        Binding("y", "judge(True)", N_("Scam")),
        Binding("n", "judge(False)", N_("Real call")),
        Binding("escape", "judge(None)", N_("Skip")),
    ]

    class Judged(Message):
        def __init__(self, scam: bool | None) -> None:
            super().__init__()
            self.scam = scam

    def __init__(self, *, channel: str = "phone", id: str | None = None) -> None:
        super().__init__(id=id)
        self._channel = channel
        translate_bindings(self)
        if v.is_chat(channel):
            relabel(self, "judge(False)", v.not_scam_word(channel))
        self._answered = False

    def compose(self) -> ComposeResult:
        question = v.scam_question(self._channel)
        yield Static(Text(question, style="bold"))
        with Horizontal(id="judgement-buttons"):
            yield Button(_("Scam (y)"), id="scam", variant="error")
            real = _("Not a scam (n)") if v.is_chat(self._channel) else _("Real call (n)")
            yield Button(real, id="real", variant="success")

    @on(Button.Pressed, "#scam")
    def _scam(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_judge(True)

    @on(Button.Pressed, "#real")
    def _real(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_judge(False)

    def action_judge(self, scam: bool | None) -> None:
        # One answer a call: `n n` typed in one burst must not answer twice (the second `n` is not the next
        # screen's "next call" either; it is spent here).
        if self._answered:
            return
        self._answered = True
        self.post_message(self.Judged(scam))
