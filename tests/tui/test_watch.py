"""`roleplay play FILE.yaml --watch`: an author edits the scenario while playing it."""

from __future__ import annotations

import shutil
from pathlib import Path

from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.problems import ProblemsScreen
from tests.tui.conftest import SIZE, settle, visible_text

MINIMAL = Path(__file__).parent.parent / "fixtures" / "minimal.yaml"


def _draft(tmp_path: Path) -> tuple[Path, TrainerApp]:
    """A copy of the minimal scenario, opened with --watch."""
    scenario = tmp_path / "draft.yaml"
    shutil.copy(MINIMAL, scenario)
    app = make_app(
        scenario=str(scenario),
        seed=1,
        lang="en",
        speak_delay=0,
        watch=True,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    return scenario, app


async def test_saving_the_file_reloads_it_at_the_same_turn_and_shows_problems(tmp_path: Path) -> None:
    scenario, app = _draft(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1")
        screen = app.screen
        assert isinstance(screen, CallScreen) and screen.call.current_node == "code"

        text = scenario.read_text(encoding="utf-8")
        scenario.write_text(text.replace("Read me the code.", "Now read me the code."), encoding="utf-8")
        app.reload_watched(scenario)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert screen.call.current_node == "code" and screen.call.turn == 2  # kept its place
        assert "Now read me the code." in visible_text(app)

        scenario.write_text(text.replace("to: loss-code", "to: loss-cod"), encoding="utf-8")
        app.reload_watched(scenario)
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert "draft.yaml:39: this reply leads to 'loss-cod'" in visible_text(app)

        scenario.write_text(text, encoding="utf-8")
        app.reload_watched(scenario)
        await settle(pilot)
        assert isinstance(app.screen, CallScreen) and app.screen.call.current_node == "code"


async def test_the_file_is_polled_while_playing(tmp_path: Path) -> None:
    scenario, app = _draft(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        text = scenario.read_text(encoding="utf-8")
        scenario.write_text(text.replace("we'll refund you", "we will refund you today"), encoding="utf-8")
        for _ in range(100):  # the app looks twice a second; a slow machine is given time, not a budget
            await pilot.pause(0.1)
            await settle(pilot)  # the file is loaded on a thread
            if "we will refund you today" in visible_text(app):
                break
        assert "we will refund you today" in visible_text(app)
