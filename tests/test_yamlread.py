"""The YAML reader takes plain data only, and rejects hostile files with one clear line. How fast it does so
is measured by scripts/bench.py, not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.core.model import Catalog
from roleplay.library.loader import read_scenario
from roleplay.library.yamlread import YamlError, read


def test_yaml_1_2_scalars_no_and_leading_zero_stay_as_written() -> None:
    doc = read(b"a: no\nb: on\nc: 010\nd: 'x'\ne: true\nf: null\ng: 1.5\n")
    assert doc.data == {"a": "no", "b": "on", "c": 10, "d": "x", "e": True, "f": None, "g": 1.5}


def test_dates_stay_text() -> None:
    assert read(b"date: 2020-06-19\n").data == {"date": "2020-06-19"}


def test_lines_are_remembered_for_every_value() -> None:
    doc = read(b"a:\n  b:\n    - x\n    - y\nc: 1\n")
    assert doc.line_of(("a", "b", 1)) == 4
    assert doc.line_of(("c",)) == 5
    assert doc.line_of(("a", "b", 1, "missing")) == 4


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    doc = read(b"a: 1\nb: 2\na: 3\n")
    assert [(d.line, d.message) for d in doc.duplicates] == [(3, "duplicate key 'a' (first at line 1)")]


def test_multiple_documents_are_rejected() -> None:
    with pytest.raises(YamlError, match="more than one YAML document"):
        read(b"a: 1\n---\nb: 2\n")


HOSTILE = {
    "alias-bomb": (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
            for i in range(9)
        ),
        "expands to more than",
    ),
    "deep-nesting": (b"[" * 50_000 + b"]" * 50_000, "nesting deeper than"),
    "deep-mapping": (b"{a: " * 50_000 + b"}" * 50_000, "nesting deeper than"),
    "binary-junk": (bytes(range(256)) * 64, "binary data"),
    "invalid-utf8": (b"id: ok\ntitle: \xff\xfe broken\n", "not valid UTF-8"),
    "python-object": (b"id: !!python/object/apply:os.system ['echo pwned']\n", "YAML tags are not allowed"),
    "python-name": (b"x: !!python/name:os.system\n", "YAML tags are not allowed"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_rejected_with_one_clear_line(name: str, tmp_path: Path, catalog: Catalog) -> None:
    content, expected = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    scenario, problems = read_scenario(path, catalog)
    assert scenario is None
    assert len(problems) == 1
    assert expected in problems[0].message
    assert str(problems[0]).startswith(f"{problems[0].file}:{problems[0].line}: ")


def test_twenty_megabyte_file_is_refused_without_reading_it(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.write(b"id: huge\nfiller: |\n")
        f.write(b"  " + b"x" * 100 + b"\n")
        f.truncate(20_000_000)
    _, problems = read_scenario(path, catalog)
    assert [p.message for p in problems] == ["file is 20.0 MB; a scenario file may be at most 5 MB"]


def test_hostile_files_never_crash_the_interpreter(tmp_path: Path) -> None:
    """libyaml's composer dies in C on deep nesting; the validator must exit normally with a message."""
    for name, (content, _) in HOSTILE.items():
        (tmp_path / f"{name}.yaml").write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.strip().splitlines()) == len(HOSTILE)
