"""The base of the trainer's screens."""

from __future__ import annotations

from textual.screen import Screen

from roleplay.tui.bindings import translate_bindings


class TrainerScreen(Screen[None]):
    """A screen whose footer labels are in the current language (Textual calls every class's on_mount)."""

    def on_mount(self) -> None:
        translate_bindings(self)
        self.refresh_bindings()
