"""The cue audit: how well naive rules that read no red flag would do on a library, each beside chance.

Why: the trainer measures whether a trainee tells scam calls from real ones, and which reply spots a red flag.
If anything else gives the answer away (what the phone shows, a title, the shape of a call, where a reply is,
how long or short, its first word, words like 不 or 骗), the trainee learns that shortcut instead, and a real
scammer defeats it. Each rule here is a shortcut a trainee could learn; the audit measures how often it would
be right, and how often guessing would be. A rule that beats chance by more than `MARGIN` fails `validate
--strict`, unless the catalog's `known_cues` names it with a reason (a cue a later edition removes).

Two questions, two kinds of rule:
- "scam or real?", for a whole call. A rule learns from every other scenario of the library which kind goes
  with a feature (leave one out) and guesses the held-out one; chance always answers the other scenarios'
  majority kind. Features: the caller display drawn per run, the title's words, the id's words, the number
  of turns, the replies a turn offers, the kinds of phone events, and words that name the answer in text
  shown before the judgement (诈骗, 骗子, 真的 …).
- "which reply spots the red flag?", at every scam turn where some replies spot it and others don't. A rule
  picks one reply (ties shared evenly); chance picks one at random: the spotting replies over all replies.
  Position rules use the order each run shows, drawn by the engine from the seed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from roleplay.core.model import Catalog, Scenario
from roleplay.core.transcript import draw_display, reply_order

MARGIN = 0.10  # how far above chance a rule may be right; the authoring guide says why this much
SEEDS = range(40)  # runs sampled for what is drawn per run (caller display, reply order)
CUE_WORDS = ("不", "别", "没", "骗", "报警", "自己", "官方", "挂")
ANSWER_WORDS = ("诈骗", "骗子", "骗局", "是真的", "真的是", "正规", "冒充")

Question = Literal["scam-or-real", "spotting-reply"]
Status = Literal["ok", "over", "known"]


@dataclass(frozen=True)
class RuleResult:
    rule: str
    question: Question
    rate: float | None  # how often the rule is right; None when the library is too small to say
    chance: float | None
    status: Status

    def to_json(self) -> dict[str, object]:
        rate = None if self.rate is None else round(self.rate, 3)
        chance = None if self.chance is None else round(self.chance, 3)
        return {"rule": self.rule, "question": self.question, "rate": rate, "chance": chance,
                "margin": MARGIN, "status": self.status}  # fmt: skip


@dataclass(frozen=True)
class Audit:
    scenarios: int
    turns: int  # scam turns where a reply spots a flag and another does not
    results: tuple[RuleResult, ...]
    stale: tuple[str, ...] = ()  # `known_cues` that name no rule, or a rule the library now passes

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.status == "over")


# -- what a trainee can see that is not a red flag -----------------------------------------------------------


def number_shape(number: str) -> str:
    """What kind of number the phone shows: a mobile, a landline, a short service line, or something else."""
    digits = re.sub(r"\D", "", number)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return "mobile"
    if number.startswith("+") or digits.startswith("00"):
        return "overseas"
    if re.fullmatch(r"0\d{2,3}96110", digits):
        return "area code + 96110"
    if re.fullmatch(r"0\d{9,11}", digits):
        return "landline"
    if re.fullmatch(r"\d{5,8}", digits):
        return "service number"
    return "other"


def _displays(scenario: Scenario) -> list[Hashable]:
    """What the phone shows: a call or a chat, whether the trainee rang out, the name, the number's shape."""
    how = (scenario.channel, scenario.caller.dialled)
    return [
        (*how, name.zh, number_shape(number)) for name, number in (draw_display(scenario, s) for s in SEEDS)
    ]


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def shown_before_judgement(scenario: Scenario) -> Iterable[str]:
    """Every text a trainee can see before being asked "scam or real?": what the caller and the phone say,
    and the replies. (The endings come after the question.)"""
    for node in scenario.nodes.values():
        yield from (line.zh for line in node.say)
        for event in node.events:
            yield event.body.zh
            if event.title:
                yield event.title.zh
        yield from (choice.text.zh for choice in node.choices)


def _answer_words(scenario: Scenario) -> frozenset[str]:
    text = "\n".join(shown_before_judgement(scenario))
    return frozenset(word for word in ANSWER_WORDS if word in text)


SCENARIO_FEATURES: dict[str, Callable[[Scenario], list[Hashable]]] = {
    "caller-display": _displays,
    "title": lambda s: [_bigrams(s.title.zh)],
    # The id is shown where a trainee picks a call (`roleplay list`, `roleplay play ID`).
    "id-words": lambda s: [frozenset(s.id.split("-"))],
    "turns": lambda s: [len(s.nodes)],
    "replies-per-turn": lambda s: [round(sum(len(n.choices) for n in s.nodes.values()) / len(s.nodes))],
    "phone-events": lambda s: [frozenset(e.kind for n in s.nodes.values() for e in n.events)],
    "answer-words": lambda s: [_answer_words(s)],
}


