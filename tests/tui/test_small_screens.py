"""Home, call and debrief at 80×24 in both languages; below the smallest usable size the app says so; the
progress screen reopens an old debrief and speaks of discernment in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from roleplay.text.i18n import set_language
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.too_small import TooSmallScreen
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from roleplay.tui.trainer.history import HistoryScreen
from roleplay.tui.trainer.home import HomeScreen, trend_text
from tests.tui.conftest import settle, taobao_keys, visible_text


def _app(tmp_path: Path, lang: str, **kwargs: object) -> TrainerApp:
    return make_app(
        lang=lang,  # type: ignore[arg-type]
        speak_delay=0,
        trainee="张阿姨",
        settings_file=tmp_path / "s.json",
        save_settings=False,
        clock=lambda: 0.0,
        **kwargs,  # type: ignore[arg-type]
    )


async def _play_two_calls(app: TrainerApp, pilot: object) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    for moves in ((1, "h"), (1, 1, 1, 1, 1, 1, 1)):
        app.post_message(HomeScreen.CallRequested("taobao-refund"))
        await settle(pilot)  # type: ignore[arg-type]
        await pilot.press("enter", *taobao_keys(*moves, seed=app.screen.call.transcript.seed), "y", "escape")  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_home_with_history_shows_the_library_and_every_footer_key_at_80_by_24(
    tmp_path: Path, lang: str
) -> None:
    app = _app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _play_two_calls(app, pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        library = screen.query_one("#library", OptionList)
        assert library.size.height - 2 >= 5, "the library shows at least five calls"
        shown = {key.action: key.region for key in screen.query(FooterKey)}
        for action in ("quit", "help"):  # quit and help are never pushed off the footer
            assert action in shown and shown[action].right <= 80, f"{action} is cut off in {lang}"


async def test_a_call_keeps_its_status_on_one_line_at_80_by_24(tmp_path: Path) -> None:
    app = _app(tmp_path, "zh", scenario="taobao-refund", seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *taobao_keys(1, 1, 1, 1, 1))  # much lost and given away by now
        screen = app.screen
        assert isinstance(screen, CallScreen)
        assert screen.query_one("#status").size.height == 1
        assert screen.query_one("#exits").size.height == 1  # h and v on one line, no script given away


async def test_below_the_smallest_size_the_app_says_how_big_it_must_be(tmp_path: Path) -> None:
    app = _app(tmp_path, "zh", scenario="taobao-refund", seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.resize_terminal(50, 14)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "窗口太小了：请把它调到至少 60×18（现在是 50×14）。" in visible_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)  # the call carries on where it was


async def test_an_old_call_s_debrief_opens_again_from_the_progress_screen(tmp_path: Path) -> None:
    app = _app(tmp_path, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await _play_two_calls(app, pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = visible_text(app)
        assert "d′" not in text  # words, not the officer's measures
        recent = app.screen.query_one("#recent-calls", OptionList)
        assert recent.option_count == 2
        recent.focus()
        recent.highlighted = 1  # the older call: hung up at turn 2
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        assert screen.result.outcome == "safe" and screen.result.judged_scam is True
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


def test_the_trend_draws_none_spotted_and_all_spotted_apart() -> None:
    """On a fixed scale: a call with every flag spotted is the tallest block, one with none the lowest,
    whatever the other calls were (a scale fitted to the calls drew 100% like 0%)."""
    set_language("en")
    assert trend_text([1.0, 1.0]).plain.endswith("██  last call: 100%")
    assert trend_text([0.0, 0.0]).plain.endswith("▁▁  last call: 0%")
    assert trend_text([0.0, 0.5, 1.0]).plain.endswith("▁▅█  last call: 100%")


async def test_the_home_glance_follows_the_call_just_played_the_language_and_the_nickname(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await _play_two_calls(app, pilot)
        assert "已练 2 通" in visible_text(app)  # the call just played is counted
        await pilot.press("l")
        await settle(pilot)
        assert "Played 2 calls" in visible_text(app)  # not blank after the switch
        box = app.screen.query_one("#nickname")
        box.focus()
        box.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"Lily", "enter")
        await settle(pilot)
        assert "Your progress will show here after your first call." in visible_text(app)
