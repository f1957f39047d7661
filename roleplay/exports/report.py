"""Reports over the history, for a workshop's handout, a facilitator's records, or one's own practice: the
model (`Report`), built from the history's queries; formats.py puts it in one of the formats.

Why it is built this way: the report is first a model, built from a handful of SQL GROUP BY queries —
never by loading every call, so 100,000 recorded calls still report in well under a second — and then
rendered as Markdown (markdown.py), CSV (spreadsheet.py) or one self-contained HTML file (html.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from roleplay.core.model import Source, Text
from roleplay.history.clock import utc_now
from roleplay.history.discernment import NO_JUDGEMENTS, Discernment
from roleplay.history.flags import flag_counts
from roleplay.history.played import count_trainees, recorded_title
from roleplay.history.records import ALL_PHASES, Phase, Workshop
from roleplay.history.scope import Scope
from roleplay.history.store import Store
from roleplay.history.totals import CallGroup, CallTotals, call_groups
from roleplay.history.versions import Versions
from roleplay.history.workshops import PairedChange, paired_change, phase_discernment
from roleplay.library.library import Library

TOP_FLAGS = 10
HANDOUT_FLAGS = 3  # the most missed red flags the residents' page names
HANDOUT_RULES = (
    5  # and the rules it asks them to remember: with the flags, one printed page in either language
)


@dataclass(frozen=True)
class FlagRow:
    flag: str
    name: Text
    met: int
    spotted: int
    missed: int
    instead: Text  # the catalog's advice: what to do instead
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class TestItemRow:
    """How the room answered one item of the quick-fire test before or after the talk."""

    phase: Phase
    item: int
    title: Text  # the scenario the excerpt came from
    kind: str
    said_scam: int
    said_not: int

    @property
    def right(self) -> int:
        return self.said_scam if self.kind == "scam" else self.said_not


@dataclass(frozen=True)
class ScenarioRow:
    scenario: str
    title: Text
    kind: str
    calls: int
    finished: int
    abandoned: int
    safe: int
    loss: int
    money_lost: int
    judged: int
    judged_right: int
    acted: int  # finished calls whose behaviour is known (real calls saved before it was recorded are not)
    acted_right: int  # scams treated as scams, real calls as real
    spotted: int
    missed: int
    older_versions: int  # calls recorded against another version of the scenario file


@dataclass(frozen=True)
class Report(CallTotals):
    """The totals of the calls in scope (a workshop, a trainee, or all), and what they are made of."""

    generated_at: datetime
    workshop: Workshop | None
    trainee: str | None
    trainees: int
    flags: tuple[FlagRow, ...]  # the most missed first
    scenarios: tuple[ScenarioRow, ...]
    tests: dict[Phase, Discernment] = field(default_factory=dict)  # workshops: the room before and after
    # The catalog's rules for this room, in the catalog's order: those for every call, and those for the red
    # flags it met most; each with the flags it is about (none: every call).
    remember: tuple[tuple[Text, tuple[str, ...]], ...] = ()
    test_items: tuple[TestItemRow, ...] = ()  # workshops: each item's answers, before then after
    # Workshops with phones: the same residents in two tests (pre → post; post → follow-up), where any did.
    paired: dict[tuple[Phase, Phase], PairedChange] = field(default_factory=dict)

    @property
    def handout_rules(self) -> tuple[Text, ...]:
        """The rules the residents' page lists: first those about the red flags this room missed most, then
        those for every call, then the rest, at most HANDOUT_RULES, in the catalog's order."""
        missed = {f.flag for f in self.most_missed}

        def rank(rule: tuple[Text, tuple[str, ...]]) -> int:
            return 0 if missed & set(rule[1]) else 1 if not rule[1] else 2

        chosen = sorted(self.remember, key=rank)[:HANDOUT_RULES]
        return tuple(text for text, flags in self.remember if (text, flags) in chosen)

    @property
    def most_missed(self) -> tuple[FlagRow, ...]:
        """The red flags the handout tells residents about: missed at least once, the most missed first."""
        return tuple(f for f in self.flags if f.missed)[:HANDOUT_FLAGS]

    @property
    def d_prime_change(self) -> float | None:
        pre, post = self.tests.get("pre"), self.tests.get("post")
        if pre is None or post is None or pre.d_prime is None or post.d_prime is None:
            return None
        return post.d_prime - pre.d_prime


