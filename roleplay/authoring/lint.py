"""Warnings for scenario authors: what loads and plays, but reads badly, teaches badly or tells a wrong story.

`roleplay validate` stops what cannot run (the errors in `checks`). As police officers and volunteers add
scenarios for their own districts, the library also needs a second reader for what runs but misleads: a scam
turn that teaches no red flag, an English line that was never translated, a line too long for an 80-column
terminal, a reply credited with spotting a flag the turn does not have, an ending that tells a different
amount than the trainee actually lost, a red flag of a turn of several lines that does not say which line
carries it, and catalog flags no scenario teaches. `roleplay validate --strict` prints these as
`FILE:LINE: warning: …` and fails on them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from roleplay.core.model import (
    CALLER_NUMBER,
    LANGUAGES,
    Catalog,
    Effects,
    Scenario,
    Text,
    amount_terms,
    amount_variables_of,
    yuan,
)
from roleplay.core.moves import moves
from roleplay.library import checks
from roleplay.library.library import CATALOG_PATH, Library, scenario_files
from roleplay.library.loader import read_document
from roleplay.library.problems import Problem, display_path
from roleplay.library.yamlread import Document
from roleplay.library.yamlread import Path as DataPath

MAX_CELLS = 160  # two rows of an 80-column terminal
# Distinct (money paid, things given away) a call may carry into one place before we stop listing them.
MAX_STATES_PER_PLACE = 256
MAX_MONEY_DRAWS = 64  # combinations of amount variables checked (a scenario has one or two, of 2 or 3 values)

_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def cells(text: str) -> int:
    """Terminal cells a text takes: East Asian wide and fullwidth characters take two, combining marks none.
    Ambiguous-width punctuation (“ ” …) counts one, as the README tells users to set their terminal."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _warning(file: str, doc: Document, path: DataPath, message: str, hint: str) -> Problem:
    return Problem(file, doc.line_of(path), message, hint, level="warning")


def _variable_texts(scenario: Scenario, doc: Document) -> Iterator[tuple[DataPath, Text]]:
    """Variable values written as a `{zh:, en:}` pair. A plain value ("89", a phone number) is meant to read
    the same in both languages, so only pairs can be missing their English."""
    raw = doc.data.get("variables") if isinstance(doc.data, dict) else None
    for name, values in scenario.variables.items():
        written = raw.get(name) if isinstance(raw, dict) else None
        for i, value in enumerate(values):
            if isinstance(written, list) and i < len(written) and isinstance(written[i], dict):
                yield ("variables", name, i), value


