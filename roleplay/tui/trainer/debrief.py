"""复盘 / Debrief: how the call ended, each red flag spotted or missed, the safe way out, rules and sources.
Dismissed with what the trainee wants next: another call, this call again, or home.

The call screen asks whether it was a scam before it says how the call ended, so this screen is where the
ending is told. It opens on a summary that fits one screen at 80×24 (the ending, the verdict, each red flag
missed with the line that carried it, the one thing to remember); `d` shows the details: the whole call
turn by turn, each caller line quoted once, with the red flags met at each turn under it, then the police's
advice and the sources."""

from __future__ import annotations

from typing import Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from roleplay.core.debrief import Debrief, FlagMeeting, TurnRecord
from roleplay.core.events import Action
from roleplay.core.model import Catalog, Scenario
from roleplay.core.model import Text as TextModel
from roleplay.text import vocabulary as v
from roleplay.text.i18n import N_, _
from roleplay.text.sentences import behaviour_sentence, outcome_sentence, source_lines, truth_sentence
from roleplay.tui.render import Palette
from roleplay.tui.screen import TrainerScreen
from roleplay.tui.widgets.keys_footer import KeysFooter
from roleplay.tui.wrapped import Wrapped, wrapped

Next = Literal["next", "replay", "home"]

MISSED_IN_SUMMARY = 4  # more than this and the summary says how many more there are


