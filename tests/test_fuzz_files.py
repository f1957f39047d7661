"""Fuzz targets beside the YAML one (tests/test_fuzz.py): the settings file and the history database.

The settings file: whatever bytes it holds, reading it gives settings the trainer can use (never an
exception), and a file that could not be used as it was is moved aside, never left to be overwritten.

The history: whatever bytes of its pages are damaged, opening it and reading every view of it, twice,
either works or fails with one StoreError line, never another exception. (That damage is mended or moved
aside at the next open is tested for the cases in tests/test_security.py; some damage to rows is not.)

Each runs the "default" hypothesis profile in the normal suite (see conftest.py);
`ROLEPLAY_FUZZ=long pytest tests/test_fuzz_files.py` runs the long profile.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay import plain
from roleplay.core.languages import LANGUAGES
from roleplay.core.model import Catalog, Scenario
from roleplay.exports.report import build_report
from roleplay.history.errors import StoreError
from roleplay.history.names import check_nickname
from roleplay.history.progress import trainee_progress
from roleplay.history.store import Store
from roleplay.library.library import Library
from roleplay.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"

# -- the settings file

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=50)
    | st.sampled_from(["zh", "en", "fr", "a@b", "\x1b]0;x\x07", "x" * 41, "小王"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
settings_objects = st.fixed_dictionaries(
    {},
    optional={
        "trainee": json_values,
        "lang": json_values,
        "speak_delay": json_values,
        "light": json_values,
        "extra": json_values,
    },
)
settings_bytes = st.one_of(
    st.binary(max_size=300),
    settings_objects.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8")),
    json_values.map(lambda v: json.dumps(v).encode("utf-8")),
    st.integers(min_value=1, max_value=50_000).map(lambda n: b"[" * n + b"]" * n),
)


@pytest.fixture
def settings_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("settings")


@given(raw=settings_bytes)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_settings_file_gives_usable_settings(raw: bytes, settings_dir: Path) -> None:
    for old in settings_dir.iterdir():
        old.unlink()
    path = settings_dir / "settings.json"
    path.write_bytes(raw)
    loaded, problem = Settings.read(path)
    assert loaded.lang in LANGUAGES
    assert loaded.trainee == "" or check_nickname(loaded.trainee) == loaded.trainee
    assert isinstance(loaded.speak_delay, float) and 0 <= loaded.speak_delay <= 5
    assert loaded.light in (True, False)
    if problem is None:
        assert path.read_bytes() == raw  # used as it was: left as it was
    else:
        assert isinstance(problem, str) and "\n" not in problem
        assert not path.exists()  # moved aside, so the next save cannot overwrite it unseen
        [aside] = settings_dir.glob("settings.json.unusable-*")
        assert aside.read_bytes() == raw


# -- the history database, with damaged pages


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, minimal: Scenario) -> Path:
    """A history of 40 calls (some in a workshop, one abandoned) to damage copies of."""
    folder = tmp_path_factory.mktemp("pristine")
    source = folder / "minimal.yaml"
    shutil.copy(FIXTURES / "minimal.yaml", source)
    path = folder / "history.sqlite3"
    with Store.open(path) as store:
        workshop = store.create_workshop("王老师", "社区讲座")
        for n in range(40):
            answers = "1\n1\ny\n" if n % 10 else "1\n"  # every tenth left mid-call: abandoned
            plain.play(
                minimal,
                catalog,
                io.StringIO(answers),
                io.StringIO(),
                seed=n,
                store=store,
                trainee=f"t{n % 4}",
                workshop_id=workshop.id if n % 3 == 0 else None,
                scenario_path=source,
            )
    return path


def _read_everything(path: Path, library: Library) -> tuple[tuple[str, ...], list[str]]:
    """Open the history and read each view of it: what opening it said, and the StoreError lines met."""
    met: list[str] = []
    try:
        store = Store.open(path)
    except StoreError as exc:
        return (), [str(exc)]
    with store:
        reads: list[Any] = [
            store.calls,
            lambda: store.calls(trainee="t1"),
            lambda: [store.call(c.id) for c in store.calls()[:5]],
            store.workshops,
            store.trainees,
            lambda: trainee_progress(store, "t1", library),
            lambda: build_report(store, library),
        ]
        for read in reads:
            try:
                read()
            except StoreError as exc:
                met.append(str(exc))
    return store.notices, met


damage = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),  # where in the file
        st.binary(min_size=1, max_size=64),  # what is written there
    ),
    min_size=1,
    max_size=4,
)


@given(flips=damage)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_a_history_with_damaged_pages_is_read_or_said_in_one_line(
    flips: list[tuple[float, bytes]],
    pristine: Path,
    tmp_path_factory: pytest.TempPathFactory,
    library: Library,
) -> None:
    folder = tmp_path_factory.mktemp("flipped")  # not "damaged": the messages are searched for that word
    path = folder / "history.sqlite3"
    shutil.copy(pristine, path)
    size = path.stat().st_size
    with path.open("r+b") as f:
        for where, data in flips:
            f.seek(min(int(where * size), size - len(data)))
            f.write(data)
    notices, first = _read_everything(path, library)  # never another exception than StoreError
    assert all("\n" not in line and str(path) in line for line in (*notices, *first))
    again, second = _read_everything(path, library)  # the second open checks the file (damage was met)
    assert all("\n" not in line and str(path) in line for line in (*again, *second))
