"""Line mode asks "scam or real?" before anything says how the call ended, for every ending of every shipped
scenario: what is printed up to the question never holds the ending's title, its closing lines, the outcome
or the money summary, and the call ends in the same words whatever the ending. After the answer, the ending
is told, then the debrief."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from roleplay import plain
from roleplay.authoring.walk import paths
from roleplay.core.engine import Call, act
from roleplay.core.events import CallEnded, EffectApplied, TraineeActed
from roleplay.core.languages import Language
from roleplay.core.model import Scenario
from roleplay.core.moves import Move
from roleplay.library.library import SCENARIO_DIR, Library
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _, set_language
from roleplay.text.sentences import outcome_sentence
from tests.moves import keys

SEEDS = (0, 1, 2, 7)
LANGUAGES: tuple[Language, ...] = ("zh", "en")
SCENARIOS = sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))


@pytest.fixture
def speaking() -> Iterator[None]:
    """Each test sets the interface language it reads; the default (Chinese) is put back after it."""
    yield
    set_language("zh")


def into_each_ending(scenario: Scenario) -> dict[str, list[Move]]:
    """The shortest path into each ending the call can reach (the first found, among equals)."""
    shortest: dict[str, list[Move]] = {}
    for path in paths(scenario):
        ending = path[-1].target
        if ending not in shortest or len(path) < len(shortest[ending]):
            shortest[ending] = path
    return shortest


def short(path: list[Move]) -> list[int | str]:
    """A path in the tests' short way of writing moves: a reply's number as written (from 1), "h", "v"."""
    return [
        "h" if m.action == "hang_up" else "v" if m.action == "verify" else (m.index or 0) + 1 for m in path
    ]


def played(scenario: Scenario, path: list[Move], seed: int) -> tuple[CallEnded, TraineeActed, list[str]]:
    """The ending the engine reaches along `path`, the last move, and the effect notes of that move."""
    call = Call(scenario, seed)
    call.start()
    events = []
    for move in path:
        events = act(call, move.action, move.index)
    ended = events[-1]
    acted = events[0]
    assert isinstance(ended, CallEnded) and isinstance(acted, TraineeActed)
    notes = [line for e in events if isinstance(e, EffectApplied) for line in plain.render_event(e)]
    return ended, acted, notes


def in_words(acted: TraineeActed, channel: str) -> str:
    """The trainee's move as line mode says it (a chat is left, a call hung up on)."""
    if acted.action == "hang_up":
        return v.hung_up(channel)
    if acted.action == "verify":
        return v.checked(channel)
    assert acted.text is not None
    return v.say(acted.text)


def line_mode(scenario: Scenario, library: Library, typed: list[str], seed: int) -> list[str]:
    """What line mode prints, with the answers piped in (each echoed after its prompt, as from a pipe)."""
    out = io.StringIO()
    status = plain.play(
        scenario, library.catalog, io.StringIO("".join(f"{k}\n" for k in typed)), out, seed=seed, as_json=True
    )
    assert status == plain.EXIT_DONE
    return out.getvalue().splitlines()


def test_the_whole_shipped_library_is_checked(library: Library) -> None:
    assert SCENARIOS and sorted(library.scenarios) == SCENARIOS


@pytest.mark.parametrize("scenario_id", SCENARIOS)
@pytest.mark.usefixtures("speaking")
def test_nothing_before_the_question_tells_how_the_call_ended(library: Library, scenario_id: str) -> None:
    scenario = library.get(scenario_id)
    endings = into_each_ending(scenario)
    assert endings, "no ending reachable"
    for lang in LANGUAGES:
        set_language(lang)
        chat = v.is_chat(scenario.channel)
        question = (
            _("Was this a scam? Type y (scam) or n (not a scam).")
            if chat
            else _("Was this a scam call? Type y (scam) or n (real call).")
        )
        over = _("--- The chat is over ---") if chat else _("--- The call is over ---")
        label = _("Outcome: {result}. Money lost: {money}. Given away: {items}.").split("{result}")[0]
        for ending_id, path in endings.items():
            for seed in SEEDS:
                where = f"{scenario_id} → {ending_id}, seed {seed}, {lang}"
                ended, acted, notes = played(scenario, path, seed)
                assert ended.ending == ending_id
                lines = line_mode(scenario, library, [*keys(scenario, *short(path), seed=seed), "y"], seed)
                asked = lines.index(question)
                before, after = "\n".join(lines[:asked]), lines[asked + 1 :]
                told = [
                    v.say(ended.title),
                    *(v.say(line) for line in ended.lines),
                    outcome_sentence(ended.outcome, ended.severity, ended.lost, ended.exposed),
                    label,
                ]
                for text in told:
                    assert text not in before, f"{where}: {text!r} is printed before the question"
                # The call ends in the same words for every ending: the last move, said in words, then over.
                last = _("You: {reply}").format(reply=in_words(acted, scenario.channel))
                end = [*notes, last, over, ""]
                assert lines[asked - len(end) : asked] == end, where
                assert lines[asked - len(end) - 1].startswith("> "), where  # right after the last answer
                # Then the answer, the ending (its closing lines, title and outcome), and the debrief.
                ending = plain.render_ending(ended)
                assert after[:2] == ["> y", ""], where
                assert after[2 : 2 + len(ending)] == ending, where
                assert after[2 + len(ending) : 4 + len(ending)] == ["", _("=== Debrief ===")], where
                debrief = json.loads(after[-1])
                assert (debrief["ending"], debrief["judged_scam"]) == (ending_id, True), where