class DebriefScreen(TrainerScreen[Next]):
    BINDINGS = [  # noqa: RUF012
        Binding("n", "next_call", N_("Next call")),
        Binding("r", "replay", N_("Play this call again")),
        Binding("d", "details", N_("Details")),
        Binding("escape", "home", N_("Home")),
    ]

    def __init__(self, scenario: Scenario, catalog: Catalog, result: Debrief) -> None:
        super().__init__()
        self.scenario = scenario
        self.catalog = catalog
        self.result = result
        self.showing_details = False

    def compose(self) -> ComposeResult:
        palette = Palette(self.app.theme_variables)
        yield Header(show_clock=False)
        with VerticalScroll(id="debrief"):
            for index, block in enumerate(self._summary(palette)):
                yield Static(block, classes="block summary" if index else "block summary first")
            for block in self._details(palette):
                yield Static(block, classes="block details")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Debrief")
        self.sub_title = v.say(self.scenario.title)
        self.query_one("#debrief", VerticalScroll).focus()

    def composed(self) -> None:
        self.set_class(self.showing_details, "-details")
        self.query_one("#debrief", VerticalScroll).focus()

    def action_details(self) -> None:
        """`d`: the details in place of the summary, and back."""
        self.showing_details = not self.showing_details
        self.set_class(self.showing_details, "-details")
        self.query_one("#debrief", VerticalScroll).scroll_home(animate=False)

    # -- the summary: one screen
    def _summary(self, palette: Palette) -> list[RenderableType]:
        d = self.result
        verdict: list[RenderableType] = []
        judgement = self._judgement(d, palette)
        if judgement:
            verdict.append(judgement)
        behaviour = behaviour_sentence(d)
        if behaviour:
            wrong = d.behaviour in ("miss", "false_alarm")
            verdict.append(wrapped(behaviour, style=f"bold {palette.error}" if wrong else ""))
        blocks: list[RenderableType] = [*self._before_ending(palette), self._ending(d, palette)]
        if verdict:
            blocks.append(Group(*verdict))
        blocks.append(self._missed(d, palette))
        remember = self._remember(d)
        if remember is not None:
            blocks.append(remember)
        blocks.append(
            Text(_("Press d for every red flag, the whole call and the police's advice."), style="dim")
        )
        return blocks

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
        closing = [wrapped(v.say(line), style="italic") for line in d.ending_lines]
        summary = wrapped(outcome_sentence(d.outcome, d.severity, d.lost, d.exposed))
        return Group(wrapped(head), *closing, summary)

    def _judgement(self, d: Debrief, palette: Palette) -> Wrapped | None:
        if d.judged_scam is None:
            return None
        verdict = _("You judged it a scam.") if d.judged_scam else _("You judged it a real call.")
        truth = truth_sentence(d.kind == "scam", d.judged_scam)
        right = _("Right.") if d.judged_right else _("Not right.")
        text = Text(_("{verdict} {truth} {right}").format(verdict=verdict, truth=truth, right=""))
        text.append(right, style=f"bold {palette.trainee if d.judged_right else palette.error}")
        return Wrapped(text)

    def _missed(self, d: Debrief, palette: Palette) -> RenderableType:
        """The tally, then each red flag missed on one line: its name and the words that carried it."""
        if not d.flags:
            if d.kind == "legit":
                return Text(_("This was a real call: it had no red flags."))
            return Text(_("No red flags were met."))
        rows: list[RenderableType] = [
            Text(_("Red flags: spotted {spotted} of {total}").format(spotted=d.spotted, total=len(d.flags)))
        ]
        missed: list[FlagMeeting] = []  # each red flag once, where it was first missed
        for f in d.flags:
            if f.status == "missed" and all(m.flag != f.flag for m in missed):
                missed.append(f)
        for f in missed[:MISSED_IN_SUMMARY]:
            row = Text("✗ ", style=f"bold {palette.error}", no_wrap=True, overflow="ellipsis")
            row.append(v.say(f.name), style="bold")
            row.append(_("  “{line}”").format(line=v.say(f.caller_line)))
            rows.append(row)
        if len(missed) > MISSED_IN_SUMMARY:
            more = len(missed) - MISSED_IN_SUMMARY
            rows.append(Text(_("…and {count} more: press d.").format(count=more), style="dim"))
        return Group(*rows)

    def _remember(self, d: Debrief) -> RenderableType | None:
        """The one thing to take away: the ending's lesson, else the first of the police's rules."""
        if d.lesson:
            text = v.say(d.lesson)
        elif d.rules:
            text = v.say(d.rules[0])
        else:
            return None
        head = Text(_("Remember: "), style="bold")
        head.append(text)
        return Wrapped(head)

    # -- the details: the call turn by turn, then the advice and the sources
    def _details(self, palette: Palette) -> list[RenderableType]:
        d = self.result
        sources = source_lines(d)
        head = Text(_("The whole call, turn by turn"), style="bold")
        head.append("   " + _("d: back to the summary"), style="dim")
        blocks: list[RenderableType] = [head]
        if d.earliest_safe_exit is not None:
            blocks.append(
                wrapped(
                    _("The call could have ended safely at turn {turn}.").format(turn=d.earliest_safe_exit)
                )
            )
        blocks += [self._turn(turn, d, palette) for turn in d.turns]
        blocks += [
            self._listing(_("What the police advise"), [v.say(rule) for rule in d.rules]),
            self._listing(_("Sources"), sources),
        ]
        return blocks

    def _turn(self, turn: TurnRecord, d: Debrief, palette: Palette) -> RenderableType:
        rows: list[RenderableType] = [Text(_("Turn {turn}").format(turn=turn.turn), style="bold")]
        said = [wrapped(_("Caller: ") + v.say(line)) for line in turn.caller_lines]
        met = [f for f in d.flags if f.turn == turn.turn]
        shown = met[0].shown if met else ()
        said += [wrapped(_("The phone showed: {text}").format(text=v.say(t))) for t in shown]
        reply = wrapped(_("You: ") + self._reply(turn.action, turn.reply), style=palette.trainee)
        rows.append(Padding(Group(*said, reply), (0, 0, 0, 2)))
        spotted = [f for f in met if f.status == "spotted"]
        for f in met:
            rows.append(Padding(self._meeting(f, spotted, palette), (0, 0, 0, 2)))
        return Group(*rows)

    def _meeting(self, f: FlagMeeting, spotted: list[FlagMeeting], palette: Palette) -> RenderableType:
        ok = f.status == "spotted"
        colour = palette.trainee if ok else palette.error
        mark = Text("✓ " + _("spotted") if ok else "✗ " + _("missed"), style=f"bold {colour}")
        mark.append(" · ")
        mark.append(v.say(f.name), style="bold")
        details: list[RenderableType] = [wrapped(_("Why it matters: {why}").format(why=v.say(f.why)))]
        if not ok:
            if spotted and f.action == "reply":  # the same reply spotted another flag of this turn
                names = _(", ").join(v.say(s.name) for s in spotted)
                why = _("Your reply answered “{spotted}”, not this.").format(spotted=names)
                details.append(wrapped(why))
            safe = _("A safe reply: {reply}").format(reply=v.say(f.safe_reply))
            details.append(wrapped(safe, style=palette.trainee))
        return Group(Wrapped(mark), Padding(Group(*details), (0, 0, 0, 2)))

    def _reply(self, action: Action, reply: TextModel | None) -> str:
        if action == "hang_up":
            return v.hung_up(self.scenario.channel)
        if action == "verify":
            return v.checked(self.scenario.channel)
        return v.say(reply) if reply else ""

    @staticmethod
    def _listing(title: str, items: list[str]) -> RenderableType:
        return Group(
            Text(title, style="bold"), *(Padding(wrapped(f"· {item}"), (0, 0, 0, 1)) for item in items)
        )

    # -- what next
    def action_next_call(self) -> None:
        self.dismiss("next")

    def action_replay(self) -> None:
        self.dismiss("replay")

    def action_home(self) -> None:
        self.dismiss("home")
