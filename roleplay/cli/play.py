"""`roleplay play`: one call in the trainer, or in line mode (`--plain`) saved to the history as it is played.
`roleplay` with no command opens the trainer through here too."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from roleplay.cli.common import (
    EXIT_FAULT,
    EXIT_USAGE,
    Command,
    answer_stream,
    default_trainee,
    fail,
    open_store,
)
from roleplay.text.i18n import _

if TYPE_CHECKING:  # the library, store and engine load when a command needs them: `roleplay` starts quick
    from roleplay.core.model import Scenario
    from roleplay.history.store import Store
    from roleplay.library.library import Library


def register(sub: Any) -> None:
    """Add `play` to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    play = sub.add_parser("play", help=_("play one scenario (by id, or a scenario file)"))
    play.add_argument("scenario", help=_("scenario id (see `roleplay list`) or path to a .yaml file"))
    play.add_argument("--plain", action="store_true", help=_("line mode for screen readers and pipes"))
    play.add_argument(
        "--watch", action="store_true", help=_("for authors: reload the scenario file each time it is saved")
    )
    play.add_argument("--seed", type=int, help=_("draw this run's variables from this seed"))
    play.add_argument(
        "--json", action="store_true", help=_("line mode: end with the debrief as one JSON line")
    )
    play.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=_("language"))
    play.add_argument(
        "--trainee", metavar="NAME", help=_("save the call under this nickname (default: the saved one)")
    )
    play.add_argument("--workshop", metavar="ID", help=_("save the call in this workshop's record"))


def trainer(args: argparse.Namespace, scenario_id: str | None) -> int:
    """The Textual trainer, on its home screen or (with `scenario_id`) straight into that call."""
    from roleplay.cli.workshop import joinable
    from roleplay.tui.app import run

    workshop = getattr(args, "workshop", None)
    if workshop is not None:  # checked before the trainer opens: a typo is one line, not a call saved nowhere
        workshop = joinable(workshop)
        if workshop is None:
            return EXIT_USAGE
    return run(
        lang=args.lang,
        scenario=scenario_id,
        seed=getattr(args, "seed", None),
        watch=getattr(args, "watch", False),
        workshop=workshop,
    )


def _play(args: argparse.Namespace) -> int:
    if not args.plain:
        return trainer(args, args.scenario)
    from roleplay.library.library import load_one

    library, scenario = load_one(args.scenario)
    return play_plain(args, library, scenario, answer_stream(sys.stdin), sys.stdout)


@contextlib.contextmanager
def _store_for_play() -> Iterator[Store | None]:
    """The history for a call; None (with a warning) when it cannot be opened: the call is still played."""
    from roleplay.history.errors import StoreError

    try:
        store = open_store()
    except StoreError as exc:
        fail(_("this call will not be saved: {problem}").format(problem=exc))
        yield None
        return
    try:
        yield store
    finally:
        store.close()


def play_plain(
    args: argparse.Namespace, library: Library, scenario: Scenario, stdin: TextIO, stdout: TextIO
) -> int:
    """`roleplay play ID --plain`: the line mode, saving the call under --trainee and --workshop."""
    from roleplay import plain
    from roleplay.history.errors import UnknownWorkshop
    from roleplay.history.names import check_nickname

    try:
        trainee = check_nickname(args.trainee) if args.trainee else default_trainee(keep=True)
    except ValueError as exc:
        fail(str(exc))
        return EXIT_USAGE
    with _store_for_play() as store:
        if store is None and args.workshop:
            fail(_("the call cannot join workshop {id} without the history").format(id=args.workshop))
            return EXIT_FAULT
        try:
            return plain.play(
                scenario,
                library.catalog,
                stdin,
                stdout,
                seed=args.seed,
                as_json=args.json,
                store=store,
                trainee=trainee,
                workshop_id=args.workshop,
                scenario_path=library.paths.get(scenario.id),
            )
        except UnknownWorkshop as exc:
            fail(str(exc))
            return EXIT_USAGE


COMMANDS: dict[str, Command] = {"play": _play}
