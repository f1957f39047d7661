"""Reports in Markdown, HTML and CSV: what they contain, and that text from data is never trusted."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from roleplay.core.model import Catalog
from roleplay.exports.formats import FORMATS, render
from roleplay.exports.html import render_html
from roleplay.exports.markdown import md, render_markdown
from roleplay.exports.report import Report, build_report
from roleplay.exports.spreadsheet import csv_text, render_csv
from roleplay.history.discernment import Discernment
from roleplay.history.store import Store
from roleplay.library.library import Library, load_library
from roleplay.text.i18n import set_language
from roleplay.workshop.session import WorkshopSession
from tests.commands import roleplay_in as roleplay
from tests.recording import play

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
HOSTILE_TITLE = "<img src=x onerror=alert(1)>|**x**"
HOSTILE_NAME = '=HYPERLINK("http://evil.example")'
HOSTILE_WORKSHOP = "<script>alert('x')</script> [click](javascript:alert(1))"
# The room before and after (20 people), per excerpt: (said scam, said not) for scam and for real calls.
PRE = {"scam": (12, 8), "legit": (10, 10)}
POST = {"scam": (18, 2), "legit": (4, 16)}


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def recorded(tmp_path: Path, catalog: Catalog, library: Library) -> Iterator[tuple[Store, str]]:
    """A workshop with a pre- and post-test, a room call, two trainees, and calls outside the workshop —
    one of a scenario file (not in the library) whose title is hostile markup."""
    hostile_file = tmp_path / "hostile.yaml"
    hostile_file.write_text(
        (FIXTURES / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("id: minimal", "id: hostile")
        .replace(
            "title: {zh: 测试来电, en: A test call}",
            f"title: {{zh: '{HOSTILE_TITLE}', en: '{HOSTILE_TITLE}'}}",
        ),
        encoding="utf-8",
    )
    hostile = load_library([hostile_file], catalog)
    assert not hostile.problems, hostile.problems
    with Store.open(tmp_path / "history.sqlite3") as store:
        workshop = store.create_workshop(HOSTILE_NAME, HOSTILE_WORKSHOP)
        session = WorkshopSession(store, library, workshop.id)
        for phase, counts in (("pre", PRE), ("post", POST)):
            for item in session.items(phase):  # type: ignore[arg-type]
                session.answer(phase, item.number, *counts[item.kind])  # type: ignore[arg-type]
        room = session.room_call("taobao-refund", seed=2)
        room.start()
        room.vote({"1": 14, "h": 6})
        room.vote({"v": 11, "1": 9})
        room.judge(said_scam=19, said_not=1)
        play(store, library, "taobao-refund", "h", workshop_id=workshop.id, trainee="ana")
        play(store, library, "bank-card-risk-alert", "h", workshop_id=workshop.id, trainee="bo", judged=True)
        play(store, library, "taobao-refund", 1, workshop_id=workshop.id, trainee="bo")  # abandoned
        play(store, hostile, "hostile", 1, 1, trainee="cy")  # outside the workshop: ¥500 lost
        yield store, workshop.id


def workshop_report(recorded: tuple[Store, str], library: Library) -> Report:
    store, workshop_id = recorded
    return build_report(store, library, workshop_id=workshop_id)


# -- the model ------------------------------------------------------------------------------------------


def test_a_workshop_report_counts_only_the_workshops_calls(
    recorded: tuple[Store, str], library: Library
) -> None:
    report = workshop_report(recorded, library)
    assert (report.calls, report.finished, report.abandoned, report.room_calls, report.trainees) == (
        4,
        3,
        1,
        1,
        2,
    )
    assert report.safe == 3 and report.loss == 0 and report.money_lost == 0
    assert {s.scenario for s in report.scenarios} == {"taobao-refund", "bank-card-risk-alert"}
    assert report.discernment.false_alarms == 1  # bo called the real bank's call a scam


def test_a_report_counts_discernment_by_what_was_done_beside_the_verdicts(
    recorded: tuple[Store, str], library: Library
) -> None:
    """ana and the room ended the scam call safely; bo hung up on the real bank: a false alarm by deed too."""
    report = workshop_report(recorded, library)
    assert report.behaviour == Discernment(hits=2, misses=0, false_alarms=1, correct_rejections=0)
    bank = next(s for s in report.scenarios if s.scenario == "bank-card-risk-alert")
    assert (bank.acted, bank.acted_right) == (1, 0)
    set_language("en")
    try:
        text = render_markdown(report)
    finally:
        set_language("zh")
    assert "| Calls, by what was done (hung up, checked, or went along) | 2/2 | 1/1 |" in text
    assert "hanging up on a real call (a bank's or 96110's warning) counts as a false alarm" in text
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    values = {(r[0], r[1], r[3]): r[4] for r in rows}
    assert values[("discernment", "behaviour", "false_alarms")] == "1"
    assert values[("discernment", "calls", "false_alarms")] == "1"
    assert values[("scenario", "bank-card-risk-alert", "acted_right")] == "0"


def test_pre_and_post_discernment_and_its_change(recorded: tuple[Store, str], library: Library) -> None:
    report = workshop_report(recorded, library)
    _, workshop_id = recorded
    items = WorkshopSession(recorded[0], library, workshop_id).items("pre")
    scams = sum(1 for i in items if i.kind == "scam")
    reals = len(items) - scams
    expected_pre = Discernment(12 * scams, 8 * scams, 10 * reals, 10 * reals)
    assert report.tests["pre"] == expected_pre
    assert report.d_prime_change == pytest.approx(report.tests["post"].d_prime - expected_pre.d_prime)  # type: ignore[operator]
    assert report.d_prime_change is not None and report.d_prime_change > 1


def test_the_most_missed_flags_carry_the_advisorys_advice_and_sources(
    recorded: tuple[Store, str], library: Library
) -> None:
    store, _ = recorded
    report = build_report(store, library)  # every call
    top = report.flags[0]
    assert top.missed >= report.flags[-1].missed
    flag = library.catalog.flags[top.flag]
    assert top.instead == flag.instead
    assert [s.title for s in top.sources] == [library.catalog.sources[s].title for s in flag.sources]
    assert report.money_lost == 500 and report.loss == 1
    hostile = next(s for s in report.scenarios if s.scenario == "hostile")
    assert hostile.title.en == HOSTILE_TITLE  # from the record: the scenario is not in the library


def test_a_report_of_an_unknown_workshop_is_an_error(recorded: tuple[Store, str], library: Library) -> None:
    from roleplay.history.errors import UnknownWorkshop

    with pytest.raises(UnknownWorkshop):
        build_report(recorded[0], library, workshop_id="NOPE42")


# -- Markdown -------------------------------------------------------------------------------------------


def test_markdown_report_contents(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    text = render_markdown(build_report(store, library, workshop_id=workshop_id))
    assert text.startswith(f"# Workshop report {workshop_id}\n")
    for heading in ("Calls and outcomes", "Telling scams from real calls", "Red flags most missed"):
        assert f"## {heading}" in text
    assert "| Calls | 4 |" in text and "| Money that would have been lost | ¥0 |" in text
    assert "Before (pre-test)" in text and "After (post-test)" in text and "Change in d′" in text
    assert "What to do instead: " in text and "- Source: " in text
    assert "A call from an online shop" in text


def test_markdown_escapes_text_from_data(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    text = render_markdown(build_report(store, library, workshop_id=workshop_id))
    unescaped = re.compile(r"(?<!\\)[<>\[\]|*]")  # markup characters without a backslash before them
    assert "\\<script\\>" in text and "\\[click\\](javascript:" in text  # text, not a tag or a link
    everything = render_markdown(build_report(store, library))
    assert "\\<img src=x onerror=alert(1)\\>\\|\\*\\*x\\*\\*" in everything
    for data_line in (line for line in everything.splitlines() if "img src" in line or "script" in line):
        cells = data_line.strip("|").split(" | ")  # the table's own pipes are spaced, escaped ones are not
        assert not any(unescaped.search(cell) for cell in cells), data_line
    assert md("a|b\nc") == "a\\|b c"


# -- HTML -----------------------------------------------------------------------------------------------


class _Audit(HTMLParser):
    """Every tag and attribute of a page, to prove what it can load and run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs


def test_html_report_is_one_self_contained_printable_file_with_charts(
    recorded: tuple[Store, str], library: Library
) -> None:
    store, workshop_id = recorded
    page = render_html(build_report(store, library, workshop_id=workshop_id))
    audit = _Audit()
    audit.feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "script" not in audit.tags and "iframe" not in audit.tags and "img" not in audit.tags
    assert "link" not in audit.tags  # no external stylesheet
    names = {name for name, _ in audit.attributes}
    assert not names & {"src", "href", "srcset", "action"}
    assert not any(name.startswith("on") for name in names)
    assert "url(" not in page and "@import" not in page
    assert audit.tags.count("svg") >= 3  # outcomes, before/after, flags
    assert "@media print" in page and "@page" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Workshop report" in page and "What to do instead:" in page


def test_html_escapes_text_from_data(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    page = render_html(build_report(store, library, workshop_id=workshop_id))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    everything = render_html(build_report(store, library))
    assert "<img" not in everything and "&lt;img src=x onerror=alert(1)&gt;" in everything


def test_html_report_follows_the_language(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    set_language("zh")
    page = render_html(build_report(store, library, workshop_id=workshop_id))
    assert '<html lang="zh-CN">' in page
    assert "培训活动报告" in page and "最常漏掉的危险信号" in page and "网店客服来电" in page


def test_the_handout_begins_with_one_page_for_the_residents(
    recorded: tuple[Store, str], library: Library
) -> None:
    """What to remember, the red flags this room missed most with what to do, and whom to call; the
    facilitator's figures only after a page break."""
    store, workshop_id = recorded
    report = build_report(store, library, workshop_id=workshop_id)
    page = render_html(report)
    residents, _, officer = page.partition("<div class='officer'>")
    residents = residents[residents.index("<section class='residents'>") :]
    assert ".residents { break-after: page;" in page
    assert "<h2>Remember</h2>" in residents and "The red flags this room missed most" in residents
    assert 0 < len(report.handout_rules) <= 5
    for rule in report.handout_rules:
        assert html.escape(rule.en) in residents
    always = [r.text for r in library.catalog.rules if not r.flags]
    assert set(always) <= {text for text, _ in report.remember}  # the rules for every call are always there
    missed = {f.flag for f in report.most_missed}
    about_missed = [r.text for r in library.catalog.rules if missed & set(r.flags)]
    assert set(about_missed[:5]) <= set(
        report.handout_rules
    )  # the rules about what this room missed come first
    assert [f.missed > 0 for f in report.most_missed] == [True] * len(
        report.most_missed
    ) and report.most_missed
    for flag in report.most_missed:
        assert html.escape(flag.instead.en) in residents
    assert "<b>110</b>" in residents and "<b>96110</b>" in residents
    assert "d′" not in residents and "<table" not in residents and "<svg" not in residents  # no statistics
    assert "For the facilitator: the figures" in officer and "d′" in officer


def test_a_red_flags_border_says_what_the_room_did_more(
    recorded: tuple[Store, str], library: Library
) -> None:
    store, workshop_id = recorded
    report = build_report(store, library, workshop_id=workshop_id)
    page = render_html(report)
    officer = page.partition("<div class='officer'>")[2]
    for flag in report.flags:
        kind = "missed" if flag.missed > flag.spotted else "spotted" if flag.spotted > flag.missed else "even"
        assert f"<div class='flag {kind}'><h3>{html.escape(flag.name.en)}</h3>" in officer
    assert ".flag.missed { border-left-color: var(--missed); }" in page
    assert ".flag.spotted { border-left-color: var(--spotted); }" in page


def test_each_test_items_answers_are_in_every_format(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    report = build_report(store, library, workshop_id=workshop_id)
    answers = store.test_answers(workshop_id)
    assert len(report.test_items) == len(answers) > 0
    assert [r.phase for r in report.test_items] == sorted((r.phase for r in report.test_items), reverse=True)
    first = report.test_items[0]
    assert first.right == (first.said_scam if first.kind == "scam" else first.said_not)
    page = render_html(report)
    assert html.escape("The room's answer to each test item") in page and html.escape(first.title.en) in page
    assert "## The room's answer to each test item" in render_markdown(report)
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    key = f"{first.phase}-{first.item}"
    said = {r[3]: r[4] for r in rows if r[0] == "test_item" and r[1] == key}
    assert said == {
        "said_scam": str(first.said_scam),
        "said_not": str(first.said_not),
        "right": str(first.right),
        "kind": first.kind,
    }


# -- CSV ------------------------------------------------------------------------------------------------


def test_csv_report_is_one_tidy_table(recorded: tuple[Store, str], library: Library) -> None:
    store, workshop_id = recorded
    rows = list(csv.reader(io.StringIO(render_csv(build_report(store, library, workshop_id=workshop_id)))))
    assert rows[0] == ["section", "key", "name", "measure", "value"]
    assert all(len(row) == 5 for row in rows)
    values = {(r[0], r[1], r[3]): r[4] for r in rows}
    assert values[("summary", "", "calls")] == "4"
    assert values[("summary", "", "money_lost")] == "0"
    assert values[("discernment", "pre", "hits")] and values[("discernment", "post", "d_prime")]
    assert float(values[("discernment", "change", "d_prime_change")]) > 1
    assert values[("scenario", "taobao-refund", "calls")] == "3"
    flags = [r for r in rows if r[0] == "flag"]
    assert {r[3] for r in flags} >= {"met", "spotted", "missed", "instead", "source"}


def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(
    recorded: tuple[Store, str], library: Library
) -> None:
    store, workshop_id = recorded
    text = render_csv(build_report(store, library, workshop_id=workshop_id))
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE_NAME in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert csv_text("-1+2") == "'-1+2" and csv_text("safe") == "safe"


def test_render_picks_the_format(recorded: tuple[Store, str], library: Library) -> None:
    report = build_report(recorded[0], library)
    assert render(report, "md").startswith("# ")
    assert render(report, "html").startswith("<!DOCTYPE html>")
    assert render(report, "csv").startswith("section,")


# -- the command ----------------------------------------------------------------------------------------


def test_report_command_in_every_format_and_its_faults(recorded: tuple[Store, str], tmp_path: Path) -> None:
    store, workshop_id = recorded
    home = store.path.parent
    handout = tmp_path / "handout.html"
    written = roleplay(
        home, "report", "--workshop", workshop_id, "--format", "html", "--output", str(handout)
    )
    assert written.returncode == 0, written.stderr
    assert str(handout) in written.stderr and "培训活动报告" in handout.read_text(encoding="utf-8")
    english = roleplay(home, "--lang", "en", "report", "--workshop", workshop_id)
    assert english.stdout.startswith(f"# Workshop report {workshop_id}")
    assert roleplay(home, "report", "--format", "csv").stdout.startswith("section,key,name,measure,value")
    sheet = tmp_path / "report.csv"
    assert roleplay(home, "report", "--format", "csv", "--output", str(sheet)).returncode == 0
    # The byte order mark tells a spreadsheet program the file is UTF-8 (else 王警官 shows as 鐜嬭...).
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbfsection,key,name,measure,value")

    unknown = roleplay(home, "report", "--workshop", "NOPE42")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "NOPE42" in unknown.stderr
    nowhere = roleplay(home, "report", "--output", str(tmp_path / "missing" / "r.md"))
    assert nowhere.returncode == 1 and nowhere.stderr.count("\n") == 1
    assert "Traceback" not in nowhere.stderr and "missing" in nowhere.stderr


def test_the_command_line_offers_every_report_format() -> None:
    from roleplay.cli.reports import REPORT_FORMATS

    assert REPORT_FORMATS == FORMATS
