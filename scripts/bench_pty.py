"""What users wait for, measured in a real pseudo-terminal against a bare Textual app in the same run.

Usage: python scripts/bench_pty.py [--json] [--quick] [--root DIR] [--only KEY[,KEY...]]
       (scripts/bench.py runs it for its keys pty_*)

--root DIR measures the roleplay code in DIR (a checkout of another commit: `git archive COMMIT | tar -x -C
DIR`) instead of this one, with this checkout's virtual environment; run it twice, one root each, and the
bare app gives each run its baseline.

Keys:
- startup: ms from starting the trainer until its home screen shows the footer's keys *and* the library's
  first title, against a bare Textual app (Header, Static, Footer) to its first frame; runs alternate. The
  library holds the shipped scenarios, or 100 or 1,000 (copies of a shipped one, in a folder of the
  library, or in the shipped folder of a copied root that has no library folders). The cache of checked
  data is warm (one untimed start first), as on every start but the first after an edit.
- choice: ms from pressing 1 in a call to the next turn's line on the terminal, with 10 and 1,000 lines in
  the transcript, against a bare app whose RichLog holds as many lines and gets two more per key.
- history: ms from pressing h on the home screen to the progress on the terminal, with a history of 10,000 /
  100,000 / 1,000,000 calls by 500 trainees (the trainee one of them), and `roleplay history` for that
  trainee; and while the history screen computes, the longest time the trainer's event loop could not run
  (a timer every 10 ms: a gap is a frame that could not be drawn), the worst of the runs. The histories are
  made once into the temporary folder (1,000,000 calls: about two minutes).
- plain: ms from `roleplay play taobao-refund --plain` to the caller's first line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import itertools
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
SIZE = (100, 30)  # columns, rows

sys.path.insert(0, str(HERE))
from bench_tui import BARE_APP, long_scenario  # noqa: E402 - the same baseline app and long call as bench_tui

# A bare app with a RichLog of N lines: each 1 adds two lines, as a turn of a call does.
BARE_LOG = textwrap.dedent(
    """
    import sys
    from textual.app import App
    from textual.widgets import Footer, Header, RichLog

    class BareLog(App[None]):
        BINDINGS = [("1", "more", "More")]

        def compose(self):
            yield Header()
            yield RichLog(id="log")
            yield Footer()

        def on_mount(self):
            self.turn = int(sys.argv[1]) // 2
            log = self.query_one(RichLog)
            for i in range(self.turn):
                log.write(f"对方：第{i}句，退款马上到账。")
                log.write("你：好的，你继续说")

        def action_more(self):
            log = self.query_one(RichLog)
            log.write(f"对方：第{self.turn}句，退款马上到账。")
            log.write("你：好的，你继续说")
            self.turn += 1

    BareLog().run()
    """
)

# The trainer in a call with N transcript lines: answered and fast-forwarded through the engine as the key
# would (as bench_tui does), then the turn it is at written to a file for the benchmark to read.
CALL_DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from roleplay.tui.app import make_app

    path, lines, report, turns = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    app = make_app(scenario=path, seed=1, speak_delay=0, save_settings=False)
    state = {"done": False}

    def tick():
        screen = app.screen
        name = type(screen).__name__
        if name == "CallScreen" and not state["done"] and screen.call.turn >= 1:  # the call has started
            from textual.widgets import RichLog
            log = screen.query_one("#transcript", RichLog)
            # Turns to spare: the log's lines can lag behind its writes, so a turn may add fewer than two.
            while len(log.lines) < lines and screen.call.turn < turns - 100:
                screen.view.play(screen.call.reply(0), at_once=True)
            state["done"] = True
            report.write_text(str(screen.call.turn - 1))

    app.call_later(lambda: app.set_interval(0.02, tick))
    app.run()
    """
)


