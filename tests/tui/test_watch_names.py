"""Issue 17, point 8: a `--watch` file whose name looks like markup is named as written, never acted on."""

from __future__ import annotations

import os
from pathlib import Path

from roleplay.tui.app import make_app
from roleplay.tui.trainer.ringing import RingingScreen
from tests.tui.conftest import SIZE, settle

FIXTURES = Path(__file__).parent.parent / "fixtures"


async def test_a_watched_file_named_like_markup_is_named_literally(tmp_path: Path) -> None:
    path = tmp_path / "[@click=app.quit]x.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(
        scenario=str(path),
        seed=1,
        lang="en",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        keep_history=False,
        watch=True,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RingingScreen)
        path.write_text(path.read_text(encoding="utf-8") + "# saved again\n", encoding="utf-8")
        os.utime(path, ns=(1, 1))  # a new modification time, whatever the clock's resolution
        app._reload_if_saved()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "Reloaded [@click=app.quit]x.yaml." in messages
        assert app.is_running
