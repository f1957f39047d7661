"""复盘 / Debrief: how the call ended, each red flag spotted or missed, the safe way out, rules and sources.
Dismissed with what the trainee wants next: another call, this call again, or home.

The call screen asks whether it was a scam before it says how the call ended, so this screen is where the
ending is told: its title, its closing lines and the outcome come first, then the judgement and the rest."""

from __future__ import annotations

from typing import Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from roleplay.core.debrief import Debrief, FlagMeeting
from roleplay.core.events import Action
from roleplay.core.model import Catalog, Scenario
from roleplay.core.model import Text as TextModel
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.text.sentences import behaviour_sentence, outcome_sentence, truth_sentence
from roleplay.tui.render import Palette
from roleplay.tui.screen import TrainerScreen

Next = Literal["next", "replay", "home"]


class DebriefScreen(TrainerScreen[Next]):
    BINDINGS = [  # noqa: RUF012
        Binding("n", "next_call", N_("Next call")),
        Binding("r", "replay", N_("Play this call again")),
        Binding("escape", "home", N_("Home")),
    ]

    def __init__(self, scenario: Scenario, catalog: Catalog, result: Debrief) -> None:
        super().__init__()
        self.scenario = scenario
        self.catalog = catalog
        self.result = result

    def compose(self) -> ComposeResult:
        palette = Palette(self.app.theme_variables)
        yield Header(show_clock=False)
        with VerticalScroll(id="debrief"):
            for index, block in enumerate(self._blocks(palette)):
                yield Static(block, classes="block" if index else "block first")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Debrief")
        self.sub_title = v.say(self.scenario.title)
        self.query_one("#debrief", VerticalScroll).focus()

    # -- the content, one block each
    def _blocks(self, palette: Palette) -> list[RenderableType]:
        d = self.result
        headline: list[RenderableType] = []
        judgement = self._judgement(d, palette)
        if judgement:
            headline.append(judgement)
        behaviour = behaviour_sentence(d)
        if behaviour:
            wrong = d.behaviour in ("miss", "false_alarm")
            headline.append(Text(behaviour, style=f"bold {palette.error}" if wrong else ""))
        if d.lesson:
            headline.append(Text(v.say(d.lesson)))
        if d.flags:
            tally = _("Red flags: spotted {spotted} of {total}").format(spotted=d.spotted, total=len(d.flags))
            headline.append(Text(tally))
        if d.earliest_safe_exit is not None:
            headline.append(
                Text(_("The call could have ended safely at turn {turn}.").format(turn=d.earliest_safe_exit))
            )
        sources = [f"{v.say(s.publisher)} · {v.say(s.title)} · {s.date}" for s in d.sources]
        return [
            *self._before_ending(palette),
            self._ending(d, palette),
            Group(*headline),
            self._flags(d, palette),
            self._listing(_("What the police advise"), [v.say(rule) for rule in d.rules]),
            self._listing(_("Sources"), sources),
            self._transcript(d, palette),
        ]

    def _before_ending(self, palette: Palette) -> list[RenderableType]:
        """Blocks shown above the ending (the room's count, on the projector); none for a trainee."""
        return []

    def _ending(self, d: Debrief, palette: Palette) -> RenderableType:
        """How the call ended, told now that it has been judged: its title, its closing lines, the outcome."""
        colour = palette.trainee if d.outcome == "safe" else palette.error
        if d.ending_title is None:
            head = Text(_("Call abandoned"), style=f"bold {colour}")
        else:
            head = Text(_("Call ended: {title}").format(title=v.say(d.ending_title)), style=f"bold {colour}")
        closing = [Text(v.say(line), style="italic") for line in d.ending_lines]
        summary = Text(outcome_sentence(d.outcome, d.severity, d.lost, d.exposed))
        return Group(head, *closing, summary)

    def _judgement(self, d: Debrief, palette: Palette) -> Text | None:
        if d.judged_scam is None:
            return None
        verdict = _("You judged it a scam.") if d.judged_scam else _("You judged it a real call.")
        truth = truth_sentence(d.kind == "scam", d.judged_scam)
        right = _("Right.") if d.judged_right else _("Not right.")
        text = Text(_("{verdict} {truth} {right}").format(verdict=verdict, truth=truth, right=""))
        text.append(right, style=f"bold {palette.trainee if d.judged_right else palette.error}")
        return text

    def _flags(self, d: Debrief, palette: Palette) -> RenderableType:
        if not d.flags:
            if d.kind == "legit":
                return Text(_("This was a real call: it had no red flags."))
            return Text(_("No red flags were met."))
        return Group(*(self._meeting(f, palette) for f in d.flags))

    def _meeting(self, f: FlagMeeting, palette: Palette) -> RenderableType:
        spotted = f.status == "spotted"
        colour = palette.trainee if spotted else palette.error
        mark = Text("✓ " + _("spotted") if spotted else "✗ " + _("missed"), style=f"bold {colour}")
        mark.append("  " + _("Turn {turn}").format(turn=f.turn) + " · ")
        mark.append(v.say(f.name), style="bold")
        details = [
            Text(_("Caller said: {line}").format(line=v.say(f.caller_line))),
            *(Text(_("The phone showed: {text}").format(text=v.say(t))) for t in f.shown),
            Text(_("You: {reply}").format(reply=self._reply(f.action, f.reply))),
            Text(_("Why it matters: {why}").format(why=v.say(f.why))),
        ]
        if not spotted:
            safe = _("A safe reply: {reply}").format(reply=v.say(f.safe_reply))
            details.append(Text(safe, style=palette.trainee))
        return Group(Text(""), mark, Padding(Group(*details), (0, 0, 0, 3)))

    @staticmethod
    def _reply(action: Action, reply: TextModel | None) -> str:
        if action == "hang_up":
            return _("(hung up)")
        if action == "verify":
            return _("(hung up to check through an official channel)")
        return v.say(reply) if reply else ""

    @staticmethod
    def _listing(title: str, items: list[str]) -> RenderableType:
        return Group(Text(title, style="bold"), *(Padding(Text(f"· {item}"), (0, 0, 0, 1)) for item in items))

    def _transcript(self, d: Debrief, palette: Palette) -> RenderableType:
        rows: list[RenderableType] = [Text(_("The whole call"), style="bold")]
        for turn in d.turns:
            head = Text(_("Turn {turn}").format(turn=turn.turn), style="bold")
            for flag in turn.flags:
                head.append(f"  ⚑ {v.say(self.catalog.flags[flag].name)}", style=palette.warning)
            rows.append(head)
            lines = [Text(_("Caller: ") + v.say(line)) for line in turn.caller_lines]
            lines.append(Text(_("You: ") + self._reply(turn.action, turn.reply), style=palette.trainee))
            rows.append(Padding(Group(*lines), (0, 0, 0, 2)))
        return Group(*rows)

    # -- what next
    def action_next_call(self) -> None:
        self.dismiss("next")

    def action_replay(self) -> None:
        self.dismiss("replay")

    def action_home(self) -> None:
        self.dismiss("home")
