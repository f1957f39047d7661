"""Reading a file someone may have shared: only a regular file, and never more than a limit, counted in the
bytes actually read (a device or `/proc` file says it is 0 bytes long).

`open` is non-blocking, so a FIFO cannot hang the reader before its type is known; the type is checked on
the open file (`fstat`), so a symlink swapped after a check cannot slip a device in; a symlink loop is the
operating system's ELOOP, said as an OSError like any other.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

# The most a scenario or catalog file may hold: a 5,000-turn scenario is about 2.5 MB; a real one a few KB.
# Here, not in the YAML reader, so that what only reads or hashes a file imports no YAML and no model.
MAX_SCENARIO_BYTES = 5_000_000


class TooBig(OSError):
    """More than the limit: `size` is the file's size when it says one, else how much was read."""

    def __init__(self, size: int) -> None:
        super().__init__(errno.EFBIG, "file too big")
        self.size = size


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them: TooBig when there are more (refused
    before reading when the file says its size). Raises OSError, with a `strerror` fit to show, for anything
    that is not a regular file."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except ValueError:  # a NUL in the name (a damaged record naming the file, say)
        raise OSError(errno.EINVAL, "the file name holds a NUL character") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise OSError(errno.EINVAL, f"it is {kind}, not a regular file" if kind[0] == "a" else kind)
        if info.st_size > limit:
            raise TooBig(info.st_size)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:  # it grew, or said a size that was not true
            raise TooBig(limit + 1)
        return b"".join(chunks)
    finally:
        os.close(fd)
