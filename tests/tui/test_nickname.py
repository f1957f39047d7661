"""The nickname box takes no more than the history keeps, so no call is ever refused for a long name."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from roleplay.history.names import MAX_NICKNAME
from roleplay.tui.app import make_app
from roleplay.tui.trainer.home import HomeScreen
from roleplay.tui.trainer.ringing import RingingScreen
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


async def test_on_the_first_run_what_is_typed_is_the_name_not_hotkeys(tmp_path: Path) -> None:
    """No nickname saved yet: the cursor is in its box, so "l" and "r" in a name neither switch the language
    nor ring a call."""
    app = make_app(lang="zh", speak_delay=0, settings_file=tmp_path / "s.json", save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#nickname", Input)
        assert app.focused is box
        await pilot.press(*"lrqhw", "enter")
        assert app.session.trainee == "lrqhw"
        assert app.session.settings.lang == "zh" and isinstance(app.screen, HomeScreen)
        assert box.has_focus is False and app.screen.query_one("#random", Button).has_focus  # Enter: done


async def test_a_nickname_saved_before_puts_the_cursor_on_the_call_button(tmp_path: Path) -> None:
    app = make_app(
        lang="zh", speak_delay=0, trainee="张阿姨", settings_file=tmp_path / "s.json", save_settings=False
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#random", Button)


async def test_the_box_keeps_out_what_the_history_would_refuse(tmp_path: Path) -> None:
    app = make_app(lang="zh", speak_delay=0, settings_file=tmp_path / "s.json", save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"a@b", "enter")
        assert app.session.trainee == "ab"


async def test_with_no_nickname_calls_go_under_a_word_in_the_trainees_language(tmp_path: Path) -> None:
    """Not the English word "trainee" for a Chinese reader: 「学员」, kept once a call is played under it."""
    app = make_app(lang="zh", speak_delay=0, settings_file=tmp_path / "s.json", save_settings=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # an empty name, then the call button
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RingingScreen)
        assert app.session.settings.trainee == "学员"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#nickname", Input).value == "学员"
