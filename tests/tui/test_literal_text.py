"""Property: whatever text a scenario holds is shown literally by every widget that shows scenario text.

Markup like `[/]` or `[@click=app.quit]x[/]` is never interpreted: it is shown as written. (Control
characters are refused by the validator; tests/test_inert.py shows them inert where they get through.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.control import strip_control_codes

from roleplay.tui.app import make_app
from roleplay.tui.trainer.call import CallScreen
from roleplay.tui.trainer.debrief import DebriefScreen
from tests.tui.conftest import settle, visible_text

MINIMAL = Path(__file__).parent.parent / "fixtures" / "minimal.yaml"
HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[2J清屏",
    "[bold red]警告[/]",
    "[link=http://x]点[/link]",
    "\\[b]",
]
# Short enough not to wrap at 120 columns; no "{" (that starts a variable) and no surrounding spaces.
PIECE = (
    st.one_of(
        st.sampled_from(HOSTILE),
        st.text(alphabet=st.sampled_from(list("[]/@=.:#$\\abcXYZ验证码退款 ")), min_size=1, max_size=14),
    )
    .map(str.strip)
    .filter(lambda s: bool(strip_control_codes(s).strip()))
)
LONG = os.environ.get("ROLEPLAY_FUZZ") == "long"


def _scenario_with(texts: list[str], path: Path) -> None:
    """The minimal scenario with every text the interface shows replaced by one of `texts`."""
    data: dict[str, Any] = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    pick = iter(texts * 8)

    def text() -> dict[str, str]:
        value = next(pick)
        return {"zh": value, "en": value}

    data["caller"] = {"name": text(), "number": next(pick)}
    data["verify_how"] = text()
    offer, code = data["nodes"]["offer"], data["nodes"]["code"]
    offer["say"] = [text()]
    for choice in offer["choices"] + code["choices"]:
        choice["text"] = text()
    code["say"] = [text()]
    code["events"][0] |= {"sender": next(pick), "title": text(), "body": text(), "fields": [text()]}
    for ending in data["endings"].values():
        ending |= {"title": text(), "lesson": text(), "say": [text()]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@settings(
    max_examples=60 if LONG else 6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(PIECE, min_size=3, max_size=3))
async def test_scenario_text_is_shown_literally_everywhere(texts: list[str], tmp_path: Path) -> None:
    path = tmp_path / "texts.yaml"
    _scenario_with(texts, path)
    app = make_app(
        scenario=str(path),
        seed=1,
        lang="en",
        speak_delay=0,
        settings_file=tmp_path / "s",
        save_settings=False,
    )
    shown = [strip_control_codes(t) for t in texts]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ringing = visible_text(app)
        await pilot.press("enter", "1")  # answer; the first reply leads to the turn with the SMS
        assert isinstance(app.screen, CallScreen)
        call = visible_text(app)
        await pilot.press("1", "y")  # the first reply there ends the call; judge it
        assert isinstance(app.screen, DebriefScreen), "no markup action ran"
        debrief = visible_text(app)
    for text in shown:
        assert text in ringing + call + debrief
    assert shown[0] in ringing  # the caller's name as the phone shows it
    assert all(t in call for t in shown)  # lines, SMS, form field, replies, the official check
