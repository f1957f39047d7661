"""Scenario and catalog files → validated models. Every problem carries file and line and says what to do."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from roleplay.core.bulk import collector_paused
from roleplay.core.model import MAX_YUAN, Catalog, Choice, Ending, Node, PhoneEvent, RedFlag, Scenario, Source
from roleplay.library.problems import LoadError, Problem, display_path
from roleplay.library.reading import TooBig, read_regular

if TYPE_CHECKING:  # YAML and the checks load only when a file is read (a cache hit needs neither)
    from roleplay.library.yamlread import Document

M = TypeVar("M", bound=BaseModel)

_KNOWN_KEYS = sorted(
    {
        name
        for model in (Scenario, Node, Choice, Ending, PhoneEvent, Catalog, RedFlag, Source)
        for name in model.model_fields
    }
    | {"zh", "en", "pay", "give", "$schema", "number"}
)

# What to say when a required key is missing, by key.
_MISSING_HINTS = {
    "to": "every reply needs `to:`, the node or ending it leads to",
    "say": "a turn needs at least one line the caller says",
    "zh": "every text needs `zh:` (Chinese) and `en:` (English)",
    "en": "every text needs `zh:` (Chinese) and `en:` (English)",
    "outcome": "an ending is `outcome: safe` or `outcome: loss`",
    "severity": "one of safe, exposed, partial_loss, major_loss",
    "start": "name the node the call starts at",
    "hang_up": "say where hanging up leads: an ending id",
    "verify": "say where checking through an official channel leads: an ending id",
}


def _describe(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], Any]:
    """Map pydantic's error location onto the data: drop the type names pydantic adds for unions."""
    path: list[Any] = []
    node = data
    for part in loc:
        if part == "[key]":  # the key itself is wrong: point at it
            continue
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and part == loc[-1]:
            path.append(part)  # a missing key: point at its mapping
            node = None
    return tuple(path), node


