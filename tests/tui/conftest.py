from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Button, OptionList, RichLog, Static
from textual.worker import WorkerState

from roleplay.library.library import load_library
from roleplay.tui.app import TrainerApp, make_app
from tests.moves import keys

SIZE = (100, 30)


def _as_text(content: object) -> str:
    if isinstance(content, (str, Content, Text)):
        return str(content)
    console = Console(width=96, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


def visible_text(app: App[Any]) -> str:
    """Everything the current screen shows in text: static blocks, the transcript and the replies."""
    screen = app.screen
    parts = [_as_text(w.content) for w in screen.query(Static)]
    for log in screen.query(RichLog):
        parts += [strip.text for strip in log.lines]
    parts += [str(button.label) for button in screen.query(Button)]
    for options in screen.query(OptionList):
        parts += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join(parts)


async def settle(pilot: Pilot[Any]) -> None:
    """Until the app's background work is done and its results are drawn: the library loaded, the history
    read, the screen a result asked for pushed."""
    app = pilot.app
    for _ in range(10):  # work that finishes may start more (a loaded library rings the call asked for)
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        await app.workers.wait_for_complete(busy)
        await pilot.pause()
    await pilot.pause()


@pytest.fixture
def trainer(tmp_path: Path) -> TrainerApp:
    """The taobao-refund call: fixed seed, no speaking pauses, a frozen clock, its own settings file."""
    return make_app(
        scenario="taobao-refund",
        seed=2,
        lang="zh",
        speak_delay=0,
        settings_file=tmp_path / "settings.json",
        save_settings=False,
        clock=lambda: 0.0,
    )


def taobao_keys(*moves: int | str, seed: int = 2) -> list[str]:
    """The keys that take `moves` (replies numbered as written, "h", "v") in the taobao-refund run of `seed`,
    whose replies are shown in an order drawn for that run."""
    return keys(load_library().get("taobao-refund"), *moves, seed=seed)