def _guess(value: Hashable, seen: Sequence[tuple[Hashable, str]]) -> str | None:
    """The kind most often seen with `value` (for a set of words: with the most words in common); None
    when the others give no evidence either way (an unseen value, or a tie)."""
    votes: Counter[str] = Counter()
    for other, kind in seen:
        if isinstance(value, frozenset) and isinstance(other, frozenset) and value:
            votes[kind] += len(value & other)
        elif other == value:
            votes[kind] += 1
    top = votes.most_common(2)
    if not top or top[0][1] == 0 or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def _scam_or_real(
    scenarios: Sequence[Scenario], feature: Callable[[Scenario], list[Hashable]]
) -> tuple[float, float]:
    """Leave-one-out: each scenario guessed by the rule learned from the others. Chance is always answering
    the library's commoner kind; where the others give no evidence the rule does no better than that."""
    kinds = Counter(s.kind for s in scenarios)
    chance = max(kinds.values()) / len(scenarios)
    values = [feature(s) for s in scenarios]
    right = 0.0
    for i, held_out in enumerate(scenarios):
        rest = [(v, s.kind) for j, s in enumerate(scenarios) if j != i for v in values[j]]
        guesses = [_guess(v, rest) for v in values[i]]
        right += sum(chance if g is None else float(g == held_out.kind) for g in guesses) / len(guesses)
    return right / len(scenarios), chance


# -- which reply spots the flag ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Turn:
    scenario: str
    replies: tuple[str, ...]  # as written
    spots: tuple[bool, ...]
    orders: tuple[tuple[int, ...], ...]  # as the sampled runs show them


def _turns(scenarios: Sequence[Scenario]) -> list[_Turn]:
    out = []
    for scenario in scenarios:
        if scenario.kind != "scam":
            continue
        for node_id, node in scenario.nodes.items():
            spots = tuple(bool(set(c.spots) & set(node.flags)) for c in node.choices)
            if node.flags and any(spots) and not all(spots):
                orders = tuple(reply_order(scenario, seed, node_id) for seed in SEEDS)
                replies = tuple(c.text.zh for c in node.choices)
                out.append(_Turn(scenario.id, replies, spots, orders))
    return out


def _pick_best(scores: Sequence[float], spots: Sequence[bool]) -> float:
    """How often picking the top-scoring reply picks a spotting one (ties shared evenly)."""
    top = max(scores)
    picked = [s for score, s in zip(scores, spots, strict=True) if score == top]
    return sum(picked) / len(picked)


def _by_position(turn: _Turn, place: int) -> float:
    return sum(turn.spots[order[place]] for order in turn.orders) / len(turn.orders)


def _first_word_rates(turns: Sequence[_Turn], leave_out: str) -> dict[str, float]:
    seen: dict[str, list[bool]] = {}
    for turn in turns:
        if turn.scenario != leave_out:
            for reply, spot in zip(turn.replies, turn.spots, strict=True):
                seen.setdefault(reply[:1], []).append(spot)
    return {first: sum(s) / len(s) for first, s in seen.items()}


def _spotting_rules(turns: Sequence[_Turn]) -> dict[str, float]:
    def first_word(turn: _Turn) -> float:
        rates = _first_word_rates(turns, turn.scenario)
        return _pick_best([rates.get(r[:1], 0.0) for r in turn.replies], turn.spots)

    rules: dict[str, Callable[[_Turn], float]] = {
        "first-shown": lambda t: _by_position(t, 0),
        "last-shown": lambda t: _by_position(t, -1),
        "longest": lambda t: _pick_best([len(r) for r in t.replies], t.spots),
        # Rewriting the spotting replies short would only turn the cue around: both ends are measured.
        "shortest": lambda t: _pick_best([-len(r) for r in t.replies], t.spots),
        "first-word": first_word,
        "cue-words": lambda t: _pick_best([sum(r.count(w) for w in CUE_WORDS) for r in t.replies], t.spots),
    }
    return {name: sum(rule(t) for t in turns) / len(turns) for name, rule in rules.items()}


RULES = (
    *SCENARIO_FEATURES,
    "first-shown",
    "last-shown",
    "longest",
    "shortest",
    "first-word",
    "cue-words",
)


# -- the audit -----------------------------------------------------------------------------------------------


def _status(rule: str, rate: float | None, chance: float | None, known: Iterable[str]) -> Status:
    if rate is None or chance is None or rate <= chance + MARGIN:
        return "ok"
    return "known" if rule in known else "over"


def audit(scenarios: Sequence[Scenario], catalog: Catalog) -> Audit:
    """Every rule's rate and chance on `scenarios`. The "scam or real" rules need both kinds, two at least."""
    known = catalog.known_cues
    results = []
    both_kinds = len({s.kind for s in scenarios}) == 2 and len(scenarios) > 2
    for rule, feature in SCENARIO_FEATURES.items():
        rate, chance = _scam_or_real(scenarios, feature) if both_kinds else (None, None)
        results.append(RuleResult(rule, "scam-or-real", rate, chance, _status(rule, rate, chance, known)))
    turns = _turns(scenarios)
    if turns:
        chance = sum(sum(t.spots) / len(t.spots) for t in turns) / len(turns)
        for rule, rate in _spotting_rules(turns).items():
            results.append(
                RuleResult(rule, "spotting-reply", rate, chance, _status(rule, rate, chance, known))
            )
    over = {r.rule for r in results if r.status == "known"}
    measured = {r.rule for r in results if r.rate is not None}
    stale = tuple(sorted(k for k in known if k not in over and (k in measured or k not in RULES)))
    return Audit(len(scenarios), len(turns), tuple(results), stale)
