"""Sentences more than one front end shows, written once so the trainer, line mode, the presenter and the
command line say the same thing in the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.text import vocabulary as v
from roleplay.text.i18n import _

if TYPE_CHECKING:  # annotations only: the trainer shows these before pydantic is imported
    from roleplay.core.debrief import Debrief
    from roleplay.core.model import Exposure, Severity


def outcome_sentence(
    outcome: str | None, severity: Severity | None, lost: int, exposed: tuple[Exposure, ...] | list[Exposure]
) -> str:
    """How a call ended, in one line: the outcome with its grade, the money lost, what was given away."""
    return _("Outcome: {result}. Money lost: {money}. Given away: {items}.").format(
        result=v.result(outcome, severity), money=v.money(lost), items=v.exposures(exposed)
    )


def call_over(channel: str = "phone") -> str:
    """What a front end says when a call ends, before the trainee has judged it: the same words for every
    ending, so that nothing but the call itself tells a scam from a real call (a chat ends as a chat)."""
    return _("The chat is over.") if channel in ("wechat", "sms") else _("The call is over.")


def behaviour_sentence(d: Debrief) -> str | None:
    """What the trainee did, beside what they said, in one or two plain sentences: a scam treated as the
    scam it was, or gone along with; a real call treated as real, or taken for a scam (hung up on, turned
    away), which is a misjudgement too. None when the call was abandoned."""
    behaviour = d.behaviour
    if behaviour is None:
        return None
    if behaviour == "hit":
        return _("What you did: you treated it as the scam it was, and lost no money to it.")
    if behaviour == "miss":
        return _("What you did: you went along with the scammer, and lost {money}.").format(
            money=v.money(d.lost)
        )
    if behaviour == "correct_rejection":
        return _("What you did: you treated this real call as real, not as a scam.")
    title = v.say(d.title)
    if d.hung_up:
        sentence = _(
            "What you did: this call (“{title}”) was real, and you hung up on it. Taking a real call for a "
            "scam is a mistake too."
        ).format(title=title)
    else:
        sentence = _(
            "What you did: this call (“{title}”) was real, but you treated it as a scam. Taking a real call "
            "for a scam is a mistake too."
        ).format(title=title)
    if d.lost:
        cost = _("Not listening to it cost you {money}.").format(money=v.money(d.lost))
        sentence = _("{sentence} {cost}").format(sentence=sentence, cost=cost)  # no space between in Chinese
    return sentence


def unknown_scenario_sentence(name: str, close: str | None) -> str:
    """An id that names no call (a typo): what was asked for, the nearest id, and where the list is."""
    if close:
        return _(
            "There is no call called “{name}”. Did you mean “{close}”? `roleplay list` shows them all."
        ).format(name=name, close=close)
    return _("There is no call called “{name}”. `roleplay list` shows them all.").format(name=name)


def truth_sentence(is_scam: bool, judged_scam: bool | None = None) -> str:
    """What the call really was, worded against what the trainee said: Chinese says 确实 ("indeed") when the
    answer was right and 其实 ("in fact") when it was wrong, so the word must follow both. With no answer to
    weigh it against (a split room), the plain statement."""
    if judged_scam is None:
        return _("This one was a scam.") if is_scam else _("This one was a real call.")
    if judged_scam == is_scam:
        return _("It was indeed a scam.") if is_scam else _("It was indeed a real call.")
    return _("It was in fact a scam.") if is_scam else _("It was in fact a real call.")


def not_utf8() -> str:
    """Said after an answer whose bytes were not UTF-8 (they were read as U+FFFD)."""
    return _("That line was not UTF-8 text: is the terminal set to another encoding, such as GBK?")


# Answers in a row that are not one of those asked for, before line mode takes it that nobody is answering
# (`yes 1 | roleplay play X --plain` would otherwise ask for ever).
MAX_WRONG_ANSWERS = 20


def too_many_wrong(count: int) -> str:
    return _(
        "{count} answers in a row were not one of those asked for: taken as the end of the input."
    ).format(count=count)


def source_lines(d: Debrief) -> list[str]:
    """The debrief's sources, each with the sums of this run it gave (so a call that joins several cases says
    which figure is whose), then the sums the scenario set itself."""
    lines = []
    for source in d.sources:
        line = f"{v.say(source.publisher)} · {v.say(source.title)} · {v.source_date(source.date)}"
        sums = next((p.sums for p in d.paid_from if p.source == source), ())
        if sums:
            line += _(" (this call's sums: {sums})").format(sums=_(", ").join(v.money(s) for s in sums))
        lines.append(line)
    ours = next((p.sums for p in d.paid_from if p.source is None), ())
    if ours:
        lines.append(
            _("{sums}: the advisories give no sum for this step; this one is ours.").format(
                sums=_(", ").join(v.money(s) for s in ours)
            )
        )
    return lines


def so_far(paid_out: int, exposed: tuple[Exposure, ...] | list[Exposure]) -> str:
    """What the trainee's replies have cost so far: only what there is (no "paid out ¥0" when a code was
    all that went, no "given away: nothing" after a payment)."""
    parts = [_("{money} paid out").format(money=v.money(paid_out))] if paid_out else []
    if exposed:
        parts.append(_("{items} given away").format(items=v.exposures(exposed)))
    return _("So far: {what}.").format(what=_("; ").join(parts))
