"""A quick-fire round: many short judgements, "scam or real?", each on the opening of a call or on a moment
later in one when something arrives on the phone (an SMS, a chat message, an app's prompt), all drawn from
the library, so the round needs no prose of its own. Two parallel forms, A and B, share no item, for a
before and an after; a workshop deals three, A, B and C, the third for a follow-up weeks later. Pure:
scenarios in, items and tallies out.

How a form is made, and why:
- An item is one turn of one scenario. A call's opening is an item (a scam's only when that turn carries a
  red flag, so there is something to point at afterwards). A later turn is an item when the phone shows
  something there, and, in a scam, that turn carries a red flag, or, in a real call, it carries none (a real
  courier's unordered cash-on-delivery parcel is a scam inside a real call: no fair question).
- A form has as many real calls as the library can give each form without sharing one, at most 10, and as
  many scams, or more scams to make at least 12 items (fewer judgements leave d′ too coarse to compare a
  before and an after); at most 20 (a round stays a few minutes). With today's library: 10 real, 10 scams in
  a pair of forms; 8 real, 8 scams each when three are dealt.
- Openings are dealt to A and B alternately, in an order fixed by each item's name, so each form gets half
  of each kind; later turns then fill each form, preferring a scenario the form does not have yet and a
  text message. So the same letter always holds the same items for a given library, and a before and an
  after can be compared across trainees and workshops.
- The `key` (empty for the trainer, the workshop id in the presenter) only shuffles the order and draws the
  names and amounts each item shows: two workshops take the same test, worded a little differently.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from roleplay.core.engine import Call
from roleplay.core.events import CallerSpoke, PhoneShowed
from roleplay.core.model import Catalog, RedFlag, Scenario, Text
from roleplay.core.moves import moves

Letter = Literal["A", "B", "C"]
LETTERS: tuple[Letter, ...] = ("A", "B")  # a trainee's before and after
WITH_FOLLOW_UP: tuple[Letter, ...] = ("A", "B", "C")  # a workshop's: before, after, and weeks later
Kind = Literal["scam", "legit"]
KINDS: tuple[Kind, ...] = ("scam", "legit")

MIN_ITEMS = 12  # fewer judgements leave d′ too coarse to compare a before and an after
MAX_ITEMS = 20  # a few seconds each: a round stays a few minutes
MAX_REAL = MAX_ITEMS // 2


class QuizError(Exception):
    """The library cannot make a round (too few scenarios), or an answer does not fit the form."""


@dataclass(frozen=True)
class QuizItem:
    """One judgement: what the phone shows and what is said at one turn of one scenario, filled for this item.
    `kind` is the answer; `flags` (a scam's) and `real_signal` (a real call's) say why afterwards."""

    number: int  # 1-based, its place in the form
    scenario: str
    node: str
    opening: bool  # the call's first turn; else a later turn, when something arrives on the phone
    turn: int  # the earliest turn of the call this can be
    kind: Kind
    channel: str
    perspective: str
    seed: int  # draws the names and amounts it shows, as a call of that seed would
    caller_name: Text
    caller_number: str
    lines: tuple[CallerSpoke, ...]
    shown: tuple[PhoneShowed, ...]
    flags: tuple[str, ...]  # the red flags of this turn: why a scam is a scam
    real_signal: Text | None  # a real call: what made it real, in its scenario's own words

    @property
    def is_scam(self) -> bool:
        return self.kind == "scam"

    def red_flags(self, catalog: Catalog) -> tuple[RedFlag, ...]:
        """The red flags of a scam item, from the catalog (none for a real call)."""
        return tuple(catalog.flags[f] for f in self.flags) if self.is_scam else ()


@dataclass(frozen=True)
class Form:
    letter: Letter
    key: str
    items: tuple[QuizItem, ...]

    @property
    def scams(self) -> int:
        return sum(1 for item in self.items if item.is_scam)

    @property
    def reals(self) -> int:
        return len(self.items) - self.scams


@dataclass(frozen=True)
class Answer:
    item: QuizItem
    said_scam: bool

    @property
    def right(self) -> bool:
        return self.said_scam == self.item.is_scam


@dataclass(frozen=True)
class QuizResult:
    """A finished round: every item of the form and what was said of it."""

    form: Form
    answers: tuple[Answer, ...]

    @classmethod
    def of(cls, form: Form, said_scam: Sequence[bool]) -> QuizResult:
        if len(said_scam) != len(form.items):
            raise QuizError(f"form {form.letter} has {len(form.items)} items, not {len(said_scam)} answers")
        return cls(form, tuple(Answer(item, said) for item, said in zip(form.items, said_scam, strict=True)))

    @property
    def right(self) -> int:
        return sum(1 for a in self.answers if a.right)

    @property
    def hits(self) -> int:
        return sum(1 for a in self.answers if a.item.is_scam and a.said_scam)

    @property
    def misses(self) -> int:
        return sum(1 for a in self.answers if a.item.is_scam and not a.said_scam)

    @property
    def false_alarms(self) -> int:
        return sum(1 for a in self.answers if not a.item.is_scam and a.said_scam)

    @property
    def correct_rejections(self) -> int:
        return sum(1 for a in self.answers if not a.item.is_scam and not a.said_scam)

    def counts(self) -> dict[tuple[str, bool], int]:
        """By (kind, judged a scam), as `roleplay.history.discernment.Discernment.from_counts` takes them."""
        return {
            ("scam", True): self.hits,
            ("scam", False): self.misses,
            ("legit", True): self.false_alarms,
            ("legit", False): self.correct_rejections,
        }


# -- the items a library offers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    scenario: str
    node: str
    opening: bool
    kind: Kind
    turn: int
    texts: bool  # the phone shows a text message here

    @property
    def rank(self) -> bytes:
        """A fixed order that depends only on the item's name: the same library deals the same forms."""
        return hashlib.sha256(f"roleplay-quiz/{self.scenario}/{self.node}".encode()).digest()


