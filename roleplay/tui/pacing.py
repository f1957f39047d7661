"""A call's events shown one at a time at the caller's pace, for every screen that plays a call."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

from roleplay.core.events import CallerSpoke, Event


class Pacer:
    """After each caller line with more to come, wait a moment before the next event.

    The screen says how to show one event, how long to wait (read each time: the pace can change mid-call)
    and how to tell the trainee the caller is still speaking. `play` queues events; `finish` shows the rest
    at once (a key pressed while the caller talks); `drop` forgets them (the trainee hung up mid-sentence)."""

    def __init__(
        self,
        owner: Widget,
        show: Callable[[Event], None],
        pause: Callable[[], float],
        speaking: Callable[[bool], None],
    ) -> None:
        self._owner = owner
        self._show = show
        self._pause = pause
        self._tell_speaking = speaking
        self._pending: deque[Event] = deque()
        self._timer: Timer | None = None
        self.speaking = False

    def play(self, events: list[Event], *, at_once: bool = False) -> None:
        self._stop_timer()
        self._pending.extend(events)
        self._drain(at_once)

    def finish(self) -> None:
        if self.speaking:
            self._stop_timer()
            self._drain(at_once=True)

    def drop(self) -> None:
        self._stop_timer()
        self._pending.clear()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _drain(self, at_once: bool = False) -> None:
        pause = 0.0 if at_once else self._pause()
        while self._pending:
            event = self._pending.popleft()
            self._show(event)
            if isinstance(event, CallerSpoke) and pause > 0 and self._pending:
                self._set_speaking(True)
                self._timer = self._owner.set_timer(pause, self._drain)
                return
        self._set_speaking(False)

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self._tell_speaking(speaking)
