"""Helpers for the presenter with the room open to phones: opening it on loopback, and waiting for what the
phones' server thread changes to reach the screen."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

from roleplay.tui.presenter.agenda import WorkshopScreen
from roleplay.tui.presenter.choice import KeyChoiceScreen
from roleplay.workshop.phones import RoomPhones
from tests.tui.conftest import settle, visible_text


async def until(pilot: Pilot[int], done: Callable[[], bool], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            shown = visible_text(pilot.app)
            raise AssertionError(f"waited {seconds} s for {what}; the screen shows:\n{shown}")
        await pilot.pause(0.05)


async def open_to_phones(pilot: Pilot[int]) -> RoomPhones:
    """p on the agenda, and the loopback address picked (a rehearsal on this computer)."""
    agenda = pilot.app.screen
    assert isinstance(agenda, WorkshopScreen)
    await pilot.press("p")
    await settle(pilot)
    choice = pilot.app.screen
    assert isinstance(choice, KeyChoiceScreen)
    loopback = next(o.key for o in choice.options if "127.0.0.1" in o.label.plain)
    await pilot.press(loopback)
    await until(pilot, lambda: agenda.presenter.phones is not None, "the phone server")
    assert agenda.presenter.phones is not None
    await until(pilot, lambda: "127.0.0.1:" in visible_text(pilot.app), "the address on the agenda")
    return agenda.presenter.phones