def _turns(scenario: Scenario) -> dict[str, int]:
    """The earliest turn at which each node can come (the opening is turn 1)."""
    turns = {scenario.start: 1}
    frontier = [scenario.start]
    while frontier:
        following: list[str] = []
        for node_id in frontier:
            for move in moves(scenario, node_id):
                if move.target in scenario.nodes and move.target not in turns:
                    turns[move.target] = turns[node_id] + 1
                    following.append(move.target)
        frontier = following
    return turns


def candidates(scenarios: Mapping[str, Scenario]) -> list[Candidate]:
    """Every turn of the library that makes a fair item (see the module's notes), in the library's order."""
    found: list[Candidate] = []
    # A channel only one kind of call uses would tell the answer by itself (today every WeChat call is a
    # scam): its calls give no item until the library has both kinds there.
    kinds_by_channel: dict[str, set[str]] = {}
    for scenario in scenarios.values():
        kinds_by_channel.setdefault(scenario.channel, set()).add(scenario.kind)
    for scenario_id in sorted(scenarios):
        scenario = scenarios[scenario_id]
        if len(kinds_by_channel[scenario.channel]) < len({s.kind for s in scenarios.values()}):
            continue
        for node_id, turn in _turns(scenario).items():
            node = scenario.nodes[node_id]
            opening = node_id == scenario.start
            scam = scenario.kind == "scam"
            # An opening: a real call's always, a scam's with a red flag. Later: the phone shows something,
            # and the turn has red flags exactly when the call is a scam.
            fair = (
                (bool(node.flags) or not scam)
                if opening
                else (bool(node.events) and bool(node.flags) == scam)
            )
            if fair:
                texts = any(e.kind == "sms" for e in node.events)
                found.append(Candidate(scenario_id, node_id, opening, scenario.kind, turn, texts))
    return found


