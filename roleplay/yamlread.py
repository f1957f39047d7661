"""Read one YAML document into plain Python values, safely, remembering the line of every value.

We build values from PyYAML's event stream ourselves instead of calling `yaml.safe_load`, because that gives us,
in one pass and without recursion:
- a nesting limit (libyaml's own composer recurses in C and kills the interpreter on deep nesting);
- duplicate keys reported with both lines (PyYAML keeps the last one silently);
- a budget on what aliases expand to (a "billion laughs" file is rejected, not walked);
- YAML 1.2 scalars: `no`, `on`, `yes` stay strings and `010` is not octal;
- no tags at all, so `!!python/object` can never construct anything;
- a map from each value's path to its line, for `FILE:LINE:` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's event parser is much faster; its parser (unlike its composer) is safe on deep input.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = 2_000_000
MAX_DEPTH = 64
MAX_VALUES = 500_000

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class YamlError(Exception):
    """A file that cannot be read as plain YAML data. `line` is 1-based."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass
class Document:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[YamlError] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def decode(raw: bytes) -> str:
    """Bytes to text, rejecting what is not a UTF-8 text file with the line where it goes wrong."""
    if len(raw) > MAX_BYTES:
        raise YamlError(
            1,
            f"file is {len(raw) / 1_000_000:.1f} MB; a scenario file may be at most {MAX_BYTES // 1_000_000} MB",
            "split it, or check that this is the file you meant",
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        raise YamlError(raw.count(b"\n", 0, nul) + 1, "binary data (a NUL byte) in a text file", "")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", "save the file as UTF-8"
        ) from None


def _scalar(event: yaml.ScalarEvent) -> Any:
    value: str = event.value
    if event.style:  # quoted or block scalars are always strings
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value)
    return value


class _Frame:
    __slots__ = ("anchor", "key", "key_line", "path", "size", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: Path, anchor: str | None) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.key_line = 0
        self.size = 1


def parse(text: str) -> Document:
    """Parse YAML text into a Document. Raises YamlError for anything that is not plain, finite data."""
    loader = _EventLoader(text)
    doc = Document(data=None)
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    total = 0
    documents = 0
    done = False

    def place(value: Any, size: int, line: int) -> None:
        nonlocal done, total
        total += size
        if total > MAX_VALUES:
            raise YamlError(line, f"the file expands to more than {MAX_VALUES:,} values", "aliases (*name) nest too deep")
        if not stack:
            doc.data = value
            doc.lines[()] = line
            done = True
            return
        parent = stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            doc.lines[(*parent.path, len(parent.value))] = line
            parent.value.append(value)
            return
        if parent.key is None:
            if isinstance(value, (dict, list)) or value is None:
                raise YamlError(line, "a key must be a plain word or text", "write `name: value`")
            key = str(value).lower() if isinstance(value, bool) else str(value)
            if key in parent.value:
                first = doc.lines.get((*parent.path, key), line)
                doc.duplicates.append(
                    YamlError(line, f"duplicate key '{key}' (first at line {first})", "keep one of them")
                )
            parent.key, parent.key_line = key, line
            return
        doc.lines[(*parent.path, parent.key)] = parent.key_line
        parent.value[parent.key] = value
        parent.key = None

    try:
        while True:
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(line, "more than one YAML document (---) in the file", "keep one per file")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
                raise YamlError(line, f"YAML tags are not allowed (found {tag})", "scenario files hold plain data")
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise YamlError(line, f"unknown alias *{event.anchor}", "define &name before using *name")
                value, size = anchors[event.anchor]
                place(value, size, line)
            elif isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                place(value, 1, line)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
                path: Path = stack[-1].path if stack else ()
                if stack:
                    parent = stack[-1]
                    if isinstance(parent.value, list):
                        path = (*parent.path, len(parent.value))
                    elif parent.key is None:
                        raise YamlError(line, "a key must be a plain word or text", "write `name: value`")
                    else:
                        path = (*parent.path, parent.key)
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                frame = _Frame(container, path, event.anchor)
                frame.key_line = line
                doc.lines.setdefault(path, line)
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                start_line = doc.lines.get(frame.path, line)
                if frame.anchor:
                    anchors[frame.anchor] = (frame.value, frame.size)
                # The children were counted as they arrived; place() must count only the container itself.
                total -= frame.size - 1
                place(frame.value, frame.size, start_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else 1
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlError(where, f"YAML syntax: {message}", "check indentation, colons and quotes") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML: {exc}", "") from None
    finally:
        loader.dispose()
    if not done:
        raise YamlError(1, "the file is empty", "")
    return doc


def read(raw: bytes) -> Document:
    return parse(decode(raw))