# The trainer as `python -m roleplay` starts it, with a timer on its event loop every 10 ms; the times the
# timer ran are written to a file when the app ends. A gap between two runs is time the screen could not be
# redrawn.
GAP_DRIVER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from roleplay.tui.app import make_app

    report = Path(sys.argv[1])
    app = make_app(lang="zh")
    ticks = []
    app.call_later(lambda: app.set_interval(0.01, lambda: ticks.append(time.monotonic())))
    app.run()
    report.write_text(json.dumps(ticks))
    """
)


def longest_gap(ticks: list[float], began: float, ended: float) -> float:
    """The longest time between two runs of the driver's timer that overlaps [began, ended] (seconds)."""
    gaps = [b - a for a, b in itertools.pairwise(ticks) if b >= began and a <= ended]
    return max(gaps, default=0.0)


class Terminal:
    """A command in a pseudo-terminal of SIZE, with everything it has drawn so far."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, cwd=_cwd(env)
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, *markers: bytes, since: int = 0, timeout: float = 60) -> float:
        """Seconds since the start until every marker has been drawn (after byte `since` of the output)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(m in self.seen[since:] for m in markers):
                return time.perf_counter() - self.started
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if ready:
                try:
                    self.seen += os.read(self.master, 1 << 20)
                except OSError:
                    break
        raise RuntimeError(f"never drew {markers!r}; last: {self.seen[-400:]!r}")

    def press(self, key: bytes, *markers: bytes, timeout: float = 60) -> float:
        """Seconds from writing `key` until every marker is drawn after it."""
        self.drain()
        since = len(self.seen)
        began = time.perf_counter()
        os.write(self.master, key)
        self.wait_for(*markers, since=since, timeout=timeout)
        return time.perf_counter() - began

    def drain(self) -> None:
        while select.select([self.master], [], [], 0.05)[0]:
            try:
                chunk = os.read(self.master, 1 << 20)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self.master, b"\x11")  # ctrl+q
        deadline = time.perf_counter() + 5
        while self.process.poll() is None and time.perf_counter() < deadline:
            self.drain()  # what it draws while quitting is read, or a full terminal would hold it up
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def _returning_user(home: Path) -> None:
    """A saved nickname: the home screen as it is drawn every day (on a first run the cursor is in the
    nickname box, and the footer shows no letter keys, which type into it)."""
    home.mkdir(exist_ok=True)
    (home / "settings.json").write_text('{"trainee": "bench"}', encoding="utf-8")


