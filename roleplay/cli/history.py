"""`roleplay history`: a trainee's progress as text or JSON, and one recorded call with its debrief."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from roleplay.cli.common import Command, default_trainee, open_store, with_history
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _

if TYPE_CHECKING:  # the library and the store load when the command runs: `roleplay --help` starts quick
    from roleplay.history.discernment import Discernment
    from roleplay.history.progress import Progress
    from roleplay.history.quizzes import QuizRecord
    from roleplay.history.store import Store
    from roleplay.library.library import Library


def register(sub: Any) -> None:
    """Add `history` to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    history = sub.add_parser(
        "history", help=_("your progress: calls, red flags, discernment, what to play next")
    )
    history.add_argument("--trainee", metavar="NAME", help=_("whose history (default: the saved nickname)"))
    history.add_argument("--call", type=int, metavar="ID", help=_("show one recorded call and its debrief"))
    history.add_argument("--json", action="store_true", help=_("as JSON"))


def _history(args: argparse.Namespace) -> int:
    from roleplay.history.progress import trainee_progress
    from roleplay.history.quizzes import quizzes
    from roleplay.library.library import load_library

    trainee = args.trainee.strip() if args.trainee else default_trainee()
    library = load_library()
    with open_store() as store:
        if args.call is not None:
            return _show_call(store, library, args.call, as_json=args.json)
        progress = trainee_progress(store, trainee, library)
        rounds = quizzes(store, trainee, limit=QUIZZES_SHOWN)
        if args.json:
            data = progress.to_json() | {"quizzes": [r.to_json() for r in rounds]}
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        others = [t for t in store.trainees() if t != trainee]
    print("\n".join(history_lines(progress, library, others) + quiz_lines(rounds)))
    return 0


QUIZZES_SHOWN = 10  # the latest quick-fire rounds listed


def quiz_lines(rounds: list[QuizRecord]) -> list[str]:
    """The latest quick-fire rounds, a line each (`roleplay quiz`)."""
    if not rounds:
        return []
    out = ["", _("Quick-fire rounds (roleplay quiz):")]
    for r in rounds:
        when = r.finished_at.astimezone().strftime("%Y-%m-%d %H:%M")
        right = _("form {letter}, right {right} of {total}").format(
            letter=r.form, right=r.right, total=len(r.answers)
        )
        out.append(f"  {when}  {right}" + _("; ") + discernment_line(r.discernment))
    return out


def history_lines(p: Progress, library: Library, others: list[str]) -> list[str]:
    """`roleplay history` as text: the same content as its JSON, for a person."""
    from roleplay.text.progress import recommendation_reason

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
    said, did = p.discernment, p.behaviour
    if said.judged or did.judged:
        out += ["", _("Telling scams from real calls:")]
        out.append("  " + _("By what you said: {line}").format(line=discernment_line(said)))
        out.append("  " + _("By what you did: {line}").format(line=discernment_line(did)))
        if len(p.timeline) > 1:
            for period in p.timeline:
                out.append(
                    "  "
                    + _(
                        "{day}: that day {that_day}; so far d′ {so_far} by what you said, {acted} by what "
                        "you did"
                    ).format(
                        day=period.day,
                        that_day=discernment_line(period.that_day),
                        so_far=_number(period.so_far.d_prime),
                        acted=_number(period.acted_so_far.d_prime),
                    )
                )
        out.append(
            "  "
            + _(
                "d′: higher is better at telling them apart. c below 0: quick to treat a call as a scam; "
                "above 0: quick to trust."
            )
        )
    if p.recommendation:
        r = p.recommendation
        out += ["", _("Next call: {title} ({id})").format(title=v.say(r.title), id=r.scenario)]
        out.append("  " + recommendation_reason(r, library.catalog))
        out.append("  roleplay play " + r.scenario)
    if p.recent:
        out += ["", _("Recent calls:"), *_recent_lines(p)]
        out.append("  " + _("See one call again: roleplay history --call ID"))
    return out


def _recent_lines(p: Progress) -> list[str]:
    out = []
    for c in p.recent:
        when = c.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if c.status == "finished":
            result = v.result(c.outcome, c.severity)
            judged = (
                ""
                if c.judged_right is None
                else _("; ") + (_("judged right") if c.judged_right else _("judged wrong"))
            )
            if c.behaviour == "false_alarm":
                judged += _("; ") + _("treated a real call as a scam")
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
    from roleplay.history.progress import summaries
    from roleplay.history.versions import recompute_debrief
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
    scenario = library.scenarios.get(record.scenario)
    print("\n".join(render_debrief(result, scenario.channel if scenario else "phone")))
    return 0


COMMANDS: dict[str, Command] = {"history": with_history(_history)}
