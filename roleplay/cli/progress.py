"""The `history`, `report`, `export` and `workshop` commands, and saving line-mode calls to the history.

Why a module of its own: `cli.py` stays a table of commands; everything about the history file — opening it,
telling the user about a moved damaged file, turning every storage fault into one line on stderr — lives
here, next to the commands that need it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from roleplay.exports.files import write_file
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.progress import recommendation_reason

if TYPE_CHECKING:  # the library, store and engine load when a command needs them: `roleplay` starts quick
    from roleplay.core.model import Scenario
    from roleplay.history.progress import Discernment, Progress
    from roleplay.history.store import Store
    from roleplay.library.library import Library

COMMANDS = ("history", "report", "export", "workshop")
EXIT_FAULT = 1
EXIT_USAGE = 2
DEFAULT_TRAINEE = "trainee"
PASSWORD_ENV = "ROLEPLAY_LRS_PASSWORD"
REPORT_FORMATS = ("md", "html", "csv")  # roleplay.report.FORMATS, without importing the report for --help


def register(sub: Any) -> None:
    """Add this module's commands to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    history = sub.add_parser(
        "history", help="your progress: calls, red flags, discernment, what to play next"
    )
    history.add_argument("--trainee", metavar="NAME", help="whose history (default: the saved nickname)")
    history.add_argument("--call", type=int, metavar="ID", help="show one recorded call and its debrief")
    history.add_argument("--json", action="store_true", help="as JSON")

    report = sub.add_parser("report", help="a report of calls, red flags and discernment (md, html, csv)")
    report.add_argument("--workshop", metavar="ID", help="only this workshop's calls and tests")
    report.add_argument("--trainee", metavar="NAME", help="only this trainee's calls")
    report.add_argument("--format", choices=REPORT_FORMATS, default="md", help="default: md")
    report.add_argument("--output", type=Path, metavar="FILE", help="write here instead of to stdout")

    export = sub.add_parser("export", help="training records as xAPI statements, to a file or an LRS")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--xapi", type=Path, metavar="FILE", help="write the statements here (- for stdout)")
    target.add_argument("--lrs", metavar="URL", help="post them to this LRS (its xAPI base address)")
    export.add_argument("--user", metavar="U", help="the LRS user")
    export.add_argument("--password", metavar="P", help=f"the LRS password (or set {PASSWORD_ENV})")
    export.add_argument("--workshop", metavar="ID", help="only this workshop's calls")
    export.add_argument("--trainee", metavar="NAME", help="only this trainee's calls")
    export.add_argument(
        "--home-page", metavar="URL", help="where accounts and activities live (default: roleplay.invalid)"
    )

    workshop = sub.add_parser("workshop", help="workshop mode for a room (no subcommand: the presenter)")
    workshop.add_argument("--workshop", metavar="ID", help="presenter: continue this workshop")
    workshop.add_argument("--facilitator", metavar="NAME", help="presenter: who runs the new workshop")
    actions = workshop.add_subparsers(dest="workshop_command", metavar="ACTION")
    new = actions.add_parser("new", help="create a workshop and print its id")
    new.add_argument("--facilitator", required=True, metavar="NAME", help="who runs the workshop")
    new.add_argument("--title", help="e.g. the place and date")
    actions.add_parser("list", help="list the workshops in this history")


def run(args: argparse.Namespace) -> int:
    """Run one of COMMANDS. Every fault is one line on stderr and an exit status, never a traceback."""
    from roleplay.exports.xapi import LrsError
    from roleplay.history.errors import StoreError, UnknownWorkshop

    handlers = {"history": _history, "report": _report, "export": _export, "workshop": _workshop}
    try:
        return handlers[args.command](args)
    except UnknownWorkshop as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except (StoreError, LrsError) as exc:
        _fail(str(exc))
        return EXIT_FAULT


def _fail(message: str) -> None:
    print(f"roleplay: {message}", file=sys.stderr)


def open_store() -> Store:
    """The history, with anything the user must know (a damaged file moved aside) said on stderr."""
    from roleplay.history.store import Store

    store = Store.open()
    for notice in store.notices:
        print(f"roleplay: {notice}", file=sys.stderr)
    return store


def default_trainee() -> str:
    """The nickname saved by the trainer, else "trainee"."""
    from roleplay.settings import Settings

    return Settings.load().trainee.strip() or DEFAULT_TRAINEE


