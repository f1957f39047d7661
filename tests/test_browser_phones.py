"""The residents' phones in a real browser: Debian's Chromium, driven by Playwright (no browser downloaded),
opens the phone page of a workshop the presenter opened on loopback. Two phones, one in Chinese and one in
English, join with the code on the projector, vote on a test item, and the projector counts them; the hands
typed for those without a phone are added, and the record keeps each phone's answer.

Skipped where Chromium is not installed (`./scripts/test` installs it when it can)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roleplay.history.store import Store
from roleplay.tui.presenter.excerpt import ExcerptScreen
from tests.tui.conftest import SIZE, visible_text
from tests.tui.phones import open_to_phones, until
from tests.tui.test_workshop_ui import new_workshop, open_agenda, presenter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed here")


async def test_two_phones_join_vote_and_the_projector_counts_them(
    tmp_path: Path, isolated_home: Path
) -> None:
    from playwright.async_api import async_playwright

    workshop_id = new_workshop(isolated_home)
    app = presenter(tmp_path, workshop_id=workshop_id)
    async with app.run_test(size=SIZE) as pilot, async_playwright() as playwright:
        await open_agenda(pilot)
        phones = await open_to_phones(pilot)
        text = visible_text(app)
        assert f"加入码：{phones.code[:3]} {phones.code[3:]}" in text
        assert "不用二维码" in text  # and why: scanning a code is one of the tricks the session teaches

        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages = []
        for locale in ("zh-CN", "en-US"):
            context = await browser.new_context(locale=locale, viewport={"width": 390, "height": 844})
            page = await context.new_page()
            await page.goto(phones.url + "/")
            await page.fill("#code", "000000")  # a slip of the finger first: refused, and said why
            await page.click("#join-button")
            await page.wait_for_selector("#problem:not([hidden])")
            await page.fill("#code", f"{phones.code[:3]} {phones.code[3:]}")  # as read aloud, with a space
            await page.click("#join-button")
            await page.wait_for_selector("#wait:not([hidden])")
            pages.append(page)
        chinese, english = pages
        assert "加入码不对" not in await chinese.inner_text("body")  # the problem went once joined
        await until(pilot, lambda: "已加入 2 部手机" in visible_text(app), "two phones on the projector")

        await pilot.press("1")  # the pre-test: its first item is open to the phones
        await until(pilot, lambda: isinstance(app.screen, ExcerptScreen), "the pre-test")
        await chinese.click("#options button:has-text('是诈骗')")
        await english.click("#options button:has-text('Not a scam')")
        await chinese.wait_for_selector("#voted:has-text('已投')")
        await english.wait_for_selector("#voted:has-text('Your vote')")
        await until(pilot, lambda: "这一题已投：2 部" in visible_text(app), "the two votes on the projector")
        assert "是诈骗 1" not in visible_text(app)  # how the room voted is not shown while the vote is open

        await pilot.press("3", "enter", "enter")  # three hands for "scam" from residents without a phone
        await until(pilot, lambda: "第2段" in visible_text(app), "the second item")
        await chinese.wait_for_selector("#prompt:has-text('第 2 段')")
        await english.wait_for_selector("#prompt:has-text('Item 2')")
        await browser.close()

    with Store.open(isolated_home / "history.sqlite3") as store:
        first = store.test_answers(workshop_id, "pre")[0]
        assert (first.item, first.said_scam, first.said_not) == (1, 4, 1)  # 3 hands + 1 phone, and 1 phone
        said = sorted(a[("pre", 1)] for a in store.device_answers(workshop_id).values())
        assert said == ["legit", "scam"]
