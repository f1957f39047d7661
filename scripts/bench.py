"""The figures the project tracks, measured, each the median of several runs.

Usage: python scripts/bench.py [--json] [--only KEY[,KEY...]] [--quick]

Prints one JSON object (with --json) or a table of every figure against its target. --only measures just the
named keys; --quick uses fewer repetitions (for a smoke test, not for reporting).

Keys: load_us_per_node (50/500/5,000 nodes: load + validate + build the state machine, without the cache;
load_warm_us_per_node from the cache of checked data; load_floor_us_per_node the libyaml event stream alone,
in the same run), step_us (one choice, the slowest of the three sizes), walk_library_ms (every path of every
shipped scenario played through roleplay.authoring.walk), report_ms_100k (the HTML report over 100,000
recorded calls), save_ms (saving a finished call into that history; save_whole_call_ms adds its start and each
step, each its own transaction). pty_startup, pty_choice, pty_history, pty_plain: what users wait for in a
real pseudo-terminal, each against a bare Textual app (or bare Python) in the same run: see bench_pty.py
(pty_history makes histories of up to 1,000,000 calls first: minutes). vote_to_projector_ms_median: 200
simulated phones, in a process of their own, vote through an eight-turn call on the loopback phone server;
from a phone sending its vote to the projector's count including it (scripts/phone_crowd.py).
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_tui  # noqa: E402
import phone_crowd  # noqa: E402

from roleplay.authoring.walk import walk  # noqa: E402
from roleplay.core.engine import Call  # noqa: E402
from roleplay.library.library import CATALOG_PATH, load_library  # noqa: E402
from roleplay.library.loader import load_catalog, read_scenario  # noqa: E402

SIZES = (50, 500, 5_000)
TARGETS = {
    "startup_ratio": "≤ 1.2× a bare Textual app (Header, Static, Footer), both timed to their first screen",
    "startup_listed_ratio_14": "≤ 1.3× (library listed with the footer / bare first frame, real pty)",
    "startup_listed_ratio_1000": "≤ 1.6× (the same with 1,000 scenarios)",
    "choice_pty_growth": "≤ 1.3× (key press to updated screen, real pty, 1,000 lines / 10 lines)",
    "choice_pty_vs_bare_1000": "≤ 1.5× a bare app with the same log",
    "load_warm_us_per_node": "≤ 60 µs per node (from the cache of checked data)",
    "load_cold_vs_floor": "≤ 2.5× the libyaml event floor of the same run",
    "history_screen_ms_1000000": "≤ 300 ms (h to the progress on screen, 1,000,000 calls)",
    "plain_first_line_ms": "≤ 150 ms (`play ID --plain` to the caller's first line)",
    "choice_ms_1000": "≤ 1.3× choice_ms_10 (flat in the transcript's length)",
    "rss_mib": "≤ 80 MiB (peak, through one whole call)",
    "load_us_per_node": "≤ 250 µs per node; 500 → 5,000 nodes grows ≤ 12×",
    "step_us": "≤ 50 µs at any size",
    "walk_library_ms": "≤ 300 ms",
    "report_ms_100k": "≤ 1,000 ms (build + render the HTML report over 100,000 recorded calls)",
    "save_ms": "≤ 20 ms (saving a finished call: debrief + one transaction, into that history)",
    "vote_to_projector_ms_median": "< 200 ms (200 phones voting through one call, at the median)",
}


def bench_phones(quick: bool) -> dict[str, Any]:
    """200 simulated phones (their own process) vote through an eight-turn call; each vote timed from the
    phone sending it to the projector counting it (scripts/phone_crowd.py)."""
    import asyncio

    result = asyncio.run(phone_crowd.crowd(100 if quick else 200))
    quantiles = statistics.quantiles(result.latencies_ms, n=20)
    return {
        "vote_to_projector_ms_median": round(result.median_ms(), 1),
        "vote_to_projector_ms_p95": round(quantiles[18], 1),
        "phones_votes_counted": f"{result.votes_counted} of {result.votes_sent}, {len(result.lost)} lost",
    }


def synthetic_scenario(nodes: int) -> str:
    """A valid scam scenario of `nodes` turns in a chain, each with flags, a phone event and three replies."""
    out = [
        "id: synthetic",
        "kind: scam",
        "channel: phone",
        "title: {zh: 合成, en: Synthetic}",
        "summary: {zh: 合成的长场景, en: A long synthetic scenario}",
        "caller: {name: {zh: 未知, en: Unknown}, number: '000'}",
        "sources: [wuhan-2020-06]",
        "variables:",
        "  item: [{zh: 毛衣, en: sweater}, {zh: 裙子, en: dress}]",
        "verify_how: {zh: 打开App核实, en: Check in the app}",
        "hang_up: safe",
        "verify: safe",
        "start: n0",
        "nodes:",
    ]
    for i in range(nodes):
        nxt = f"n{i + 1}" if i + 1 < nodes else "loss"
        out += [
            f"  n{i}:",
            "    say:",
            f"      - {{zh: '第{i}轮，关于{{item}}。', en: 'Turn {i}, about the {{item}}.'}}",
            "    events:",
            "      - {kind: sms, sender: '95588', body: {zh: 验证码123456, en: Code 123456}}",
            "    flags: [sms-code, pressure]",
            "    choices:",
            f"      - {{text: {{zh: 好, en: OK}}, to: {nxt}, effects: {{pay: 1}}}}",
            f"      - {{text: {{zh: 不说, en: 'No'}}, to: {nxt}, spots: [sms-code], effects: {{pay: 1}}}}",
            "      - {text: {zh: 我查一下, en: Let me check}, to: safe, spots: [pressure]}",
        ]
    out += [
        "endings:",
        "  safe: {outcome: safe, severity: safe, title: {zh: 安全, en: Safe}, lesson: {zh: 好, en: Good}}",
        f"  loss: {{outcome: loss, severity: major_loss, lost: {nodes}, title: {{zh: 损失, en: Loss}},"
        " lesson: {zh: 坏, en: Bad}}",
    ]
    return "\n".join(out) + "\n"


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def _event_floor(path: Path, size: int) -> float:
    """µs per node to pull libyaml's event stream over the file, building nothing: what any load pays."""
    import yaml

    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    loader = yaml.CSafeLoader(text)
    try:
        while loader.get_event() is not None:
            pass
    finally:
        loader.dispose()
    return (time.perf_counter() - started) / size * 1e6


