"""Another terminal holding the history file: the call goes on at once, the writes follow in order when the
file is free, and a write that fails is told without losing the call."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify

from roleplay.history.store import Store
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from tests.tui.conftest import SIZE, settle, taobao_keys, visible_text


@pytest.fixture
def history(isolated_home: Path) -> Path:
    path = isolated_home / "history.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def held(history: Path) -> Iterator[sqlite3.Connection]:
    """Another terminal in the middle of a write: it holds the file's write lock until it lets go."""
    other = sqlite3.connect(history, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def trainee_app(tmp_path: Path, history: Path, busy_timeout: float) -> TrainerApp:
    return make_app(
        scenario="taobao-refund",
        seed=2,
        lang="zh",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
        open_store=lambda: Store.open(history, busy_timeout=busy_timeout),
    )


async def test_the_call_answers_keys_while_the_history_is_held(
    tmp_path: Path, history: Path, held: sqlite3.Connection
) -> None:
    app = trainee_app(tmp_path, history, busy_timeout=60)  # the writes wait for as long as the test holds
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", *taobao_keys(1))
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.call.turn == 2  # while every write still waits
        assert "你：嗯，对，是我买的。怎么了，东西有问题？" in visible_text(app)
        held.execute("ROLLBACK")  # the other terminal is done
        await pilot.press("h", "y")
        assert isinstance(app.screen, DebriefScreen)
    with Store.open(history) as store:
        (record,) = store.calls()
        assert record.status == "finished" and [s.step.action for s in record.steps] == ["reply", "hang_up"]


async def test_a_write_that_fails_is_told_and_the_call_goes_on(
    tmp_path: Path, history: Path, held: sqlite3.Connection
) -> None:
    app = trainee_app(tmp_path, history, busy_timeout=0.05)
    seen: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("enter", *taobao_keys(1))
        await app.session.history.run(lambda store: None)  # every write asked so far has been tried
        await pilot.pause()  # the app is told, then notifies
        told = [m.notification.message for m in seen if isinstance(m, Notify)]
        assert len(told) == 1 and told[0].startswith("这通电话不会被保存：")  # once, not at every reply
        assert "你：嗯，对，是我买的。怎么了，东西有问题？" in visible_text(app)
        await pilot.press("h", "y")
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.result.outcome == "safe"
