"""Scenario text → Rich renderables. Scenario text is data: it only ever becomes `Text`, never markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from roleplay.core.events import CallerSpoke, EffectApplied, PhoneShowed, TraineeActed
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _
from roleplay.text.sentences import so_far
from roleplay.tui.wrapped import Wrapped, wrapped

# Colours come from the app's theme at runtime (see Palette); these are only fallbacks.
DEFAULT_PALETTE = {"caller": "#7fb3d5", "trainee": "#a3d977", "warning": "#f0b35a", "error": "#ef6b6b"}


class Palette:
    """Theme colours for text written into the transcript, read once from the running app's theme."""

    def __init__(self, variables: dict[str, str] | None = None) -> None:
        vars_ = variables or {}
        self.caller = vars_.get("primary", DEFAULT_PALETTE["caller"])
        self.trainee = vars_.get("success", DEFAULT_PALETTE["trainee"])
        self.warning = vars_.get("warning", DEFAULT_PALETTE["warning"])
        self.error = vars_.get("error", DEFAULT_PALETTE["error"])


def speaker_line(label: str, line: str, colour: str) -> Wrapped:
    text = Text()
    text.append(label, style=f"bold {colour}")
    text.append(line)
    return Wrapped(text)


def phone_event(event: PhoneShowed, palette: Palette) -> RenderableType:
    """What the phone would show: an SMS, a web page with its form, a prompt, a bank notice…"""
    heading = v.phone_event(event.kind) + (f" · {event.sender}" if event.sender else "")
    body: list[RenderableType] = []
    if event.title:
        body.append(wrapped(v.say(event.title), style="bold"))
    body.append(wrapped(v.say(event.body)))
    for form_field in event.fields:
        row = Text()
        row.append(f"{v.say(form_field)}  ", style="bold")
        row.append("[                    ]", style="dim")
        body.append(row)
    colour = palette.error if event.kind in ("bank_notice", "link", "qr_code") else palette.warning
    return Panel(
        Group(*body),
        title=Text(heading),
        title_align="left",
        border_style=colour,
        expand=False,
        padding=(0, 1),
    )


def channel_name(channel: str, dialled: bool = False) -> str:
    """How the phone says what is coming in, or that the trainee is ringing out."""
    if dialled:
        return _("Outgoing call")
    return {
        "phone": _("Voice call"),
        "qq": _("QQ voice call"),
        "wechat": _("WeChat message"),
        "sms": _("Text message"),
    }.get(channel, channel)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def caller_line(event: CallerSpoke, palette: Palette, channel: str = "phone") -> Wrapped:
    """A line of the call: the caller's, or (in the speaker's colour) someone breaking in, like 96110, or
    (unlabelled, in italics) what happens."""
    if v.is_narration(event.text):
        return wrapped(v.say(event.text), style="italic")
    if event.speaker:
        label = _("{speaker}: ").format(speaker=v.say(event.speaker))
        return speaker_line(label, v.say(event.text), palette.warning)
    return speaker_line(v.caller_label(channel), v.say(event.text), palette.caller)


def effect_note(event: EffectApplied, palette: Palette) -> Wrapped:
    """What the replies have cost so far, wrapped as the conversation is (no line starts with 、)."""
    return wrapped(so_far(event.total_lost, event.exposed), style=f"bold {palette.error}")


def action_text(event: TraineeActed, channel: str = "phone") -> str:
    """What the trainee (or the room) did, in words: the engine filled in how this run is checked."""
    if event.action == "hang_up":
        return v.hung_up(channel)
    if event.action == "verify":
        return v.checked(channel, v.say(event.how) if event.how else "")
    return v.say(event.text) if event.text else ""


def speaking_hint(speaking: bool) -> Text:
    """Shown under the conversation while the caller is still talking."""
    return Text(_("… (space: let them finish)"), style="dim") if speaking else Text("")
