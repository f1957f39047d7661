"""The workshop presenter driven through Pilot, as a facilitator at a projector would drive it; then what the
workshop's record holds, read back through the store."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList

from roleplay.core.languages import Language
from roleplay.core.quiz import WITH_FOLLOW_UP, forms
from roleplay.core.transcript import reply_order
from roleplay.history.discernment import Discernment
from roleplay.history.store import Store
from roleplay.library.library import SCENARIO_DIR, Library, load_library
from roleplay.text import vocabulary as v
from roleplay.tui.app import TrainerApp, make_app, make_presenter
from roleplay.tui.presenter.agenda import REFRESH_SECONDS, WorkshopScreen
from roleplay.tui.presenter.choice import KeyChoiceScreen
from roleplay.tui.presenter.excerpt import ExcerptScreen
from roleplay.tui.presenter.help import PresenterHelpScreen
from roleplay.tui.presenter.pick import ScenarioPickScreen
from roleplay.tui.presenter.report import WorkshopReportScreen
from roleplay.tui.presenter.results import PhaseSummaryScreen
from roleplay.tui.presenter.room_call import RoomCallScreen
from roleplay.tui.presenter.room_debrief import RoomDebriefScreen
from roleplay.tui.presenter.setup import WorkshopSetupScreen
from roleplay.tui.widgets.counts import CountBox
from tests.tui.conftest import SIZE, settle, visible_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
SnapCompare = Callable[..., bool]
# 10 people: (said scam, said not) for each scam excerpt and each real call, before and after.
ROOM = {"scam": (6, 4), "legit": (5, 5)}
ROOM_AFTER = {"scam": (9, 1), "legit": (2, 8)}


def presenter(
    tmp_path: Path,
    *,
    lang: Language = "zh",
    workshop_id: str | None = None,
    facilitator: str | None = None,
    follow_up: bool = False,
    load_library: Callable[[], Library] = load_library,
) -> TrainerApp:
    """Fixed seed, no speaking pauses, its own settings file; the history in the test's ROLEPLAY_HOME."""
    return make_presenter(
        lang=lang,
        follow_up=follow_up,
        seed=4,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        workshop_id=workshop_id,
        facilitator=facilitator,
        load_library=load_library,
    )


def new_workshop(home: Path) -> str:
    with Store.open(home / "history.sqlite3") as store:
        return store.create_workshop("王警官", "幸福社区").id


def on_top(pilot: Pilot[int]) -> Screen[Any]:
    """The screen shown now (read afresh: a key press may have changed it)."""
    return pilot.app.screen


async def open_agenda(pilot: Pilot[int]) -> WorkshopScreen:
    """The presenter opened with --workshop: the agenda is pushed once the setup screen is drawn."""
    await settle(pilot)
    agenda = pilot.app.screen
    assert isinstance(agenda, WorkshopScreen)
    return agenda


async def counts(pilot: Pilot[int], *typed: int | None) -> None:
    """Type each count in its box and Enter (None: leave the box empty); the last Enter confirms."""
    keys: list[str] = []
    for count in typed:
        keys += [*str(count), "enter"] if count is not None else ["enter"]
    await pilot.press(*keys)
    await settle(pilot)  # the counts are saved, then the call or the test goes on


def shown(call: RoomCallScreen, written: str) -> str:
    """Where this run shows the reply written `written`-th ("1", …) at the current turn; "h" and "v" as is."""
    assert call.room is not None
    if written in ("h", "v"):
        return written
    room = call.room.call
    return str(
        reply_order(room.scenario, room.transcript.seed, room.current_node).index(int(written) - 1) + 1
    )


async def open_pre_test(pilot: Pilot[int]) -> ExcerptScreen:
    """The agenda, then its first step: the pre-test's first item."""
    await open_agenda(pilot)
    await pilot.press("1")
    await settle(pilot)
    excerpt = pilot.app.screen
    assert isinstance(excerpt, ExcerptScreen)
    return excerpt


async def vote(pilot: Pilot[int], call: RoomCallScreen, votes: Mapping[str, int]) -> None:
    """Type the room's counts, given by the replies' numbers as written in the scenario."""
    assert call.room is not None
    typed = {shown(call, option): n for option, n in votes.items()}
    await counts(pilot, *(typed.get(option) for option in call.room.options()))


