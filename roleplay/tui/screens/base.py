"""The base of the trainer's screens."""

from __future__ import annotations

from textual.screen import Screen

from roleplay.tui.bindings import translate_bindings


class TrainerScreen(Screen[None]):
    """A screen whose footer labels are in the current language: translated before it is mounted, so the
    footer is drawn once, in the right language."""

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
