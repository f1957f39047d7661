"""Words the interface uses for the model's vocabulary (what was given away, severities, phone events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.inert import inert
from roleplay.text.i18n import _, language

if TYPE_CHECKING:  # only for annotations: the home screen uses this module before pydantic is imported
    from roleplay.core.model import Exposure, PhoneEventKind, Severity, Text


def default_nickname() -> str:
    """The name calls are saved under until the trainee gives one: a word in their language (学员), kept in
    the settings by the trainer once a call is played under it, so a language switch does not split it."""
    return _("trainee")


def exposure(item: Exposure) -> str:
    labels: dict[str, str] = {
        "name": _("name"),
        "id_number": _("ID number"),
        "bank_card": _("bank card number"),
        "card_password": _("card password"),
        "payment_password": _("payment password"),
        "account_login": _("account logins"),
        "sms_code": _("SMS code"),
        "face_scan": _("face scan"),
        "screen_share": _("screen access"),
        "payment_code": _("payment code"),
        "app_installed": _("an app installed"),
        "loans": _("loans taken out"),
    }
    return labels[item]


def exposures(items: tuple[Exposure, ...] | list[Exposure]) -> str:
    return _(", ").join(exposure(i) for i in items) if items else _("nothing")


def severity(level: Severity) -> str:
    labels: dict[str, str] = {
        "safe": _("safe"),
        "exposed": _("exposed, no money lost yet"),
        "partial_loss": _("partial loss"),
        "major_loss": _("major loss"),
    }
    return labels[level]


def outcome(value: str | None) -> str:
    return {"safe": _("safe"), "loss": _("loss"), None: _("abandoned")}[value]


def result(outcome_value: str | None, level: Severity | None) -> str:
    """ "safe", or the outcome with its grade: "loss (partial loss)"."""
    if level is None or level == "safe":
        return outcome(outcome_value)
    return _("{outcome} ({severity})").format(outcome=outcome(outcome_value), severity=severity(level))


def phone_event(kind: PhoneEventKind) -> str:
    labels: dict[str, str] = {
        "sms": _("Text message"),
        "link": _("Web page"),
        "qr_code": _("QR code"),
        "app_prompt": _("App prompt"),
        "bank_notice": _("Bank notice"),
        "friend_request": _("Friend request"),
        "incoming_call": _("Incoming call"),
        "notice": _("Phone notice"),
    }
    return labels[kind]


def money(yuan: int) -> str:
    return f"¥{yuan:,}"


def say(text: Text) -> str:
    """A scenario text in the interface's language, inert (a control character is shown, not obeyed)."""
    return inert(text.get(language()))


def is_narration(text: Text) -> bool:
    """A line in brackets is what happens, not what anyone says (「（电话又响了，还是96110。）」): shown
    without a speaker's label."""
    return text.zh.startswith(("（", "(")) and text.en.startswith("(")


# A chat (WeChat messages, texts) is left, not hung up on; it is opened, not answered; it ends as a chat.
CHATS = ("wechat", "sms")


def is_chat(channel: str) -> bool:
    return channel in CHATS


def hang_up_word(channel: str) -> str:
    return _("Leave the chat") if is_chat(channel) else _("Hang up")


def verify_word(channel: str) -> str:
    if is_chat(channel):
        return _("Leave the chat and check through an official channel")
    return _("Hang up and check through an official channel")


def hung_up(channel: str) -> str:
    """The trainee's move, said in the conversation and the debrief."""
    return _("(left the chat)") if is_chat(channel) else _("(hung up)")


def checked(channel: str, how: str = "") -> str:
    if is_chat(channel):
        return _("(left the chat to check: {how})").format(how=how) if how else _("(left the chat to check)")
    return _("(hung up to check: {how})").format(how=how) if how else _("(hung up to check)")


def caller_label(channel: str) -> str:
    return _("Them: ") if is_chat(channel) else _("Caller: ")


def answer_word(channel: str) -> str:
    return _("Open the chat") if is_chat(channel) else _("Answer")


def not_scam_word(channel: str) -> str:
    """The other answer to "was it a scam?": a chat is not a call."""
    return _("Not a scam") if is_chat(channel) else _("Real call")


def answer_keys(channel: str, dialled: bool = False) -> str:
    if dialled:
        return _("Enter: it rings and is answered    Esc: back")
    return _("Enter: open the chat    Esc: back") if is_chat(channel) else _("Enter: answer    Esc: back")


def dialled_word() -> str:
    """The key that starts a call the trainee rang."""
    return _("Call")


def incoming(channel: str, name: str, number: str, dialled: bool = False) -> str:
    """The call's first line: who rings, or (`dialled`) whom the trainee is ringing."""
    if dialled:
        return _("You are calling: {name} {number}").format(name=name, number=number).rstrip()
    if is_chat(channel):
        return _("New messages: {name} {number}").format(name=name, number=number).rstrip()
    return _("Incoming call: {name} {number}").format(name=name, number=number).rstrip()


def scam_question(channel: str) -> str:
    if is_chat(channel):
        return _("Was this a scam? Decide first, then you will see how it ended.")
    return _("Was this a scam call? Decide first, then you will see how it ended.")


def source_date(date: str | None) -> str:
    """An advisory's date as its page gives it, or that it gives none."""
    return date or _("undated")
