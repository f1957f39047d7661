"""What a scenario draws for each run (the platform, the parent, the shop's name) is filled in wherever the
trainer and the projector show it: never a `{placeholder}`."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from roleplay.history.store import Store
from roleplay.tui.app import make_app, make_presenter
from roleplay.tui.presenter.agenda import WorkshopScreen
from roleplay.tui.presenter.pick import ScenarioPickScreen
from roleplay.tui.presenter.room_call import RoomCallScreen
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.ringing import RingingScreen
from tests.tui.conftest import SIZE, settle, visible_text

FIXTURES = Path(__file__).parent.parent / "fixtures"


async def test_checking_officially_says_how_with_the_platform_of_this_run(tmp_path: Path) -> None:
    app = make_app(
        scenario="frozen-funds-safe-account",
        seed=3,
        lang="zh",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "v")
        assert isinstance(app.screen, CallScreen)
        text = visible_text(app)
        assert "（挂断电话去核实：挂断电话，自己打开" in text
        assert "{platform}" not in text and "{" not in text


async def test_the_caller_is_shown_with_the_name_drawn_for_this_run(tmp_path: Path) -> None:
    app = make_app(
        scenario=str(FIXTURES / "caller-variable.yaml"),
        seed=1,
        lang="zh",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RingingScreen)
        assert "小美服饰客服" in visible_text(app) and "{shop}" not in visible_text(app)
        await pilot.press("enter")
        text = visible_text(app)
        assert " 小美服饰客服 010-0000 0000 " in text  # the status strip
        assert "来电：小美服饰客服 010-0000 0000" in text and "{shop}" not in text


async def test_the_room_checking_officially_is_said_with_the_parent_of_this_run(
    tmp_path: Path, isolated_home: Path
) -> None:
    with Store.open(isolated_home / "history.sqlite3") as store:
        workshop_id = store.create_workshop("王警官").id
    app = make_presenter(
        workshop_id=workshop_id,
        lang="en",
        seed=4,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        await pilot.press("2")
        picker = app.screen
        assert isinstance(picker, ScenarioPickScreen)
        scenarios = sorted(picker.presenter.workshop.library.scenarios)
        picker.query_one("#ws-scenarios", OptionList).highlighted = scenarios.index(
            "membership-cancel-or-charged"
        )
        await pilot.press("enter")
        await settle(pilot)
        call = app.screen
        assert isinstance(call, RoomCallScreen) and call.room is not None
        boxes = len(call.room.options())
        await pilot.press(*["enter"] * (boxes - 1), "9", "enter")  # everyone: check officially
        await settle(pilot)
        text = visible_text(app)
        assert "The room: (hung up to check: Have " in text
        assert "{parent}" not in text and "{platform}" not in text
