"""The caller's pace: + speeds the caller up and - slows them down, as the signs read."""

from __future__ import annotations

from pathlib import Path

from roleplay.tui.app import make_app
from tests.tui.conftest import SIZE, settle


async def test_plus_is_faster_and_minus_is_slower(tmp_path: Path) -> None:
    app = make_app(
        scenario="taobao-refund",
        seed=2,
        lang="zh",
        speak_delay=1.0,
        settings_file=tmp_path / "s",
        save_settings=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "space")
        await pilot.press("plus")
        assert app.session.settings.speak_delay < 1.0
        faster = app.session.settings.speak_delay
        await pilot.press("minus", "minus")
        assert app.session.settings.speak_delay > faster
