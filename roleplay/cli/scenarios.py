"""The commands about the scenario library itself: `list`, `validate`, `graph`, `walk`, `audit`, `schema`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.cli.common import EXIT_PROBLEMS, EXIT_USAGE, Command
from roleplay.text import vocabulary as v
from roleplay.text.i18n import _, language, ngettext

if TYPE_CHECKING:  # the library (and pydantic) load only when a command runs: `roleplay --help` starts fast
    from roleplay.authoring.audit import Audit
    from roleplay.library.library import Library
    from roleplay.library.problems import Problem


def register(sub: Any) -> None:
    """Add this group's commands to `roleplay`'s subcommands (`sub` is argparse's subparsers action)."""
    listing = sub.add_parser("list", help=_("list the scenario library"))
    listing.add_argument("--json", action="store_true", help=_("as JSON"))

    validate = sub.add_parser("validate", help=_("check scenario files (default: the shipped library)"))
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=_("files or folders"))
    validate.add_argument(
        "--strict",
        action="store_true",
        help=_("also report authoring warnings (see roleplay.authoring.lint); they fail"),
    )

    graph = sub.add_parser("graph", help=_("draw a scenario's state machine (Mermaid or Graphviz DOT)"))
    graph.add_argument("scenario", help=_("scenario id (see `roleplay list`) or path to a .yaml file"))
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help=_("default: mermaid"))
    graph.add_argument("--output", type=Path, metavar="FILE", help=_("write here instead of to stdout"))
    graph.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=_("title language"))

    walk = sub.add_parser("walk", help=_("play every path of each scenario and report the endings"))
    walk.add_argument("ids", nargs="*", metavar="ID|PATH", help=_("scenario ids or files (default: all)"))
    walk.add_argument("--json", action="store_true", help=_("as JSON"))
    walk.add_argument("--random", type=int, default=0, metavar="N", help=_("also N seeded random runs"))
    walk.add_argument("--seed", type=int, default=0, metavar="S", help=_("seed for the random runs"))

    audit = sub.add_parser(
        "audit", help=_("how well rules that read no red flag would do, each beside chance (the cue audit)")
    )
    audit.add_argument(
        "targets", nargs="*", metavar="ID|PATH", help=_("scenario ids or files (default: all)")
    )
    audit.add_argument("--json", action="store_true", help=_("as JSON"))

    schema = sub.add_parser("schema", help=_("print the JSON Schema of scenario files (for editors)"))
    schema.add_argument("--catalog", action="store_true", help=_("the red-flag catalog's schema instead"))


def scenario_summary(library: Library, scenario_id: str) -> dict[str, Any]:
    """One row of `roleplay list --json`: what a scenario is, where it comes from, how big it is."""
    from roleplay.authoring.walk import count_paths, shown_count

    scenario = library.scenarios[scenario_id]
    per_ending, longest = count_paths(scenario)
    endings = {"safe": 0, "loss": 0}
    for ending in scenario.endings.values():
        endings[ending.outcome] += 1
    return {
        "id": scenario.id,
        "title": {"zh": scenario.title.zh, "en": scenario.title.en},
        "kind": scenario.kind,
        "channel": scenario.channel,
        "perspective": scenario.perspective,
        "sources": [
            {
                "publisher": source.publisher.zh,
                "title": source.title.zh,
                "date": source.date,
                "seed": source.seed,
            }
            for source in (library.catalog.sources[s] for s in scenario.sources)
        ],
        "turns": longest,
        "endings": endings,
        "paths": shown_count(sum(per_ending.values())),
    }


