"""Issue 17, point 7: SIGTERM or SIGHUP quits the trainer as q does (the terminal given back by Textual's
driver is checked in a real terminal by tests/test_security.py), keeping the call in progress as abandoned."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from roleplay.history.store import Store
from roleplay.tui.app import make_app
from roleplay.tui.trainer.call import CallScreen
from tests.tui.conftest import SIZE, settle


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
async def test_a_stop_signal_quits_and_keeps_the_call_as_abandoned(stop: int, tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite3"
    unseen: list[int] = []  # the signals that reached no one else: the app did not catch them

    def outside(number: int, _frame: object) -> None:
        unseen.append(number)

    before = signal.signal(stop, outside)  # also keeps a run without the fix from killing pytest
    app = make_app(
        scenario="taobao-refund",
        seed=2,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        open_store=lambda: Store.open(history),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        os.kill(os.getpid(), stop)
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.is_running:
                break
    handler_after = signal.signal(stop, before)
    assert unseen == []
    assert app.return_code == 128 + stop
    assert handler_after is outside  # the app gave the handler it found back when it quit
    with Store.open(history) as store:
        assert [c.status for c in store.calls()] == ["abandoned"]


async def test_the_process_is_ended_if_quitting_hangs_and_not_if_it_does_not(tmp_path: Path) -> None:
    """`roleplay` (not a test) arms a deadline with the stop signal: a terminal that is gone may leave the
    driver's shutdown waiting for ever. Quitting in time disarms it."""
    before = signal.signal(signal.SIGTERM, lambda *_: None)
    app = make_app(speak_delay=0, settings_file=tmp_path / "s.json", save_settings=False, keep_history=False)
    app.hard_stop = True  # as `roleplay.tui.app.run` sets it
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(50):
                await pilot.pause(0.02)
                if not app.is_running:
                    break
        deadline = app._deadline
        assert deadline is not None and deadline.is_alive()  # armed
        app.quit_in_time()
        deadline.join(timeout=1)
        assert not deadline.is_alive()  # disarmed: this process goes on
    finally:
        signal.signal(signal.SIGTERM, before)
