"""Read one YAML document into plain Python values, safely, remembering the line of every value.

We build values from PyYAML's event stream ourselves instead of calling `yaml.safe_load`, because that gives
us, in one pass and without recursion:
- a nesting limit (libyaml's own composer recurses in C and kills the interpreter on deep nesting);
- duplicate keys reported with both lines (PyYAML keeps the last one silently);
- a budget on what aliases expand to, in values and in characters (a "billion laughs" file, or one long
  text referred to a hundred thousand times, is rejected while it is read, not walked);
- control characters (ESC, C1, bidi overrides) in any text rejected with their line: a shared file must not
  be able to act on the terminal it is shown in;
- YAML 1.2 scalars: `no`, `on`, `yes` stay strings and `010` is not octal;
- no tags at all, so `!!python/object` can never construct anything;
- the line of every key and list item, for `FILE:LINE:` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from roleplay.core.inert import describe, first_control
from roleplay.core.limits import MAX_YUAN
from roleplay.library.reading import MAX_SCENARIO_BYTES

try:  # libyaml's event parser is much faster; its parser (unlike its composer) is safe on deep input.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = MAX_SCENARIO_BYTES
MAX_DEPTH = 64
MAX_VALUES = 500_000
# Characters of text once aliases are expanded. A file without aliases never holds more text than its own
# size, so only aliases can reach this.
MAX_TEXT = MAX_BYTES
MAX_REPORTED = 20  # of each kind of problem (duplicate keys, control characters): the rest are counted
MAX_DIGITS = 30  # of a number: Python refuses to read an integer of over 4,300 digits
SHOWN_CHARS = 60  # of a key or a value quoted in a message

Path = tuple[str | int, ...]

_NUMBER_START = frozenset("0123456789+-.")
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
    root_line: int = 1
    # For each mapping or list (by identity): the line of each of its keys or items.
    tables: dict[int, dict[str, int] | list[int]] = field(default_factory=dict)
    duplicates: list[YamlError] = field(default_factory=list)
    # Texts holding control characters: a problem each (at most MAX_REPORTED, then one that counts the rest).
    controls: list[YamlError] = field(default_factory=list)
    _counted: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, problems: list[YamlError], problem: YamlError) -> None:
        """Keep `problem`, unless MAX_REPORTED of this kind are kept already: then count it in the last."""
        count = self._counted[kind] = self._counted.get(kind, 0) + 1
        if count <= MAX_REPORTED:
            problems.append(problem)
            return
        if count == MAX_REPORTED + 1:
            problems.append(YamlError(problem.line, "", ""))
        problems[-1].message = f"and {count - MAX_REPORTED:,} more {kind} after this line"

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        line, node = self.root_line, self.data
        for part in path:
            table = self.tables.get(id(node))
            if isinstance(table, dict) and isinstance(part, str) and part in table:
                line, node = table[part], node[part]
            elif isinstance(table, list) and isinstance(part, int) and 0 <= part < len(table):
                line, node = table[part], node[part]
            else:
                break
        return line


def shorten(text: str) -> str:
    """A key or a value as a message quotes it: at most SHOWN_CHARS characters."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def too_big(size: int) -> str:
    return f"file is {size / 1e6:.1f} MB; a scenario file may be at most {MAX_BYTES / 1e6:.0f} MB"


def too_big_read(read: int) -> str:
    """`read` is how much was read before stopping: only a lower bound of the size."""
    if read == MAX_BYTES + 1:
        return (
            f"file is over {MAX_BYTES / 1e6:.0f} MB; a scenario file may be at most {MAX_BYTES / 1e6:.0f} MB"
        )
    return too_big(read)


