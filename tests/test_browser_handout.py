"""The handout in a real browser: Debian's Chromium prints it to PDF as an officer's browser would. The
residents' part is one A4 page in both languages, and the facilitator's figures start on a page of their own.

Skipped where Chromium is not installed (`./scripts/test` installs it when it can)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from roleplay.core.engine import Call
from roleplay.exports.html import render_html
from roleplay.exports.report import build_report
from roleplay.history.store import Store
from roleplay.library.library import Library
from roleplay.text.i18n import set_language
from roleplay.workshop.session import WorkshopSession
from tests.moves import make
from tests.recording import play

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")


def pages(html: str, folder: Path, name: str) -> int:
    """How many pages the browser prints `html` on (A4, as the page's own CSS asks)."""
    page, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def going_along(library: Library, scenario_id: str) -> list[int]:
    """Written reply numbers (from 1) that spot nothing, turn after turn, to the call's end."""
    scenario = library.get(scenario_id)
    call, moves = Call(scenario, 1), []
    call.start()
    while not call.ended:
        choices = scenario.nodes[call.current_node].choices
        move = next((i for i, c in enumerate(choices, 1) if not c.spots), 1)
        make(call, move, first=1)
        moves.append(move)
    return moves


@pytest.fixture
def workshop_store(tmp_path: Path, library: Library) -> Iterator[tuple[Store, str]]:
    """A workshop whose room missed several red flags, so the residents' page names three of them."""
    with Store.open(tmp_path / "history.sqlite3") as store:
        workshop = store.create_workshop("王警官", "幸福里社区反诈讲座")
        session = WorkshopSession(store, library, workshop.id)
        for phase, scam, legit in (("pre", (12, 8), (10, 10)), ("post", (18, 2), (6, 14))):
            for item in session.items(phase):  # type: ignore[arg-type]
                session.answer(phase, item.number, *(scam if item.kind == "scam" else legit))  # type: ignore[arg-type]
        for trainee in ("ana", "bo", "cy"):
            for scenario_id in sorted(s.id for s in library.scenarios.values() if s.kind == "scam"):
                play(
                    store,
                    library,
                    scenario_id,
                    *going_along(library, scenario_id),
                    workshop_id=workshop.id,
                    trainee=trainee,
                )
        yield store, workshop.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_residents_page_is_one_printed_page_and_the_figures_follow_it(
    workshop_store: tuple[Store, str], library: Library, tmp_path: Path, lang: str
) -> None:
    store, workshop_id = workshop_store
    set_language(lang)  # type: ignore[arg-type]
    try:
        report = build_report(store, library, workshop_id=workshop_id)
        whole = render_html(report)
    finally:
        set_language("zh")
    assert len(report.most_missed) == 3 and len(report.handout_rules) == 5
    residents_only = whole.partition("<div class='officer'>")[0] + "</body></html>\n"
    assert pages(residents_only, tmp_path, f"residents-{lang}") == 1
    officer_only = whole.replace(
        whole[whole.index("<section class='residents'>") : whole.index("<div class='officer'>")], ""
    )
    assert pages(whole, tmp_path, f"whole-{lang}") == 1 + pages(officer_only, tmp_path, f"officer-{lang}")