def build_report(
    store: Store,
    library: Library,
    *,
    workshop_id: str | None = None,
    trainee: str | None = None,
    top_flags: int = TOP_FLAGS,
    now: datetime | None = None,
) -> Report:
    """Aggregate the calls in scope (a workshop, a trainee, or all). Raises UnknownWorkshop."""
    workshop = store.workshop(workshop_id) if workshop_id is not None else None
    scope = Scope(trainee=trainee, workshop_id=workshop.id if workshop else None)
    groups = call_groups(store, scope)
    tests: dict[Phase, Discernment] = {}
    items: list[TestItemRow] = []
    if workshop is not None:
        answers = sorted(store.test_answers(workshop.id), key=lambda a: (ALL_PHASES.index(a.phase), a.item))
        items = [
            TestItemRow(
                a.phase,
                a.item,
                _scenario_title(store, library, a.scenario),
                a.kind,
                a.said_scam,
                a.said_not,
            )
            for a in answers
        ]
        for phase in ALL_PHASES:
            result = phase_discernment(store, workshop.id, phase)
            if result != NO_JUDGEMENTS:
                tests[phase] = result
        paired = _paired(store, workshop.id, {(a.phase, a.item): a.kind for a in answers})
    flags = _flag_rows(store, library, scope, top_flags)
    met = {f.flag for f in flags}
    remember = tuple((r.text, r.flags) for r in library.catalog.rules if not r.flags or met & set(r.flags))
    return Report(
        **CallTotals.of(groups).as_fields(),
        generated_at=now or utc_now(),
        workshop=workshop,
        trainee=trainee,
        trainees=count_trainees(store, scope),
        flags=flags,
        scenarios=_scenario_rows(store, library, groups),
        tests=tests,
        remember=remember,
        test_items=tuple(items),
        paired=paired if workshop is not None else {},
    )


def _paired(
    store: Store, workshop_id: str, kinds: Mapping[tuple[str, int], str]
) -> dict[tuple[Phase, Phase], PairedChange]:
    """Each phone's answers paired across two tests, where any phone answered both (`kinds`: each test
    item's truth, as the room's answers recorded it)."""
    phones = store.device_answers(workshop_id)
    pairs: tuple[tuple[Phase, Phase], ...] = (("pre", "post"), ("post", "follow"))
    found = {pair: paired_change(phones, kinds, *pair) for pair in pairs}
    return {pair: change for pair, change in found.items() if change.residents}


def _flag_rows(store: Store, library: Library, scope: Scope, top: int) -> tuple[FlagRow, ...]:
    ranked = sorted(flag_counts(store, scope), key=lambda c: (-c.missed, -c.met, c.flag))[:top]
    catalog = library.catalog
    out = []
    for c in ranked:
        flag = catalog.flags.get(c.flag)
        if flag is None:  # a flag since removed from the catalog: still counted, with no advice to give
            name = Text(zh=c.flag, en=c.flag)
            out.append(FlagRow(c.flag, name, c.met, c.spotted, c.missed, name, ()))
            continue
        sources = tuple(catalog.sources[s] for s in flag.sources if s in catalog.sources)
        out.append(FlagRow(c.flag, flag.name, c.met, c.spotted, c.missed, flag.instead, sources))
    return tuple(out)


def _scenario_rows(store: Store, library: Library, groups: list[CallGroup]) -> tuple[ScenarioRow, ...]:
    """Per scenario, summed over its groups; calls recorded against another file version are counted."""
    versions = Versions(library)
    by_scenario: dict[str, list[CallGroup]] = {}
    for g in groups:
        by_scenario.setdefault(g.scenario, []).append(g)
    out = []
    for scenario_id, its in by_scenario.items():
        current = versions.current(scenario_id)
        t = CallTotals.of(its)
        out.append(
            ScenarioRow(
                scenario_id,
                _scenario_title(store, library, scenario_id),
                its[-1].kind,
                calls=t.calls,
                finished=t.finished,
                abandoned=t.abandoned,
                safe=t.safe,
                loss=t.loss,
                money_lost=t.money_lost,
                judged=t.discernment.judged,
                judged_right=t.discernment.judged_right,
                acted=t.behaviour.judged,
                acted_right=t.behaviour.judged_right,
                spotted=t.flags_spotted,
                missed=t.flags_missed,
                older_versions=sum(
                    g.calls for g in its if current is not None and g.scenario_hash != current
                ),
            )
        )
    out.sort(key=lambda s: (-s.calls, s.scenario))
    return tuple(out)


def _scenario_title(store: Store, library: Library, scenario_id: str) -> Text:
    """The library's title; for a scenario no longer there, the title recorded with its calls."""
    if scenario_id in library.scenarios:
        return library.scenarios[scenario_id].title
    return recorded_title(store, scenario_id) or Text(zh=scenario_id, en=scenario_id)
