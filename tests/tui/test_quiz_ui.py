"""The quick-fire round in the trainer, driven through Pilot: from the home screen's key, through every item
with y and n, to which were which and why; then what the history holds."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from roleplay.core.quiz import Letter, QuizResult, forms
from roleplay.history.quizzes import quizzes, save_quiz
from roleplay.history.store import Store
from roleplay.library.library import load_library
from roleplay.text import vocabulary as v
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.session import Session
from roleplay.tui.trainer.home import HomeScreen
from roleplay.tui.trainer.quiz import QuizResultScreen, QuizScreen
from tests.tui.conftest import settle, visible_text

SMALL = (80, 24)  # the smallest terminal the trainer is made for


def trainer(tmp_path: Path, *, quiz: Letter | Literal["next"] | None = None) -> TrainerApp:
    """The trainer in Chinese, its history in the test's ROLEPLAY_HOME; `quiz`: opened as `roleplay quiz`."""

    def home(session: Session) -> HomeScreen:
        return HomeScreen(session, quiz=quiz)

    return make_app(
        lang="zh",
        speak_delay=0,
        trainee="trainee",
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
        first_screen=home if quiz else None,
    )


async def test_the_round_from_the_home_key_to_which_were_which(tmp_path: Path, isolated_home: Path) -> None:
    made = forms(load_library().scenarios)
    app = trainer(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        asking = app.screen
        assert isinstance(asking, QuizScreen) and asking.letter == "A"
        assert "一共20道小题" in visible_text(app) and "b：改做B卷" in visible_text(app)
        await pilot.press("b")  # the other form, before starting
        assert asking.form.letter == "B" and "a：改做A卷" in visible_text(app)
        await pilot.press("a", "enter")
        form = made["A"]
        assert asking.form == form
        for item in form.items:
            current = app.screen
            assert isinstance(current, QuizScreen) and current.item == item and current is asking
            text = visible_text(app)
            assert item.caller_number in text and v.say(item.lines[0].text) in text
            assert all(v.say(shown.body)[:12] in text for shown in item.shown)
            assert str(asking.sub_title) == f"第{item.number}题，共20题"
            # Right every time but the first.
            await pilot.press("n" if item.is_scam == (item.number == 1) else "y")
        await settle(pilot)  # the round is saved on the history thread
        result = app.screen
        assert isinstance(result, QuizResultScreen) and result.result.right == 19
        text = visible_text(app)
        assert "20题里答对了19题。" in text and "识破的诈骗（命中）：10个里识破" in text and "d′ " in text
        assert "已保存到练习记录。练一阵子以后，再做B卷" in text
        first = form.items[0]
        wrong = "你答：不是诈骗。它其实是诈骗。" if first.is_scam else "你答：是诈骗。它其实是正常来电。"
        assert f"✗ 1. {wrong}" in text
        scam = next(i for i in form.items if i.is_scam)
        assert f"危险信号：{v.say(scam.red_flags(load_library().catalog)[0].name)}。" in text
        real = next(i for i in form.items if not i.is_scam)
        assert real.real_signal is not None and v.say(real.real_signal)[:20] in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    with Store.open(isolated_home / "history.sqlite3") as store:
        (saved,) = quizzes(store, "trainee")
        assert (saved.form, saved.right, saved.lang) == ("A", 19, "zh")
        assert [(a.scenario, a.node) for a in saved.answers] == [(i.scenario, i.node) for i in form.items]


async def test_roleplay_quiz_opens_the_round_with_the_next_form_and_esc_leaves_it_unsaved(
    tmp_path: Path, isolated_home: Path
) -> None:
    made = forms(load_library().scenarios)
    with Store.open(isolated_home / "history.sqlite3") as store:
        save_quiz(store, QuizResult.of(made["A"], [True] * 20), "trainee", "zh")
    app = trainer(tmp_path, quiz="next")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        asking = app.screen
        assert isinstance(asking, QuizScreen) and asking.letter == "B"  # A was done last time
        await pilot.press("enter", "y", "n")
        assert asking.number == 3
        await pilot.press("escape")  # leave the round: nothing is saved
        assert isinstance(app.screen, HomeScreen)
    with Store.open(isolated_home / "history.sqlite3") as store:
        assert [r.form for r in quizzes(store, "trainee")] == ["A"]