async def pick(pilot: Pilot[int], scenario_id: str) -> RoomCallScreen:
    picker = pilot.app.screen
    assert isinstance(picker, ScenarioPickScreen)
    options = picker.query_one(OptionList)
    options.highlighted = sorted(picker.presenter.workshop.library.scenarios).index(scenario_id)
    await pilot.press("enter")
    await settle(pilot)  # the call's record is begun, then the caller speaks
    call = pilot.app.screen
    assert isinstance(call, RoomCallScreen) and call.scenario.id == scenario_id
    return call


async def take_test(pilot: Pilot[int], answers: Mapping[str, tuple[int, int]]) -> None:
    """Each item of the test shows the caller, what is said and what the phone shows at that turn; the
    room's counts are typed for it."""
    excerpt = pilot.app.screen
    assert isinstance(excerpt, ExcerptScreen)
    for item in excerpt.items:
        current = pilot.app.screen
        assert isinstance(current, ExcerptScreen) and current.item == item
        text = visible_text(pilot.app)
        assert item.caller_number in text and v.say(item.lines[0].text)[:12] in text
        assert all(v.say(shown.body)[:12] in text for shown in item.shown)
        await counts(pilot, *answers[item.kind])


async def run_pre_test(pilot: Pilot[int], agenda: WorkshopScreen) -> None:
    """The room's answers, typed for each excerpt; the summary keeps the right answers back."""
    await pilot.press("1")
    await settle(pilot)
    await take_test(pilot, ROOM)
    assert isinstance(pilot.app.screen, PhaseSummaryScreen)
    text = visible_text(pilot.app)
    assert "正确答案在课后小测之后公布" in text and "6人说是诈骗 · 4人说不是" in text
    assert "它确实是诈骗" not in text and "它其实是正常来电" not in text
    await pilot.press("enter")
    await settle(pilot)
    assert on_top(pilot) is agenda and "✓ 已完成" in visible_text(pilot.app)


async def play_with_the_majority(pilot: Pilot[int]) -> None:
    """The room's majority is played at every turn, then the room judges it a scam."""
    await pilot.press("2")
    call = await pick(pilot, "taobao-refund")
    await vote(pilot, call, {"1": 9, "2": 2})
    assert "全场：嗯，对，是我买的。怎么了，东西有问题？" in visible_text(pilot.app)
    await vote(pilot, call, {"h": 7, "1": 2})
    assert call.room is not None and call.room.call.ended
    text = visible_text(pilot.app)
    assert "全场：（挂断了电话）" in text and "通话结束。" in text and "这是诈骗电话吗？请举手" in text
    assert "你挂断了电话" not in text and "结果：" not in text  # the ending waits for the room's count
    await counts(pilot, 15, 3)
    debrief = pilot.app.screen
    assert isinstance(debrief, RoomDebriefScreen)
    assert debrief.result.judged_scam is True and debrief.result.outcome == "safe"
    await pilot.pause()
    assert "全场：15人说是诈骗，3人说不是" in str(debrief.sub_title)
    text = visible_text(pilot.app)  # the room's count, then the ending revealed, then the debrief
    assert (
        text.index("全场：15人说是诈骗，3人说不是")
        < text.index("通话结束：你挂断了电话\n结果：安全。")
        < text.index("你判断这是诈骗电话。它确实是诈骗。判断正确。")
    )


async def play_with_overrides(pilot: Pilot[int], agenda: WorkshopScreen) -> None:
    """From the debrief, the next call: the facilitator overrides the room, then breaks a tied judgement."""
    await pilot.press("n")
    call = await pick(pilot, "courier-delivery")
    await counts(pilot, 6, 4)  # the first two boxes; the cursor stays in the third
    await pilot.press("o")
    assert isinstance(pilot.app.screen, KeyChoiceScreen)
    await pilot.press("v")  # check through the official channel, whatever the room said
    await settle(pilot)
    assert call.room is not None and call.room.call.transcript.ending == "safe-verified"
    text = visible_text(pilot.app)
    assert "由主持人替全场选择；多数人选的是回答1" in text
    assert "通话结束。" in text and "你在购物App里核实了" not in text and "一模一样" not in text
    await counts(pilot, 5, 5)
    assert "票数相同（5比5）" in visible_text(pilot.app) and on_top(pilot) is call
    await pilot.press("o", "n")  # not a scam
    await settle(pilot)
    debrief = pilot.app.screen
    assert isinstance(debrief, RoomDebriefScreen) and debrief.result.judged_right is True
    text = visible_text(pilot.app)
    revealed = text.index("通话结束：你在购物App里核实了\n（你打开购物App：")
    assert text.index("全场：5人说是诈骗，5人说不是") < revealed
    assert "派送员电话和刚才的来电一模一样。）\n（你回拨过去" in text and "{" not in text
    await pilot.press("escape")
    assert on_top(pilot) is agenda