def bench_load(quick: bool) -> dict[str, Any]:
    import os

    catalog = load_catalog(CATALOG_PATH)
    per_node: dict[str, float] = {}
    warm: dict[str, float] = {}
    floor: dict[str, float] = {}
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ROLEPLAY_CACHE"] = str(Path(tmp) / "cache")
        for size in SIZES:
            path = Path(tmp) / f"synthetic-{size}.yaml"
            path.write_text(synthetic_scenario(size), encoding="utf-8")

            def load_and_build(path: Path = path, size: int = size, cached: bool = False) -> float:
                started = time.perf_counter()
                scenario, problems = read_scenario(path, catalog, cached=cached)
                assert scenario is not None, problems
                Call(scenario, seed=1)
                return (time.perf_counter() - started) / size * 1e6

            runs = 3 if quick or size == SIZES[-1] else 7
            per_node[str(size)] = round(median_of(runs, load_and_build), 1)
            read_scenario(path, catalog)  # into the cache
            warm[str(size)] = round(median_of(runs, functools.partial(load_and_build, path, size, True)), 1)
            floor[str(size)] = round(median_of(runs, functools.partial(_event_floor, path, size)), 1)
            scenario, _ = read_scenario(path, catalog)
            assert scenario is not None

            def step(scenario: Any = scenario, size: int = size) -> float:
                call = Call(scenario, seed=1)
                call.start()
                count = min(size - 1, 200)
                started = time.perf_counter()
                for _ in range(count):
                    call.reply(0)
                return (time.perf_counter() - started) / count * 1e6

            steps[str(size)] = round(median_of(5, step), 1)
    os.environ.pop("ROLEPLAY_CACHE", None)
    return {
        "load_us_per_node": per_node,
        "load_warm_us_per_node": warm,
        "load_floor_us_per_node": floor,
        "load_cold_vs_floor": round(max(per_node[k] / floor[k] for k in per_node), 2),
        "load_growth_500_to_5000": round(per_node["5000"] * 5000 / (per_node["500"] * 500), 2),
        "step_us": max(steps.values()),
        "step_us_by_size": steps,
    }


