"""A damaged history file is checked again and moved aside, never deleted."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from roleplay.history.errors import explain, is_damage


def still_damaged(path: Path) -> bool:
    """Check again, thoroughly (only this rare path pays for it), just before moving anything."""
    try:
        probe = sqlite3.connect(path, timeout=1.0)
    except sqlite3.Error:
        return True
    try:
        return bool(probe.execute("PRAGMA quick_check").fetchall() != [("ok",)])
    except UnicodeDecodeError:  # text in the schema that is not UTF-8
        return True
    except sqlite3.Error as exc:
        return is_damage(exc)
    finally:
        probe.close()


def move_aside(path: Path, now: datetime) -> Path:
    """Keep a damaged file (and its WAL files) under a new name, so nothing is ever silently destroyed."""
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        path.replace(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
    except FileNotFoundError:
        pass  # another process moved it first
    except OSError as exc:
        raise explain(exc, path, "move the damaged history aside") from None
    return target
