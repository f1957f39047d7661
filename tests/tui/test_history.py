"""The trainer keeps a history: every call is saved as it is played, finished or abandoned."""

from __future__ import annotations

from pathlib import Path

from roleplay.history.store import Store
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.history import HistoryScreen
from roleplay.tui.trainer.home import HomeScreen
from roleplay.tui.trainer.quit import QuitCallScreen
from roleplay.tui.trainer.ringing import RingingScreen
from tests.tui.conftest import SIZE, settle, taobao_keys, visible_text


async def test_a_finished_call_is_saved_with_its_judgement(trainer: TrainerApp, isolated_home: Path) -> None:
    trainer.session.settings.trainee = "小王"
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
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
        await settle(pilot)
        await pilot.press("enter", "1", "1")
        call = app.screen
        assert isinstance(call, CallScreen)
        await pilot.press("q")  # asked first: a call in progress is not thrown away on one key
        assert isinstance(app.screen, QuitCallScreen)
        await pilot.press("n")
        assert app.screen_stack[-1] is call and app.is_running  # back in the call
        await pilot.press("q", "y")
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls()
        assert record.status == "abandoned" and len(record.steps) == 2


async def test_quitting_at_the_question_keeps_the_finished_call(tmp_path: Path, isolated_home: Path) -> None:
    app = make_app(
        scenario="taobao-refund",
        seed=2,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h")  # the call has ended safely; the question is on screen
        assert isinstance(app.screen, CallScreen) and app.screen.call.ended
        await pilot.press("q")
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls()
        assert record.status == "finished" and record.judged_scam is None
        assert record.outcome == "safe"


async def test_progress_shows_at_a_glance_and_in_full(tmp_path: Path) -> None:
    app = make_app(
        scenario="taobao-refund",
        seed=2,
        lang="zh",
        speak_delay=0,
        settings_file=tmp_path / "s",
        save_settings=False,
    )
    app.session.settings.trainee = "小王"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(
            "enter", *taobao_keys(1), "h", "y", "escape"
        )  # one call to a safe end, judged a scam
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)  # back home, the glance is read again
        assert "已练 1 通：安全 1 通，受骗 0 通。危险信号识破 1 个，共遇到 2 个。" in visible_text(app)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = visible_text(app)
        assert "一共练了 1 通（完成 1 通，未完成 0 通）。" in text
        assert "诈骗电话判断为诈骗：1 通中 1 通。" in text
        assert "按你的做法（挂断、核实，还是照着做）" in text
        assert "诈骗电话你当成诈骗来应对：1 通中 1 通。" in text
        assert "0/1  对方能报出你的订单和个人信息" in text
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, RingingScreen)  # the recommended call rings


async def test_a_resident_joins_a_workshop_from_the_home_screen(tmp_path: Path, isolated_home: Path) -> None:
    with Store.open(isolated_home / "history.sqlite3") as store:
        workshop = store.create_workshop("王警官").id
    app = make_app(
        lang="zh", speak_delay=0, trainee="张阿姨", settings_file=tmp_path / "s", save_settings=False
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.press(*"nope99", "enter")  # a wrong id: asked again, told why
        await settle(pilot)
        assert "没有编号为 NOPE99 的活动" in visible_text(app)
        await pilot.press(*workshop.lower(), "enter")  # typed by hand, in any case
        await settle(pilot)
        assert app.session.workshop_id == workshop
        assert f"你的电话会计入活动 {workshop}。" in visible_text(app)
        await pilot.press("c")  # the recommended call: the one the advisories start with
        await settle(pilot)
        await pilot.press("enter", "h", "y")
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls(workshop_id=workshop)
        assert record.status == "finished"


async def test_a_residents_own_computer_joins_the_workshop_on_the_presenters_laptop(
    tmp_path: Path, isolated_home: Path
) -> None:
    """Two computers: the presenter's (its history in ROLEPLAY_HOME, its room open on loopback) and a
    resident's (a history of its own). The resident presses w, types the address and code, plays a call; the
    call joins the workshop's record on the presenter's laptop, and is kept on the resident's own too."""
    from roleplay.library.library import load_library
    from roleplay.workshop.phones import RoomPhones
    from roleplay.workshop.remote import keep_calls

    presenters = isolated_home / "history.sqlite3"
    with Store.open(presenters) as store:
        workshop = store.create_workshop("王警官").id
    keep = keep_calls(presenters, load_library(), workshop)
    room = RoomPhones("127.0.0.1", workshop=workshop, receive=keep)
    room.open({})
    residents = tmp_path / "resident" / "history.sqlite3"
    residents.parent.mkdir()
    app = make_app(
        lang="zh",
        speak_delay=0,
        trainee="张阿姨",
        settings_file=tmp_path / "s",
        save_settings=False,
        open_store=lambda: Store.open(residents),
    )
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("w", *room.url.removeprefix("http://"), "enter", *"000000", "enter")
            await settle(pilot)
            assert "加入码不对" in visible_text(app)  # asked again, told why
            await pilot.press(*room.url.removeprefix("http://"), "enter", *room.code, "enter")
            await settle(pilot)
            assert app.session.link is not None and room.ballot.trainers() == 1
            assert room.ballot.phones() == 0  # a trainer is not counted as a phone that votes
            assert f"你的电话会计入活动 {workshop}。" in visible_text(app)
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("enter", "h", "y")
            await settle(pilot)
            for _ in range(100):  # sent on a thread of its own
                with Store.open(presenters) as store:
                    if store.calls(workshop_id=workshop):
                        break
                await pilot.pause(0.05)
    finally:
        room.close()
    with Store.open(presenters) as store:
        (record,) = store.calls(workshop_id=workshop)
        assert (record.trainee, record.status, record.judged_scam) == ("张阿姨", "finished", True)
        assert [s.step.action for s in record.steps] == ["hang_up"]
    with Store.open(residents) as store:
        (own,) = store.calls()
        assert own.workshop_id is None  # the workshop's record is on the presenter's laptop
