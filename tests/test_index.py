"""The library's index: what the trainer lists in its first frame, read without pydantic or YAML, and only
when it is exactly the library's list."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.library import cache
from roleplay.library.index import read_index
from roleplay.library.library import SCENARIO_DIR, load_library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", folder / "minimal.yaml")
    monkeypatch.setenv("ROLEPLAY_LIBRARY", str(folder))
    return folder


def listed() -> list[tuple[str, str, str]]:
    index = read_index()
    assert index is not None
    return sorted((e.id, e.title.zh, e.kind) for e in index)


def of_library() -> list[tuple[str, str, str]]:
    library = load_library()
    return sorted((s.id, s.title.zh, s.kind) for s in library.scenarios.values())


def test_the_index_lists_what_the_library_holds(own: Path) -> None:
    assert read_index() is None, "nothing loaded yet"
    expected = of_library()
    assert listed() == expected and ("minimal", "测试来电", "scam") in expected


def test_the_index_is_read_without_pydantic_or_yaml() -> None:
    load_library()
    code = (
        "import sys; from roleplay.library.index import read_index; index = read_index(); "
        "assert index and len(index) > 10, index; "
        "assert 'pydantic' not in sys.modules and 'yaml' not in sys.modules, 'heavy imports'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_any_change_to_the_files_means_no_index_until_the_library_loads_again(own: Path) -> None:
    of_library()
    path = own / "minimal.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("A test call", "A test cell"), encoding="utf-8")
    assert read_index() is None, "edited"
    of_library()
    assert read_index() is not None
    shutil.copy(path, own / "second.yaml")
    assert read_index() is None, "added"
    of_library()
    (own / "second.yaml").unlink()
    assert read_index() is None, "removed"
    of_library()
    path.rename(own / "renamed.yaml")
    assert read_index() is None, "renamed"


def test_a_file_touched_but_not_changed_keeps_the_index_and_is_checked_by_its_bytes(own: Path) -> None:
    of_library()
    path = own / "minimal.yaml"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))  # a new time, the same bytes
    assert cache.stamp(path) != (info.st_size, info.st_mtime_ns, info.st_ino)
    assert listed() == of_library(), "the same bytes: still the library's list"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A test call", "A test cell"), encoding="utf-8")  # the same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2 * 10**9))
    assert read_index() is None, "other bytes under a new time"


def test_files_the_library_leaves_out_are_left_out_of_the_index(own: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "bad-target.yaml", own / "broken.yaml")
    shutil.copy(SCENARIO_DIR / "taobao-refund.yaml", own / "a-copy.yaml")  # an id already taken
    expected = of_library()
    assert listed() == expected
    assert len(expected) == len(list(SCENARIO_DIR.glob("*.yaml"))) + 1


def test_a_damaged_index_or_one_of_other_code_is_not_used(own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    of_library()
    index = cache.cache_dir() / "library-index.marshal"
    blob = bytearray(index.read_bytes())
    blob[len(blob) // 2] ^= 1
    index.write_bytes(bytes(blob))
    assert read_index() is None
    of_library()
    assert read_index() is not None
    monkeypatch.setattr(cache, "_code", [b"other code"])
    assert read_index() is None


def test_no_index_where_the_cache_folder_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("ROLEPLAY_CACHE", str(blocker / "cache"))
    assert load_library().scenarios
    assert read_index() is None


def test_the_index_follows_the_environment(own: Path) -> None:
    of_library()
    env = {**os.environ}
    env.pop("ROLEPLAY_LIBRARY")
    code = "from roleplay.library.index import read_index; print(read_index())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "None", "another library: this index is not its list"
