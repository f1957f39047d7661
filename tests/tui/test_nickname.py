"""The nickname box takes no more than the history keeps, so no call is ever refused for a long name."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from roleplay.history.names import MAX_NICKNAME
from roleplay.tui.app import make_app
from tests.tui.conftest import SIZE, settle


async def test_a_long_nickname_stops_at_the_length_the_history_keeps(tmp_path: Path) -> None:
    app = make_app(lang="zh", speak_delay=0, settings_file=tmp_path / "s.json", save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#nickname", Input)
        box.focus()
        await pilot.press(*("小明" * 30), "enter")  # 60 characters typed
        assert box.value == "小明" * (MAX_NICKNAME // 2)
        assert app.session.trainee == "小明" * (MAX_NICKNAME // 2)
