"""`roleplay workshop`: the presenter for a room (no action), creating a workshop, listing them; and checking
that a workshop a trainer's calls should join exists."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from roleplay.cli.common import Command, fail, open_store, with_history
from roleplay.text.i18n import _


def register(sub: Any) -> None:
    """Add `workshop` to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    workshop = sub.add_parser("workshop", help=_("workshop mode for a room (no subcommand: the presenter)"))
    workshop.add_argument("--workshop", metavar="ID", help=_("presenter: continue this workshop"))
    workshop.add_argument("--facilitator", metavar="NAME", help=_("presenter: who runs the new workshop"))
    workshop.add_argument(
        "--follow-up",
        metavar="ID",
        help=_("presenter: this workshop's follow-up, two or three weeks later (a third test)"),
    )
    actions = workshop.add_subparsers(dest="workshop_command", metavar="ACTION")
    new = actions.add_parser("new", help=_("create a workshop and print its id"))
    new.add_argument("--facilitator", required=True, metavar="NAME", help=_("who runs the workshop"))
    new.add_argument("--title", help=_("e.g. the place and date"))
    actions.add_parser("list", help=_("list the workshops in this history"))


def _workshop(args: argparse.Namespace) -> int:
    if args.workshop_command is None:
        return run_presenter(args)
    with open_store() as store:
        if args.workshop_command == "new":
            workshop = store.create_workshop(args.facilitator, args.title)
            print(workshop.id)
            joining = _(
                "Workshop {id} created for {name}. On this computer trainees join with: roleplay play ID "
                "--workshop {id}; phones and residents' own computers join once the presenter opens the "
                "room to them (p on the workshop's agenda)."
            )
            print(joining.format(id=workshop.id, name=workshop.facilitator), file=sys.stderr)
            return 0
        workshops = store.workshops()
    if not workshops:
        print(_("No workshops yet: roleplay workshop new --facilitator NAME"), file=sys.stderr)
    for w in workshops:
        created = w.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{w.id}  {created}  {w.facilitator}" + (f"  {w.title}" if w.title else ""))
    return 0


def run_presenter(args: argparse.Namespace) -> int:
    """`roleplay workshop [--workshop ID | --follow-up ID] [--facilitator NAME]`: the trainer, opened on the
    presenter."""
    from roleplay.tui.app import run_presenter as run_app

    if args.follow_up and args.workshop and args.follow_up != args.workshop:
        print(_("Give one workshop: --workshop ID or --follow-up ID."), file=sys.stderr)
        return 2
    return run_app(
        lang=args.lang,
        workshop_id=args.follow_up or args.workshop,
        facilitator=args.facilitator,
        follow_up=bool(args.follow_up),
    )


def joinable(workshop_id: str) -> str | None:
    """The id of the workshop a trainer's calls will join, checked before the trainer opens; None, with one
    line on stderr, when there is no such workshop or no history to keep its calls in."""
    from roleplay.history.errors import StoreError

    try:
        with open_store() as store:
            return store.workshop(workshop_id).id
    except StoreError as exc:
        fail(str(exc))
        return None


COMMANDS: dict[str, Command] = {"workshop": with_history(_workshop)}
