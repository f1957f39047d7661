"""The figures the project tracks, measured, each the median of several runs.

Usage: python scripts/bench.py [--json] [--only KEY[,KEY...]] [--quick]

Prints one JSON object (with --json) or a table of every figure against its target. --only measures just the
named keys; --quick uses fewer repetitions (for a smoke test, not for reporting).

Keys: load_us_per_node (50/500/5,000 nodes: load + validate + build the state machine), step_us (one choice,
the slowest of the three sizes).
"""

from __future__ import annotations

import argparse
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

from roleplay.engine import Call  # noqa: E402
from roleplay.library import CATALOG_PATH  # noqa: E402
from roleplay.loader import load_catalog, read_scenario  # noqa: E402

SIZES = (50, 500, 5_000)
TARGETS = {
    "load_us_per_node": "≤ 250 µs per node; 500 → 5,000 nodes grows ≤ 12×",
    "step_us": "≤ 50 µs at any size",
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


def bench_load(quick: bool) -> dict[str, Any]:
    catalog = load_catalog(CATALOG_PATH)
    per_node: dict[str, float] = {}
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            path = Path(tmp) / f"synthetic-{size}.yaml"
            path.write_text(synthetic_scenario(size), encoding="utf-8")

            def load_and_build(path: Path = path, size: int = size) -> float:
                started = time.perf_counter()
                scenario, problems = read_scenario(path, catalog)
                assert scenario is not None, problems
                Call(scenario, seed=1)
                return (time.perf_counter() - started) / size * 1e6

            runs = 3 if quick or size == SIZES[-1] else 7
            per_node[str(size)] = round(median_of(runs, load_and_build), 1)
            scenario, _ = read_scenario(path, catalog)
            assert scenario is not None

            def step(scenario: Any = scenario, size: int = size) -> float:
                call = Call(scenario, seed=1)
                call.start()
                count = min(size - 1, 200)
                started = time.perf_counter()
                for _ in range(count):
                    call.choose(0)
                return (time.perf_counter() - started) / count * 1e6

            steps[str(size)] = round(median_of(5, step), 1)
    return {
        "load_us_per_node": per_node,
        "load_growth_500_to_5000": round(per_node["5000"] * 5000 / (per_node["500"] * 500), 2),
        "step_us": max(steps.values()),
        "step_us_by_size": steps,
    }


BENCHES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "load_us_per_node": bench_load,
    "step_us": bench_load,
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