def _missing_english(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    texts = [*checks.texts(scenario), *_variable_texts(scenario, doc)]
    for path, text in texts:
        if not _CHINESE.search(text.zh):
            continue  # a number, a web address, a name in Latin letters: nothing to translate
        quoted = repr(text.zh if len(text.zh) <= 24 else text.zh[:23] + "…")
        if text.en == text.zh:
            yield _warning(
                file,
                doc,
                (*path, "en"),
                f"no English for {quoted}: `en:` is the Chinese text",
                "translate it",
            )
        elif not _LATIN.search(text.en):
            yield _warning(
                file,
                doc,
                (*path, "en"),
                f"no English for {quoted}: `en:` has no Latin letters ({text.en!r})",
                "translate it",
            )


def _widest_values(scenario: Scenario) -> dict[str, Text]:
    """Each variable at its widest, in each language: a line must fit whatever a run draws."""
    widest = {
        name: Text.model_construct(
            zh=max((v.zh for v in values), key=cells, default=""),
            en=max((v.en for v in values), key=cells, default=""),
        )
        for name, values in scenario.variables.items()
    }
    number = max((d.number for d in scenario.caller.displays), key=cells)
    widest[CALLER_NUMBER] = Text.model_construct(zh=number, en=number)
    return widest


def _spoken(scenario: Scenario) -> Iterator[tuple[DataPath, Text, str]]:
    """What the caller says (the ending's last lines too) and every reply, with what it is called."""
    for node_id, node in scenario.nodes.items():
        for i, line in enumerate(node.say):
            yield ("nodes", node_id, "say", i), line, "caller line"
        for i, choice in enumerate(node.choices):
            yield ("nodes", node_id, "choices", i, "text"), choice.text, "reply"
    for ending_id, ending in scenario.endings.items():
        for i, line in enumerate(ending.say):
            yield ("endings", ending_id, "say", i), line, "closing line"


def _too_long(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    widest = _widest_values(scenario)
    for path, text, what in _spoken(scenario):
        filled = text.fill(widest)
        for lang in LANGUAGES:
            width = cells(filled.get(lang))
            if width > MAX_CELLS:
                yield _warning(
                    file,
                    doc,
                    (*path, lang),
                    f"this {what}'s {_LANGUAGE_NAMES[lang]} is {width} columns wide (more than {MAX_CELLS}, "
                    "two rows of an 80-column terminal)",
                    "split it into two lines or shorten it",
                )


def _turns(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    for node_id, node in scenario.nodes.items():
        if scenario.kind == "scam" and not node.flags and node.speaker is None:
            yield _warning(
                file,
                doc,
                ("nodes", node_id),
                f"scam turn '{node_id}' has no red flag",
                "name the tactic of this turn in `flags:`, so the debrief can teach it",
            )
        if len(node.say) > 1:
            for flag in node.flags:
                if flag not in node.flag_lines:
                    yield _warning(
                        file,
                        doc,
                        ("nodes", node_id, "flags"),
                        f"which line of turn '{node_id}' carries red flag '{flag}'?",
                        f"add `flag_lines: {{{flag}: N}}`, N the line of `say` (the first is 1), so the "
                        "debrief can quote it",
                    )
        for i, choice in enumerate(node.choices):
            for flag in choice.spots:
                if flag not in node.flags:
                    yield _warning(
                        file,
                        doc,
                        ("nodes", node_id, "choices", i, "spots"),
                        f"this reply spots '{flag}', which is not a red flag of turn '{node_id}'",
                        "add it to the turn's `flags:` or remove it from `spots:`",
                    )


# How a call stands on arriving somewhere: yuan paid so far and what was given away.
Standing = tuple[int, frozenset[str]]
# For one standing at one place: where it came from (place, standing, move), or None at the start.
Came = tuple[str, Standing, str] | None


def arrivals(scenario: Scenario, drawn: Mapping[str, Text] | None = None) -> dict[str, dict[Standing, Came]]:
    """Every standing a call can reach each place with, and how: a dynamic programme over the turns in
    topological order, so it costs (places x standings) rather than one walk per path. `drawn`: the values
    of the variables that amounts name, for one run."""
    drawn = drawn or {}
    reached: dict[str, dict[Standing, Came]] = {scenario.start: {(0, frozenset()): None}}
    for here in checks.turn_order(scenario):
        node = scenario.nodes[here]
        for standing in list(reached.get(here, {})):
            for move in moves(scenario, here):
                index = move.index
                effects = node.choices[index].effects if index is not None else Effects()
                after = (standing[0] + yuan(effects.pay, drawn), standing[1] | frozenset(effects.give))
                said = f"reply {index + 1}" if index is not None else move.action.replace("_", " ")
                bucket = reached.setdefault(move.target, {})
                if after not in bucket and len(bucket) < MAX_STATES_PER_PLACE:
                    bucket[after] = (here, standing, said)
    return reached


def _route(reached: dict[str, dict[Standing, Came]], place: str, standing: Standing) -> str:
    steps: list[str] = []
    came = reached[place][standing]
    while came is not None:
        here, standing, move = came
        steps.append(f"{here} ({move})")
        came = reached[here][standing]
    return " → ".join(reversed(steps))


def money_draws(scenario: Scenario) -> list[dict[str, Text]]:
    """Each combination of values of the variables that amounts name (one empty draw when none do), at most
    MAX_MONEY_DRAWS of them: the sums are checked for every run the seed can draw."""
    names = sorted(
        {n for _, a in scenario.amounts() for n in amount_variables_of(a) if n in scenario.variables}
    )
    combinations = itertools.product(*(scenario.variables[name] for name in names))
    return [
        dict(zip(names, values, strict=True)) for values in itertools.islice(combinations, MAX_MONEY_DRAWS)
    ]


def _endings(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    draws = money_draws(scenario)
    warned: set[str] = set()  # one warning an ending, from the first draw that shows the mistake
    for drawn in draws:
        reached = arrivals(scenario, drawn)
        for ending_id, ending in scenario.endings.items():
            if ending_id in warned:
                continue
            standings = sorted(reached.get(ending_id, {}), key=lambda s: (s[0], sorted(s[1])))
            lost = yuan(ending.lost, drawn)
            after = yuan(ending.paid_after, drawn)  # goes once the call has ended, not on the way
            paid = next((s for s in standings if s[0] + after != lost), None)
            if paid is not None:
                warned.add(ending_id)
                when = ", ".join(f"{name} = {value.zh}" for name, value in drawn.items())
                yield _warning(
                    file,
                    doc,
                    ("endings", ending_id, "lost"),
                    f"ending '{ending_id}' says ¥{lost:,} lost, but a call can reach it having paid "
                    f"¥{paid[0] + after:,}{f' (when {when})' if when else ''}: "
                    f"{_route(reached, ending_id, paid)}",
                    "make `lost:` what the replies on every way here pay, or lead the odd way elsewhere",
                )
    reached = arrivals(scenario, draws[0])
    for ending_id, ending in scenario.endings.items():
        standings = sorted(reached.get(ending_id, {}), key=lambda s: (s[0], sorted(s[1])))
        said = frozenset(ending.exposed)
        given = next((s for s in standings if s[1] != said), None)
        if given is not None:
            have = ", ".join(sorted(given[1])) or "nothing"
            yield _warning(
                file,
                doc,
                ("endings", ending_id, "exposed"),
                f"ending '{ending_id}' says exposed [{', '.join(ending.exposed)}], but a call can reach it "
                f"having given away {have}: {_route(reached, ending_id, given)}",
                "make `exposed:` what the replies on every way here give away, or lead the odd way elsewhere",
            )


def _pinned(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    """Turns that show their replies as written: the same reply in the same place every run."""
    for node_id, node in scenario.nodes.items():
        if node.order == "pinned" and len(node.choices) > 1:
            yield _warning(
                file,
                doc,
                ("nodes", node_id, "order"),
                f"turn '{node_id}' shows its replies in the written order every run (`order: pinned`), so "
                "where a reply sits can tell the trainee which one is safe",
                "pin only replies that are steps in a sequence; otherwise remove `order: pinned`",
            )


def _unsourced_sums(scenario: Scenario, doc: Document, file: str) -> Iterator[Problem]:
    """A sum the trainee can pay that `figures:` does not trace to a source (or to `ours`)."""
    traced = {amount for sums in scenario.figures.values() for amount in sums}
    for path, amount in scenario.amounts():
        if path[-1] == "lost":
            continue  # an ending's `lost` adds up the sums paid on the way, each checked where it is paid
        sums = [term for term in amount_terms(amount) if isinstance(term, int)]
        for name in amount_variables_of(amount):
            sums += [int(value.zh) for value in scenario.variables.get(name, ()) if value.zh.isdigit()]
        for value in sums:
            if value and value not in traced:
                yield _warning(
                    file,
                    doc,
                    path,
                    f"the sum {value:,} paid here comes from no source in figures:",
                    "list it under figures: with the source it comes from, or under ours if the advisories "
                    "give no sum",
                )


def lint_scenario(scenario: Scenario, doc: Document, file: str) -> list[Problem]:
    """Every warning about one scenario that loaded without errors. `doc` is its file's line map."""
    found: Iterable[Problem] = [
        *_turns(scenario, doc, file),
        *_missing_english(scenario, doc, file),
        *_too_long(scenario, doc, file),
        *_endings(scenario, doc, file),
        *_pinned(scenario, doc, file),
        *_unsourced_sums(scenario, doc, file),
    ]
    return sorted(set(found))


def unused_flags(catalog: Catalog, scenarios: Iterable[Scenario], doc: Document, file: str) -> list[Problem]:
    """Catalog flags no turn of any scenario carries: a tactic the advisories name that nobody practises."""
    used = {flag for s in scenarios for node in s.nodes.values() for flag in node.flags}
    return [
        _warning(
            file,
            doc,
            ("flags", flag_id),
            f"red flag '{flag_id}' is in no scenario",
            "write a turn that uses it, or remove it from the catalog",
        )
        for flag_id in catalog.flags
        if flag_id not in used
    ]


def _is_shipped_library(paths: list[Path] | None) -> bool:
    if not paths:
        return True
    return {p.resolve() for p in scenario_files(paths)} == {p.resolve() for p in scenario_files()}


def lint_library(library: Library, paths: list[Path] | None = None) -> list[Problem]:
    """Warnings for every scenario the library loaded from `paths` (default: the shipped library), and, when
    that is the whole shipped library, for catalog flags no scenario uses."""
    out: list[Problem] = []
    for scenario_id, scenario in library.scenarios.items():
        doc = read_document(library.paths[scenario_id])
        if isinstance(doc, Problem):  # the file changed or vanished since it loaded
            out.append(doc)
            continue
        out += lint_scenario(scenario, doc, display_path(library.paths[scenario_id]))
    if _is_shipped_library(paths):
        doc = read_document(CATALOG_PATH)
        if isinstance(doc, Problem):
            out.append(doc)
        else:
            out += unused_flags(library.catalog, library.scenarios.values(), doc, display_path(CATALOG_PATH))
    return out
