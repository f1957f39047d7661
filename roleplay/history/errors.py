"""Every failure of the history file as one `StoreError` line: what went wrong, where, and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """Something went wrong with the history file. The message is one line: what is wrong and where."""


class UnknownWorkshop(StoreError):
    """No workshop has this id in this history file."""


class UnknownCall(StoreError):
    """No call has this id in this history file."""


_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def error_name(exc: sqlite3.Error) -> str:
    """SQLite's error name (Python ≥ 3.11 carries it); from the message on older Pythons."""
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        return name
    text = str(exc).lower()
    for needle, guess in (
        ("locked", "SQLITE_BUSY"),
        ("is full", "SQLITE_FULL"),
        ("readonly", "SQLITE_READONLY"),
        ("unable to open", "SQLITE_CANTOPEN"),
        ("not a database", "SQLITE_NOTADB"),
        ("malformed", "SQLITE_CORRUPT"),
        ("disk i/o", "SQLITE_IOERR"),
    ):
        if needle in text:
            return guess
    return "SQLITE_ERROR"


def is_damage(exc: sqlite3.Error) -> bool:
    """SQLite's own verdict, or text that is not UTF-8: roleplay only ever writes UTF-8, so such text is a
    damaged page (of a table, or of an index whose keys no longer match it)."""
    return error_name(exc).startswith(_DAMAGED) or "could not decode to utf-8" in str(exc).lower()


def explain(exc: BaseException, path: Path, doing: str) -> StoreError:
    """One line for a failure: what went wrong, where, and what to do. `doing` says what was attempted."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, sqlite3.Error):
        name = error_name(exc)
        if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
            why = "the file is locked by another program; close other roleplay windows and try again"
        elif name.startswith("SQLITE_FULL"):
            why = "the disk is full; free some space and try again"
        elif name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_PERM"):
            why = "the file or its folder is read-only; set ROLEPLAY_HOME to a writable folder"
        elif name.startswith("SQLITE_CANTOPEN"):
            why = (
                "the file cannot be opened (is its folder read-only?); set ROLEPLAY_HOME to a writable folder"
            )
        elif is_damage(exc):
            why = (
                "the file is damaged; run roleplay again: it checks the file as it opens it, rebuilds what "
                "it can and otherwise moves the file aside (kept, never deleted) and starts a new one"
            )
        elif name.startswith("SQLITE_IOERR"):
            why = f"the disk reported an error ({exc})"
        else:
            why = str(exc)
    elif isinstance(exc, OSError):
        import errno

        if exc.errno == errno.ENOSPC:
            why = "the disk is full; free some space and try again"
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            why = "the folder is read-only; set ROLEPLAY_HOME to a writable folder"
        else:
            why = exc.strerror or str(exc)
    else:
        why = str(exc)
    return StoreError(f"{path}: could not {doing}: {why} (nothing saved before was lost)")