async def run_post_test(pilot: Pilot[int], agenda: WorkshopScreen) -> tuple[Discernment, Discernment]:
    """The post-test, then before and after side by side, and the answers of both tests revealed."""
    await pilot.press("3")
    await settle(pilot)
    await take_test(pilot, ROOM_AFTER)
    assert isinstance(pilot.app.screen, PhaseSummaryScreen)
    session = agenda.presenter.workshop
    pre, post = session.results("pre"), session.results("post")
    assert pre.d_prime is not None and post.d_prime is not None
    text = visible_text(pilot.app)
    assert f"{post.d_prime - pre.d_prime:+.2f}" in text and "全场更会分辨诈骗电话和正常来电了" in text
    assert "它确实是诈骗。 ✓ 多数人答对了" in text and "这通是正常来电。  全场意见各占一半" in text
    # Each scam's red flags are named in the reveal, for the facilitator to talk through.
    scam = next(i for i in session.items("post") if i.kind == "scam")
    flag_names = "；".join(v.say(f.name) for f in scam.red_flags(session.library.catalog))
    assert f"危险信号：{flag_names}" in "".join(text.split())  # the bar chart wraps its notes
    await pilot.press("enter")
    return pre, post


async def show_the_report(pilot: Pilot[int], pre: Discernment, post: Discernment, handout: Path) -> None:
    """The same figures as `roleplay report --workshop ID`, and the handout written on a key."""
    await pilot.press("4")
    await settle(pilot)
    report = pilot.app.screen
    assert isinstance(report, WorkshopReportScreen) and report.report is not None
    assert report.report.room_calls == 2 and report.report.tests == {"pre": pre, "post": post}
    text = visible_text(pilot.app)
    assert f"培训前 d′：{pre.d_prime:.2f}   培训后 d′：{post.d_prime:.2f}" in text
    assert "对方能报出你的订单和个人信息" in text  # the flag the room missed at turn 1, with its advice
    await pilot.press("w")
    await settle(pilot)
    assert f"讲义已保存到 {handout}" in visible_text(pilot.app)
    assert handout.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


async def test_a_whole_workshop_pre_test_two_calls_post_test_and_report(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where the handout is written
    app = presenter(tmp_path, facilitator="王警官")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WorkshopSetupScreen)
        await settle(pilot)
        await pilot.press("enter")  # the cursor is in the title box (optional): Enter starts the workshop
        await settle(pilot)
        agenda = app.screen
        assert isinstance(agenda, WorkshopScreen)
        workshop_id = agenda.presenter.id
        assert f"roleplay play taobao-refund --workshop {workshop_id}" in visible_text(app)
        await run_pre_test(pilot, agenda)
        await play_with_the_majority(pilot)
        await play_with_overrides(pilot, agenda)
        pre, post = await run_post_test(pilot, agenda)
        await show_the_report(pilot, pre, post, tmp_path / f"workshop-{workshop_id}-report.html")
        items = {phase: agenda.presenter.workshop.items(phase) for phase in ("pre", "post")}

    # The pre-test is the quick-fire round's form A and the post-test its form B (dealt with a follow-up's
    # form C), in this workshop's order.
    made = forms(load_library().scenarios, key=workshop_id, letters=WITH_FOLLOW_UP)
    assert items == {"pre": made["A"].items, "post": made["B"].items}
    with Store.open(isolated_home / "history.sqlite3") as store:
        assert store.workshop(workshop_id).facilitator == "王警官"
        answers = store.test_answers(workshop_id)
        assert [(a.phase, a.item, a.scenario, a.node, a.said_scam, a.said_not) for a in answers] == [
            (phase, item.number, item.scenario, item.node, *table[item.kind])
            for phase, table in (("pre", ROOM), ("post", ROOM_AFTER))
            for item in items[phase]
        ]
        first, second = store.calls(workshop_id=workshop_id, newest_first=False)
        assert (first.mode, first.status, first.scenario) == ("room", "finished", "taobao-refund")
        assert [s.votes for s in first.steps] == [
            {"1": 9, "2": 2, "3": 0, "h": 0, "v": 0},
            {"1": 2, "2": 0, "3": 0, "h": 7, "v": 0},
        ]
        assert [s.overridden for s in first.steps] == [False, False]
        assert first.room_votes == (15, 3) and first.judged_scam is True
        assert [s.step.action for s in second.steps] == ["verify"]
        # The counts went into the first two boxes: the replies shown first and second, saved as written.
        order = reply_order(load_library().get(second.scenario), second.seed, second.steps[0].step.node)
        typed = {str(order[0] + 1): 6, str(order[1] + 1): 4}
        assert second.steps[0].votes == {"1": 0, "2": 0, "3": 0, "4": 0, "h": 0, "v": 0, **typed}
        assert second.steps[0].overridden is True
        assert second.room_votes == (5, 5) and second.judged_scam is False


