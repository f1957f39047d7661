"""Interface figures for scripts/bench.py: startup against a bare Textual app, choice latency, peak memory.

Usage: imported by scripts/bench.py (python scripts/bench.py --only startup_ratio,choice_ms_10,rss_mib).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The baseline: a bare Textual app with a Header, a Static and a Footer, started as a command like ours.
BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self):
            yield Header()
            yield Static("bare-app-ready")
            yield Footer()

    Bare().run()
    """
)


def _time_to_screen(command: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from starting `command` in a 100x30 pseudo-terminal until `marker` is drawn on it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    elapsed: float | None = None
    try:
        deadline = started + 20
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
                if marker in seen:
                    elapsed = time.perf_counter() - started
                    break
        os.write(master, b"\x11")  # ctrl+q
        # Keep reading while it quits: a terminal nobody reads fills up, and the app blocks on its last frame.
        quit_by = time.perf_counter() + 10
        while process.poll() is None and time.perf_counter() < quit_by:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        process.wait(timeout=1)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    if elapsed is None:
        raise RuntimeError(f"{command[0]} never drew {marker!r}")
    return elapsed


def _first_listed_title() -> str:
    from roleplay.library.library import load_library

    library = load_library()
    return library.scenarios[sorted(library.scenarios)[0]].title.zh  # the top row of the list


def bench_startup(quick: bool) -> dict[str, Any]:
    """Median of 10 runs each, alternating, in one process so both see the same machine state."""
    runs = 3 if quick else 10
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TERM": "xterm-256color", "ROLEPLAY_HOME": home, "COLUMNS": "100", "LINES": "30"}
        bare_file = Path(home) / "bare_app.py"
        bare_file.write_text(BARE_APP, encoding="utf-8")
        bare_cmd = [sys.executable, str(bare_file)]
        ours_cmd = [str(BIN / "roleplay"), "--lang", "zh"]
        first_screen = "随机来电（r）".encode()
        library_listed = _first_listed_title().encode()
        bare, ours, listed = [], [], []
        for _ in range(runs):
            bare.append(_time_to_screen(bare_cmd, b"bare-app-ready", env))
            ours.append(_time_to_screen(ours_cmd, first_screen, env))
            listed.append(_time_to_screen(ours_cmd, library_listed, env))
    return {
        "startup_ratio": round(statistics.median(ours) / statistics.median(bare), 2),
        "startup_ms": round(statistics.median(ours) * 1000),
        "startup_bare_ms": round(statistics.median(bare) * 1000),
        "startup_library_listed_ms": round(statistics.median(listed) * 1000),
    }


def long_scenario(turns: int) -> str:
    """A valid scenario whose trainee can keep replying for `turns` turns (two transcript lines a turn)."""
    lines = [
        "id: long-call",
        "kind: scam",
        "channel: phone",
        "title: {zh: 长电话, en: A long call}",
        "summary: {zh: 很长的电话, en: A very long call}",
        "caller: {name: {zh: 未知, en: Unknown}, number: '000'}",
        "sources: [wuhan-2020-06]",
        "verify_how: {zh: 打开App核实, en: Check in the app}",
        "hang_up: safe",
        "verify: safe",
        "start: n0",
        "nodes:",
    ]
    for i in range(turns):
        nxt = f"n{i + 1}" if i + 1 < turns else "loss"
        lines += [
            f"  n{i}:",
            f"    say: [{{zh: '第{i}句，退款马上到账。', en: 'Line {i}: the refund is nearly there.'}}]",
            "    flags: [pressure]",
            "    order: pinned",  # the bench presses 1 to go on, every turn
            f"    choices: [{{text: {{zh: 好的，你继续说, en: 'OK, go on'}}, to: {nxt}}},"
            " {text: {zh: 我不信, en: I don't believe you}, to: safe, spots: [pressure]}]",
        ]
    lines += [
        "endings:",
        "  safe: {outcome: safe, severity: safe, title: {zh: 安全, en: Safe}, lesson: {zh: 好, en: Good}}",
        "  loss: {outcome: loss, severity: partial_loss, lost: 1, title: {zh: 损失, en: Loss},"
        " lesson: {zh: 坏, en: Bad}}",
    ]
    return "\n".join(lines) + "\n"


async def _choice_latency(path: Path, transcript_lines: int, presses: int) -> float:
    """Median ms from pressing "1" to the screen showing the next turn, once the transcript has N lines."""
    from textual.widgets import RichLog

    from roleplay.tui.app import make_app
    from roleplay.tui.trainer.call import CallScreen
    from roleplay.tui.trainer.ringing import RingingScreen

    app = make_app(scenario=str(path), seed=1, speak_delay=0, save_settings=False, clock=lambda: 0.0)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, RingingScreen):  # the file is loaded on a thread
            await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, CallScreen)
        log = screen.query_one("#transcript", RichLog)
        while len(log.lines) < transcript_lines:  # fast-forward through the engine, as the key would
            screen.view.play(screen.call.reply(0), at_once=True)
        await app.session.history.run(lambda store: None)  # the history opened and read: a quiet start
        await pilot.pause()
        timings = []
        for _ in range(presses):
            before = len(log.lines)
            started = time.perf_counter()
            await pilot.press("1")
            while len(log.lines) == before:  # until the new lines are in the transcript
                await asyncio.sleep(0)
            await pilot.pause()  # and the screen has been refreshed
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench_choice(quick: bool) -> dict[str, Any]:
    presses = 5 if quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ROLEPLAY_HOME"] = tmp
        path = Path(tmp) / "long-call.yaml"
        path.write_text(long_scenario(600), encoding="utf-8")
        short = asyncio.run(_choice_latency(path, 10, presses))
        long = asyncio.run(_choice_latency(path, 1000, presses))
    return {
        "choice_ms_10": round(short, 1),
        "choice_ms_1000": round(long, 1),
        "choice_growth_10_to_1000": round(long / short, 2),
    }


RSS_SCRIPT = textwrap.dedent(
    """
    import asyncio
    from roleplay.tui.app import make_app

    async def main():
        app = make_app(scenario="taobao-refund", seed=2, speak_delay=0, save_settings=False)
        async with app.run_test(size=(100, 30)) as pilot:
            while type(app.screen).__name__ != "RingingScreen":  # the call is loaded on a thread
                await pilot.pause()
            await pilot.press("enter", *"1111", "h", "y")  # four replies as shown, then hang up
            assert type(app.screen).__name__ == "DebriefScreen", app.screen
    asyncio.run(main())
    # VmHWM: the peak resident set of this process's own address space. (ru_maxrss would not do: Linux keeps
    # it across execve, so a child started by a big parent reports the parent's peak.)
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    """
)


def bench_rss(quick: bool) -> dict[str, Any]:
    """Peak resident memory of the trainer through one whole call to its debrief (a fresh process a run)."""
    runs = 1 if quick else 3
    peaks = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ROLEPLAY_HOME": home}
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", RSS_SCRIPT], capture_output=True, text=True, env=env, check=True
            )
            peaks.append(int(out.stdout.strip().splitlines()[-1]) / 1024)
    return {"rss_mib": round(statistics.median(peaks), 1)}
