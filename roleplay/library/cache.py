"""A cache of scenario files already found valid, so a library loads without parsing YAML again.

An entry is the checked data of one file (plain values, written with `marshal`) and the warnings the checks
gave, under a key made of the file's bytes, the catalog it was checked against and the code that checked it
(FORMAT and a fingerprint of `roleplay.core` and `roleplay.library`). The file is always read: the cache is
never trusted over it, and an edited file is a new key. On a hit the data goes through the model's validation
again (far cheaper than YAML) and the scenario checks are not run: the same bytes, catalog and code give the
same answer.

An entry carries a digest of itself: one that is cut short, damaged or from another format is ignored and
written again. Entries are written to a temporary file and renamed, so processes sharing the folder see a
whole entry or none. A folder that cannot be written (read-only media, no space) only means no cache.

Where: `ROLEPLAY_CACHE` when set; else `cache/` in `ROLEPLAY_HOME` when that is set (tests, a workshop
laptop with everything on a USB stick); else the platform's user cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from roleplay.library.problems import Problem, display_path
from roleplay.library.reading import MAX_SCENARIO_BYTES, read_regular

if TYPE_CHECKING:  # this module loads without pydantic: the library's index (roleplay.library.index) uses it
    from pydantic import BaseModel

    from roleplay.core.model import Catalog

M = TypeVar("M", bound="BaseModel")
Stamp = tuple[int, int, int]  # size, modification time (ns), inode

FORMAT = 1  # change when what an entry holds or how it is checked changes
_MAGIC = b"roleplay-cache\n"
_DIGEST = 32  # blake2b digest size, bytes
_MAX_BYTES = MAX_SCENARIO_BYTES  # past this size a file is left to the loader (which says what is wrong)

_code: list[bytes] = []  # the code's fingerprint, once computed
_catalogs: dict[int, tuple[Catalog, bytes]] = {}
digests: dict[Path, str] = {}  # the sha256 of each file as last read through the cache (for the index)
stamps: dict[Path, Stamp] = {}  # each file's size, time and inode, taken just before those bytes were read


def cache_dir() -> Path:
    """The folder of the cache (see the module's docstring)."""
    folder = os.environ.get("ROLEPLAY_CACHE")
    if folder:
        return Path(folder)
    home = os.environ.get("ROLEPLAY_HOME")
    if home:
        return Path(home) / "cache"
    import platformdirs  # only here, as in roleplay.history.files

    return Path(platformdirs.user_cache_dir("roleplay", appauthor=False))


def code_fingerprint() -> bytes:
    """What the checking code is: the format, the version, and the size and time of each module that reads,
    validates or checks a scenario (an edited checkout gets new keys without a version bump)."""
    if not _code:
        import roleplay

        here = Path(__file__).parent
        parts = [f"{FORMAT}/{roleplay.__version__}"]
        for folder in (here, here.parent / "core"):
            for module in sorted(folder.glob("*.py")):
                info = module.stat()
                parts.append(f"{module.name}:{info.st_size}:{info.st_mtime_ns}")
        _code.append("\n".join(parts).encode())
    return _code[0]


def _catalog_fingerprint(catalog: Catalog) -> bytes:
    cached = _catalogs.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    digest = hashlib.sha256(catalog.model_dump_json().encode()).digest()
    if len(_catalogs) > 16:
        _catalogs.clear()
    _catalogs[id(catalog)] = (catalog, digest)
    return digest


def file_bytes(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file of a sensible size, else None (the loader says why)."""
    try:
        return read_regular(path, _MAX_BYTES)
    except OSError:  # missing, unreadable, a symlink loop, a device, too big
        return None


def stamp(path: Path) -> Stamp | None:
    """What the file system says of a file without reading it (None when it cannot say)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def key_of(raw: bytes, context: bytes) -> str:
    h = hashlib.sha256()
    for part in (code_fingerprint(), context, raw):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _read_entry(entry: Path, key: str) -> tuple[Any, list[Problem]] | None:
    """The data and warnings of an entry, or None when there is none or it cannot be trusted."""
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    digest, payload = blob[len(_MAGIC) : head], blob[head:]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
        return None
    try:
        stored_key, data, warnings = marshal.loads(payload)
        problems = [Problem(*p) for p in warnings]
    except (ValueError, EOFError, TypeError):
        return None
    return (data, problems) if stored_key == key else None


def _write_entry(entry: Path, key: str, data: Any, problems: list[Problem]) -> None:
    """Write an entry whole or not at all; any failure (read-only, full, racing) leaves no cache, no error."""
    try:
        payload = marshal.dumps(
            (key, data, [(p.file, p.line, p.message, p.hint, p.level) for p in problems]), 4
        )
    except ValueError:  # something marshal cannot write: not cached
        return
    write_whole(entry, _MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload)


def write_whole(target: Path, blob: bytes) -> None:
    """Write `target` whole or not at all (a temporary file beside it, renamed): readers in other processes
    see the old file or the new one. Any failure (read-only, full, racing) leaves things as they were."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".entry-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        Path(temporary).replace(target)
    except OSError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()


def read_cached(
    path: Path,
    model: type[M],
    context: bytes,
    load: Callable[[bytes | None, Callable[[Any], None]], tuple[M | None, list[Problem]]],
) -> tuple[M | None, list[Problem]]:
    """`load(raw, keep)` through the cache: `load` is the loader's own reading of `path`, of the bytes `raw`
    read here when not None (so what is kept is what was hashed), and it calls `keep(data)` with the file's
    data when the file is valid. `context`: what else the checks depended on (the catalog's fingerprint)."""
    before = stamp(path)  # before reading: a change made after it gives the file a new stamp
    raw = file_bytes(path)
    stamps.pop(path, None)
    if raw is None:
        digests.pop(path, None)
        return load(None, lambda data: None)
    digests[path] = hashlib.sha256(raw).hexdigest()
    if before is not None:
        stamps[path] = before
    key = key_of(raw, context)
    entry = cache_dir() / key[:2] / f"{key}.marshal"
    found = _read_entry(entry, key)
    if found is not None:
        data, problems = found
        try:
            value = model.model_validate(data)
        except ValueError:  # pydantic's ValidationError: an entry that is not what it says; read the file
            pass
        else:
            file = display_path(path)  # the warnings are said with the path the file has today
            return value, [Problem(file, p.line, p.message, p.hint, p.level) for p in problems]
    kept: list[Any] = []
    loaded, problems = load(raw, kept.append)
    if loaded is not None and kept:
        _write_entry(entry, key, kept[0], problems)
    return loaded, problems


def catalog_context(catalog: Catalog) -> bytes:
    """What a scenario's checks depend on besides its file and the code: the catalog (its fingerprint)."""
    return _catalog_fingerprint(catalog)