async def test_an_unknown_workshop_id_is_said_on_the_setup_screen(
    tmp_path: Path, isolated_home: Path
) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id="nope42")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WorkshopSetupScreen)
        assert "记录里没有编号为 NOPE42 的讲座。请核对编号" in visible_text(app)
        box = app.screen.query_one("#ws-resume-id")
        assert box.has_focus
        await pilot.press(*["backspace"] * 6, *workshop_id.lower(), "enter")  # typed again, any case
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen) and app.screen.presenter.id == workshop_id


async def test_q_in_the_rooms_call_asks_and_says_how_to_go_on(tmp_path: Path, isolated_home: Path) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(pilot)
        await pilot.press("2")
        call = await pick(pilot, "taobao-refund")
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, KeyChoiceScreen)
        assert f"roleplay workshop --workshop {workshop_id}" in visible_text(app)
        await pilot.press("escape")  # the room carries on
        assert on_top(pilot) is call and app.is_running
        await pilot.press("q", "y")
        await settle(pilot)
        assert not app.is_running
    with Store.open(isolated_home / "history.sqlite3") as store:
        [kept] = store.calls(workshop_id=workshop_id)
        assert kept.status != "finished"  # kept, marked as not finished


async def test_a_tie_is_not_played_until_the_facilitator_chooses(tmp_path: Path, isolated_home: Path) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(pilot)
        await pilot.press("2")
        call = await pick(pilot, "taobao-refund")
        tied = shown(call, "1")
        await vote(pilot, call, {"1": 4, "h": 4})
        assert f"“回答{tied} / h 挂断”票数相同（各4人）：请按 o" in visible_text(app)
        assert call.room is not None and call.room.call.turn == 1  # nothing was played
        await pilot.press("o")
        assert isinstance(app.screen, KeyChoiceScreen)
        await pilot.press("escape")  # not yet: the counts stay as typed
        assert on_top(pilot) is call and call.room.call.turn == 1
        await pilot.press("o", "h")
        await settle(pilot)
        assert call.room.call.ended
        await pilot.press("q")  # quit before the room's judgement: the cursor is in a count box
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls(workshop_id=workshop_id)
        assert record.status == "abandoned"
        (step,) = record.steps
        assert (step.step.action, step.overridden) == ("hang_up", True)
        assert step.votes == {"1": 4, "2": 0, "3": 0, "h": 4, "v": 0}


async def test_a_count_that_is_not_a_whole_number_is_refused_with_a_message(
    tmp_path: Path, isolated_home: Path
) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_pre_test(pilot)
        await pilot.press("-", "3", "enter")
        excerpt = app.screen
        assert isinstance(excerpt, ExcerptScreen) and excerpt.item.number == 1
        assert "“是诈骗”一栏填的“-3”不是人数：请输入0到9999之间的整数。" in visible_text(app)
        first = excerpt.query(CountBox).first()
        assert first.has_focus
        await pilot.press("x")  # a letter is not taken by a count box (it is left to the screen's keys)
        assert first.value == "-3"
        await pilot.press("backspace", "backspace", "3", "enter", "4", "enter")
        await settle(pilot)
        next_one = app.screen
        assert isinstance(next_one, ExcerptScreen) and next_one.item.number == 2
        await pilot.press("escape")  # back one step, its counts filled in to correct them
        back = app.screen
        assert isinstance(back, ExcerptScreen) and back.item.number == 1
        assert [box.value for box in back.query(CountBox)] == ["3", "4"]
    with Store.open(isolated_home / "history.sqlite3") as store:
        (answer,) = store.test_answers(workshop_id)
        assert (answer.phase, answer.item, answer.said_scam, answer.said_not) == ("pre", 1, 3, 4)