def decode(raw: bytes) -> str:
    """Bytes to text, rejecting what is not a UTF-8 text file with the line where it goes wrong."""
    if len(raw) > MAX_BYTES:
        raise YamlError(1, too_big_read(len(raw)), "")
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
    if not value or value[0] in _NUMBER_START:
        if len(value) > MAX_DIGITS and (_INT.match(value) or _FLOAT.match(value)):
            line = event.start_mark.line + 1 if event.start_mark else 1
            raise YamlError(
                line,
                f"a number {len(value):,} characters long; a number may have at most {MAX_DIGITS} digits",
                f"amounts are yuan: at most {MAX_YUAN:,}",
            )
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
            return float(value)
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return value


class _Frame:
    """A mapping or list being filled, with the lines of what it holds."""

    __slots__ = ("anchor", "chars", "is_list", "key", "key_line", "line", "size", "table", "value")

    def __init__(self, is_list: bool, anchor: str | None, line: int) -> None:
        self.is_list = is_list
        self.value: Any = [] if is_list else {}
        self.table: Any = [] if is_list else {}
        self.anchor = anchor
        self.line = line
        self.key: str | None = None  # in a mapping: the key waiting for its value
        self.key_line = line
        self.size = 1  # values in this subtree, aliases expanded
        self.chars = 0  # characters of text in this subtree (keys too), aliases expanded


class _Composer:
    """Builds values from events with an explicit stack: no recursion, however deep the input."""

    def __init__(self) -> None:
        self.doc = Document(data=None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.total = 0
        self.chars = 0
        self.documents = 0
        self.done = False

    def other(self, event: yaml.Event) -> None:
        """Every event but a plain scalar inside a container (which `parse` handles inline)."""
        line = event.start_mark.line + 1 if event.start_mark else 1
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:  # most common here: no tag to check
            self.close()
            return
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise YamlError(line, "more than one YAML document (---) in the file", "keep one per file")
            return
        if kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent or kind is yaml.StreamEndEvent:
            return
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
            raise YamlError(
                line, f"YAML tags are not allowed (found {tag})", "scenario files hold plain data"
            )
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlError(line, f"unknown alias *{event.anchor}", "define &name before using *name")
            value, size, chars = self.anchors[event.anchor]
            self.place(value, size, line, chars)
        elif isinstance(event, yaml.ScalarEvent):
            self.check_text(event.value, line)
            value = _scalar(event)
            chars = len(event.value)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1, chars)
            self.place(value, 1, line, chars)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                raise YamlError(line, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
            if self.stack and not self.stack[-1].is_list and self.stack[-1].key is None:
                raise YamlError(line, "a key must be a plain word or text", "write `name: value`")
            self.stack.append(_Frame(kind is yaml.SequenceStartEvent, event.anchor, line))

    def close(self) -> None:
        """The end of a mapping or list: remember its lines, then place it in its parent."""
        frame = self.stack.pop()
        self.doc.tables[id(frame.value)] = frame.table
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.size, frame.chars)
        self.total -= frame.size - 1  # the children were counted as they arrived
        self.chars -= frame.chars
        self.place(frame.value, frame.size, frame.line, frame.chars)

    def place(self, value: Any, size: int, line: int, chars: int = 0) -> None:
        """Put a finished value into its parent: as a list item, a mapping key, or a key's value."""
        self.total += size
        self.chars += chars
        if self.total > MAX_VALUES:
            raise YamlError(
                line, f"the file expands to more than {MAX_VALUES:,} values", "aliases nest too deep"
            )
        if self.chars > MAX_TEXT:
            raise YamlError(
                line,
                f"the file expands to more than {MAX_TEXT:,} characters of text",
                "aliases repeat a long text too often; write the text out where it is needed",
            )
        if not self.stack:
            self.doc.data, self.doc.root_line, self.done = value, line, True
            return
        parent = self.stack[-1]
        parent.size += size
        parent.chars += chars
        if parent.is_list:
            parent.table.append(line)
            parent.value.append(value)
        elif parent.key is None:
            self.key(parent, value, line)
        else:
            parent.table[parent.key] = parent.key_line
            parent.value[parent.key] = value
            parent.key = None

    def key(self, parent: _Frame, value: Any, line: int) -> None:
        if isinstance(value, (dict, list)) or value is None:
            raise YamlError(line, "a key must be a plain word or text", "write `name: value`")
        key = str(value).lower() if isinstance(value, bool) else str(value)
        if key in parent.value:
            first = parent.table.get(key, line)
            self.doc.note(
                "duplicate keys",
                self.doc.duplicates,
                YamlError(
                    line, f"duplicate key '{shorten(key)}' (first at line {first})", "keep one of them"
                ),
            )
        parent.key, parent.key_line = key, line

    def check_text(self, text: str, line: int) -> None:
        """A key or a value with a control character in it is a problem at its line (its text is kept, so
        that every other problem of the file is still found)."""
        if text.isprintable():
            return
        char = first_control(text)
        if char is not None:
            self.doc.note(
                "texts with control characters",
                self.doc.controls,
                YamlError(
                    line,
                    f"a control character, {describe(char)}, in the text",
                    "remove it: scenario text is shown as it is written, and a control character "
                    "could act on the terminal (escapes such as \\e, \\x1b or \\u202e write one)",
                ),
            )


