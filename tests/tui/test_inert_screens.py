"""Issue 17, point 1, in the trainer: a scenario whose text holds terminal escapes (built without the
validator, as an older version or a program could) is drawn with every control character inert. What is
checked is what the screen would send to the terminal: the text of every line the compositor draws."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from textual.app import App

from roleplay.core.inert import CONTROL
from roleplay.core.model import Scenario
from roleplay.library.library import Library, load_library
from roleplay.tui.app import make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from tests.moves import keys
from tests.tui.conftest import SIZE, settle

FIXTURES = Path(__file__).parent.parent / "fixtures"
OSC52 = "\x1b]52;c;NjIyMjAyMTIzNDU2Nzg5\x07"  # sets the clipboard, under tmux and most terminals
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def _escaping() -> Scenario:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / "minimal.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["id"] = "escaping"
    data["caller"]["name"] = {"zh": f"客服{TITLE}", "en": f"Service{TITLE}"}
    data["caller"]["number"] = f"95{CLEAR}588"
    data["nodes"]["offer"]["say"] = [{"zh": f"退款{OSC52}\u202e", "en": f"Refund{OSC52}\u202e"}]
    data["nodes"]["offer"]["choices"][0]["text"] = {"zh": f"好的{CLEAR}", "en": f"OK{CLEAR}"}
    data["nodes"]["code"]["events"][0]["sender"] = "955\x9b88"
    for ending in data["endings"].values():
        ending["lesson"] = {"zh": f"教训{OSC52}", "en": f"Lesson{OSC52}"}
    return Scenario.model_validate(data)


def _drawn(app: App[Any]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_a_call_with_terminal_escapes_is_drawn_inert(tmp_path: Path) -> None:
    scenario = _escaping()
    shipped = load_library()
    library = Library(shipped.catalog, {scenario.id: scenario}, {scenario.id: FIXTURES / "minimal.yaml"})
    app = make_app(
        scenario=scenario.id,
        seed=1,
        lang="en",
        speak_delay=0,
        settings_file=tmp_path / "s.json",
        save_settings=False,
        keep_history=False,
        load_library=lambda: library,
    )
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen.append(_drawn(app))  # ringing: the caller as the phone shows it
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        seen.append(_drawn(app))
        await pilot.press(*keys(scenario, 1, seed=1))
        await settle(pilot)
        seen.append(_drawn(app))  # the SMS with its sender
        await pilot.press(*keys(scenario, 1, 1, seed=1)[1:], "y")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        seen.append(_drawn(app))
    drawn = "\n".join(seen)
    assert "Refund\ufffd]52;c;NjIyMjAyMTIzNDU2Nzg5\ufffd" in drawn  # shown, not obeyed
    found = CONTROL.search(drawn)
    assert found is None, f"{found.group()!r} reached the terminal"
