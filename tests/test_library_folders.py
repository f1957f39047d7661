"""Folders of scenarios beside the shipped ones (`ROLEPLAY_LIBRARY`, `--library DIR`), and `play ID` loading
only the scenario it plays."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from roleplay.library import loader
from roleplay.library.folders import SCENARIO_DIR, library_folders
from roleplay.library.library import load_library, load_one
from tests.commands import roleplay

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """An officer's folder with one call of their own (the `minimal` fixture)."""
    folder = tmp_path / "own calls"
    folder.mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", folder / "minimal.yaml")
    return folder


def test_the_shipped_library_is_the_default() -> None:
    assert library_folders() == [SCENARIO_DIR]
    assert "minimal" not in load_library().scenarios


def test_roleplay_library_adds_folders_after_the_shipped_one(
    own: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEPLAY_LIBRARY", os.pathsep.join([str(own), str(tmp_path / "none"), str(own)]))
    assert library_folders() == [SCENARIO_DIR, own, tmp_path / "none"]
    library = load_library()
    assert "minimal" in library.scenarios and "taobao-refund" in library.scenarios
    assert library.paths["minimal"] == own / "minimal.yaml"


def test_a_shipped_id_in_an_added_folder_is_reported_and_the_shipped_call_kept(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SCENARIO_DIR / "taobao-refund.yaml", own / "my-taobao.yaml")
    monkeypatch.setenv("ROLEPLAY_LIBRARY", str(own))
    library = load_library()
    assert library.paths["taobao-refund"] == SCENARIO_DIR / "taobao-refund.yaml"
    assert any("already used" in p.message for p in library.problems)


def test_the_library_option_and_variable_reach_every_command(own: Path, tmp_path: Path) -> None:
    listed = roleplay("--library", str(own), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "minimal" in [row["id"] for row in json.loads(listed.stdout)]
    played = roleplay("--library", str(own), "play", "minimal", "--plain", "--seed", "1", answers="h\n")
    assert played.returncode == 0, played.stderr
    assert "测试来电" in played.stdout
    walked = roleplay("--library", str(own), "walk", "minimal")
    assert walked.returncode == 0 and walked.stdout.startswith("minimal：共 7 条路")
    assert roleplay("--library", str(own), "validate").returncode == 0
    missing = roleplay("--library", str(tmp_path / "nowhere"), "list")
    assert missing.returncode == 0
    [line] = missing.stderr.splitlines()
    assert "nowhere" in line


def test_play_id_loads_only_the_file_of_that_name(own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEPLAY_LIBRARY", str(own))
    read: list[Path] = []
    real = loader.read_scenario

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        read.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("roleplay.library.library.read_scenario", counting)
    library, scenario = load_one("taobao-refund")
    assert scenario.id == "taobao-refund" and read == [SCENARIO_DIR / "taobao-refund.yaml"]
    assert library.paths == {"taobao-refund": SCENARIO_DIR / "taobao-refund.yaml"}
    read.clear()
    assert load_one("minimal")[1].id == "minimal" and read == [own / "minimal.yaml"]


def test_an_id_in_a_file_of_another_name_is_still_found(own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (own / "minimal.yaml").rename(own / "my call.yaml")
    monkeypatch.setenv("ROLEPLAY_LIBRARY", str(own))
    assert load_one("minimal")[1].id == "minimal"
    (own / "taobao-refund.yaml").write_text((own / "my call.yaml").read_text(encoding="utf-8"))
    library, scenario = load_one("taobao-refund")  # a file named for another id: the real one is found
    assert scenario.id == "taobao-refund" and library.paths["taobao-refund"].parent == SCENARIO_DIR
