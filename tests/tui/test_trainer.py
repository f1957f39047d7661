"""The trainer driven through Pilot, as a trainee would: each way a call can go, to the debrief."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Button, Footer

from roleplay.core.engine import Call, act
from roleplay.core.events import CallEnded
from roleplay.core.languages import Language
from roleplay.library.library import CATALOG_PATH, load_library
from roleplay.library.loader import load_catalog, load_scenario
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.sentences import outcome_sentence
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from roleplay.tui.trainer.home import HomeScreen
from roleplay.tui.trainer.problems import ProblemsScreen
from roleplay.tui.trainer.ringing import RingingScreen
from roleplay.tui.widgets.judgement import JudgementBar
from tests.moves import keys
from tests.tui.conftest import SIZE, settle, taobao_keys, visible_text

FIXTURES = Path(__file__).parent.parent / "fixtures"


async def test_a_scam_call_played_to_a_major_loss(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(trainer.screen, RingingScreen)
        assert "159 9891 0698" in visible_text(trainer)  # the display drawn for seed 2 from the caller's
        await pilot.press("enter")
        assert isinstance(trainer.screen, CallScreen)
        await pilot.press(*taobao_keys(1, 1, 1, 1, 1, 1, 1))
        text = visible_text(trainer)
        assert "【银行】验证码" in text  # the SMS as the phone shows it
        assert "已转出：¥41,450" in text  # the money as it went, in the status strip
        assert "你：验证码是730952，你快点给我打钱。\n到现在：已转出 ¥41,450；" in text.replace(
            "转出 \n", "转出 "
        )
        assert "通话结束。\n" in text and "这是诈骗电话吗？" in text
        # how it ended waits for the judgement
        assert "一共被骗走41450元" not in text and "结果：" not in text and "关机" not in text
        await pilot.press("y")
        screen = trainer.screen
        assert isinstance(screen, DebriefScreen)
        d = screen.result
        assert (d.outcome, d.severity, d.lost) == ("loss", "major_loss", 41450)
        assert d.spotted == 0 and d.missed == len(d.flags) > 5
        assert d.judged_right is True
        text = visible_text(trainer)
        flat = text.replace("\n", "")  # the result line wraps at the width of the screen
        ending = (
            "通话结束：一共被骗走41450元"
            "（手机又响了一声：您的卡支出38,000元。你再打过去，对方已经关机。）"
            "结果：受骗（重大损失）。损失金额：¥41,450。泄露的信息：姓名、身份证号、网购支付账号密码、银行卡号、"
            "银行卡密码、支付密码、短信验证码。"
        )
        assert flat.index(ending) < flat.index("你判断这是诈骗电话。它确实是诈骗。判断正确。")
        assert "✗ 对方能报出你的订单和个人信息" in text  # the summary
        assert "第1轮" in text and "✗ 漏掉 · 对方能报出你的订单和个人信息" in text  # the details
        assert "安全的做法：嗯，你先说哪家店，我买啥你咋知道的？" in text
        assert "最早在第1轮就可以安全结束这通电话。" in text
        assert "武汉反诈骗（微信公众号）" in text  # the source


async def test_hanging_up_ends_safely_and_spots_the_flags_of_that_turn(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", *taobao_keys(1), "h", "n")
        screen = trainer.screen
        assert isinstance(screen, DebriefScreen)
        d = screen.result
        assert (d.outcome, d.lost) == ("safe", 0)
        assert [(f.turn, f.status) for f in d.flags] == [(1, "missed"), (2, "spotted")]
        assert d.judged_right is False  # it was a scam, judged real
        assert "你判断这是正常来电。它其实是诈骗。判断错了。" in visible_text(trainer)
        # What was said was wrong; what was done was right, and the debrief says both.
        assert d.behaviour == "hit"
        assert "你的做法：把它当成诈骗来应对，一分钱也没被骗走。" in visible_text(trainer)


async def test_checking_through_the_official_channel_ends_safely(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "v")
        assert "官方核实：挂断电话，自己打开淘宝App" not in visible_text(trainer)  # replies gone
        assert "（挂断电话去核实：挂断电话，自己打开淘宝App查订单和退款记录" in visible_text(trainer)
        await pilot.press("y")
        screen = trainer.screen
        assert isinstance(screen, DebriefScreen)
        assert screen.result.ending == "safe-checked-app"


@pytest.mark.parametrize(
    ("scenario_id", "seed", "lang", "key"),
    [("bank-card-risk-alert", 3, "zh", "h"), ("courier-delivery", 1, "en", "v")],
)
async def test_the_question_comes_before_anything_says_how_the_call_ended(
    tmp_path: Path, scenario_id: str, seed: int, lang: Language, key: str
) -> None:
    """Two real calls whose endings say they were real: at 80x24 the screen asks first, then tells."""
    app = make_app(
        scenario=scenario_id,
        seed=seed,
        lang=lang,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
    )
    engine = Call(load_library().get(scenario_id), seed)
    engine.start()
    ended = act(engine, "hang_up" if key == "h" else "verify")[-1]
    assert isinstance(ended, CallEnded) and ended.lines  # an ending with closing lines to keep back
    title = _("Call ended: {title}").format(title=v.say(ended.title))
    outcome = outcome_sentence(ended.outcome, ended.severity, ended.lost, ended.exposed)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", key)
        text = visible_text(app)
        assert _("The call is over.") in text
        assert _("Was this a scam call? Decide first, then you will see how it ended.") in text
        for told in (v.say(ended.title), *(v.say(line) for line in ended.lines), outcome):
            assert told not in text
        # The question and both its answers are on screen, above the footer, at 80x24.
        footer = app.screen.query_one(Footer).region
        bar = app.screen.query_one(JudgementBar).region
        assert bar.height > 0 and bar.bottom <= footer.y
        for button in app.screen.query(Button):
            assert bar.contains_region(button.region) and button.region.right <= 80
        await pilot.press("n")
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.result.judged_right is True
        flat = " ".join(visible_text(app).split())  # long English lines are wrapped on the screen
        in_order = [title, *(v.say(line) for line in ended.lines), outcome, _("You judged it a real call.")]
        at = [flat.index(" ".join(piece.split())) for piece in in_order]
        assert at == sorted(at)


async def _play_real_courier_call(tmp_path: Path, judge: str) -> DebriefScreen:
    app = make_app(
        scenario="courier-delivery",
        seed=1,
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        call = app.screen
        assert isinstance(call, CallScreen)
        while not call.call.ended:  # always the first reply: the trusting path through a real call
            await pilot.press("1")
        await pilot.press(judge)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        return screen


async def test_a_real_call_judged_right_and_judged_wrong(tmp_path: Path) -> None:
    right = await _play_real_courier_call(tmp_path, "n")
    assert right.result.kind == "legit" and right.result.judged_right is True
    wrong = await _play_real_courier_call(tmp_path, "y")
    assert wrong.result.judged_right is False


async def test_the_judgement_is_posted_as_a_message(trainer: TrainerApp) -> None:
    seen: list[Message] = []
    async with trainer.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h", "y")
    judged = {id(m): m for m in seen if isinstance(m, JudgementBar.Judged)}  # one message, seen as it bubbles
    assert [m.scam for m in judged.values()] == [True]


async def test_next_call_and_home_from_the_debrief(trainer: TrainerApp) -> None:
    async with trainer.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "h", "y", "escape")
        assert isinstance(trainer.screen, HomeScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(trainer.screen, RingingScreen)
        assert trainer.screen.scenario.id != "taobao-refund"  # never the same call twice in a row


async def test_switching_language_changes_the_interface_and_is_remembered(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    app = make_app(lang="zh", speak_delay=0, trainee="张阿姨", settings_file=settings, clock=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "随机来电（r）" in visible_text(app)
        await pilot.press("l")
        await settle(pilot)
        text = visible_text(app)
        assert "Random incoming call (r)" in text and "A call from an online shop" in text
        assert any(b.binding.description == "Random call" for b in app.screen.active_bindings.values())
    assert '"lang": "en"' in settings.read_text(encoding="utf-8")
    again = make_app(speak_delay=0, settings_file=settings)
    assert again.session.settings.lang == "en"


async def test_scenario_text_is_shown_literally_never_as_markup(tmp_path: Path) -> None:
    app = make_app(
        scenario=str(FIXTURES / "hostile-text.yaml"),
        seed=1,
        lang="en",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "[/]Caller" in visible_text(app)
        await pilot.press("enter")
        text = visible_text(app)
        assert "[@click=app.quit]x[/] and " in text
        assert "[reverse]code[/]" in text
        hostile = load_scenario(FIXTURES / "hostile-text.yaml", load_library().catalog)
        await pilot.press(*keys(hostile, 1, seed=1), "y")  # the reply written first, wherever it is shown
        assert isinstance(app.screen, DebriefScreen)
        assert "[/]Lost" in visible_text(app)
        assert app.is_running  # no markup action fired


async def test_a_broken_scenario_file_shows_its_problems_not_a_traceback(tmp_path: Path) -> None:
    app = make_app(
        scenario=str(FIXTURES / "broken" / "bad-target.yaml"),
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert "bad-target.yaml:39: this reply leads to 'loss-cod'" in visible_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_broken_catalog_shows_its_problems_not_a_traceback(tmp_path: Path) -> None:
    lines = CATALOG_PATH.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "catalog.yaml"
    broken.write_text("\n".join([*lines[:5], "  : [oops", *lines[5:]]) + "\n", encoding="utf-8")
    app = make_app(
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        load_library=lambda: load_library(catalog=load_catalog(broken)),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert "catalog.yaml:6: YAML syntax" in visible_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_a_mistyped_call_name_is_said_in_words_with_the_nearest_one(tmp_path: Path) -> None:
    app = make_app(
        scenario="taobao", lang="zh", speak_delay=0, settings_file=tmp_path / "s", save_settings=False
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = visible_text(app)
        assert "没有叫“taobao”的电话。你是想找“taobao-refund”吗？" in text
        assert "场景文件" not in text  # not a screen about fixing a file


async def test_the_home_screen_lists_the_library_from_its_index_before_it_loads(tmp_path: Path) -> None:
    import threading

    from textual.widgets import OptionList

    from roleplay.tui.session import shipped_library

    scenarios = load_library().scenarios  # loading it writes the index
    # By title (the trainer is in Chinese here), never by id: real calls' ids begin alike.
    expected = sorted(scenarios, key=lambda scenario_id: (scenarios[scenario_id].title.zh, scenario_id))
    release = threading.Event()

    def slow_library() -> object:
        release.wait(30)
        return shipped_library()

    app = make_app(speak_delay=0, settings_file=tmp_path / "settings.json", save_settings=False)
    assert app.session.index is not None
    app.session.load_library = slow_library  # type: ignore[assignment]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#library", OptionList)
        assert app.session.library is None
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == expected
        release.set()
        await settle(pilot)
        assert app.session.library is not None
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == expected