def _syntax_error(exc: yaml.MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    where = mark.line + 1 if mark is not None else 1
    message = " ".join(p for p in (exc.context, exc.problem) if p)
    context = exc.context_mark
    started = context.line + 1 if context is not None else where
    if started != where:
        message += f" (it began at line {started})"
    return YamlError(where, f"YAML syntax: {message}", "check indentation, colons and quotes")


def parse(text: str) -> Document:  # noqa: PLR0915 - the hot path is inline on purpose
    """Parse YAML text into a Document. Raises YamlError for anything that is not plain, finite data."""
    loader = _EventLoader(text)
    composer = _Composer()
    stack = composer.stack
    scalar_event = yaml.ScalarEvent
    stream_end = yaml.StreamEndEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    plain = 0  # scalars counted here and added to the composer's total before anything that checks it
    chars = 0  # and their characters
    check_text = composer.check_text
    try:
        while True:
            event = loader.get_event()
            # The hot path, about 60% of all events: a plain untagged scalar inside a mapping or list.
            if type(event) is scalar_event and stack and event.tag is None and not event.anchor:
                parent = stack[-1]
                plain += 1
                parent.size += 1
                scalar: str = event.value
                chars += len(scalar)
                parent.chars += len(scalar)
                if not scalar.isprintable():
                    check_text(scalar, event.start_mark.line + 1)  # type: ignore[union-attr] # always set
                if parent.key is not None:  # a key's value: the key's line is the one to remember
                    parent.table[parent.key] = parent.key_line
                    # quoted and block scalars are always text: no need to resolve them
                    parent.value[parent.key] = event.value if event.style else _scalar(event)
                    parent.key = None
                elif parent.is_list:
                    parent.table.append(event.start_mark.line + 1)  # type: ignore[union-attr] # always set
                    parent.value.append(event.value if event.style else _scalar(event))
                elif event.value in parent.value or not event.value:
                    composer.key(parent, _scalar(event), event.start_mark.line + 1)  # type: ignore[union-attr]
                else:  # a new key: keys are text as written (`no:` is the key "no")
                    parent.key, parent.key_line = event.value, event.start_mark.line + 1  # type: ignore[union-attr]
                continue
            composer.total += plain
            composer.chars += chars
            plain = chars = 0
            kind = type(event)
            if kind is mapping_end or kind is sequence_end:
                composer.close()
            elif event is None or kind is stream_end:
                break
            else:
                composer.other(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"YAML: {exc}", "") from None
    finally:
        loader.dispose()
    if not composer.done:
        raise YamlError(1, "the file is empty", "")
    return composer.doc


def read(raw: bytes) -> Document:
    return parse(decode(raw))
