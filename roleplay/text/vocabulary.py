"""Words the interface uses for the model's vocabulary (what was given away, severities, phone events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from roleplay.core.inert import inert
from roleplay.text.i18n import _, language

if TYPE_CHECKING:  # only for annotations: the home screen uses this module before pydantic is imported
    from roleplay.core.model import Exposure, PhoneEventKind, Severity, Text


def exposure(item: Exposure) -> str:
    labels: dict[str, str] = {
        "name": _("name"),
        "id_number": _("ID number"),
        "bank_card": _("bank card number"),
        "card_password": _("card password"),
        "payment_password": _("payment password"),
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
