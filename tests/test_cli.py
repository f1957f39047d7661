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


def test_a_mistyped_command_line_is_told_in_the_users_language() -> None:
    zh = roleplay("history", "--bogus")
    assert zh.returncode == 2
    assert zh.stderr.splitlines()[-1] == "roleplay：出错了：看不懂这些参数：--bogus"
    missing = roleplay("play")
    assert "缺少这些参数" in missing.stderr and "error" not in missing.stderr
    choice = roleplay("report", "--format", "pdf")
    assert "没有 'pdf' 这一项" in choice.stderr
    en = roleplay("--lang", "en", "history", "--bogus")
    assert en.stderr.splitlines()[-1] == "roleplay: error: unrecognized arguments: --bogus"


def test_every_argparse_sentence_we_translate_is_one_argparse_says() -> None:
    """A Python whose argparse words a sentence differently would leave it in English: this says which."""
    import argparse
    import inspect

    from roleplay.cli.argparse_words import SENTENCES

    source = inspect.getsource(argparse)
    for sentence in SENTENCES:
        assert repr(sentence)[1:-1] in source or sentence.replace("\n", "\\n") in source, sentence


def test_the_schema_admits_no_id_the_validator_refuses() -> None:
    """Editors check with the JSON Schema, the trainer with the model: a node called `Bogus_Node` must fail
    both, so every map keyed by ids admits only keys of the id pattern."""
    from roleplay.core.model import Id

    [pattern] = [m.pattern for m in getattr(Id, "__metadata__", ()) if getattr(m, "pattern", None)]

    def maps(schema: object) -> list[dict[str, object]]:
        if isinstance(schema, dict):
            here = [schema] if "patternProperties" in schema else []
            return here + [m for value in schema.values() for m in maps(value)]
        if isinstance(schema, list):
            return [m for value in schema for m in maps(value)]
        return []

    for schema in (scenario_schema(), catalog_schema()):
        keyed = maps(schema)
        assert keyed
        for mapping in keyed:
            assert mapping["additionalProperties"] is False
            assert list(mapping["patternProperties"]) == [pattern]  # type: ignore[call-overload]


def test_validate_knows_a_catalog_from_a_scenario(tmp_path: Path) -> None:
    shipped = roleplay("validate", "roleplay/library/data/catalog.yaml")
    assert shipped.returncode == 0, shipped.stdout
    assert shipped.stdout == "" and shipped.stderr.strip() == "检查了 1 个危险信号目录，0 个问题"
    broken = tmp_path / "catalog.yaml"
    broken.write_text("flags: {}\nsources: {}\nrules: []\n", encoding="utf-8")
    found = roleplay("validate", str(broken))
    assert found.returncode == 1
    assert found.stdout.splitlines() == [f"{broken}:3: rules: must not be empty — add at least one item"]


def test_a_node_id_with_capitals_is_named_at_its_line(tmp_path: Path) -> None:
    minimal = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    bogus = tmp_path / "bogus.yaml"
    bogus.write_text(
        minimal.replace("  offer:", "  Bogus_Node:").replace("start: offer", "start: Bogus_Node")
    )
    found = roleplay("validate", str(bogus)).stdout.splitlines()
    said = "nodes.Bogus_Node: 'Bogus_Node' is not a valid id — use lowercase letters, digits, - and _"
    assert f"{bogus}:19: {said}" in found
    assert not [line for line in found if "None" in line]
