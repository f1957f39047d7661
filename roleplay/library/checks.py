"""Checks that need the whole scenario: targets, red flags, variables, reachability, loops and endings."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from graphlib import CycleError, TopologicalSorter

from roleplay.core.model import (
    CALLER_NUMBER,
    MAX_YUAN,
    OURS,
    SEVERITIES_BY_OUTCOME,
    Catalog,
    Ending,
    Node,
    Scenario,
    Text,
    amount_variables_of,
    placeholders,
)
from roleplay.core.moves import moves
from roleplay.library.problems import Problem
from roleplay.library.yamlread import Document, Path, shorten


def did_you_mean(name: str, options: list[str]) -> str:
    """The hint for a name that is not one of `options`: the closest one, or some of them."""
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(options)[:12])}"


def texts(scenario: Scenario) -> Iterator[tuple[Path, Text]]:
    """Every piece of text in a scenario, with where it sits in the file: every slot that is filled with the
    run's variables (the variables' own values are not, and are checked on their own)."""
    yield ("title",), scenario.title
    yield ("summary",), scenario.summary
    if scenario.caller.shows:
        for i, display in enumerate(scenario.caller.shows):
            yield ("caller", "shows", i, "name"), display.name
    elif scenario.caller.name is not None:
        yield ("caller", "name"), scenario.caller.name
    yield ("verify_how",), scenario.verify_how
    for node_id, node in scenario.nodes.items():
        base: Path = ("nodes", node_id)
        for i, line in enumerate(node.say):
            yield (*base, "say", i), line
        if node.speaker:
            yield (*base, "speaker"), node.speaker
        for i, event in enumerate(node.events):
            if event.title:
                yield (*base, "events", i, "title"), event.title
            yield (*base, "events", i, "body"), event.body
            for j, form_field in enumerate(event.fields):
                yield (*base, "events", i, "fields", j), form_field
        for i, choice in enumerate(node.choices):
            yield (*base, "choices", i, "text"), choice.text
    for ending_id, ending in scenario.endings.items():
        base = ("endings", ending_id)
        yield (*base, "title"), ending.title
        for i, line in enumerate(ending.say):
            yield (*base, "say", i), line
        yield (*base, "lesson"), ending.lesson


def _written_out(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """What a call shows exactly as written, never filled in: the caller's number and each event's sender."""
    if scenario.caller.shows:
        for i, display in enumerate(scenario.caller.shows):
            yield ("caller", "shows", i, "number"), display.number
    elif scenario.caller.number is not None:
        yield ("caller", "number"), scenario.caller.number
    for node_id, node in scenario.nodes.items():
        for i, event in enumerate(node.events):
            if event.sender:
                yield ("nodes", node_id, "events", i, "sender"), event.sender


def _amount_values(s: Scenario) -> Iterator[tuple[Path, str, str]]:
    """A `{name}` amount names a variable whose every value is a whole number of yuan, at least 1."""
    for path, amount in s.amounts():
        yield from _variable_values(s, path, amount_variables_of(amount))


def _variable_values(s: Scenario, path: Path, names: list[str]) -> Iterator[tuple[Path, str, str]]:
    for name in names:
        if name not in s.variables:
            yield path, f"{{{name}}} is not a variable of this scenario", did_you_mean(name, [*s.variables])
            continue
        for i, value in enumerate(s.variables[name]):
            number = value.zh
            if (
                value.en != number
                or not number.isascii()
                or not number.isdigit()
                or not 1 <= int(number) <= MAX_YUAN
            ):
                message = (
                    f"'{name}' is an amount here, but its value {shorten(number)!r} is not a number of yuan"
                )
                yield (
                    ("variables", name, i),
                    message,
                    f'write a whole number from 1 to {MAX_YUAN:,}, e.g. "3000"',
                )


def _unfilled(s: Scenario) -> Iterator[tuple[Path, str, str]]:
    """Every `{name}` a trainee would see as written, with where it is, what is wrong and what to do: an
    unknown variable in a text, a variable in a variable's value, any variable in a number or a sender."""
    for path, text in texts(s):
        for name in sorted(text.placeholders() - set(s.variables) - {CALLER_NUMBER}):
            yield path, f"{{{name}}} is not a variable of this scenario", did_you_mean(name, [*s.variables])
    for variable, drawn in s.variables.items():
        for i, value in enumerate(drawn):
            for name in sorted(value.placeholders()):
                message = f"a value of '{variable}' uses {{{name}}}, but variables' values are not filled in"
                yield ("variables", variable, i), message, "write the value out in full"
    for path, shown in _written_out(s):
        for name in sorted(placeholders(shown)):
            message = f"{{{name}}} would be shown as written: a number or a sender is not filled in"
            yield path, message, "write it out in full"
    yield from _amount_values(s)


