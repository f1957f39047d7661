"""The base of every full screen of the trainer and the presenter."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.screen import ModalScreen, Screen

from roleplay.tui.bindings import translate_bindings

ResultType = TypeVar("ResultType")


class TrainerScreen(Screen[ResultType]):
    """A screen whose footer labels are in the current language: translated before it is mounted, so the
    footer is drawn once, in the right language. After a language switch the app calls `retranslate`."""

    class LanguageSwitched(Message):
        """The user asked for the other language (中文 / English): the app switches every screen."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._leaving = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Leave with `result`, once. Keys typed in one quick burst can reach this screen again before it
        has gone; a second dismiss would pop the screen beneath it (a traceback) or hand its caller a second
        result, so later calls do nothing."""
        if self._leaving:
            return AwaitComplete()
        self._leaving = True
        return super().dismiss(result)

    async def retranslate(self) -> None:
        """Draw the screen again in the language just chosen. Screens compose from their own state, so a
        recompose loses nothing; `composed` then puts back what a fresh compose does not (focus, titles)."""
        translate_bindings(self)
        await self.recompose()
        self.composed()

    def composed(self) -> None:
        """After the screen's widgets were composed again (the focus, the titles): nothing by default."""

    def help_screen(self) -> ModalScreen[None]:
        """What `?` shows over this screen: the trainee's keys (the presenter's screens show their own)."""
        from roleplay.tui.trainer.help import HelpScreen

        return HelpScreen()
