"""How many phones have joined, and how many have voted on the question open now: the projector's view of
the residents' phones, never their answers (showing the counts while a vote is open would sway it).

Why it listens this way: the ballot changes on the phone server's thread, with the ballot's lock held. The
listener only schedules a redraw on the app's event loop (never waits for it), and redraws coalesce: a room
voting at once costs a few frames, not one per vote.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from roleplay.text.i18n import _, ngettext

if TYPE_CHECKING:
    from roleplay.workshop.phones import RoomPhones


class PhoneCount(Static):
    def __init__(self, phones: RoomPhones, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.phones = phones
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = False
        self._live = True

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.phones.ballot.listen(self._changed)
        self.show()

    def on_unmount(self) -> None:
        self._live = False
        self.phones.ballot.unlisten(self._changed)

    def _changed(self) -> None:  # any thread, ballot lock held: schedule, never wait
        if self._pending or not self._live or self._loop is None:
            return
        self._pending = True
        try:
            self._loop.call_soon_threadsafe(self.show)
        except RuntimeError:  # the app has closed
            self._live = False

    def show(self) -> None:
        self._pending = False
        if not self._live:
            return
        tally = self.phones.ballot.tally()
        text = Text()
        text.append(
            ngettext("{phones} phone joined", "{phones} phones joined", tally.phones).format(
                phones=tally.phones
            ),
            style="bold",
        )
        trainers = self.phones.ballot.trainers()
        if trainers:
            text.append("   ")
            joined = ngettext("{count} computer joined", "{count} computers joined", trainers)
            text.append(joined.format(count=trainers))
        if tally.question is not None:
            text.append("   ")
            text.append(_("voted on this question: {voted}").format(voted=tally.voted), style="bold")
        self.update(text)
