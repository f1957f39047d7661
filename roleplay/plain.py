"""Line mode: the call as plain lines on stdout, one answer a line on stdin. For screen readers and pipes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from roleplay.core.debrief import Debrief, debrief
from roleplay.core.engine import Call
from roleplay.core.events import (
    CallEnded,
    CallerSpoke,
    EffectApplied,
    Event,
    PhoneShowed,
    RepliesOffered,
    TraineeActed,
)
from roleplay.core.inert import inert
from roleplay.core.model import Catalog, Scenario, Text
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.sentences import (
    MAX_WRONG_ANSWERS,
    behaviour_sentence,
    not_utf8,
    outcome_sentence,
    so_far,
    source_lines,
    too_many_wrong,
    truth_sentence,
)

if TYPE_CHECKING:
    from roleplay.history.recorder import CallRecorder
    from roleplay.history.store import Store

EXIT_DONE = 0
EXIT_ABANDONED = 3


class _Input:
    def __init__(self, stream: TextIO, out: Callable[[str], None]) -> None:
        self.stream = stream
        self.out = out

    def ask(self, prompt: str) -> str | None:
        """One answer, stripped; None at end of input."""
        self.out(prompt)
        line = self.stream.readline()
        if line and not self.stream.isatty():
            self.out(
                line if line.endswith("\n") else line + "\n"
            )  # piped answers are not echoed by a terminal
        if "\ufffd" in line:  # what `cli.common.answer_stream` makes of bytes that are not UTF-8
            self.out(not_utf8() + "\n")
        return None if line == "" else line.strip()


def render_event(event: Event) -> list[str]:
    """An event of the call in progress, as lines. The trainee's own moves are their typed answers, and how
    the call ended waits for the judgement (`render_call_over`, then `render_ending`)."""
    if isinstance(event, CallerSpoke):
        if v.is_narration(event.text):  # what happens, not what anyone says
            return [v.say(event.text)]
        if event.speaker:
            return [_("{speaker}: {line}").format(speaker=v.say(event.speaker), line=v.say(event.text))]
        return [_("Caller: {line}").format(line=v.say(event.text))]
    if isinstance(event, PhoneShowed):
        head = v.phone_event(event.kind) + (f" · {event.sender}" if event.sender else "")
        title = f"{v.say(event.title)}: " if event.title else ""
        lines = [f"[{head}] {title}{v.say(event.body)}"]
        if event.fields:
            lines.append(
                "  " + _("Form fields: {fields}").format(fields=_(", ").join(v.say(f) for f in event.fields))
            )
        return lines
    if isinstance(event, EffectApplied):
        return [_("[{note}]").format(note=so_far(event.total_lost, event.exposed))]
    return []


def render_call_over(last: TraineeActed | None, channel: str = "phone") -> list[str]:
    """What is said when the call ends, before the judgement: the trainee's last move in words and that the
    call is over, the same whatever the ending, so nothing but the call itself tells scam from real."""
    lines = [_("You: {reply}").format(reply=_action_text(last.action, last.text, channel))] if last else []
    lines.append(_("--- The chat is over ---") if v.is_chat(channel) else _("--- The call is over ---"))
    return lines


def render_ending(event: CallEnded) -> list[str]:
    """How the call ended, told once the trainee has judged it: its closing lines, title and outcome."""
    lines = [v.say(line) for line in event.lines]
    lines.append(_("--- Call ended: {title} ---").format(title=v.say(event.title)))
    lines.append(outcome_sentence(event.outcome, event.severity, event.lost, event.exposed))
    return lines


def render_replies(event: RepliesOffered, channel: str = "phone") -> list[str]:
    """The replies, then h and v. How to check is said once the trainee checks: spelled out here it would
    tell what the caller has not asked for yet."""
    lines = [f"  {i}. {v.say(text)}" for i, text in enumerate(event.replies, 1)]
    lines.append("  h. " + v.hang_up_word(channel))
    lines.append("  v. " + v.verify_word(channel))
    return lines


def render_debrief(d: Debrief, channel: str = "phone") -> list[str]:
    out = ["", _("=== Debrief ===")]
    if d.outcome:
        out.append(outcome_sentence(d.outcome, d.severity, d.lost, d.exposed))
    if d.judged_scam is not None:
        verdict = _("You judged it a scam.") if d.judged_scam else _("You judged it a real call.")
        truth = truth_sentence(d.kind == "scam", d.judged_scam)
        right = _("Right.") if d.judged_right else _("Not right.")
        out.append(_("{verdict} {truth} {right}").format(verdict=verdict, truth=truth, right=right))
    behaviour = behaviour_sentence(d)
    if behaviour:
        out.append(behaviour)
    if d.flags:
        out.append(_("Red flags: spotted {spotted} of {total}").format(spotted=d.spotted, total=len(d.flags)))
        for f in d.flags:
            mark = _("[spotted]") if f.status == "spotted" else _("[missed]")
            out.append(_("{mark} Turn {turn}: {name}").format(mark=mark, turn=f.turn, name=v.say(f.name)))
            out.append("    " + _("Caller said: {line}").format(line=v.say(f.caller_line)))
            out += ["    " + _("The phone showed: {text}").format(text=v.say(t)) for t in f.shown]
            out.append("    " + _("You: {reply}").format(reply=_action_text(f.action, f.reply, channel)))
            out.append("    " + _("Why it matters: {why}").format(why=v.say(f.why)))
            if f.status == "missed":
                out.append("    " + _("A safe reply: {reply}").format(reply=v.say(f.safe_reply)))
    elif d.kind == "legit":
        out.append(_("This was a real call: it had no red flags."))
    if d.earliest_safe_exit is not None:
        out.append(_("The call could have ended safely at turn {turn}.").format(turn=d.earliest_safe_exit))
    if d.lesson:
        out.append(_("Lesson: {lesson}").format(lesson=v.say(d.lesson)))
    out.append(_("What the police advise:"))
    out += [f"  - {v.say(rule)}" for rule in d.rules]
    out.append(_("Sources:"))
    out += [f"  - {line}" for line in source_lines(d)]
    return out


def _action_text(action: str, reply: Text | None, channel: str = "phone") -> str:
    if action == "hang_up":
        return v.hung_up(channel)
    if action == "verify":
        return v.checked(channel)
    return v.say(reply) if reply else ""


def play(
    scenario: Scenario,
    catalog: Catalog,
    stdin: TextIO,
    stdout: TextIO,
    *,
    seed: int | None = None,
    as_json: bool = False,
    store: Store | None = None,
    trainee: str = "trainee",
    workshop_id: str | None = None,
    scenario_path: Path | None = None,
) -> int:
    """Play one call in line mode. Returns the exit status: 0 when it ended, 3 when input ran out mid-call.

    With a `store` the call is saved under `trainee` (and `workshop_id`) as it is played: each step at
    once, so a quit or a crash leaves it as abandoned, never lost. `scenario_path` is the file it was
    loaded from (its hash is recorded). A storage fault is said in one line and never stops the call.
    Raises UnknownWorkshop before the call starts.
    """

    def say(*lines: str) -> None:
        for line in lines:
            stdout.write(inert(line) + "\n")  # scenario text, piped answers, the history's messages
        stdout.flush()

    def prompt(text: str) -> None:
        stdout.write(inert(text))
        stdout.flush()

    answers = _Input(stdin, prompt)
    call = Call(scenario, seed)
    recorder = _recorder(store, call, trainee, workshop_id, scenario_path, say=say)
    try:
        say(*_introduction(call))
        events = call.start()
        last: TraineeActed | None = None  # the trainee's latest move, said in words when the call ends
        ended: CallEnded | None = None  # how it ended, held back until the trainee has judged the call
        while True:
            offered: RepliesOffered | None = None
            for event in events:
                if isinstance(event, RepliesOffered):
                    offered = event
                elif isinstance(event, TraineeActed):
                    last = event
                elif isinstance(event, CallEnded):
                    ended = event
                say(*render_event(event))
            if ended is not None:
                say(*render_call_over(last, scenario.channel))
                break
            if offered is None:
                break
            say(*render_replies(offered, scenario.channel))
            answered = _take_answer(call, answers, say, len(offered.replies))
            if answered is None:
                say("", _("Input ended: the call was abandoned at turn {turn}.").format(turn=call.turn))
                if as_json:
                    say(json.dumps({"scenario": scenario.id, "abandoned": True, "turn": call.turn}))
                return EXIT_ABANDONED
            events = answered
            if recorder is not None:
                _report_storage(say, recorder.sync())
        judged = _ask_judgement(answers, say, scenario.channel)
        if ended is not None:
            say("", *render_ending(ended))
        result = _finish(recorder, call, catalog, judged=judged, say=say)
        say(*render_debrief(result, scenario.channel))
        if as_json:
            say(json.dumps(result.to_json(), ensure_ascii=False))
        return EXIT_DONE
    finally:
        if recorder is not None and not recorder.closed:  # input ended, Ctrl-C, or an error: keep the steps
            _report_storage(say, recorder.abandon())


def _take_answer(call: Call, answers: _Input, say: Callable[..., None], count: int) -> list[Event] | None:
    """The trainee's move at this turn, asked again until it is one; None when the input has ended (or gave
    MAX_WRONG_ANSWERS answers in a row that are not a move)."""
    for _wrong in range(MAX_WRONG_ANSWERS):
        answer = answers.ask("> ")
        if answer is None:
            return None
        key = answer.lower()
        if key == "h":
            return call.hang_up()
        if key == "v":
            return call.verify()
        if key.isascii() and key.isdigit() and 1 <= int(key) <= count:  # not "²", which isdigit() too
            return call.choose(int(key) - 1)
        say(_("Please type a number from 1 to {count}, h or v.").format(count=count))
    say(too_many_wrong(MAX_WRONG_ANSWERS))
    return None


def _recorder(
    store: Store | None,
    call: Call,
    trainee: str,
    workshop_id: str | None,
    scenario_path: Path | None,
    *,
    say: Callable[..., None],
) -> CallRecorder | None:
    if store is None:
        return None
    from roleplay.history.errors import StoreError, UnknownWorkshop
    from roleplay.history.files import played_hash
    from roleplay.history.recorder import CallRecorder
    from roleplay.text.i18n import language

    if scenario_path is None:
        raise ValueError("saving a call needs the path of its scenario file (its hash is recorded)")
    try:
        return CallRecorder(
            store,
            call,
            trainee,
            played_hash(scenario_path),
            language(),
            workshop_id=workshop_id,
            source_path=scenario_path,
        )
    except UnknownWorkshop:
        raise
    except StoreError as exc:  # locked past the busy timeout, the disk full: the call is played unsaved
        _report_storage(say, str(exc))
        return None


def _introduction(call: Call) -> list[str]:
    """The title, how to answer, and who is calling as the phone shows it for this run."""
    scenario = call.scenario
    lines = [_("=== Call practice: {title} ===").format(title=v.say(scenario.title))]
    if scenario.perspective == "helper":
        lines.append(
            _("You are sitting beside your parent, who is taking this call. Tell them what to answer.")
        )
    if v.is_chat(scenario.channel):
        lines.append(
            _("Type a number to answer, h to leave the chat, v to check through an official channel.")
        )
    else:
        lines.append(_("Type a number to answer, h to hang up, v to check through an official channel."))
    lines.append(
        v.incoming(scenario.channel, v.say(call.caller_name), call.caller_number, scenario.caller.dialled)
    )
    return lines


def _finish(
    recorder: CallRecorder | None,
    call: Call,
    catalog: Catalog,
    *,
    judged: bool | None,
    say: Callable[..., None],
) -> Debrief:
    """The debrief, saved with the call when there is a history. A failed save is said, not fatal."""
    if recorder is not None:
        from roleplay.history.errors import StoreError

        try:
            return recorder.finish(catalog, judged)
        except StoreError as exc:
            _report_storage(say, str(exc))
    return debrief(call.scenario, catalog, call.transcript, judged)


def _report_storage(say: Callable[..., None], problem: str | None) -> None:
    if problem:
        say(_("[Not saved: {problem}]").format(problem=problem))


def _ask_judgement(answers: _Input, say: Callable[..., None], channel: str) -> bool | None:
    if v.is_chat(channel):
        say("", _("Was this a scam? Type y (scam) or n (not a scam)."))
    else:
        say("", _("Was this a scam call? Type y (scam) or n (real call)."))
    for _wrong in range(MAX_WRONG_ANSWERS):
        answer = answers.ask("> ")
        if answer is None:
            return None  # nothing more to read: the debrief goes on without a judgement
        key = answer.lower()
        # Words only: a stray reply number ("2") must not be taken for a judgement.
        if key in ("y", "yes", "是"):
            return True
        if key in ("n", "no", "否", "不是"):
            return False
        say(_("Please type y or n."))
    say(too_many_wrong(MAX_WRONG_ANSWERS))
    return None
