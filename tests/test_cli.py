"""The `roleplay` command's listing, validation, walking and schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from roleplay import __version__
from roleplay.library.schema import CATALOG_SCHEMA, SCENARIO_SCHEMA, catalog_schema, render, scenario_schema
from tests.commands import roleplay

FIXTURES = Path(__file__).parent / "fixtures"


def test_version() -> None:
    assert roleplay("--version").stdout.strip() == f"roleplay {__version__}"


def test_list_json_describes_each_scenario() -> None:
    rows = json.loads(roleplay("list", "--json").stdout)
    taobao = next(r for r in rows if r["id"] == "taobao-refund")
    assert taobao["kind"] == "scam" and taobao["channel"] == "phone" and taobao["perspective"] == "victim"
    assert taobao["sources"][0]["seed"] == "004"
    assert taobao["title"]["zh"] and taobao["title"]["en"]
    assert taobao["turns"] >= 3
    assert taobao["endings"]["safe"] >= 1 and taobao["endings"]["loss"] >= 2


def test_validate_is_clean_on_the_shipped_library() -> None:
    result = roleplay("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_validate_reports_problems_one_per_line_and_exits_1() -> None:
    result = roleplay(
        "validate", str(FIXTURES / "broken" / "bad-target.yaml"), str(FIXTURES / "minimal.yaml")
    )
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("did you mean 'loss-code'?")
    assert "bad-target.yaml:39:" in lines[0]


def test_walk_json_reports_endings_dead_ends_and_random_hits() -> None:
    result = roleplay("walk", "taobao-refund", "--json", "--random", "50", "--seed", "3")
    assert result.returncode == 0
    (report,) = json.loads(result.stdout)
    assert report["dead_ends"] == [] and report["paths"] > 0
    assert all(e["reachable"] for e in report["endings"])
    assert sum(e["hits"] for e in report["endings"]) == 50
    again = json.loads(roleplay("walk", "taobao-refund", "--json", "--random", "50", "--seed", "3").stdout)
    assert again == [report]


def test_committed_schemas_are_up_to_date() -> None:
    stale = "is stale: run `python -m roleplay.library.schema`"
    assert SCENARIO_SCHEMA.read_text(encoding="utf-8") == render(scenario_schema()), (
        f"{SCENARIO_SCHEMA} {stale}"
    )
    assert CATALOG_SCHEMA.read_text(encoding="utf-8") == render(catalog_schema()), f"{CATALOG_SCHEMA} {stale}"
    assert scenario_schema()["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_translations_are_complete_and_compiled() -> None:
    script = Path(__file__).parent.parent / "scripts" / "i18n.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_the_help_is_in_the_users_language() -> None:
    chinese = roleplay("--help")
    assert chinese.returncode == 0
    assert chinese.stdout.startswith("用法：roleplay")
    assert (
        "练一通指定的电话（场景 id 或场景文件）" in chinese.stdout
        and "显示这份说明，然后退出" in chinese.stdout
    )
    play = roleplay("play", "--help")
    assert "用法：roleplay play" in play.stdout and "纯文字模式：最后输出一行 JSON 格式的复盘" in play.stdout
    english = roleplay("--lang", "en", "--help")
    assert english.stdout.startswith("usage: roleplay") and "play one scenario" in english.stdout
