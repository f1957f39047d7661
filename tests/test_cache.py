"""The cache of checked scenario data: the same results as reading the files, never a stale or damaged
entry shown, no harm from a folder that cannot be written, and several processes sharing one folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from roleplay.core.model import Catalog
from roleplay.library import cache, loader
from roleplay.library.library import CATALOG_PATH, SCENARIO_DIR, load_library
from roleplay.library.loader import read_catalog, read_scenario

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(SCENARIO_DIR.glob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("ROLEPLAY_CACHE", str(where))
    return where


def entries(folder: Path) -> list[Path]:
    """The entries of checked data (each in a folder named by its key's first two digits; not the index)."""
    return sorted(folder.glob("*/*.marshal"))


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading a file's YAML fails the test: what loads comes from the cache."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(loader, "_read_scenario", refuse)
    monkeypatch.setattr(loader, "_read_catalog", refuse)


def test_the_cache_lives_in_the_platform_cache_folder_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("ROLEPLAY_CACHE", raising=False)
    monkeypatch.delenv("ROLEPLAY_HOME", raising=False)
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("roleplay", appauthor=False))
    monkeypatch.setenv("ROLEPLAY_HOME", "/somewhere")
    assert cache.cache_dir() == Path("/somewhere/cache")
    monkeypatch.setenv("ROLEPLAY_CACHE", "/elsewhere")
    assert cache.cache_dir() == Path("/elsewhere")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_file_from_the_cache_is_what_reading_it_gives(
    path: Path, catalog: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = read_scenario(path, catalog, cached=False)
    assert read_scenario(path, catalog) == uncached  # a miss: read, then kept when valid
    if uncached[0] is None:
        assert entries(folder) == [], "a file with errors is never kept"
        return
    assert len(entries(folder)) == 1
    no_reading(monkeypatch)
    assert read_scenario(path, catalog) == uncached  # a hit: the same scenario, the same warnings


def test_the_catalog_comes_from_the_cache_too(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uncached = read_catalog(CATALOG_PATH, cached=False)
    assert read_catalog(CATALOG_PATH) == uncached
    no_reading(monkeypatch)
    assert read_catalog(CATALOG_PATH) == uncached


def scenario_file(tmp_path: Path, title: str = "A test call") -> Path:
    path = tmp_path / "call.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("A test call", title))
    return path


def test_an_edited_file_is_read_again_never_taken_from_the_cache(
    tmp_path: Path, catalog: Catalog, folder: Path
) -> None:
    path = scenario_file(tmp_path)
    scenario, _ = read_scenario(path, catalog)
    assert scenario is not None and scenario.title.en == "A test call"
    info = path.stat()
    scenario_file(tmp_path, "A test cell")  # same size, same time: only the bytes tell
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    scenario, _ = read_scenario(path, catalog)
    assert scenario is not None and scenario.title.en == "A test cell"
    path.write_text("id: [broken", encoding="utf-8")
    scenario, problems = read_scenario(path, catalog)
    assert scenario is None and problems


def test_an_entry_of_another_catalog_or_code_is_not_used(
    tmp_path: Path, catalog: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scenario_file(tmp_path)
    read_scenario(path, catalog)
    monkeypatch.setattr(cache, "_code", [b"another version of the code"])
    read_scenario(path, catalog)
    other = catalog.model_copy(update={"sources": dict(catalog.sources)})
    other.sources.pop("nanning-2021-09")
    read_scenario(path, other)
    assert len(entries(folder)) == 3


def damage_all(folder: Path, how: str) -> None:
    for entry in entries(folder):
        blob = bytearray(entry.read_bytes())
        if how == "flipped":
            blob[len(blob) // 2] ^= 0x20
        elif how == "cut":
            del blob[len(blob) // 2 :]
        elif how == "empty":
            blob = bytearray()
        elif how == "garbage":
            blob = bytearray(os.urandom(len(blob)))
        elif how == "old format":
            blob[:5] = b"other"
        entry.write_bytes(bytes(blob))


@pytest.mark.parametrize("how", ["flipped", "cut", "empty", "garbage", "old format"])
def test_a_damaged_entry_is_rebuilt_never_shown(
    tmp_path: Path, catalog: Catalog, folder: Path, how: str
) -> None:
    path = scenario_file(tmp_path, "Before the damage")
    good = read_scenario(path, catalog, cached=False)
    read_scenario(path, catalog)
    damage_all(folder, how)
    assert read_scenario(path, catalog) == good
    [entry] = entries(folder)
    assert cache._read_entry(entry, entry.stem) is not None, "written again, whole"


def test_an_entry_whose_data_no_longer_validates_is_rebuilt(
    tmp_path: Path, catalog: Catalog, folder: Path
) -> None:
    path = scenario_file(tmp_path)
    good = read_scenario(path, catalog, cached=False)
    read_scenario(path, catalog)
    [entry] = entries(folder)
    cache._write_entry(entry, entry.stem, {"id": "not a scenario"}, [])  # well formed, wrong inside
    assert read_scenario(path, catalog) == good
    found = cache._read_entry(entry, entry.stem)
    assert found is not None and found[0]["id"] == "minimal"


def test_an_entry_under_another_key_is_not_used(tmp_path: Path, catalog: Catalog, folder: Path) -> None:
    path = scenario_file(tmp_path)
    good = read_scenario(path, catalog, cached=False)
    read_scenario(path, catalog)
    [entry] = entries(folder)
    data, warnings = cache._read_entry(entry, entry.stem) or ({}, [])
    cache._write_entry(entry, "0" * 64, {**data, "title": {"zh": "别的", "en": "Another"}}, warnings)
    assert read_scenario(path, catalog) == good


def test_a_cache_folder_that_cannot_be_written_only_means_no_cache(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ROLEPLAY_CACHE", str(blocker / "cache"))  # cannot be created, even by root
    path = scenario_file(tmp_path)
    assert read_scenario(path, catalog) == read_scenario(path, catalog, cached=False)
    assert load_library().scenarios


def test_a_read_only_cache_folder_still_serves_its_entries(
    tmp_path: Path, catalog: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scenario_file(tmp_path)
    good = read_scenario(path, catalog, cached=False)
    read_scenario(path, catalog)
    for sub in [folder, *folder.iterdir()]:
        sub.chmod(0o555)
    try:
        other = scenario_file(tmp_path, "Another call")  # a miss it cannot keep
        assert read_scenario(other, catalog)[0] is not None
        path = scenario_file(tmp_path)
        no_reading(monkeypatch)
        assert read_scenario(path, catalog) == good
    finally:
        for sub in [folder, *folder.iterdir()]:
            sub.chmod(0o755)


def test_writing_an_entry_fails_quietly(
    tmp_path: Path, catalog: Catalog, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    path = scenario_file(tmp_path)
    assert read_scenario(path, catalog) == read_scenario(path, catalog, cached=False)
    assert entries(folder) == []


LIST = [sys.executable, "-m", "roleplay", "list", "--json"]


def test_processes_sharing_a_cold_cache_all_see_the_library(folder: Path) -> None:
    env = {**os.environ, "ROLEPLAY_CACHE": str(folder)}
    apart = {**env, "ROLEPLAY_CACHE": str(folder.parent / "apart")}
    expected = subprocess.run(LIST, env=apart, capture_output=True, text=True, check=False)
    assert expected.returncode == 0, expected.stderr
    runs = [subprocess.Popen(LIST, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        assert json.loads(out) == json.loads(expected.stdout)
    found = entries(folder)
    assert len(found) == len(list(SCENARIO_DIR.glob("*.yaml"))) + 1  # and the catalog
    assert all(cache._read_entry(e, e.stem) is not None for e in found)
    assert not list(folder.rglob(".entry-*")), "no temporary file left behind"
    again = subprocess.run(LIST, env=env, capture_output=True, text=True, check=True)
    assert json.loads(again.stdout) == json.loads(expected.stdout)


PLAY_ONE = (
    "import sys\n"
    "from roleplay.library.library import load_one\n"
    "library, scenario = load_one('taobao-refund')\n"
    "print(scenario.id, 'yaml' in sys.modules, 'roleplay.library.checks' in sys.modules)\n"
)


def test_a_call_from_a_warm_cache_imports_neither_yaml_nor_the_checks(folder: Path) -> None:
    env = {**os.environ, "ROLEPLAY_CACHE": str(folder)}
    run = [sys.executable, "-c", PLAY_ONE]
    cold = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert cold.stdout.split() == ["taobao-refund", "True", "True"]  # a miss parses and checks the file
    warm = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert warm.stdout.split() == ["taobao-refund", "False", "False"]