def _problem_from_error(err: Any, doc: Document, file: str) -> Problem:
    from roleplay.library.yamlread import shorten

    path, value = _data_path(tuple(err["loc"]), doc.data)
    if err["loc"] and err["loc"][-1] == "[key]":
        value = err["input"]  # a mapping's key, e.g. a node id with capitals
    kind = err["type"]
    line = doc.line_of(path)
    path = tuple(shorten(p) if isinstance(p, str) else p for p in path)  # a key may be megabytes long
    if isinstance(value, str):
        value = shorten(value)
    where = _describe(path[:-1]) if path else "the file"
    key = path[-1] if path else ""
    if kind == "missing":
        return Problem(file, line, f"missing '{key}' in {where}", _MISSING_HINTS.get(str(key), "add it"))
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(key), _KNOWN_KEYS, n=1)
        hint = (
            f"did you mean '{close[0]}'?" if close else "remove it, or check the spelling against the schema"
        )
        return Problem(file, line, f"unknown key '{key}' in {where}", hint)
    here = _describe(path)
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return Problem(file, line, f"{here}: expected text, got {value!r}", f'put it in quotes: "{value}"')
    if kind == "string_pattern_mismatch":
        if str(key) in ("pay", "lost"):
            return Problem(
                file, line, f"{here}: {value!r} is not an amount", "write a number of yuan, or {variable}"
            )
        if str(key) == "date":
            return Problem(file, line, f"{here}: {value!r} is not a date", 'write it as "YYYY-MM-DD"')
        return Problem(
            file, line, f"{here}: {value!r} is not a valid id", "use lowercase letters, digits, - and _"
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Problem(file, line, f"{here}: {value!r} is not allowed", f"expected {expected}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(file, line, f"{here}: expected a mapping of `key: value`", "indent its keys under it")
    if kind in ("tuple_type", "list_type"):
        return Problem(file, line, f"{here}: expected a list", "write each item on its own line after `- `")
    if kind == "less_than_equal" and str(key) in ("pay", "lost"):
        return Problem(
            file, line, f"{here}: {value!r} yuan is more than a call can lose", f"at most {MAX_YUAN:,}"
        )
    if kind == "too_short":
        return Problem(file, line, f"{here}: must not be empty", "add at least one item")
    return Problem(file, line, f"{here}: {err['msg']}", "")


def _validate(model: type[M], doc: Document, file: str) -> tuple[M | None, list[Problem]]:
    problems = [Problem(file, d.line, d.message, d.hint) for d in (*doc.duplicates, *doc.controls)]
    if not isinstance(doc.data, dict):
        problems.append(Problem(file, 1, "expected a mapping of `key: value` at the top", ""))
        return None, problems
    try:
        return model.model_validate(doc.data), problems
    except ValidationError as exc:
        errors = _without_misspelt_missing(exc.errors(include_url=False), doc.data)
        problems += [_problem_from_error(e, doc, file) for e in errors]
        return None, sorted(set(problems))


def _without_misspelt_missing(errors: list[Any], data: Any) -> list[Any]:
    """`tittle:` makes pydantic report both an unknown 'tittle' and a missing 'title': keep only the first."""
    unknown: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            path, _ = _data_path(tuple(err["loc"]), data)
            unknown.setdefault(path[:-1], []).append(str(path[-1]))
    kept = []
    for err in errors:
        if err["type"] == "missing":
            path, _ = _data_path(tuple(err["loc"]), data)
            near = unknown.get(path[:-1], [])
            if near and difflib.get_close_matches(str(path[-1]), near, n=1):
                continue
        kept.append(err)
    return kept


def _read(path: Path, file: str) -> Document | Problem:
    from roleplay.library.yamlread import MAX_BYTES, YamlError, read, too_big_read

    try:
        return read(read_regular(path, MAX_BYTES))  # never more than one byte over the limit is read
    except TooBig as exc:
        return Problem(file, 1, too_big_read(exc.size), "")
    except YamlError as exc:
        return Problem(file, exc.line, exc.message, exc.hint)
    except OSError as exc:
        return Problem(file, 1, f"cannot read the file: {exc.strerror or exc}", "")


def read_document(path: Path) -> Document | Problem:
    """A file's YAML with its line map, read exactly as the loader reads it (same limits, same messages), so
    later checks such as `roleplay.authoring.lint` can point at the lines the loader would."""
    return _read(path, display_path(path))


def read_catalog(path: Path, cached: bool = True) -> tuple[Catalog | None, list[Problem]]:
    """Load and check the red-flag catalog (through the cache of checked data unless `cached` is False)."""
    if not cached:
        return _read_catalog(path)
    from roleplay.library.cache import read_cached

    return read_cached(path, Catalog, b"catalog", lambda raw, keep: _read_catalog(path, raw, keep))


def _read_catalog(
    path: Path, raw: bytes | None = None, keep: Callable[[Any], None] | None = None
) -> tuple[Catalog | None, list[Problem]]:
    file = display_path(path)
    doc = _read(path, file) if raw is None else _parse(raw, file)
    if isinstance(doc, Problem):
        return None, [doc]
    catalog, problems = _validate(Catalog, doc, file)
    if catalog is not None:
        from roleplay.library import checks

        problems += checks.check_catalog(catalog, doc, file)
    if catalog is not None and not problems and keep is not None:
        keep(doc.data)
    return (catalog if not problems else None), problems


def load_catalog(path: Path) -> Catalog:
    catalog, problems = read_catalog(path)
    if catalog is None:
        raise LoadError(problems)
    return catalog


def read_scenario(path: Path, catalog: Catalog, cached: bool = True) -> tuple[Scenario | None, list[Problem]]:
    """Load and check one scenario file. Returns the scenario only when there is no error. A file already
    found valid comes from the cache of checked data (`roleplay.library.cache`) unless `cached` is False."""
    with collector_paused():
        if not cached:
            return _read_scenario(path, catalog)
        from roleplay.library.cache import catalog_context, read_cached

        return read_cached(
            path,
            Scenario,
            catalog_context(catalog),
            lambda raw, keep: _read_scenario(path, catalog, raw, keep),
        )


def _read_scenario(
    path: Path, catalog: Catalog, raw: bytes | None = None, keep: Callable[[Any], None] | None = None
) -> tuple[Scenario | None, list[Problem]]:
    """Read `path` (or its bytes `raw`, already read), validate and check it; `keep` receives the data of a
    file without errors, for the cache."""
    file = display_path(path)
    doc = _read(path, file) if raw is None else _parse(raw, file)
    if isinstance(doc, Problem):
        return None, [doc]
    scenario, problems = _validate(Scenario, doc, file)
    if scenario is None:
        return None, problems
    from roleplay.library import checks

    problems += checks.check_scenario(scenario, catalog, doc, file)
    errors = [p for p in problems if p.level == "error"]
    if not errors and keep is not None:
        keep(doc.data)
    return (None if errors else scenario), sorted(set(problems))


def _parse(raw: bytes, file: str) -> Document | Problem:
    from roleplay.library.yamlread import YamlError, read

    try:
        return read(raw)
    except YamlError as exc:
        return Problem(file, exc.line, exc.message, exc.hint)


def load_scenario(path: Path, catalog: Catalog) -> Scenario:
    scenario, problems = read_scenario(path, catalog)
    if scenario is None:
        raise LoadError([p for p in problems if p.level == "error"])
    return scenario
