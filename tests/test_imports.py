"""The headless core never imports Textual: only roleplay/tui/ may."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "roleplay"


def test_only_the_tui_package_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert offenders == []


def test_playing_in_line_mode_loads_no_textual_module() -> None:
    code = (
        "import sys, io\n"
        "from roleplay.library.library import load_library\n"
        "from roleplay import plain\n"
        "from roleplay.core import engine, debrief\n"
        "from roleplay.authoring import walk\n"
        "from roleplay.cli import main\n"
        "lib = load_library()\n"
        "plain.play(lib.get('taobao-refund'), lib.catalog, io.StringIO('h\\n'), io.StringIO(), seed=1)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
