"""What the trainer knows beyond one screen: the settings, the history thread, the library once loaded, the
trainee and the workshop their calls join. Screens are given this object; they never ask the app for it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from roleplay.settings import Settings
from roleplay.text.vocabulary import default_nickname
from roleplay.tui.history_thread import HistoryThread

if TYPE_CHECKING:  # the library, the model and pydantic load after the first screen is drawn
    from roleplay.library.index import Entry
    from roleplay.library.library import Library
    from roleplay.workshop.remote import Link


def shipped_library() -> Library:
    """The scenario library that comes with roleplay. Raises LoadError when its catalog does not load."""
    from roleplay.library.library import load_library

    return load_library()


@dataclass
class Session:
    settings: Settings
    history: HistoryThread
    load_library: Callable[[], Library] = shipped_library  # run on a worker thread
    settings_file: Path | None = None
    save_settings: bool = True
    clock: Callable[[], float] = time.monotonic
    workshop_id: str | None = None  # every call played joins this workshop's record
    link: Link | None = None  # joined over the network: each finished call is sent to the presenter too
    seed: int | None = None  # fixes every call's variables (tests, snapshots, `--seed`)
    library: Library | None = None
    index: list[Entry] | None = None  # the library as its index has it, for the first frame (no pydantic)
    last_played: str | None = None  # scenario id, so a random call is not the same one twice
    last_opened: str | None = None  # id or file it was opened from, for "play again"
    _library_ready: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def trainee(self) -> str:
        return self.settings.trainee.strip() or default_nickname()

    def keep_nickname(self) -> None:
        """A call is about to be played under the default nickname: keep that name in the settings, so the
        next call (in either language) goes under the same one."""
        if not self.settings.trainee.strip():
            self.settings.trainee = default_nickname()
            self.remember()

    def remember(self) -> str | None:
        """Save the settings; a message when that failed (shown, never fatal)."""
        return self.settings.save(self.settings_file) if self.save_settings else None

    def library_loaded(self, library: Library | None) -> None:
        """The library's loading is over: `library`, or None when it did not load (its problems are shown)."""
        self.library = library
        self._library_ready.set()

    async def wait_for_library(self) -> Library | None:
        """The library once it is loaded; None when it could not be."""
        await self._library_ready.wait()
        return self.library
