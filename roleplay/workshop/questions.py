"""What the phones are asked, made from what the projector shows: a turn's replies in the order shown (then
hang up, and hang up to check officially), a test item's "scam or not?", a room call's closing judgement.
Each in Chinese and in English: every phone reads it in its own language."""

from __future__ import annotations

from roleplay.core.events import RepliesOffered
from roleplay.core.quiz import QuizItem
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, in_both
from roleplay.workshop.ballot import Option, Question
from roleplay.workshop.vote import HANG_UP, VERIFY

SCAM, LEGIT = "scam", "legit"


def _option(key: str, message: str) -> Option:
    zh, en = in_both(message)
    return Option(key, zh, en)


def turn_question(call_number: int, offered: RepliesOffered, channel: str) -> Question:
    """The replies of one turn, numbered as the projector numbers them."""
    options = [Option(str(n), reply.zh, reply.en) for n, reply in enumerate(offered.replies, 1)]
    hang_up = N_("Leave the chat") if v.is_chat(channel) else N_("Hang up")
    verify = (
        N_("Leave the chat and check through an official channel")
        if v.is_chat(channel)
        else N_("Hang up and check through an official channel")
    )
    options += [_option(HANG_UP, hang_up), _option(VERIFY, verify)]
    zh, en = in_both(N_("What do you say? Choose one."))
    return Question(f"call-{call_number}-turn-{offered.turn}", "turn", zh, en, tuple(options))


def judgement_question(call_number: int, channel: str) -> Question:
    """The room's answer at the end of a call, asked before anything says how it ended."""
    prompt = (
        N_("Was this a scam? Decide first, then you will see how it ended.")
        if v.is_chat(channel)
        else N_("Was this a scam call? Decide first, then you will see how it ended.")
    )
    zh, en = in_both(prompt)
    options = (_option(SCAM, N_("Scam")), _option(LEGIT, N_("Not a scam")))
    return Question(f"call-{call_number}-judge", "judge", zh, en, options)


def test_question(phase: str, item: QuizItem) -> Question:
    """One item of a before/after test: the projector shows the excerpt, the phone asks scam or not."""
    zh, en = in_both(N_("Item {number}: is this a scam?"))
    options = (_option(SCAM, N_("Scam")), _option(LEGIT, N_("Not a scam")))
    return Question(
        f"{phase}-{item.number}",
        "test",
        zh.format(number=item.number),
        en.format(number=item.number),
        options,
        phase=phase,
        item=item.number,
    )
