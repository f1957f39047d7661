"""Scenario files that did not load: every problem with its file and line, never a traceback."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from roleplay.library.problems import Problem
from roleplay.text.i18n import N_, _
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.widgets.keys_footer import KeysFooter


class ProblemsScreen(TrainerScreen[None]):
    BINDINGS = [Binding("escape", "back", N_("Back"))]  # noqa: RUF012

    def __init__(self, problems: list[Problem], unknown: str | None = None) -> None:
        """`unknown`: no file is at fault, only an id that names no call (said instead of the problems)."""
        super().__init__()
        self.problems = problems
        self.unknown = unknown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems"):
            if self.unknown is not None:
                yield Static(Text(self.unknown, style="bold"))
                yield KeysFooter()
                return
            yield Static(Text(_("These scenario files could not be loaded:"), style="bold"))
            for problem in self.problems:
                yield Static(Text(str(problem)), classes="problem")
            yield Static(Text(_("Fix the file and open it again. `roleplay validate FILE` checks it.")))
        yield KeysFooter()

    def action_back(self) -> None:
        self.dismiss(None)
