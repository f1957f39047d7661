"""`roleplay report` (calls, red flags and discernment as md, html or csv) and `roleplay export` (xAPI
statements to a file or a learning record store)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from roleplay.cli.common import EXIT_FAULT, EXIT_USAGE, Command, fail, open_store, with_history
from roleplay.text.i18n import _

PASSWORD_ENV = "ROLEPLAY_LRS_PASSWORD"
REPORT_FORMATS = ("md", "html", "csv")  # roleplay.exports.formats.FORMATS, without importing it for --help


def register(sub: Any) -> None:
    """Add `report` and `export` to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    report = sub.add_parser("report", help=_("a report of calls, red flags and discernment (md, html, csv)"))
    report.add_argument("--workshop", metavar="ID", help=_("only this workshop's calls and tests"))
    report.add_argument("--trainee", metavar="NAME", help=_("only this trainee's calls"))
    report.add_argument("--format", choices=REPORT_FORMATS, default="md", help=_("default: md"))
    report.add_argument("--output", type=Path, metavar="FILE", help=_("write here instead of to stdout"))

    export = sub.add_parser("export", help=_("training records as xAPI statements, to a file or an LRS"))
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--xapi", type=Path, metavar="FILE", help=_("write the statements here (- for stdout)")
    )
    target.add_argument("--lrs", metavar="URL", help=_("post them to this LRS (its xAPI base address)"))
    export.add_argument("--user", metavar="U", help=_("the LRS user"))
    export.add_argument("--password", metavar="P", help=f"the LRS password (or set {PASSWORD_ENV})")
    export.add_argument("--workshop", metavar="ID", help=_("only this workshop's calls"))
    export.add_argument("--trainee", metavar="NAME", help=_("only this trainee's calls"))
    export.add_argument(
        "--home-page", metavar="URL", help=_("where accounts and activities live (default: roleplay.invalid)")
    )


def _report(args: argparse.Namespace) -> int:
    from roleplay.exports.files import write_file
    from roleplay.exports.formats import render
    from roleplay.exports.report import build_report
    from roleplay.library.library import load_library

    library = load_library()
    with open_store() as store:
        report = build_report(store, library, workshop_id=args.workshop, trainee=args.trainee)
    text = render(report, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_file(args.output, text, bom=args.format == "csv")
    print(_("Report written to {path}").format(path=args.output), file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    """`roleplay export`; an LRS that refuses or cannot be reached is one line, like a storage fault."""
    from roleplay.exports.lrs import LrsError

    try:
        return _send(args)
    except LrsError as exc:
        fail(str(exc))
        return EXIT_FAULT


def _send(args: argparse.Namespace) -> int:
    from roleplay.exports import xapi
    from roleplay.exports.files import write_file
    from roleplay.library.library import load_library

    identity = xapi.Identity(args.home_page) if args.home_page else xapi.Identity()
    if args.lrs:
        password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
        if not args.user or password is None:
            fail(_("posting to an LRS needs --user and --password (or {env})").format(env=PASSWORD_ENV))
            return EXIT_USAGE
    library = load_library()
    with open_store() as store:
        batch = xapi.statements(
            store, library, workshop_id=args.workshop, trainee=args.trainee, identity=identity
        )
    if args.lrs:
        if not batch:
            print(_("No finished calls to send."), file=sys.stderr)
            return 0
        from roleplay.exports.lrs import BATCH, post

        def progress(done: int, total: int) -> None:
            if total > BATCH:  # one request: its result line is enough
                print(
                    _("stored {done} of {total} statements…").format(done=done, total=total), file=sys.stderr
                )

        stored = post(args.lrs, batch, user=args.user, password=password or "", progress=progress)
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


COMMANDS: dict[str, Command] = {"report": with_history(_report), "export": with_history(_export)}