def form_sizes(pool: Sequence[Candidate], count: int = len(LETTERS)) -> dict[Kind, int]:
    """How many scams and real calls each of `count` forms holds (see the module's notes)."""
    available = {kind: sum(1 for c in pool if c.kind == kind) // count for kind in KINDS}
    real = min(available["legit"], MAX_REAL)
    scam = min(available["scam"], max(real, MIN_ITEMS - real), MAX_ITEMS - real)
    return {"scam": scam, "legit": real}


def _deal(pool: Sequence[Candidate], letters: tuple[Letter, ...]) -> dict[Letter, list[Candidate]]:
    sizes = form_sizes(pool, len(letters))
    dealt: dict[Letter, list[Candidate]] = {letter: [] for letter in letters}
    for kind in KINDS:
        want = sizes[kind]
        openings = sorted((c for c in pool if c.kind == kind and c.opening), key=lambda c: c.rank)
        later = sorted((c for c in pool if c.kind == kind and not c.opening), key=lambda c: c.rank)
        for number, letter in enumerate(letters):
            dealt[letter] += openings[number :: len(letters)][:want]
        # Openings left over (a kind with more of them than a form needs) are later turns' rivals too.
        spare = [c for c in openings if not any(c in dealt[letter] for letter in letters)]
        later = spare + later
        while later:
            short = [letter for letter in letters if sum(1 for c in dealt[letter] if c.kind == kind) < want]
            if not short:
                break
            for letter in short:
                if not later:
                    break
                has = {c.scenario for c in dealt[letter]}
                best = min(later, key=lambda c: (c.scenario in has, not c.texts, c.rank))
                later.remove(best)
                dealt[letter].append(best)
    return dealt


def _apart(order: list[Candidate]) -> list[Candidate]:
    """The same order, but no two turns of one scenario one after the other where another item can go
    between them: the second would only be judged by the first."""
    order = list(order)
    for at in range(1, len(order)):
        if order[at].scenario == order[at - 1].scenario:
            later = next(
                (i for i in range(at + 1, len(order)) if order[i].scenario != order[at - 1].scenario), None
            )
            if later is not None:
                order[at], order[later] = order[later], order[at]
    return order


def _seed(key: str, candidate: Candidate) -> int:
    digest = hashlib.sha256(f"{key}/{candidate.scenario}/{candidate.node}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def real_signal(scenario: Scenario) -> Text | None:
    """What made a real call real, in the scenario's own words: the lesson of the ending reached by carrying
    on with the call, treating it as real and staying safe (not by hanging up, checking, or sending the
    caller away); else the lesson of checking."""
    if scenario.kind != "legit":
        return None
    escapes = {m.target for n in scenario.nodes for m in moves(scenario, n) if m.action != "reply"}
    carried_on = [
        e
        for e_id, e in scenario.endings.items()
        if e.severity == "safe" and not e.treated_as_scam and e_id not in escapes
    ]
    if carried_on:
        return carried_on[0].lesson
    checked = scenario.endings.get(scenario.verify)
    return checked.lesson if checked is not None else scenario.summary


def _item(scenario: Scenario, candidate: Candidate, number: int, key: str) -> QuizItem:
    seed = _seed(key, candidate)
    call = Call(scenario, seed)
    heard = call.heard_at(candidate.node, candidate.turn)  # the turn as this run would show it
    lines = tuple(e for e in heard if isinstance(e, CallerSpoke))
    shown = tuple(e for e in heard if isinstance(e, PhoneShowed))
    call.close()  # never played: off the shared machine
    signal = real_signal(scenario)
    return QuizItem(
        number=number,
        scenario=scenario.id,
        node=candidate.node,
        opening=candidate.opening,
        turn=candidate.turn,
        kind=scenario.kind,
        channel=scenario.channel,
        perspective=scenario.perspective,
        seed=seed,
        caller_name=call.caller_name,
        caller_number=call.caller_number,
        lines=lines,
        shown=shown,
        flags=scenario.nodes[candidate.node].flags if scenario.kind == "scam" else (),
        real_signal=call.fill(signal) if signal is not None else None,
    )


def forms(
    scenarios: Mapping[str, Scenario], key: str = "", letters: tuple[Letter, ...] = LETTERS
) -> dict[Letter, Form]:
    """Forms A and B of this library (and C, when `letters` asks for a follow-up form too): the same items
    for the same library, ordered and worded by `key`. Dealt three ways, each form holds fewer items than
    in a pair. Raises QuizError when the library cannot give each form an item."""
    dealt = _deal(candidates(scenarios), letters)
    if not all(dealt.values()):
        raise QuizError(f"the library has too few scenarios for a quick-fire round ({len(letters)} forms)")
    made: dict[Letter, Form] = {}
    for letter, chosen in dealt.items():
        order = sorted(chosen, key=lambda c: c.rank)
        random.Random(f"{key}/{letter}/order").shuffle(order)
        order = _apart(order)
        items = tuple(_item(scenarios[c.scenario], c, n, key) for n, c in enumerate(order, 1))
        made[letter] = Form(letter, key, items)
    return made


def form(scenarios: Mapping[str, Scenario], letter: Letter, key: str = "") -> Form:
    return forms(scenarios, key)[letter]