def bench_walk_library(quick: bool) -> dict[str, Any]:
    """`roleplay walk` on the whole library: what an author waits for after an edit, and the tests pay."""
    scenarios = list(load_library().scenarios.values())

    def walk_all() -> float:
        started = time.perf_counter()
        for scenario in scenarios:
            report = walk(scenario)
            assert report.played, f"{scenario.id}: too many paths to play every one"
        return (time.perf_counter() - started) * 1e3

    return {"walk_library_ms": round(median_of(3 if quick else 7, walk_all), 1)}


def fill_history(path: Path, calls: int, seed: int = 7, trainees: int = 500) -> None:
    """`calls` finished calls (3 % abandoned) of the shipped scenarios by `trainees` trainees over a
    year, some in 20 workshops, written straight into a history file with executemany: realistic rows in
    seconds."""
    import random
    import sqlite3
    from datetime import datetime, timedelta, timezone

    from roleplay.history.clock import timestamp
    from roleplay.history.files import scenario_hash
    from roleplay.history.store import Store

    library = load_library()
    Store.open(path).close()  # the schema, at the current version
    rng = random.Random(seed)
    scenarios = []
    for scenario in library.scenarios.values():
        met = [(i, f) for i, node in enumerate(scenario.nodes.values(), 1) for f in node.flags]
        scenarios.append((scenario, scenario_hash(library.paths[scenario.id]), met))
    workshops = [f"W{n:05d}" for n in range(20)]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    call_rows: list[dict[str, Any]] = []
    flag_rows, step_rows = [], []
    for call_id in range(1, calls + 1):
        scenario, digest, met = rng.choice(scenarios)
        began = start + timedelta(minutes=rng.randrange(525_600))
        began_text = timestamp(began)
        finished = rng.random() > 0.03
        outcome = rng.choice(("safe", "loss")) if scenario.kind == "scam" else "safe"
        flags = [(turn, flag, rng.choice(("spotted", "missed"))) for turn, flag in met[:4]]
        row = {
            "id": call_id,
            "trainee": f"trainee-{rng.randrange(trainees)}",
            "scenario": scenario.id,
            "scenario_hash": digest,
            "kind": scenario.kind,
            "title_zh": scenario.title.zh,
            "title_en": scenario.title.en,
            "seed": 1,
            "bindings": "{}",
            "lang": "zh",
            "status": "abandoned",
            "pid": 0,
            "started_at": began_text,
            "ended_at": timestamp(began + timedelta(minutes=3)),
            "workshop_id": rng.choice(workshops) if rng.random() < 0.2 else None,
            "ending": None,
            "outcome": None,
            "severity": None,
            "lost": 0,
            "judged_scam": None,
            "spotted": 0,
            "missed": 0,
        }
        if finished:
            row |= {
                "status": "finished",
                "ending": "end",
                "outcome": outcome,
                "severity": rng.choice(("partial_loss", "major_loss")) if outcome == "loss" else "safe",
                "lost": rng.choice((0, 3450, 41450)) if outcome == "loss" else 0,
                "judged_scam": rng.randrange(2),
                "spotted": sum(status == "spotted" for *_, status in flags),
                "missed": sum(status == "missed" for *_, status in flags),
            }
            flag_rows += [(call_id, turn, flag, status) for turn, flag, status in flags]
        call_rows.append(row)
        step_rows += [(call_id, turn, "n", "reply", 0, began_text) for turn in range(1, 5)]
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO workshops (id, facilitator, created_at) VALUES (?, 'bench', ?)",
            [(w, timestamp(start)) for w in workshops],
        )
        columns = list(call_rows[0])
        db.executemany(
            f"INSERT INTO calls ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
            call_rows,
        )
        db.executemany("INSERT INTO call_flags (call_id, turn, flag, status) VALUES (?, ?, ?, ?)", flag_rows)
        db.executemany(
            "INSERT INTO steps (call_id, turn, node, action, choice, at) VALUES (?, ?, ?, ?, ?, ?)", step_rows
        )
    db.execute("ANALYZE")
    db.close()


