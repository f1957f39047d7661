"""Typing how many people in the room chose each option: one count box per option, Enter to go on.

Why a widget of its own: the presenter asks for counts in three places (a test excerpt, each turn of a room
call, the room's judgement at the end) and they must all behave the same for a facilitator at a keyboard:
Enter moves to the next box and confirms on the last, an empty box means nobody, and anything that is not a
whole number is refused with a message saying so. The form only reads and checks counts; what they mean is
the screen's business (it receives `CountsForm.Submitted`, or `CountsForm.Rejected` with the message).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, Static

from roleplay.text.i18n import N_, _
from roleplay.tui.bindings import translate_bindings

MAX_COUNT = 9999  # more than any room; a longer number is a typing slip
# \d also takes full-width digits (１２), as a Chinese input method types them.
_COUNT = re.compile(r"\d{1,4}")
# What a box takes: digits, and what a slip of the finger adds to them (refused, with a message, on Enter).
_TYPED = re.compile(r"[\d\-+.,，。 ]")


@dataclass(frozen=True)
class CountOption:
    """One option the room can choose: the key it is known by ("1", "h", "scam"…), its badge and its words."""

    key: str
    badge: str
    label: Text


class CountError(ValueError):
    """A box holds something that is not a count. The message is for the facilitator, in their language."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def parse_count(text: str, label: str) -> int:
    """A count as typed: empty is 0; otherwise a whole number from 0 to MAX_COUNT. Raises CountError."""
    typed = text.strip()
    if not typed:
        return 0
    if not _COUNT.fullmatch(typed):
        message = _("“{typed}” for {option} is not a count: type a whole number from 0 to {most}.")
        raise CountError(message.format(typed=typed, option=label, most=MAX_COUNT), label)
    return int(typed)


class CountBox(Input):
    """A count box that takes only what a number is typed with. Letters are left to the screen's keys, so
    o (choose for the room) and q (quit) work while the cursor is in a box; a plain Input swallows them."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and _TYPED.fullmatch(character) is not None

    async def _on_key(self, event: Key) -> None:
        if event.is_printable and not self.check_consume_key(event.key, event.character):
            event.prevent_default()  # skip Input's handler: the key goes on up to the screen's bindings


class CountsForm(Vertical):
    """A count box for each option. Posts `Submitted` with every count; a box that holds something else is
    refused on Enter, with the reason shown under the boxes (and posted as `Rejected`)."""

    BINDINGS = [  # noqa: RUF012
        Binding("down", "move(1)", N_("Next box"), show=False),
        Binding("up", "move(-1)", N_("Previous box"), show=False),
    ]

    class Submitted(Message):
        """The counts were typed and confirmed; every option is there, 0 where nobody chose it."""

        def __init__(self, form: CountsForm, counts: dict[str, int]) -> None:
            super().__init__()
            self.form = form
            self.counts = counts

    class Rejected(Message):
        """A box holds something that is not a count; `message` says which and what to type."""

        def __init__(self, form: CountsForm, message: str) -> None:
            super().__init__()
            self.form = form
            self.message = message

    def __init__(
        self,
        options: Sequence[CountOption],
        *,
        values: dict[str, int] | None = None,
        id: str | None = None,
    ) -> None:
        """`values` fills the boxes in advance (a test item answered before, now being corrected)."""
        super().__init__(id=id)
        self.options = tuple(options)
        self._values = values or {}
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        badge_width = max((cell_len(o.badge) for o in self.options), default=1)
        for option in self.options:
            padding = badge_width - cell_len(option.badge)
            badge = " " * (padding // 2 + 1) + option.badge + " " * (padding - padding // 2 + 1)
            with Horizontal(classes="count-row"):
                yield Static(Text(badge, style="bold reverse"), classes="count-badge")
                yield Static(option.label, classes="count-label")
                given = self._values.get(option.key)
                yield CountBox(
                    value="" if given is None else str(given),
                    placeholder="0",
                    name=option.key,
                    classes="count-box",
                    max_length=8,
                    compact=True,
                )
        yield Static("", classes="count-error")

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        boxes = self._boxes()
        if boxes:
            boxes[0].focus()

    def _boxes(self) -> list[Input]:
        return list(self.query(".count-box").results(Input))

    def read(self) -> dict[str, int]:
        """Every count as typed. Raises CountError, says why under the boxes, puts the cursor in the box."""
        counts: dict[str, int] = {}
        for option, box in zip(self.options, self._boxes(), strict=True):
            counts[option.key] = self._check(option, box)
        self._show_error("")
        return counts

    def _check(self, option: CountOption, box: Input) -> int:
        try:
            return parse_count(box.value, option.badge)
        except CountError as exc:
            box.focus()
            self._show_error(str(exc))
            self.post_message(self.Rejected(self, str(exc)))
            raise

    def _show_error(self, message: str) -> None:
        error = self.query_one(".count-error", Static)
        error.update(Text(message))
        error.set_class(bool(message), "-shown")
        if message:
            self.call_after_refresh(error.scroll_visible)

    def submit(self) -> None:
        with contextlib.suppress(CountError):  # already said under the boxes
            self.post_message(self.Submitted(self, self.read()))

    @on(Input.Submitted, ".count-box")
    def _enter(self, event: Input.Submitted) -> None:
        """Enter: the box is checked, then on to the next box; on the last one, confirm all the counts."""
        event.stop()
        boxes = self._boxes()
        at = boxes.index(event.input)
        try:
            self._check(self.options[at], event.input)
        except CountError:
            return
        self._show_error("")
        if at == len(boxes) - 1:
            self.submit()
        else:
            boxes[at + 1].focus()

    def action_move(self, step: int) -> None:
        boxes = self._boxes()
        focused = self.screen.focused
        if isinstance(focused, Input) and focused in boxes:
            at = boxes.index(focused)
            boxes[max(0, min(len(boxes) - 1, at + step))].focus()