def find_loop(scenario: Scenario) -> list[str] | None:
    """A loop among the turns, as ids that come back to the first (the turn written first in the file), or
    None. graphlib finds it; here a turn "depends on" the turns it leads to."""
    leads_to = {
        node: {move.target for move in moves(scenario, node) if move.target in scenario.nodes}
        for node in scenario.nodes
    }
    try:
        TopologicalSorter(leads_to).prepare()
    except CycleError as exc:
        # graphlib lists the cycle against the direction of the call, ending where it began.
        cycle = list(reversed(exc.args[1]))[:-1]
        order = list(scenario.nodes)
        first = min(range(len(cycle)), key=lambda i: order.index(cycle[i]))
        cycle = cycle[first:] + cycle[:first]
        return [*cycle, cycle[0]]
    return None


def turn_order(scenario: Scenario) -> list[str]:
    """The turns reachable from the start, each before every turn it leads to (scenarios are loop-free)."""
    reached = reachable(scenario)
    came_from: dict[str, set[str]] = {node: set() for node in scenario.nodes if node in reached}
    for node in came_from:
        for move in moves(scenario, node):
            if move.target in came_from:
                came_from[move.target].add(node)
    return list(TopologicalSorter(came_from).static_order())


def reachable(scenario: Scenario) -> set[str]:
    seen = {scenario.start}
    todo = [scenario.start]
    while todo:
        here = todo.pop()
        if here in scenario.nodes:
            for move in moves(scenario, here):
                if move.target not in seen:
                    seen.add(move.target)
                    todo.append(move.target)
    return seen


def check_scenario(s: Scenario, catalog: Catalog, doc: Document, file: str) -> list[Problem]:
    out: list[Problem] = []

    def error(path: Path, message: str, hint: str = "") -> None:
        out.append(Problem(file, doc.line_of(path), message, hint))

    places = [*s.nodes, *s.endings]
    for both in sorted(set(s.nodes) & set(s.endings)):
        error(("endings", both), f"'{both}' is both a node and an ending", "give them different ids")
    if s.start not in s.nodes:
        error(
            ("start",),
            f"the call starts at '{s.start}', which is not a node",
            did_you_mean(s.start, [*s.nodes]),
        )

    def target(path: Path, name: str, what: str) -> None:
        if name not in s.nodes and name not in s.endings:
            error(path, f"{what} leads to '{name}', which does not exist", did_you_mean(name, places))

    if s.twin is not None and s.kind == "legit":
        error(
            ("twin",),
            "a real call has no twin",
            "a scam names its real counterpart in twin:, not the other way",
        )
    target(("hang_up",), s.hang_up, "hanging up")
    target(("verify",), s.verify, "checking officially")
    for source in s.sources:
        if source not in catalog.sources:
            error(("sources",), f"unknown source '{source}'", did_you_mean(source, [*catalog.sources]))
    for key in s.figures:
        if key != OURS and key not in s.sources:
            error(
                ("figures", key),
                f"figures name '{key}', which is not one of this scenario's sources",
                f"add it to sources:, or write '{OURS}' for sums the advisories do not give",
            )
    for name, values in s.variables.items():
        if not values:
            error(("variables", name), f"variable '{name}' has no values", "list at least one")

    flags = [*catalog.flags]
    for node_id, node in s.nodes.items():
        base: Path = ("nodes", node_id)
        if node.hang_up:
            target((*base, "hang_up"), node.hang_up, "hanging up")
        if node.verify:
            target((*base, "verify"), node.verify, "checking officially")
        if not node.choices:
            error(base, f"node '{node_id}' offers no replies", "add choices, or make it an ending")
        for flag in node.flags:
            if flag not in catalog.flags:
                error((*base, "flags"), f"unknown red flag '{flag}'", did_you_mean(flag, flags))
        _check_flag_lines(node_id, node, base, error)
        for i, choice in enumerate(node.choices):
            target((*base, "choices", i, "to"), choice.to, "this reply")
            for flag in choice.spots:
                if flag not in catalog.flags:
                    error(
                        (*base, "choices", i, "spots"),
                        f"unknown red flag '{flag}'",
                        did_you_mean(flag, flags),
                    )

    for path, message, hint in _unfilled(s):
        error(path, message, hint)

    for ending_id, ending in s.endings.items():
        _check_ending(s, ending_id, ending, error)

    if out:  # the graph checks below assume every target exists
        return out
    loop = find_loop(s)
    if loop:
        error(
            ("nodes", loop[0]),
            f"the call can go round in a loop: {' → '.join(loop)}",
            "a call moves forward: lead to a new node instead",
        )
        return out
    seen = reachable(s)
    for node_id in s.nodes:
        if node_id not in seen:
            error(
                ("nodes", node_id),
                f"node '{node_id}' can never be reached",
                "lead a reply to it, or remove it",
            )
    for ending_id in s.endings:
        if ending_id not in seen:
            error(("endings", ending_id), f"ending '{ending_id}' can never be reached", "lead a reply to it")
    outcomes = {s.endings[e].outcome for e in seen if e in s.endings}
    needed = {"safe", "loss"} if s.kind == "scam" else {"safe"}
    for outcome in sorted(needed - outcomes):
        error(("kind",), f"this {s.kind} call can never end in a {outcome} ending", "add a path that does")
    return out


