"""The conversation of a call: a log that keeps the newest line in view.

The newest line is usually the question the replies answer, so it must never sit below the fold. Textual's
anchor does the following: an anchored log stays at its bottom through every layout (a reply list that
appears, a hint that wraps, a terminal made smaller) until the reader scrolls up, and takes up following
again once they scroll back to the bottom. A `RichLog` wraps each line once, at the width it had when the
line was written; the log keeps what it was given and wraps it again when its width changes, so a wider
or narrower terminal shows whole lines, not lines cut at the old width.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual import events
from textual.binding import Binding
from textual.widgets import RichLog

from roleplay.text.i18n import N_


def scroll_bindings(*, over_inputs: bool = False) -> list[Binding]:
    """Keys that scroll the conversation from the screen that shows it: the screen's
    `action_conversation(how)` calls `ConversationLog.scroll(how)`. They come before the focused widget's
    own (the reply list would take them); with `over_inputs` (count boxes have the cursor) Home and End
    stay the boxes' own."""
    return [
        Binding("pageup", "conversation('page_up')", N_("Scroll up"), show=False, priority=True),
        Binding("pagedown", "conversation('page_down')", N_("Scroll down"), show=False, priority=True),
        Binding("home", "conversation('to_start')", N_("First line"), show=False, priority=not over_inputs),
        Binding("end", "conversation('to_newest')", N_("Newest line"), show=False, priority=not over_inputs),
    ]


class ConversationLog(RichLog):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, auto_scroll=True, min_width=20)
        self._said: list[RenderableType] = []
        self._wrapped_at = 0  # the width the lines were wrapped at

    def on_mount(self) -> None:
        self.anchor()

    def say(self, renderable: RenderableType) -> None:
        """One more line of the conversation."""
        self._said.append(renderable)
        self.write(renderable)

    def on_resize(self, event: events.Resize) -> None:
        # Textual calls RichLog's own handler after this one (the lines said before the first size was
        # known are written there).
        width = self.scrollable_content_region.width
        if self._wrapped_at and width != self._wrapped_at:
            self._wrap_again()
        self._wrapped_at = width

    def _wrap_again(self) -> None:
        self.clear()
        for renderable in self._said:
            self.write(renderable, scroll_end=False)

    # The trainee's keys, bound on the screens that show a conversation (the reply list has the focus).

    def page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def to_start(self) -> None:
        self.scroll_home(animate=False)

    def to_newest(self) -> None:
        self.scroll_end(animate=False)

    def scroll(self, how: str) -> None:
        """One of the keys above: `how` names the method."""
        if how in ("page_up", "page_down", "to_start", "to_newest"):
            getattr(self, how)()
