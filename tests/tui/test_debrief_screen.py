"""The debrief opens on a summary that fits one screen at 80×24; `d` shows the details, where each caller line
is quoted once and a reply marked ✓ for one red flag and ✗ for another of the same turn says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.core.languages import Language
from roleplay.library.library import load_library
from roleplay.tui.app import TrainerApp, make_app
from roleplay.tui.trainer.debrief import DebriefScreen
from tests.moves import keys
from tests.tui.conftest import _as_text, settle, taobao_keys


def _app(tmp_path: Path, scenario: str, lang: Language = "zh") -> TrainerApp:
    return make_app(
        scenario=scenario,
        seed=2,
        lang=lang,
        speak_delay=0,
        settings_file=tmp_path / "settings.json",
        save_settings=False,
        clock=lambda: 0.0,
    )


def _shown(screen: Any, part: str) -> str:
    """The text of the debrief's blocks of one part ("summary" or "details")."""
    return "\n".join(_as_text(s.content) for s in screen.query(f".{part}").results(Static))


async def test_the_summary_of_a_long_call_fits_80_by_24_in_both_languages(tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        app = _app(tmp_path, "taobao-refund", lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter", *taobao_keys(1, 1, 1, 1, 1, 1, 1), "y")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, DebriefScreen) and len(screen.result.flags) >= 10
            scroll = screen.query_one("#debrief", VerticalScroll)
            assert scroll.max_scroll_y == 0, f"the summary needs scrolling in {lang}"
            summary = _shown(screen, "summary")
            assert ("通话结束：" if lang == "zh" else "Call ended:") in summary
            assert summary.count("✗") >= 3  # the red flags missed, one line each


async def test_d_shows_the_whole_call_with_each_caller_line_once(tmp_path: Path) -> None:
    app = _app(tmp_path, "taobao-refund")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *taobao_keys(1, 1, 1, 1, 1, 1, 1), "y")
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        summary = screen.query(".summary").first()
        details = screen.query(".details").first()
        assert summary.display and not details.display
        await pilot.press("d")
        assert details.display and not summary.display
        text = _shown(screen, "details")
        for turn in screen.result.turns:
            for line in turn.caller_lines:
                assert text.replace("\n", "").count(line.zh[:12]) == 1, line.zh
        await pilot.press("d")
        assert summary.display


async def test_a_reply_that_spots_one_flag_and_not_another_says_why(tmp_path: Path) -> None:
    library = load_library()
    scenario = library.get("frozen-funds-safe-account")
    app = _app(tmp_path, scenario.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *keys(scenario, 2, "h", seed=2), "y")
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        first = [(f.flag, f.status) for f in screen.result.flags if f.turn == 1]
        assert ("knows-your-order", "spotted") in first and ("pressure", "missed") in first
        name = library.catalog.flags["knows-your-order"].name.zh
        assert f"你这句回答针对的是“{name}”，没有针对这一条。" in _shown(screen, "details").replace("\n", "")
