"""A scenario file, a settings file or the history is untrusted input: nothing in it can reach the terminal,
exhaust the machine or lose a call. One section per point of the security review (issue 17); the property
that no front end shows a control character and the fuzz targets are in tests/test_inert.py and
tests/test_fuzz_files.py.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from roleplay import plain
from roleplay.core.inert import CONTROL, inert
from roleplay.core.model import Catalog, Scenario
from roleplay.history.store import Store
from roleplay.library.loader import read_scenario
from roleplay.library.yamlread import MAX_TEXT, YamlError, read
from roleplay.settings import Settings
from tests.commands import ROOT, roleplay
from tests.tmux import stop_server

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_TEXT = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL: dict[str, Any] = yaml.safe_load(MINIMAL_TEXT)
OSC52 = "\x1b]52;c;NjIyMjAyMTIzNDU2Nzg5\x07"  # "set the clipboard to 6222021234567890"
CLEAR = "\x1b[2J"


def _minimal_with(old: str, new: str, path: Path) -> Path:
    assert old in MINIMAL_TEXT
    path.write_text(MINIMAL_TEXT.replace(old, new), encoding="utf-8")
    return path


def _unvalidated(title: str) -> Scenario:
    """The minimal scenario with `title` and a caller's line as given: built as a program (or an old
    version) would build it, without the file validator."""
    data = copy.deepcopy(MINIMAL)
    data["title"] = {"zh": title, "en": title}
    data["nodes"]["offer"]["say"] = [{"zh": f"退款{title}", "en": f"Refund {title}"}]
    return Scenario.model_validate(data)


def _played(
    scenario: Scenario, catalog: Catalog, store: Store | None = None, path: Path | None = None
) -> str:
    out = io.StringIO()
    plain.play(
        scenario,
        catalog,
        io.StringIO("1\n1\ny\n"),
        out,
        seed=1,
        store=store,
        scenario_path=path,
        trainee="cy",
    )
    return out.getvalue()


# -- 1. scenario text cannot write to the terminal or the clipboard


@pytest.mark.parametrize(
    ("escape", "named"),
    [
        ("\\e]52;c;NjIy\\e\\\\", "U+001B (ESC)"),
        ("\\x1b[2J", "U+001B (ESC)"),
        ("\\x9b2J", "U+009B"),  # C1: a one-character CSI
        ("\\u202e", "U+202E (a bidi override)"),
        ("\\r", "U+000D (CR)"),
    ],
)
def test_a_control_character_in_scenario_text_is_a_problem_at_its_line(
    escape: str, named: str, tmp_path: Path, catalog: Catalog
) -> None:
    path = _minimal_with("en: A test call}", f'en: "A test call{escape}"}}', tmp_path / "esc.yaml")
    scenario, problems = read_scenario(path, catalog)
    assert scenario is None
    assert [(p.line, p.message) for p in problems] == [(5, f"a control character, {named}, in the text")]


def test_a_control_character_in_a_key_is_a_problem_too() -> None:
    doc = read(b'a: 1\n"b\\e[2J": 2\n')
    assert [(c.line, c.message) for c in doc.controls] == [
        (2, "a control character, U+001B (ESC), in the text")
    ]


def test_newlines_and_tabs_are_text_not_control_characters() -> None:
    assert read(b'a: "one\\ttwo\\nthree"\nb: |\n  x\n  y\n').controls == []


def test_validate_strict_fails_on_an_escape_with_file_and_line(tmp_path: Path) -> None:
    path = _minimal_with(
        "en: A test call}", f'en: "A test call\\e]52;c;NjIy\\a{CLEAR!r}"}}', tmp_path / "e.yaml"
    )
    result = roleplay("validate", "--strict", str(path))
    assert result.returncode == 1
    assert f"{path}:5: a control character, U+001B (ESC), in the text" in result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_line_mode_shows_a_control_character_inert_even_from_an_unvalidated_scenario(
    catalog: Catalog,
) -> None:
    shown = _played(_unvalidated(f"测试{OSC52}{CLEAR}"), catalog)
    assert "测试\ufffd]52;c;NjIyMjAyMTIzNDU2Nzg5\ufffd\ufffd[2J" in shown
    assert CONTROL.search(shown) is None


def test_history_and_report_show_an_old_historys_control_characters_inert(
    tmp_path: Path, catalog: Catalog, isolated_home: Path
) -> None:
    """A call saved before the validator knew about control characters (or from a file never validated)."""
    path = tmp_path / "old.yaml"
    path.write_text(MINIMAL_TEXT, encoding="utf-8")
    with Store.open() as store:
        _played(_unvalidated(f"测试{OSC52}"), catalog, store, path)
    for command in (["history", "--call", "1"], ["history"], ["report"], ["report", "--format", "csv"]):
        result = roleplay(*command)
        assert result.returncode == 0, result.stderr
        assert CONTROL.search(result.stdout + result.stderr) is None, command
    assert "\ufffd]52;c;" in roleplay("history", "--call", "1").stdout


def test_reports_written_to_a_file_are_inert_too(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(MINIMAL_TEXT, encoding="utf-8")
    with Store.open() as store:
        _played(_unvalidated(f"测试{OSC52}\u202e"), catalog, store, path)
    for fmt in ("md", "html", "csv"):
        out = tmp_path / f"report.{fmt}"
        assert roleplay("report", "--format", fmt, "--output", str(out)).returncode == 0
        assert CONTROL.search(out.read_text(encoding="utf-8")) is None, fmt
    xapi = tmp_path / "statements.json"
    assert roleplay("export", "--xapi", str(xapi)).returncode == 0
    assert CONTROL.search(xapi.read_text(encoding="utf-8")) is None


def test_a_file_name_with_an_escape_is_shown_inert(tmp_path: Path) -> None:
    path = tmp_path / "call\x1b]0;pwned\x07.yaml"
    path.write_text("id: [", encoding="utf-8")
    result = roleplay("validate", str(path))
    assert result.returncode == 1
    assert "call\ufffd]0;pwned\ufffd.yaml" in result.stdout + result.stderr
    assert CONTROL.search(result.stdout + result.stderr) is None


# -- 2. aliases cannot multiply a small file past the limits


def test_an_alias_repeating_a_long_text_is_refused_while_reading() -> None:
    """60 references to a 100,000-character text: 6 million characters from a 100 KB file."""
    text = "x" * 100_000
    raw = f'a: &a "{text}"\nb: [{", ".join(["*a"] * 60)}]\n'.encode()
    assert len(raw) < 110_000 < MAX_TEXT
    with pytest.raises(YamlError, match=f"expands to more than {MAX_TEXT:,} characters"):
        read(raw)


def test_validate_refuses_a_small_file_that_expands_to_gigabytes(tmp_path: Path) -> None:
    """One 1 MB text referred to 99,000 times (the review's 1.4 MB file): refused at once, in little
    memory."""
    big = "x" * 1_000_000
    refs = ", ".join(["*a"] * 99_000)
    path = _minimal_with(
        '  code: ["111111", "222222"]',
        f'  code: ["111111", "222222"]\n  big: [&a "{big}", {refs}]',
        tmp_path / "alias.yaml",
    )
    result = _run_capped(["validate", str(path)], timeout=20)
    assert result.returncode == 1
    assert f"alias.yaml:14: the file expands to more than {MAX_TEXT:,} characters of text" in result.stdout


def test_aliases_that_stay_small_are_still_allowed() -> None:
    doc = read(b'a: &a "short"\nb: [*a, *a, *a]\n')
    assert doc.data == {"a": "short", "b": ["short"] * 3}


# -- 3. money has an upper bound, and the history's sums cannot overflow


def test_a_payment_beyond_any_call_is_a_problem_at_its_line(tmp_path: Path, catalog: Catalog) -> None:
    path = _minimal_with("pay: 500", "pay: 100000000000000000000000", tmp_path / "money.yaml")
    _, problems = read_scenario(path, catalog)
    assert [(p.line, p.message) for p in problems if p.level == "error"] == [
        (40, "nodes.code.choices[0].effects.pay: 100000000000000000000000 yuan is more than a call can lose")
    ]


def test_an_endings_loss_beyond_any_call_is_a_problem_too(tmp_path: Path, catalog: Catalog) -> None:
    path = _minimal_with("lost: 500", "lost: 9223372036854775807", tmp_path / "money.yaml")
    _, problems = read_scenario(path, catalog)
    assert any(p.line == 58 and "more than a call can lose" in p.message for p in problems)


def test_the_schema_says_the_bound_to_editors() -> None:
    from roleplay.core.model import MAX_YUAN
    from roleplay.library.schema import scenario_schema

    defs = scenario_schema()["definitions"]
    for amount in (defs["Effects"]["properties"]["pay"], defs["Ending"]["properties"]["lost"]):
        [number] = [branch for branch in amount["oneOf"] if branch["type"] == "integer"]  # or a {variable}
        assert number["maximum"] == MAX_YUAN


def test_a_number_of_thousands_of_digits_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    path = _minimal_with("pay: 500", "pay: " + "9" * 5000, tmp_path / "digits.yaml")
    result = roleplay("validate", str(path))
    assert result.returncode == 1
    assert (
        "digits.yaml:40: a number 5,000 characters long; a number may have at most 30 digits" in result.stdout
    )
    assert "Traceback" not in result.stderr


def test_history_and_report_survive_sums_past_64_bits(
    catalog: Catalog, minimal: Scenario, tmp_path: Path
) -> None:
    """Two calls of 2**63 - 1 yuan each, as a history from before the bound may hold them."""
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL_TEXT, encoding="utf-8")
    with Store.open() as store:
        _played(minimal, catalog, store, path)
        _played(minimal, catalog, store, path)
        history_file = store.path
    with sqlite3.connect(history_file) as db:
        db.execute("UPDATE calls SET lost = ?", (2**63 - 1,))
    for command in (["history"], ["report"], ["report", "--format", "csv"]):
        result = roleplay(*command)
        assert result.returncode == 0, (command, result.stderr)


# -- 4. only regular files are read, and never more than the limit


def _run_capped(args: list[str], timeout: float, module: bool = True) -> subprocess.CompletedProcess[str]:
    """`roleplay ARGS` (`python ARGS` when not `module`) with at most 1 GB of memory and `timeout` seconds:
    what fails here would have run the machine out of memory or hung."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, *(["-m", "roleplay"] if module else []), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=cap,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_symlink_to_a_device_is_refused_not_read(device: str, tmp_path: Path) -> None:
    link = tmp_path / "call.yaml"
    link.symlink_to(device)
    for command in (["validate", str(link)], ["play", str(link), "--plain"], ["graph", str(link)]):
        result = _run_capped(command, timeout=20)
        assert result.returncode in (1, 2), command
        assert (
            "call.yaml:1: cannot read the file: it is a device, not a regular file"
            in result.stderr + result.stdout
        )


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "call.yaml"
    os.mkfifo(fifo)
    result = _run_capped(["validate", str(fifo)], timeout=20)
    assert result.returncode == 1
    assert "call.yaml:1: cannot read the file: it is a FIFO (named pipe), not a regular file" in result.stdout


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    for command in (["validate", str(loop)], ["play", str(loop), "--plain"]):
        result = _run_capped(command, timeout=20)
        assert result.returncode in (1, 2)
        assert "loop.yaml:1: cannot read the file:" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def _settings_read_capped(path: Path) -> str:
    """`Settings.read(path)` in a process of its own, capped: what fails here hung or ran out of memory."""
    code = (
        "from roleplay.settings import Settings\n"
        f"s, p = Settings.read({str(path)!r})\n"
        "print(s == Settings(), p)"
    )
    result = _run_capped(["-c", code], timeout=20, module=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_settings_file_that_is_a_fifo_does_not_hang_the_start(tmp_path: Path) -> None:
    fifo = tmp_path / "settings.json"
    os.mkfifo(fifo)
    said = _settings_read_capped(fifo)
    assert said.startswith("True ") and "FIFO" in said  # the defaults, and a message saying why


def test_a_settings_file_linked_to_a_device_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "settings.json"
    link.symlink_to("/dev/zero")
    said = _settings_read_capped(link)
    assert said.startswith("True ") and "device" in said


def test_inert_leaves_ordinary_text_as_it_is() -> None:
    text = "您好，这里是95588。\n\t请核实。"
    assert inert(text) is text


# -- 5. one line, never a traceback, and nothing already saved lost


def test_a_history_locked_past_the_busy_timeout_at_call_start_is_one_line_and_the_call_goes_on(
    catalog: Catalog, minimal: Scenario, tmp_path: Path
) -> None:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL_TEXT, encoding="utf-8")
    history = tmp_path / "history.sqlite3"
    with Store.open(history) as store:
        _played(minimal, catalog, store, path)  # one call saved before the lock
    with Store.open(history, busy_timeout=0.1) as store:
        other = sqlite3.connect(history, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the file
        try:
            shown = _played(minimal, catalog, store, path)
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert "the file is locked by another program" in shown
    assert "=== 复盘 ===" in shown  # the call was played to its debrief
    with Store.open(history) as store:
        assert len(store.calls()) == 1  # the call saved before is still there


def test_a_saved_nickname_that_breaks_the_rules_is_reset_with_a_message(tmp_path: Path) -> None:
    for bad in ("a@b", "x" * 41, "\x1b]0;pwned\x07"):
        path = tmp_path / "settings.json"
        path.write_text(json.dumps({"trainee": bad, "lang": "en", "speak_delay": 0.2}), encoding="utf-8")
        settings, problem = Settings.read(path)
        assert settings.trainee == ""
        assert (settings.lang, settings.speak_delay) == ("en", 0.2)  # what was right is kept
        assert problem is not None and "a trainee nickname" in problem  # what is wrong
        assert f"{path}.unusable-" in problem  # where the file went: moved aside, not overwritten later


def test_line_mode_with_a_bad_saved_nickname_plays_under_the_default(isolated_home: Path) -> None:
    (isolated_home / "settings.json").write_text('{"trainee": "a@b"}', encoding="utf-8")
    result = roleplay("play", "taobao-refund", "--plain", "--seed", "2", answers="h\ny\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "settings.json" in result.stderr and "a trainee nickname cannot contain '@'" in result.stderr


def test_a_deeply_nested_settings_file_does_not_stop_the_trainer(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    nested = "[" * 20_000 + "]" * 20_000  # 40 KB: under the size limit, far past json's depth
    path.write_text(nested, encoding="utf-8")
    settings, problem = Settings.read(path)
    assert settings == Settings()
    assert problem is not None and f"{path}.unusable-" in problem
    from roleplay.tui.app import make_app

    path.write_text(nested, encoding="utf-8")
    app = make_app(settings_file=path, save_settings=False, keep_history=False)
    assert len(app.startup_notices) == 1  # said on the first screen


def test_answers_that_are_not_utf8_are_asked_again_not_a_traceback() -> None:
    env = {"LC_ALL": "zh_CN.UTF-8", "PYTHONIOENCODING": "utf-8"}
    gbk = "是".encode("gbk")
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "play", "taobao-refund", "--plain", "--seed", "2"],
        input=b"h\n" + gbk + b"\ny\n",
        capture_output=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)} | env,
        timeout=60,
        check=False,
    )
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "不是 UTF-8" in stdout or "not UTF-8" in stdout
    assert "=== 复盘 ===" in stdout