# -- play in line mode, saved --------------------------------------------------------------------------


@contextlib.contextmanager
def _store_for_play() -> Iterator[Store | None]:
    """The history for a call; None (with a warning) when it cannot be opened: the call is still played."""
    from roleplay.history.errors import StoreError

    try:
        store = open_store()
    except StoreError as exc:
        _fail(_("this call will not be saved: {problem}").format(problem=exc))
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
        trainee = check_nickname(args.trainee) if args.trainee else default_trainee()
    except ValueError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    with _store_for_play() as store:
        if store is None and args.workshop:
            _fail(_("the call cannot join workshop {id} without the history").format(id=args.workshop))
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
            _fail(str(exc))
            return EXIT_USAGE


# -- history --------------------------------------------------------------------------------------------


def _history(args: argparse.Namespace) -> int:
    import json

    from roleplay.history.progress import trainee_progress

    trainee = args.trainee.strip() if args.trainee else default_trainee()
    from roleplay.library.library import load_library

    library = load_library()
    with open_store() as store:
        if args.call is not None:
            return _show_call(store, library, args.call, as_json=args.json)
        progress = trainee_progress(store, trainee, library)
        if args.json:
            print(json.dumps(progress.to_json(), ensure_ascii=False, indent=2))
            return 0
        others = [t for t in store.trainees() if t != trainee]
    print("\n".join(history_lines(progress, library, others)))
    return 0


def history_lines(p: Progress, library: Library, others: list[str]) -> list[str]:
    """`roleplay history` as text: the same content as its JSON, for a person."""
    out = [_("Trainee: {name}").format(name=p.trainee)]
    if not p.calls:
        out.append(_("No calls recorded yet."))
        if others:
            out.append(_("Trainees in this history: {names}").format(names=_(", ").join(others)))
    else:
        out.append(
            _(
                "Calls: {calls} ({finished} finished, {abandoned} abandoned). Safe {safe}, loss {loss}."
            ).format(calls=p.calls, finished=p.finished, abandoned=p.abandoned, safe=p.safe, loss=p.loss)
        )
        out.append(_("Money that would have been lost: {money}").format(money=v.money(p.money_lost)))
    if p.flags:
        out += ["", _("Red flags (met / spotted / missed):")]
        for f in p.flags:
            name = v.say(library.catalog.flags[f.flag].name) if f.flag in library.catalog.flags else f.flag
            due = "  " + _("(due for review)") if f.due_for_review else ""
            out.append(f"  {f.met:>3} / {f.spotted:>3} / {f.missed:>3}  {name}{due}")
    d = p.discernment
    if d.scam_calls or d.real_calls:
        out += ["", _("Telling scams from real calls:")]
        out.append("  " + discernment_line(d))
        if len(p.timeline) > 1:
            for period in p.timeline:
                out.append(
                    "  "
                    + _("{day}: that day {that_day}; so far d′ {so_far}").format(
                        day=period.day,
                        that_day=discernment_line(period.that_day),
                        so_far=_number(period.so_far.d_prime),
                    )
                )
    if p.recommendation:
        r = p.recommendation
        out += ["", _("Next call: {title} ({id})").format(title=v.say(r.title), id=r.scenario)]
        out.append("  " + recommendation_reason(r, library.catalog))
        out.append("  roleplay play " + r.scenario)
    if p.recent:
        out += ["", _("Recent calls:")]
        for c in p.recent:
            when = c.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if c.status == "finished":
                result = v.result(c.outcome, c.severity)
                judged = (
                    ""
                    if c.judged_right is None
                    else _("; ") + (_("judged right") if c.judged_right else _("judged wrong"))
                )
                detail = _("{result}, lost {money}, spotted {spotted}, missed {missed}{judged}").format(
                    result=result, money=v.money(c.lost), spotted=c.spotted, missed=c.missed, judged=judged
                )
            else:
                detail = _("abandoned") if c.status == "abandoned" else _("in progress")
            older = _("[recorded against an older version of the scenario]") if c.current is False else ""
            older = "  " + older if older else ""
            workshop = "  " + _("[workshop {id}]").format(id=c.workshop_id) if c.workshop_id else ""
            line = _("{title}: {detail}").format(title=v.say(c.title), detail=detail)
            out.append(f"  #{c.id} {when}  {line}{older}{workshop}")
        out.append("  " + _("See one call again: roleplay history --call ID"))
    return out


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def discernment_line(d: Discernment) -> str:
    return _("hits {hits}/{scams}, false alarms {fas}/{reals}, d′ {d}, c {c}").format(
        hits=d.hits,
        scams=d.scam_calls,
        fas=d.false_alarms,
        reals=d.real_calls,
        d=_number(d.d_prime),
        c=_number(d.criterion),
    )


