"""A small index of the library, read without pydantic or YAML, so the trainer lists the calls in its first
frame: for each scenario file already loaded once, its id, title, kind, channel and perspective, under the
sha256 of its bytes.

The index is written each time the whole library loads (`load_library`), beside the cache of checked data.
It is used only when every file of the library is in it, unchanged, with the same code and the same catalog;
otherwise it is None and the trainer waits for the library as before. A file whose size, time and inode are
those it had when read is taken as unchanged without reading it (a thousand files are hashed in ~40 ms,
stat in ~5); any other file is hashed again. An edit that keeps all three (within the time resolution of
a FAT stick) shows its old title only until the library, which always hashes, has loaded. A file
with errors is in it as such, so the list it gives is the list the library gives. What it lists is only a
preview: the library itself, loaded after the first frame, replaces it moments later.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.core.languages import Language
from roleplay.library import cache
from roleplay.library.folders import SCENARIO_DIR, scenario_files

if TYPE_CHECKING:
    from roleplay.library.library import Library

FORMAT = 2  # 2: each file's stat stamp beside its digest
_NAME = "library-index.marshal"
_CATALOG = SCENARIO_DIR.parent / "catalog.yaml"


@dataclass(frozen=True)
class Title:
    """A title in both languages, read like the model's Text."""

    zh: str
    en: str

    def get(self, lang: Language) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Entry:
    id: str
    title: Title
    kind: str
    channel: str
    perspective: str


def _header() -> tuple[Any, ...] | None:
    catalog = cache.file_bytes(_CATALOG)
    if catalog is None:
        return None
    return (FORMAT, cache.code_fingerprint(), hashlib.sha256(catalog).hexdigest())


def _path() -> Path:
    return cache.cache_dir() / _NAME


def read_index() -> list[Entry] | None:
    """The library's scenarios as the index has them, in the library's order; None when the index is
    missing, damaged, from other code or another catalog, or when the library's files are not exactly the
    files it was written from (one added, removed, renamed or edited)."""
    header = _header()
    try:
        blob = _path().read_bytes()
        digest, payload = blob[:32], blob[32:]
        if hashlib.blake2b(payload, digest_size=32).digest() != digest:
            return None
        stored_header, files = marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if header is None or stored_header != header or not isinstance(files, list):
        return None
    paths = scenario_files()
    if len(paths) != len(files):
        return None
    out: list[Entry] = []
    for path, (name, digest_hex, stamp, known) in zip(paths, files, strict=True):
        if name != str(path) or not _unchanged(path, digest_hex, stamp):
            return None
        if known is not None:  # None: a file that gave no scenario of the library (errors, a taken id)
            scenario_id, zh, en, kind, channel, perspective = known
            out.append(Entry(scenario_id, Title(zh, en), kind, channel, perspective))
    return out


def _unchanged(path: Path, digest_hex: str, stamp: object) -> bool:
    if stamp is not None and cache.stamp(path) == stamp:
        return True
    raw = cache.file_bytes(path)
    return raw is not None and hashlib.sha256(raw).hexdigest() == digest_hex


def write_index(library: Library, files: list[Path]) -> None:
    """Remember the library just loaded from `files` (every file of the library, in order): each file with
    the digest of its bytes as the loader read them, and the scenario the library took from it (or None).
    Any failure only means no index."""
    header = _header()
    if header is None:
        return
    taken = {path: library.scenarios[scenario_id] for scenario_id, path in library.paths.items()}
    rows: list[tuple[str, str, cache.Stamp | None, tuple[str, ...] | None]] = []
    for path in files:
        digest = cache.digests.get(path)
        if digest is None:
            return  # a file not read through the cache: it cannot be vouched for
        scenario = taken.get(path)
        summary = None
        if scenario is not None:
            summary = (
                scenario.id,
                scenario.title.zh,
                scenario.title.en,
                scenario.kind,
                scenario.channel,
                scenario.perspective,
            )
        rows.append((str(path), digest, cache.stamps.get(path), summary))
    payload = marshal.dumps((header, rows), 4)
    cache.write_whole(_path(), hashlib.blake2b(payload, digest_size=32).digest() + payload)