def _report_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    from roleplay.library.library import load_library

    library = load_library()
    _report_problems(library.problems)
    rows = [scenario_summary(library, s) for s in sorted(library.scenarios)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max((len(row["id"]) for row in rows), default=0)
    for row in rows:
        title = row["title"]["en" if args.lang == "en" else "zh"]
        # Not the kind: the list is also where a trainee picks a call, and "scam" beside it spoils the game.
        print(f"{row['id']:<{width}}  {row['channel']:<7} {row['perspective']:<7} {title}")
    return 0


def _is_catalog(path: Path) -> bool:
    """A red-flag catalog rather than a scenario: its top level has `flags:` and no `nodes:`."""
    from roleplay.library.loader import read_document
    from roleplay.library.problems import Problem

    if not path.is_file():
        return False
    doc = read_document(path)
    return (
        not isinstance(doc, Problem)
        and isinstance(doc.data, dict)
        and "flags" in doc.data
        and "nodes" not in doc.data
    )


def _validate(args: argparse.Namespace) -> int:
    from roleplay.library.library import CATALOG_PATH, load_library
    from roleplay.library.loader import read_catalog

    catalog_paths = [p for p in args.paths if _is_catalog(p)]
    scenario_paths = [p for p in args.paths if p not in catalog_paths]
    found: list[Problem] = []
    catalog, problems = read_catalog(CATALOG_PATH)
    for path in catalog_paths:  # a catalog named on the command line is checked, and checks the scenarios
        named, named_problems = read_catalog(path, cached=False)
        found += named_problems
        catalog = named if named is not None and len(catalog_paths) == 1 else catalog
    if catalog is None:
        for problem in problems:
            print(problem)
        return EXIT_PROBLEMS
    library = None
    if scenario_paths or not args.paths:
        library = load_library(scenario_paths or None, catalog)
        found += library.problems
    if args.strict and library is not None:
        from roleplay.authoring.lint import lint_library

        found += lint_library(library, scenario_paths or None)
    found.sort(key=lambda p: (p.file, p.line))
    for problem in found:
        print(problem)
    errors = sum(1 for p in found if p.level == "error")
    warnings = len(found) - errors
    loaded = len(library.scenarios) if library is not None else None  # None: only catalogs were named
    print(_checked_summary(loaded, len(catalog_paths), errors, warnings), file=sys.stderr)
    cues_fail = False
    # The cue audit weighs the library as a whole (one file is too few to say what a trainee would learn);
    # `roleplay audit FILE` measures one file's replies on request.
    if args.strict and not args.paths and library is not None and library.scenarios:
        from roleplay.authoring.audit import audit

        result = audit(list(library.scenarios.values()), library.catalog)
        for line in _audit_failures(result):
            print(line)
        for rule in result.stale:
            stale = _("cue audit: the catalog's known_cues names '{rule}', which the library now passes or "
                      "which is no rule: remove it")  # fmt: skip
            print(stale.format(rule=rule))
        cues_fail = bool(result.failed or result.stale)
    return EXIT_PROBLEMS if errors or (args.strict and (warnings or cues_fail)) else 0


def _checked_summary(scenarios: int | None, catalogs: int, errors: int, warnings: int) -> str:
    """The last line of `validate`: what was read and what was found."""
    parts = []
    if scenarios is not None:
        parts.append(ngettext("{n} scenario loaded", "{n} scenarios loaded", scenarios).format(n=scenarios))
    if catalogs:
        parts.append(ngettext("{n} catalog checked", "{n} catalogs checked", catalogs).format(n=catalogs))
    parts.append(ngettext("{n} problem", "{n} problems", errors).format(n=errors))
    if warnings:
        parts.append(ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    return ("，" if language() == "zh" else ", ").join(parts)


def _rule_label(rule: str) -> str:
    labels = {
        "caller-display": _("what the phone shows"),
        "title": _("the words of the title"),
        "id-words": _("the words of the id"),
        "turns": _("how many turns the call has"),
        "replies-per-turn": _("how many replies a turn offers"),
        "phone-events": _("the kinds of phone events"),
        "answer-words": _("words that name the answer before the question"),
        "first-shown": _("the reply shown first"),
        "last-shown": _("the reply shown last"),
        "longest": _("the longest reply"),
        "shortest": _("the shortest reply"),
        "first-word": _("the reply's first word"),
        "cue-words": _("cue words such as 不, 别, 骗, 报警, 自己, 官方"),
    }
    return labels[rule]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _audit_failures(result: Audit) -> list[str]:
    from roleplay.authoring.audit import MARGIN

    return [
        _("cue audit: guessing by {rule} is right {rate} of the time, against {chance} by chance "
          "(at most {margin} more is allowed)").format(
            rule=_rule_label(r.rule),
            rate=_percent(r.rate),
            chance=_percent(r.chance),
            margin=_percent(MARGIN),
        )
        for r in result.failed
    ]  # fmt: skip


def _audit(args: argparse.Namespace) -> int:
    from roleplay.authoring.audit import MARGIN, audit
    from roleplay.library.library import load_library, load_one

    library = load_library()
    scenarios = (
        [load_one(target)[1] for target in args.targets] if args.targets else list(library.scenarios.values())
    )
    # The catalog's known cues excuse the shipped library as a whole, never a file an author asks about.
    catalog = library.catalog.model_copy(update={"known_cues": {}}) if args.targets else library.catalog
    result = audit(scenarios, catalog)
    if args.json:
        data = [r.to_json() for r in result.results]
        print(json.dumps({"scenarios": result.scenarios, "turns": result.turns, "rules": data}, indent=2))
        return EXIT_PROBLEMS if result.failed else 0
    print(
        _("Cue audit: {scenarios} scenario(s); {turns} scam turn(s) where one reply spots the red flag and "
          "another does not.").format(scenarios=result.scenarios, turns=result.turns)
    )  # fmt: skip
    questions = {"scam-or-real": _("Scam or real?"), "spotting-reply": _("Which reply spots the red flag?")}
    for question, heading in questions.items():
        rows = [r for r in result.results if r.question == question]
        if not rows:
            continue
        print()
        print(heading)
        for r in rows:
            if r.status == "known":
                verdict = _("known: {reason}").format(reason=v.say(library.catalog.known_cues[r.rule]))
            else:
                verdict = {"ok": _("ok"), "over": _("beats chance by more than the margin")}[r.status]
            line = _("  {rule}: right {rate}, chance {chance} · {verdict}")
            print(line.format(rule=_rule_label(r.rule), rate=_percent(r.rate), chance=_percent(r.chance),
                              verdict=verdict))  # fmt: skip
    print()
    print(_("A rule may be right at most {margin} more often than chance (see the authoring guide).").format(
        margin=_percent(MARGIN)))  # fmt: skip
    return EXIT_PROBLEMS if result.failed else 0


def _graph(args: argparse.Namespace) -> int:
    from roleplay.authoring.graph import DiagramError, diagram
    from roleplay.library.library import load_one

    _, scenario = load_one(args.scenario)
    try:
        text = diagram(scenario, args.format, args.lang or "zh")
    except DiagramError as exc:
        print(f"roleplay graph: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"roleplay graph: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _walk(args: argparse.Namespace) -> int:
    from roleplay.authoring.walk import MAX_PLAYED_STEPS, shown_count, walk
    from roleplay.library.library import load_library, load_one
    from roleplay.library.problems import LoadError, Problem

    # An author's own files are walked as `play FILE` plays them; ids name scenarios of the library.
    files = [i for i in args.ids if Path(i).suffix in (".yaml", ".yml")]
    ids = [i for i in args.ids if i not in files]
    library = load_library() if ids or not files else None
    if library is not None:
        _report_problems(library.problems)
    unknown = [i for i in ids if library is not None and i not in library.scenarios]
    if unknown:
        raise LoadError(
            [
                Problem(
                    _("<command line>"),
                    1,
                    _("no scenario called '{id}'").format(id=i),
                    _("see `roleplay list`"),
                )
                for i in unknown
            ]
        )
    if library is None:  # only files were named
        scenarios = [load_one(name)[1] for name in files]
    else:
        named = args.ids or sorted(library.scenarios)
        scenarios = [load_one(n)[1] if n in files else library.scenarios[n] for n in named]
    reports = [walk(scenario, args.random, args.seed) for scenario in scenarios]
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        for r in reports:
            paths = shown_count(r.paths)
            print(
                _("{id}: {paths} paths, longest {longest} turns, dead ends: {dead}").format(
                    id=r.scenario, paths=paths, longest=r.longest, dead=len(r.dead_ends)
                )
            )
            if not r.played:
                print(
                    "  "
                    + _(
                        "too many paths to play each one in reasonable time (over {steps} moves): "
                        "they were counted, not played"
                    ).format(steps=f"{MAX_PLAYED_STEPS:,}")
                )
            for e in r.endings:
                state = _("reachable") if e.reachable else _("NOT REACHABLE")
                line = _("{state}, {count} paths").format(state=state, count=shown_count(e.paths))
                if e.hits is not None:
                    line += _(", {hits} of {runs} random runs").format(hits=e.hits, runs=r.random_runs)
                print(f"  {e.id:<28} {e.outcome:<5} {e.severity:<13} {line}")
    bad = any(r.dead_ends or not all(e.reachable for e in r.endings) for r in reports)
    return EXIT_PROBLEMS if bad else 0


def _schema(args: argparse.Namespace) -> int:
    from roleplay.library.schema import catalog_schema, scenario_schema

    print(json.dumps(catalog_schema() if args.catalog else scenario_schema(), indent=2, ensure_ascii=False))
    return 0


COMMANDS: dict[str, Command] = {
    "list": _list,
    "validate": _validate,
    "graph": _graph,
    "walk": _walk,
    "audit": _audit,
    "schema": _schema,
}