def _show_call(store: Store, library: Library, call_id: int, *, as_json: bool) -> int:
    import json

    from roleplay.history.progress import recompute_debrief, summaries
    from roleplay.plain import render_debrief

    record = store.call(call_id)
    summary = summaries([record], library)[0]
    result = recompute_debrief(record, library)
    if as_json:
        data = summary.to_json() | {"debrief": result.to_json() if result else None}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    when = record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    print(
        _("Call #{id}, {when}, {trainee}: {title}").format(
            id=record.id, when=when, trainee=record.trainee, title=v.say(record.title)
        )
    )
    if record.status != "finished":
        status = _("abandoned") if record.status == "abandoned" else _("in progress")
        print(
            _("This call was not finished ({status}) after {turns} turn(s).").format(
                status=status, turns=len(record.steps)
            )
        )
        return 0
    if result is None:
        print(_("Recorded against an older version of the scenario: the debrief cannot be recomputed."))
        print(
            _("As recorded: {result}, lost {money}, flags missed: {missed}.").format(
                result=v.result(record.outcome, record.severity),
                money=v.money(record.lost),
                missed=_(", ").join(f.flag for f in record.flags if f.status == "missed") or _("none"),
            )
        )
        return 0
    print("\n".join(render_debrief(result)))
    return 0


# -- report ---------------------------------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    from roleplay.exports.report import build_report, render
    from roleplay.library.library import load_library

    library = load_library()
    with open_store() as store:
        report = build_report(store, library, workshop_id=args.workshop, trainee=args.trainee)
    text = render(report, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_file(args.output, text)
    print(_("Report written to {path}").format(path=args.output), file=sys.stderr)
    return 0


# -- export ---------------------------------------------------------------------------------------------


def _export(args: argparse.Namespace) -> int:
    from roleplay.exports import xapi

    identity = xapi.Identity(args.home_page) if args.home_page else xapi.Identity()
    if args.lrs:
        password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
        if not args.user or password is None:
            _fail(_("posting to an LRS needs --user and --password (or {env})").format(env=PASSWORD_ENV))
            return EXIT_USAGE
    from roleplay.library.library import load_library

    library = load_library()
    with open_store() as store:
        batch = xapi.statements(
            store, library, workshop_id=args.workshop, trainee=args.trainee, identity=identity
        )
    if args.lrs:
        if not batch:
            print(_("No finished calls to send."), file=sys.stderr)
            return 0
        stored = xapi.post(args.lrs, batch, user=args.user, password=password or "")
        print(
            _("Posted {count} statements to {url} ({stored} stored).").format(
                count=len(batch), url=args.lrs, stored=len(stored)
            ),
            file=sys.stderr,
        )
        return 0
    text = xapi.dumps(batch)
    if str(args.xapi) == "-":
        sys.stdout.write(text)
    else:
        write_file(args.xapi, text)
        done = _("{count} statements written to {path}").format(count=len(batch), path=args.xapi)
        print(done, file=sys.stderr)
    return 0


# -- workshop -------------------------------------------------------------------------------------------


def _workshop(args: argparse.Namespace) -> int:
    if args.workshop_command is None:
        return run_presenter(args)
    with open_store() as store:
        if args.workshop_command == "new":
            workshop = store.create_workshop(args.facilitator, args.title)
            print(workshop.id)
            joining = _(
                "Workshop {id} created for {name}. Trainees join with: roleplay play ID --workshop {id}"
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
    """`roleplay workshop [--workshop ID] [--facilitator NAME]`: the trainer, opened on the presenter."""
    from roleplay.tui.app import run_presenter as run_app

    return run_app(lang=args.lang, workshop_id=args.workshop, facilitator=args.facilitator)


def joinable(workshop_id: str) -> str | None:
    """The id of the workshop a trainer's calls will join, checked before the trainer opens; None, with one
    line on stderr, when there is no such workshop or no history to keep its calls in."""
    from roleplay.history.errors import StoreError

    try:
        with open_store() as store:
            return store.workshop(workshop_id).id
    except StoreError as exc:
        _fail(str(exc))
        return None
