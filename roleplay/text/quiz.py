"""What the quick-fire round says, in line mode and in the trainer alike: how it works, where each item comes
from, the answer and why, and the score. Scenario text is passed through as it is, never as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.sentences import truth_sentence

if TYPE_CHECKING:  # annotations only
    from roleplay.core.events import CallerSpoke, PhoneShowed
    from roleplay.core.model import Catalog
    from roleplay.core.quiz import Form, QuizItem, QuizResult
    from roleplay.history.discernment import Discernment
    from roleplay.history.quizzes import QuizRecord


def title(letter: str) -> str:
    return _("Quick-fire round · form {letter}").format(letter=letter)


def how_it_works(form: Form) -> list[str]:
    """The round explained before its first item."""
    return [
        _(
            "{count} short items: the start of a call, or a moment in one when something arrives on the "
            "phone. Some are scams, some are real."
        ).format(count=len(form.items)),
        _("For each one, go with your first feeling: y if it is a scam, n if it is not."),
        _("At the end you see which were which, and why."),
    ]


def forms_note() -> str:
    return _(
        "Take form A before you practise and form B after: they share no item, so you can see the change."
    )


def channel_name(channel: str) -> str:
    """How the phone says what is coming in."""
    return {
        "phone": _("Voice call"),
        "qq": _("QQ voice call"),
        "wechat": _("WeChat message"),
        "sms": _("Text message"),
    }.get(channel, channel)


def counter(item: QuizItem, total: int) -> str:
    return _("{number} of {total}").format(number=item.number, total=total)


def where(item: QuizItem) -> str:
    """Where the item comes from: the start of a call, or later in one."""
    if item.opening:
        return channel_name(item.channel)
    return _("{channel}, later in the call").format(channel=channel_name(item.channel))


def caller(item: QuizItem) -> str:
    """The caller as the phone shows them."""
    return f"{v.say(item.caller_name)}  {item.caller_number}"


def heading(item: QuizItem) -> str:
    """Where the item comes from and who it is from, in one line."""
    return _("{where}: {caller}").format(where=where(item), caller=caller(item))


def spoken(line: CallerSpoke) -> str:
    if v.is_narration(line.text):
        return v.say(line.text)
    if line.speaker:
        return _("{speaker}: {line}").format(speaker=v.say(line.speaker), line=v.say(line.text))
    return _("Caller: {line}").format(line=v.say(line.text))


def shown_heading(event: PhoneShowed) -> str:
    return v.phone_event(event.kind) + (f" · {event.sender}" if event.sender else "")


def shown_lines(event: PhoneShowed) -> list[str]:
    """What the phone shows, as lines: its kind and sender, its title and text, a page's form fields."""
    title_part = f"{v.say(event.title)}: " if event.title else ""
    lines = [f"[{shown_heading(event)}] {title_part}{v.say(event.body)}"]
    if event.fields:
        fields = _(", ").join(v.say(f) for f in event.fields)
        lines.append("  " + _("Form fields: {fields}").format(fields=fields))
    return lines


def question() -> str:
    return _("Is this a scam?")


def keys() -> str:
    return _("y: scam    n: not a scam")


def prompt() -> str:
    """The question and its keys, for line mode."""
    return _("{question} ({keys})").format(question=question(), keys=keys())


def first_words(item: QuizItem) -> str:
    """The first thing said (or shown) in the item, quoted: what tells it apart from the others."""
    first = v.say(item.lines[0].text) if item.lines else v.say(item.shown[0].body) if item.shown else ""
    return f"“{first}”"


def reminder(item: QuizItem) -> str:
    """One line that says which item this was: the caller, and the first thing said or shown."""
    return _("{caller}: {first}").format(caller=caller(item), first=first_words(item))


def said(said_scam: bool) -> str:
    return _("You said: scam.") if said_scam else _("You said: not a scam.")


def truth(item: QuizItem, said_scam: bool | None = None) -> str:
    return truth_sentence(item.is_scam, said_scam)


def said_and_truth(said_scam: bool, item: QuizItem) -> str:
    return _("{said} {truth}").format(said=said(said_scam), truth=truth(item, said_scam))


def reasons(item: QuizItem, catalog: Catalog) -> list[str]:
    """Why: a scam's red flags at that turn (their name and why each matters), or what made a real call
    real, in its scenario's own words."""
    if item.is_scam:
        return [
            _("Red flag: {name}. {why}").format(name=v.say(flag.name), why=v.say(flag.why))
            for flag in item.red_flags(catalog)
        ]
    if item.real_signal is None:
        return []
    return [_("Why it was real: {signal}").format(signal=v.say(item.real_signal))]


def right_sentence(result: QuizResult) -> str:
    return _("Right: {right} of {total}.").format(right=result.right, total=len(result.answers))


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def score_lines(d: Discernment) -> list[str]:
    """Hits, false alarms, d′ and c, with what each means."""
    return [
        _("Scams recognised (hits): {hits} of {scams}").format(hits=d.hits, scams=d.scam_calls),
        _("Real calls called a scam (false alarms): {fas} of {reals}").format(
            fas=d.false_alarms, reals=d.real_calls
        ),
        _("d′ {d}: how well you tell scams from real calls (0 is guessing; higher is better).").format(
            d=_number(d.d_prime)
        ),
        _("c {c}: below 0 you call “scam” readily, above 0 you trust readily.").format(
            c=_number(d.criterion)
        ),
    ]


def saved_sentence(letter: str) -> str:
    if letter == "A":
        return _("Saved in your history. After some practice, take form B to see the change.")
    return _("Saved in your history.")


def previous_sentence(record: QuizRecord, now: Discernment) -> str:
    """The trainee's last round of the other form, beside this one: the before and the after."""
    before = record.discernment
    line = _("Your last form {letter} round, on {day}: right {right} of {total}, d′ {d}.").format(
        letter=record.form,
        day=record.finished_at.astimezone().strftime("%Y-%m-%d"),
        right=record.right,
        total=len(record.answers),
        d=_number(before.d_prime),
    )
    if before.d_prime is None or now.d_prime is None:
        return line
    change = _("Change in d′: {change}").format(change=f"{now.d_prime - before.d_prime:+.2f}")
    return _("{line} {change}").format(line=line, change=change)
