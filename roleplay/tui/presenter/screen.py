"""The base of every full screen of the presenter: a trainer screen whose help is the facilitator's."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from roleplay.tui.screen import TrainerScreen

ResultType = TypeVar("ResultType")


class PresenterScreen(TrainerScreen[ResultType]):
    def help_screen(self) -> ModalScreen[None]:
        from roleplay.tui.presenter.help import PresenterHelpScreen

        return PresenterHelpScreen()
