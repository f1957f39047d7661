"""The trainer keeps a history: every call is saved as it is played, finished or abandoned."""

from __future__ import annotations

from pathlib import Path

from roleplay.store import Store
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.screens.call import CallScreen
from tests.tui.conftest import SIZE


async def test_a_finished_call_is_saved_with_its_judgement(trainer: TrainerApp, isolated_home: Path) -> None:
    trainer.session.settings.trainee = "小王"
    async with trainer.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "h", "y")
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls(trainee="小王")
        assert (record.status, record.outcome, record.judged_scam) == ("finished", "safe", True)
        assert [s.step.action for s in record.steps] == ["reply", "hang_up"]


async def test_quitting_mid_call_saves_it_as_abandoned(tmp_path: Path, isolated_home: Path) -> None:
    app = make_app(
        scenario="taobao-refund",
        seed=2,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "1")
        assert isinstance(app.screen, CallScreen)
        await pilot.press("q")
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls()
        assert record.status == "abandoned" and len(record.steps) == 2