def _env(root: Path, home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    env |= {"PYTHONPATH": str(root), "ROLEPLAY_HOME": str(home), "LANG": "C.UTF-8"}
    env.pop("ROLEPLAY_CACHE", None)
    env.pop("ROLEPLAY_LIBRARY", None)
    return env | extra


def _cwd(env: dict[str, str]) -> str:
    """`python -m roleplay` imports from the working folder first: run it in the root measured."""
    return env["PYTHONPATH"]


def _roleplay(root: Path) -> list[str]:
    return [PYTHON, "-m", "roleplay"]


def _zh(root: Path, msgid: str) -> bytes:
    """A sentence as the trainer says it in Chinese (from the root's own translations)."""
    import gettext

    locale = root / "roleplay" / "text" / "locale"
    return str(gettext.translation("roleplay", locale, ["zh_CN"]).gettext(msgid)).encode()


def _first_title(root: Path, env: dict[str, str]) -> bytes:
    """The title of the first scenario of the library's list (the lowest id)."""
    out = subprocess.run(
        [*_roleplay(root), "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=_cwd(env),
    )
    rows = json.loads(out.stdout)
    return str(min(rows, key=lambda r: r["id"])["title"]["zh"]).encode()


def _supports_library_folders(root: Path) -> bool:
    return (root / "roleplay" / "library" / "folders.py").exists()


def _scaled(root: Path, work: Path, total: int) -> tuple[Path, dict[str, str]]:
    """The root to run and the environment for a library of about `total` scenarios."""
    shipped = sorted((root / "roleplay" / "library" / "data" / "scenarios").glob("*.yaml"))
    extra = max(0, total - len(shipped))
    if not extra:
        return root, {}
    source = (root / "roleplay" / "library" / "data" / "scenarios" / "taobao-refund.yaml").read_text(
        encoding="utf-8"
    )
    if _supports_library_folders(root):
        folder = work / f"library-{total}"
        target, env = folder, {"ROLEPLAY_LIBRARY": str(folder)}
        run_root = root
    else:  # an older root: a copy of it with the copies in its shipped folder
        run_root = work / f"root-{total}"
        if not run_root.exists():
            shutil.copytree(root / "roleplay", run_root / "roleplay")
        target, env = run_root / "roleplay" / "library" / "data" / "scenarios", {}
    target.mkdir(parents=True, exist_ok=True)
    for n in range(extra):
        path = target / f"zz-copy-{n:04d}.yaml"
        if not path.exists():
            path.write_text(source.replace("id: taobao-refund", f"id: zz-copy-{n:04d}", 1), encoding="utf-8")
    return run_root, env


def bench_startup(root: Path, quick: bool, sizes: tuple[int, ...] = (14, 100, 1000)) -> dict[str, Any]:
    runs = 3 if quick else 9
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare_file = work / "bare_app.py"
        bare_file.write_text(BARE_APP, encoding="utf-8")
        for total in sizes:
            run_root, extra = _scaled(root, work, total)
            home = work / f"home-{total}"
            _returning_user(home)
            env = _env(run_root, home, **extra)
            footer = _zh(root, "Join a workshop")
            title = _first_title(run_root, env)  # also warms the cache of checked data
            bare, ours = [], []
            for _ in range(runs):
                t = Terminal([PYTHON, str(bare_file)], env)
                bare.append(t.wait_for(b"bare-app-ready"))
                t.close()
                t = Terminal([*_roleplay(run_root), "--lang", "zh"], env)
                ours.append(t.wait_for(footer, title))
                t.close()
            b, o = statistics.median(bare), statistics.median(ours)
            out[f"startup_listed_ms_{total}"] = round(o * 1000)
            out[f"startup_bare_ms_{total}"] = round(b * 1000)
            out[f"startup_listed_ratio_{total}"] = round(o / b, 2)
    return out


def bench_choice(root: Path, quick: bool) -> dict[str, Any]:
    presses = 5 if quick else 15
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "long-call.yaml"
        turns = 1500
        path.write_text(long_scenario(turns), encoding="utf-8")
        driver = work / "driver.py"
        driver.write_text(CALL_DRIVER, encoding="utf-8")
        bare_file = work / "bare_log.py"
        bare_file.write_text(BARE_LOG, encoding="utf-8")
        env = _env(root, work)
        for lines in (10, 1000):
            report = work / f"turn-{lines}"
            t = Terminal([PYTHON, str(driver), str(path), str(lines), str(report), str(turns)], env)
            try:
                t.wait_for(_zh(root, "Enter: answer    Esc: back").split()[0], timeout=30)
                os.write(t.master, b"\r")  # answer the ringing phone
                deadline = time.perf_counter() + 60
                while not report.exists() and time.perf_counter() < deadline:
                    t.drain()
                turn = int(report.read_text())
                t.wait_for(f"第{turn}句".encode(), timeout=30)
                ours = [t.press(b"1", f"第{turn + 1 + i}句".encode()) for i in range(presses)]
            finally:
                t.close()
            t = Terminal([PYTHON, str(bare_file), str(lines)], env)
            try:
                t.wait_for(f"第{lines // 2 - 1}句".encode() if lines > 2 else b"More", timeout=30)
                bare = [t.press(b"1", f"第{lines // 2 + i}句".encode()) for i in range(presses)]
            finally:
                t.close()
            out[f"choice_pty_ms_{lines}"] = round(statistics.median(ours) * 1000, 1)
            out[f"choice_pty_bare_ms_{lines}"] = round(statistics.median(bare) * 1000, 1)
    out["choice_pty_growth"] = round(out["choice_pty_ms_1000"] / out["choice_pty_ms_10"], 2)
    out["choice_pty_vs_bare_1000"] = round(out["choice_pty_ms_1000"] / out["choice_pty_bare_ms_1000"], 2)
    return out


def history_file(calls: int, folder: Path) -> Path:
    """A history of `calls` calls by 500 trainees (made once, kept in `folder`)."""
    path = folder / f"history-{calls}.sqlite3"
    if not path.exists():
        subprocess.run(
            [
                PYTHON,
                "-c",
                "import sys; from pathlib import Path; "
                "sys.path[:0] = [sys.argv[1], sys.argv[1] + '/scripts']; "
                "import bench; bench.fill_history(Path(sys.argv[2]), int(sys.argv[3]))",
                str(ROOT),
                str(path),
                str(calls),
            ],
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "ROLEPLAY_HOME": str(folder)},
        )
    return path


def bench_history(root: Path, quick: bool, histories: Path) -> dict[str, Any]:
    runs = 3 if quick else 5
    out: dict[str, Any] = {}
    for calls in (10_000, 100_000, 1_000_000):
        source = history_file(calls, histories)
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            (home / "history.sqlite3").symlink_to(source)
            (home / "settings.json").write_text(json.dumps({"trainee": "trainee-0"}), encoding="utf-8")
            env = _env(root, home)
            footer = _zh(root, "Join a workshop")
            title = _first_title(root, env)
            shown = _zh(root, "Calls played: {calls} ({finished} finished, {abandoned} not finished).")
            shown = shown.split(b"{")[0]
            driver = home / "gap_driver.py"
            driver.write_text(GAP_DRIVER, encoding="utf-8")
            screen, command, gaps = [], [], []
            for run in range(runs):
                ticks = home / f"ticks-{run}.json"
                t = Terminal([PYTHON, str(driver), str(ticks)], env)
                try:
                    t.wait_for(footer, title)
                    time.sleep(0.3)  # the glance's own reading of the progress, done
                    began = time.monotonic()
                    screen.append(t.press(b"h", shown))
                    ended = time.monotonic()
                finally:
                    t.close()
                if ticks.exists():
                    gaps.append(longest_gap(json.loads(ticks.read_text()), began, ended))
                began = time.perf_counter()
                subprocess.run(
                    [*_roleplay(root), "history", "--trainee", "trainee-0"],
                    env=env,
                    capture_output=True,
                    check=True,
                    cwd=_cwd(env),
                )
                command.append(time.perf_counter() - began)
        out[f"history_screen_ms_{calls}"] = round(statistics.median(screen) * 1000)
        out[f"history_command_ms_{calls}"] = round(statistics.median(command) * 1000)
        out[f"history_longest_frame_gap_ms_{calls}"] = round(max(gaps) * 1000) if gaps else None
    return out


def bench_plain(root: Path, quick: bool) -> dict[str, Any]:
    runs = 5 if quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(root, Path(tmp))
        marker = "对方：".encode()
        command = [*_roleplay(root), "play", "taobao-refund", "--plain", "--seed", "1", "--lang", "zh"]
        subprocess.run(command, env=env, input=b"", capture_output=True, check=False, cwd=_cwd(env))  # warm
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            process = subprocess.Popen(
                command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=_cwd(env)
            )
            assert process.stdout is not None
            seen = b""
            while marker not in seen:
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                seen += chunk
            times.append(time.perf_counter() - began)
            process.kill()
            process.wait()
        bare = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run([PYTHON, "-c", "print('x')"], env=env, capture_output=True, check=True)
            bare.append(time.perf_counter() - began)
    return {
        "plain_first_line_ms": round(statistics.median(times) * 1000),
        "python_start_ms": round(statistics.median(bare) * 1000),
    }


BENCHES: dict[str, Callable[..., dict[str, Any]]] = {
    "startup": bench_startup,
    "choice": bench_choice,
    "history": bench_history,
    "plain": bench_plain,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--only", help="comma-separated keys: " + ", ".join(BENCHES))
    parser.add_argument("--histories", type=Path, help="where the history files are made and kept")
    args = parser.parse_args()
    keys = args.only.split(",") if args.only else list(BENCHES)
    root = args.root.resolve()
    results: dict[str, Any] = {"root": str(root)}
    histories = args.histories or Path(tempfile.mkdtemp(prefix="roleplay-histories-"))
    histories.mkdir(parents=True, exist_ok=True)
    for key in keys:
        bench = BENCHES[key]
        if key == "history":
            results |= bench(root, args.quick, histories)
        else:
            results |= bench(root, args.quick)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        for key, value in results.items():
            print(f"{key:<32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