async def test_enter_through_empty_counts_records_nothing_and_says_why(
    tmp_path: Path, isolated_home: Path
) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_pre_test(pilot)
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        excerpt = app.screen
        assert isinstance(excerpt, ExcerptScreen) and excerpt.item.number == 1  # still the first item
        assert "还没有数人数：输入认为是诈骗和认为不是的人数，再按回车。" in visible_text(app)
    with Store.open(isolated_home / "history.sqlite3") as store:
        assert store.test_answers(workshop_id) == []


async def test_the_facilitator_gets_the_presenters_help_and_the_light_colours(
    tmp_path: Path, isolated_home: Path
) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, PresenterHelpScreen)
        text = visible_text(app)
        assert "怎样主持一场讲座" in text and "替全场选" in text and "把终端的字调大" in text
        assert "随机来电" not in text  # not the trainee's keys
        await pilot.press("x")  # any key closes it
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        theme = app.theme
        await pilot.press("t")
        assert app.theme != theme
        await pilot.press("1")  # in a test item too, where the count boxes have the cursor
        await settle(pilot)
        assert isinstance(app.screen, ExcerptScreen)
        await pilot.press("t")
        assert app.theme == theme


async def test_scenario_text_is_shown_literally_in_a_room_call(tmp_path: Path, isolated_home: Path) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(
        tmp_path,
        workshop_id=workshop_id,
        lang="en",
        load_library=lambda: load_library([SCENARIO_DIR, FIXTURES / "hostile-text.yaml"]),
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(pilot)
        await pilot.press("2")
        assert "[bold]Title[/]" in visible_text(app)
        await pick(pilot, "hostile-text")
        text = visible_text(app)
        assert (
            "[@click=app.quit]x[/] and " in text
            and "[reverse]code[/]" in text
            and "No[@click=app.quit]" in text
        )
        await counts(pilot, None, 5, None, None)  # "No[@click=app.quit]": to the safe ending
        await counts(pilot, 5, 0)
        assert isinstance(app.screen, RoomDebriefScreen)
        assert app.is_running  # no markup action fired


def test_the_vote_screen(snap_compare: SnapCompare, tmp_path: Path, isolated_home: Path) -> None:
    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)

    async def to_the_vote(pilot: Pilot[int]) -> None:
        await open_agenda(pilot)
        await pilot.press("2")
        await pick(pilot, "taobao-refund")
        await pilot.press("1", "2", "enter", "3")
        for box in pilot.app.screen.query(CountBox):
            box.cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_vote)


async def test_a_residents_own_call_joins_the_workshop_and_the_agenda_counts_it(
    tmp_path: Path, isolated_home: Path
) -> None:
    """`roleplay play ID --workshop WID` on a resident's own terminal: the call is saved in the workshop."""
    workshop_id = new_workshop(isolated_home)
    resident = make_app(
        scenario="taobao-refund",
        seed=2,
        speak_delay=0,
        settings_file=tmp_path / "resident.json",
        save_settings=False,
        workshop_id=workshop_id.lower(),
    )
    resident.session.settings.trainee = "小李"
    async with resident.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h", "y")
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_agenda(pilot)
        assert "居民在自己电脑上练习的电话：1通（共1人）。" in visible_text(app)
    with Store.open(isolated_home / "history.sqlite3") as store:
        (record,) = store.calls(workshop_id=workshop_id)
        assert (record.trainee, record.mode, record.status) == ("小李", "solo", "finished")


async def test_switching_language_on_the_agenda_keeps_one_refresh_timer(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every: list[float] = []  # the interval of each timer the agenda sets
    set_interval = WorkshopScreen.set_interval

    def counted(screen: WorkshopScreen, interval: float, *args: Any, **kwargs: Any) -> Timer:
        every.append(interval)
        return set_interval(screen, interval, *args, **kwargs)

    monkeypatch.setattr(WorkshopScreen, "set_interval", counted)
    app = presenter(tmp_path, workshop_id=new_workshop(isolated_home))
    async with app.run_test(size=SIZE) as pilot:
        agenda = await open_agenda(pilot)
        for _ in range(3):
            await pilot.press("l")
            await settle(pilot)
        text = visible_text(app)  # three switches from Chinese: English
        assert on_top(pilot) is agenda and "Pre-test" in text and "Residents' own calls" in text
        assert every.count(REFRESH_SECONDS) == 1
