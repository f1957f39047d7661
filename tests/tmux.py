"""The real app in a real terminal for tests: a tmux session, keys sent, the screen read back as text."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROLEPLAY = Path(sys.executable).parent / "roleplay"


class Terminal:
    """`roleplay ARGS` in a tmux window of `width`×`height`, with its own home folder and caller pace."""

    def __init__(self, home: Path, args: list[str], *, width: int, height: int, pace: float = 0.2) -> None:
        self.name = f"roleplay-test-{uuid.uuid4().hex[:8]}"
        # A server of its own (-L): on the shared one, a session started just as the last one closed can
        # meet the server on its way out ("server exited unexpectedly").
        self.tmux = ["tmux", "-L", self.name]
        (home / "settings.json").write_text(json.dumps({"speak_delay": pace}), encoding="utf-8")
        command = " ".join(shlex.quote(a) for a in [str(ROLEPLAY), *args])
        # COLUMNS and LINES (the snapshot plugin sets them for the test run) would pin the app's idea of
        # its size, so a resize would go unseen.
        env = f"TERM=xterm-256color ROLEPLAY_HOME={shlex.quote(str(home))}"
        shell = f"unset COLUMNS LINES; {env} {command}; sleep 30"
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), shell],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        ).stdout

    def press(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            [*self.tmux, "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True
        )

    def wait_for(self, text: str, seconds: float = 15) -> str:
        """The screen once `text` is on it (spaces and the box's borders aside, so a wrapped line counts)."""
        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            if squeeze(text) in squeeze(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {seconds}s for {text!r}; the screen:\n{screen}")
            time.sleep(0.2)

    def close(self) -> None:
        stop_server(self.tmux)


def stop_server(tmux: list[str]) -> None:
    """Stop a test's own tmux server and remove its socket file (tmux leaves it behind)."""
    display = [*tmux, "display", "-p", "#{socket_path}"]
    socket = subprocess.run(display, check=False, capture_output=True, text=True).stdout
    subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
    if socket.strip():
        Path(socket.strip()).unlink(missing_ok=True)


def squeeze(screen: str) -> str:
    """The screen's text as one string with no spaces, no box borders and no line breaks."""
    return "".join(ch for ch in screen if not ch.isspace() and ch not in "│╭╮╰╯─┃")