def bench_history(quick: bool) -> dict[str, Any]:
    """The history at scale: the report over 100,000 calls (SQL GROUP BY, then HTML), and saving one call."""
    from roleplay.exports.html import render_html
    from roleplay.exports.report import build_report
    from roleplay.history.files import scenario_hash
    from roleplay.history.recorder import CallRecorder
    from roleplay.history.store import Store

    library = load_library()
    scenario = library.get("taobao-refund")
    digest = scenario_hash(library.paths[scenario.id])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        started = time.perf_counter()
        fill_history(path, 100_000)
        fill_s = time.perf_counter() - started
        store = Store.open(path)

        def report(workshop: str | None = None) -> float:
            began = time.perf_counter()
            render_html(build_report(store, library, workshop_id=workshop))
            return (time.perf_counter() - began) * 1e3

        lifecycle: list[float] = []

        def save() -> float:
            """One call as line mode saves it; returns the final save, keeps the whole in `lifecycle`."""
            began = time.perf_counter()
            call = Call(scenario, seed=3)
            recorder = CallRecorder(store, call, "bench", digest, "zh")
            call.start()
            for _ in range(3):
                call.reply(0)
                recorder.sync()
            call.hang_up()
            recorder.sync()
            finishing = time.perf_counter()
            recorder.finish(library.catalog, True)
            done = time.perf_counter()
            lifecycle.append((done - began) * 1e3)
            return (done - finishing) * 1e3

        runs = 3 if quick else 7
        result = {
            "report_ms_100k": round(median_of(runs, report), 1),
            "report_ms_100k_one_workshop": round(median_of(runs, lambda: report("W00001")), 1),
            "save_ms": round(median_of(5 if quick else 21, save), 2),
            "save_whole_call_ms": round(statistics.median(lifecycle), 2),
            "history_fill_s_100k": round(fill_s, 1),
        }
        store.close()
    return result


def _pty(key: str) -> Callable[[bool], dict[str, Any]]:
    """A bench of bench_pty.py, in its own process (it starts terminals and, for the history, makes files)."""

    def run(quick: bool) -> dict[str, Any]:
        import subprocess

        command = [sys.executable, str(ROOT / "scripts" / "bench_pty.py"), "--json", "--only", key]
        command += ["--quick"] if quick else []
        out = subprocess.run(command, check=False, capture_output=True, text=True)
        if out.returncode:  # its own words on what went wrong, not only an exit status
            raise SystemExit(f"bench_pty.py --only {key} failed (exit {out.returncode}):\n{out.stderr}")
        result: dict[str, Any] = json.loads(out.stdout)
        result.pop("root", None)
        return result

    return run


BENCHES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "load_us_per_node": bench_load,
    "step_us": bench_load,
    "walk_library_ms": bench_walk_library,
    "report_ms_100k": bench_history,
    "save_ms": bench_history,
    "startup_ratio": bench_tui.bench_startup,
    "choice_ms_10": bench_tui.bench_choice,
    "choice_ms_1000": bench_tui.bench_choice,
    "rss_mib": bench_tui.bench_rss,
    "pty_startup": _pty("startup"),
    "pty_choice": _pty("choice"),
    "pty_plain": _pty("plain"),
    "pty_history": _pty("history"),
    "vote_to_projector_ms_median": bench_phones,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", help="comma-separated keys to measure")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    wanted = args.only.split(",") if args.only else list(BENCHES)
    unknown = [k for k in wanted if k not in BENCHES]
    if unknown:
        parser.error(f"unknown key(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}")
    results: dict[str, Any] = {}
    done: set[Callable[[bool], dict[str, Any]]] = set()
    for key in wanted:
        bench = BENCHES[key]
        if bench not in done:
            done.add(bench)
            results.update(bench(args.quick))
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for key, value in results.items():
            print(f"{key:<28} {json.dumps(value, ensure_ascii=False):<40} {TARGETS.get(key, '')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