def _check_flag_lines(node_id: str, node: Node, base: Path, error: Callable[[Path, str, str], None]) -> None:
    """`flag_lines:` names red flags of this turn, each with the line of its `say` that carries it."""
    count = len(node.say)
    for flag, line in node.flag_lines.items():
        where = (*base, "flag_lines", flag)
        if flag not in node.flags:
            close = difflib.get_close_matches(flag, node.flags, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "name a red flag of the turn's `flags:`"
            error(where, f"`flag_lines` names '{flag}', which is not a red flag of turn '{node_id}'", hint)
        elif not 1 <= line <= count:
            said = "one line" if count == 1 else f"{count} lines"
            hint = (
                "use 1, or leave it out" if count == 1 else f"give a line from 1 to {count}, the first is 1"
            )
            error(
                where, f"red flag '{flag}' is carried by line {line}, but turn '{node_id}' says {said}", hint
            )


def _check_ending(
    s: Scenario, ending_id: str, ending: Ending, error: Callable[[Path, str, str], None]
) -> None:
    """One ending on its own: its severity fits its outcome, its money fits both, and it says how the
    trainee behaved where it must (`treated_as_scam`)."""
    base: Path = ("endings", ending_id)
    if ending.severity not in SEVERITIES_BY_OUTCOME[ending.outcome]:
        allowed = " or ".join(SEVERITIES_BY_OUTCOME[ending.outcome])
        error(
            (*base, "severity"), f"a {ending.outcome} ending cannot be '{ending.severity}'", f"use {allowed}"
        )
    if ending.outcome == "loss" and ending.lost == 0:
        error((*base, "lost"), f"loss ending '{ending_id}' loses no money", "set `lost:` to the yuan lost")
    if ending.outcome == "safe" and ending.lost:
        error((*base, "lost"), f"safe ending '{ending_id}' loses money", "make it a loss, or set `lost: 0`")
    # Behaviour, as signal detection counts it: a scam's ending says it by its outcome (safe: treated as the
    # fraud it was; loss: taken in). A real call's ending must say it: whether the trainee got there by
    # acting as if the genuine caller were a fraud.
    if s.kind == "legit" and ending.treated_as_scam is None:
        error(
            base,
            f"ending '{ending_id}' of a real call does not say whether the trainee treated the caller as a "
            "scam",
            "add `treated_as_scam: true` when the trainee got here by acting as if the genuine caller were a"
            " fraud (hung up on the warning, turned the real courier away), else `treated_as_scam: false`",
        )
    if s.kind == "scam" and ending.treated_as_scam is not None:
        error(
            (*base, "treated_as_scam"),
            f"ending '{ending_id}' of a scam call sets `treated_as_scam`",
            "remove it: in a scam call a safe ending counts as treating it as a scam, a loss as being taken "
            "in",
        )


def check_catalog(catalog: Catalog, doc: Document, file: str) -> list[Problem]:
    out: list[Problem] = []
    known = [*catalog.sources]
    for flag_id, flag in catalog.flags.items():
        for source in flag.sources:
            if source not in catalog.sources:
                line = doc.line_of(("flags", flag_id, "sources"))
                out.append(Problem(file, line, f"unknown source '{source}'", did_you_mean(source, known)))
    for i, rule in enumerate(catalog.rules):
        for flag_id in rule.flags:
            if flag_id not in catalog.flags:
                line = doc.line_of(("rules", i, "flags"))
                hint = did_you_mean(flag_id, [*catalog.flags])
                out.append(Problem(file, line, f"unknown red flag '{flag_id}'", hint))
        for source in rule.sources:
            if source not in catalog.sources:
                line = doc.line_of(("rules", i, "sources"))
                out.append(Problem(file, line, f"unknown source '{source}'", did_you_mean(source, known)))
    return out
