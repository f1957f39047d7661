"""Scenario text → Rich renderables. Scenario text is data: it only ever becomes `Text`, never markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from roleplay import vocabulary as v
from roleplay.events import PhoneShowed
from roleplay.i18n import _

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


def speaker_line(label: str, line: str, colour: str) -> Text:
    text = Text()
    text.append(label, style=f"bold {colour}")
    text.append(line)
    return text


def phone_event(event: PhoneShowed, palette: Palette) -> RenderableType:
    """What the phone would show: an SMS, a web page with its form, a prompt, a bank notice…"""
    heading = v.phone_event(event.kind) + (f" · {event.sender}" if event.sender else "")
    body: list[RenderableType] = []
    if event.title:
        body.append(Text(v.say(event.title), style="bold"))
    body.append(Text(v.say(event.body)))
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


def given_away(exposed: tuple[str, ...] | list[str]) -> str:
    return v.exposures(tuple(exposed))  # type: ignore[arg-type]


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def title_line(label: str) -> Text:
    return Text(label, style="bold")


def hang_up_label() -> str:
    return _("Hang up")
