"""What the command groups share: exit statuses, a fault said in one line, the history file, the nickname.

Everything heavy (the store, the settings) is imported inside the function that needs it: `roleplay --help`
and `roleplay --version` load none of it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.history.store import Store

EXIT_PROBLEMS = 1  # validation or a walk found problems
EXIT_FAULT = 1  # the history (or an LRS) failed
EXIT_USAGE = 2
DEFAULT_TRAINEE = "trainee"

Command = Callable[[argparse.Namespace], int]


def fail(message: str) -> None:
    print(f"roleplay: {message}", file=sys.stderr)


def open_store() -> Store:
    """The history, with anything the user must know (a damaged file moved aside) said on stderr."""
    from roleplay.history.store import Store

    store = Store.open()
    for notice in store.notices:
        fail(notice)
    return store


def default_trainee() -> str:
    """The nickname saved by the trainer, else "trainee"."""
    from roleplay.settings import Settings

    return Settings.load().trainee.strip() or DEFAULT_TRAINEE


def with_history(command: Command) -> Command:
    """A command that reads or writes the history: every storage fault is one line on stderr and an exit
    status, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        from roleplay.history.errors import StoreError, UnknownWorkshop

        try:
            return command(args)
        except UnknownWorkshop as exc:
            fail(str(exc))
            return EXIT_USAGE
        except StoreError as exc:
            fail(str(exc))
            return EXIT_FAULT

    return run