def test_a_scenario_file_deleted_after_loading_still_saves_the_call(
    catalog: Catalog, minimal: Scenario, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.yaml"  # loaded, then deleted before the call started
    with Store.open(tmp_path / "h.sqlite3") as store:
        shown = _played(minimal, catalog, store, gone)
        assert "=== 复盘 ===" in shown
        [call] = store.calls()
        assert call.status == "finished"


# -- 7. the terminal is given back on SIGTERM and SIGHUP, and the call is kept as abandoned


_SOCKET = f"roleplay-signal-{os.getpid()}"  # a tmux server of its own, as in tests/tmux.py


def _tmux(*args: str) -> str:
    command = ["tmux", "-L", _SOCKET, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=10)
    return done.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed here")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_gives_the_terminal_back_and_keeps_the_call(stop: int, tmp_path: Path) -> None:
    session = f"roleplay-signal-{os.getpid()}-{stop}"
    pid_file = tmp_path / "pid"
    # COLUMNS and LINES (set by the snapshot plugin for the test run) would pin the app's size.
    command = (
        f"unset COLUMNS LINES; TERM=xterm-256color ROLEPLAY_HOME={tmp_path} PYTHONPATH={ROOT} "
        f"sh -c 'echo $$ > {pid_file}; "
        f'exec {sys.executable} -m roleplay play taobao-refund --seed 2\'; echo "[exited $?]"; sleep 30'
    )
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 20
        while text not in (screen := _tmux("capture-pane", "-p", "-t", session)):
            assert time.monotonic() < deadline, f"waited for {text!r}; the screen:\n{screen}"
            time.sleep(0.2)

    def flags() -> str:  # alternate screen, mouse reporting (any, button, standard, SGR), cursor shown
        return _tmux(
            "display",
            "-p",
            "-t",
            session,
            "#{alternate_on} #{mouse_any_flag}#{mouse_button_flag}"
            "#{mouse_standard_flag}#{mouse_sgr_flag} #{cursor_flag}",
        ).strip()

    try:
        wait_for("回车：接听")  # the phone card (home, drawn first while the library loads, also says 回车)
        _tmux("send-keys", "-t", session, "Enter")
        wait_for("h 挂断电话")  # in the call, a step taken by the caller
        assert flags().startswith("1 ")  # the trainer has the alternate screen
        os.kill(int(pid_file.read_text()), stop)
        wait_for("[exited")
        assert flags() == "0 0000 1"  # the main screen, no mouse reporting, the cursor shown
        assert f"[exited {128 + stop}]" in _tmux("capture-pane", "-p", "-t", session)
    finally:
        stop_server(["tmux", "-L", _SOCKET])
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        assert db.execute("SELECT status FROM calls").fetchall() == [("abandoned",)]


# -- 8. the smaller points


def _history_of(calls: int, catalog: Catalog, minimal: Scenario, tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL_TEXT, encoding="utf-8")
    with Store.open(home / "history.sqlite3") as store:
        for _ in range(calls):
            _played(minimal, catalog, store, path)
        return store.path


def _flip(history: Path, page: int, offset: int, count: int = 24) -> None:
    """Flip `count` bytes of a page of the file, as a failing disk or a bad copy does."""
    size = sqlite3.connect(history).execute("PRAGMA page_size").fetchone()[0]
    with history.open("r+b") as f:
        f.seek((page - 1) * size + offset)
        data = f.read(count)
        f.seek((page - 1) * size + offset)
        f.write(bytes(b ^ 0xFF for b in data))


def _report_index(history: Path) -> int:
    with contextlib.closing(sqlite3.connect(history)) as db:
        return int(
            db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'calls_for_reports'").fetchone()[0]
        )


def test_a_damaged_index_is_rebuilt_not_met_for_ever(
    catalog: Catalog, minimal: Scenario, tmp_path: Path, isolated_home: Path
) -> None:
    """Flipped bytes in the keys of an index: `PRAGMA quick_check` sees nothing, every report failed."""
    history = _history_of(30, catalog, minimal, tmp_path, isolated_home)
    _flip(history, _report_index(history), 2048)
    first = roleplay("report", "--format", "csv")
    assert first.returncode == 0, first.stderr
    assert "had damaged indexes: they were rebuilt, and nothing was lost" in first.stderr
    again = roleplay("report", "--format", "csv")
    assert again.returncode == 0 and again.stderr == ""
    assert ",calls,30" in again.stdout.replace('"', "")  # every call counted, none silently missing


def test_damage_met_in_a_big_file_is_mended_at_the_next_open(
    catalog: Catalog, minimal: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roleplay.history import database
    from roleplay.history.errors import StoreError

    history = _history_of(30, catalog, minimal, tmp_path, tmp_path)
    _flip(history, _report_index(history), 8)  # its cell pointers: SQLite says "malformed"
    monkeypatch.setattr(database, "QUICK_CHECK_BYTES", 0)  # "big": not checked at every open
    by_scenario = "SELECT scenario, count(*) FROM calls INDEXED BY calls_for_reports GROUP BY scenario"
    with Store.open(history) as store, pytest.raises(StoreError, match="run roleplay again: it checks"):
        store.rows(by_scenario)
    with Store.open(history) as store:  # checked, because damage was met
        assert any("rebuilt" in n for n in store.notices)
        assert [tuple(r) for r in store.rows(by_scenario)] == [("minimal", 30)]
    with Store.open(history) as store:
        assert store.notices == ()


def test_a_corrupt_timestamp_is_shown_not_a_traceback(
    catalog: Catalog, minimal: Scenario, tmp_path: Path, isolated_home: Path
) -> None:
    history = _history_of(2, catalog, minimal, tmp_path, isolated_home)
    with contextlib.closing(sqlite3.connect(history)) as db, db:
        db.execute("UPDATE calls SET started_at = 'not a time', ended_at = 12 WHERE id = 1")
        db.execute("UPDATE steps SET at = X'00ff' WHERE call_id = 1")
    for command in (["history", "--call", "1"], ["history", "--trainee", "cy"], ["report"]):
        result = roleplay(*command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert "1970-01-01" in roleplay("history", "--call", "1").stdout


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare to mount a folder read-only")
def test_a_history_on_read_only_media_can_be_read(
    catalog: Catalog, minimal: Scenario, tmp_path: Path
) -> None:
    home = tmp_path / "stick"
    home.mkdir()
    _history_of(1, catalog, minimal, tmp_path, home)
    script = (
        f"mount --bind {home} {home} && mount -o remount,bind,ro {home} || exit 77; "
        f"ROLEPLAY_HOME={home} PYTHONPATH={ROOT} exec {sys.executable} -m roleplay history --trainee cy"
    )
    result = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode == 77 or "unshare:" in result.stderr:
        pytest.skip("this system does not let a test mount a folder read-only")
    assert result.returncode == 0, result.stderr
    assert "is on read-only media: it can be read, but nothing new will be saved" in result.stderr
    assert "通话 1 次" in result.stdout


def test_a_settings_file_that_is_not_json_is_moved_aside_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"trainee": "小王", "lang": "en"', encoding="utf-8")  # cut off
    settings, problem = Settings.read(path)
    assert settings == Settings()
    assert problem is not None
    [aside] = tmp_path.glob("settings.json.unusable-*")
    assert aside.read_text(encoding="utf-8") == '{"trainee": "小王", "lang": "en"'
    assert str(aside) in problem
    Settings(trainee="小李").save(path)  # the next save writes a new file; the old one is still there
    assert aside.exists()


@pytest.mark.parametrize(
    ("facilitator", "title"),
    [("王老师\n第二行", None), ("王\x1b]0;x\x07", None), ("王老师", "社区\u202e讲座")],
)
def test_a_workshops_facilitator_and_title_are_one_line_of_plain_text(
    facilitator: str, title: str | None, tmp_path: Path
) -> None:
    from roleplay.history.errors import StoreError

    with (
        Store.open(tmp_path / "h.sqlite3") as store,
        pytest.raises(StoreError, match="one line of plain text"),
    ):
        store.create_workshop(facilitator, title)


def test_workshop_names_in_chinese_with_a_wide_space_are_fine(tmp_path: Path) -> None:
    with Store.open(tmp_path / "h.sqlite3") as store:
        assert store.create_workshop("张　三", "社区反诈讲座").facilitator == "张　三"


def test_line_mode_stops_asking_after_many_answers_that_are_not_moves() -> None:
    """`yes 1 | roleplay play X --plain`: "1" is never y or n, so the judgement would be asked for ever."""
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "play", "taobao-refund", "--plain", "--seed", "2"],
        input="1\n" * 10_000,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "20 个回答都不是" in result.stdout or "20 answers in a row" in result.stdout
    assert len(result.stdout) < 100_000


def test_the_quick_fire_round_stops_asking_too() -> None:
    result = roleplay("quiz", "--plain", answers="x\n" * 10_000)
    assert result.returncode == 3  # taken as the end of the input: the round is not saved
    assert len(result.stdout) < 100_000


def test_a_megabyte_key_is_not_echoed_whole(tmp_path: Path, catalog: Catalog) -> None:
    key = "k" * 4_000_000
    path = _minimal_with("kind: scam", f"kind: scam\n? {key}\n: 1", tmp_path / "key.yaml")
    _, problems = read_scenario(path, catalog)
    assert problems and all(len(str(p)) < 400 for p in problems)
    assert any("unknown key 'kkkk" in p.message for p in problems)


def test_a_hundred_thousand_duplicate_keys_are_not_a_hundred_thousand_lines() -> None:
    doc = read(b"".join(b"a: %d\n" % i for i in range(100_000)))
    assert len(doc.duplicates) == 21
    assert doc.duplicates[-1].message == "and 99,979 more duplicate keys after this line"


def test_a_reply_typed_as_another_scripts_digit_is_asked_again_not_a_traceback(
    catalog: Catalog, minimal: Scenario
) -> None:
    """ "²" and "٣" are digits to str.isdigit() but not to int(): found by tests/test_inert.py's fuzzing."""
    out = io.StringIO()
    plain.play(minimal, catalog, io.StringIO("²\n٣\nh\ny\n"), out, seed=1)
    assert out.getvalue().count("请输入 1 到") == 2 or out.getvalue().count("Please type a number") == 2
