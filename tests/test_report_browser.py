"""The report in a real headless Chromium: loads offline, shows every claim, runs nothing.

Needs Debian's chromium (/usr/bin/chromium, or $CHIPWATCH_CHROMIUM) and the playwright
Python package; skips cleanly without them. Screenshots go to artifacts/ in the repository
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from test_report import CLAIM_IDS, HOSTILE_OUTLET, HOSTILE_TITLE, build_report_db, render

ARTIFACTS = REPO / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    path = os.environ.get("CHIPWATCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    executable = _chromium()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    path = tmp / "report.html"
    path.write_text(render(build_report_db(tmp)), encoding="utf-8")
    return path


def _open(browser, path: Path, width: int, height: int):
    """Load the page, recording console errors, page errors, requests and dialogs."""
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = {"console": [], "errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # anything scheduled to run late would have run by now
    return page, seen


def test_report_loads_offline_and_shows_every_claim(browser, report_file):
    page, seen = _open(browser, report_file, 1280, 900)
    try:
        assert seen["requests"] == [report_file.as_uri()]
        assert seen["console"] == [] and seen["errors"] == []
        body = page.inner_text("body")
        for claim in CLAIM_IDS:
            assert claim in body
            assert page.locator(f"#claim-{claim}").is_visible()
        # The verdict colours are applied (CSS loaded inline, not from anywhere else).
        colour = page.eval_on_selector("#baseline .badge.mixed",
                                       "e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(254, 243, 199)"
        assert page.locator("#timeline svg circle").count() >= 4
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    finally:
        page.close()


def test_markup_in_titles_is_shown_as_text_and_runs_nothing(browser, report_file):
    page, seen = _open(browser, report_file, 1280, 900)
    try:
        assert seen["dialogs"] == []
        assert page.locator("script").count() == 0
        body = page.inner_text("body")
        assert HOSTILE_TITLE in body
        assert HOSTILE_OUTLET in body
        assert page.locator("b[onmouseover]").count() == 0
        page.locator("text=Rival").first.hover()  # a live onmouseover would open a dialog
        page.wait_for_timeout(100)
        assert seen["dialogs"] == []
    finally:
        page.close()


def test_report_fits_a_phone(browser, report_file):
    page, seen = _open(browser, report_file, 390, 844)
    try:
        assert seen["console"] == [] and seen["errors"] == []
        # The page itself never scrolls sideways; wide tables scroll inside their box.
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 390
        wide = page.evaluate(
            "[...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth).length")
        assert wide >= 1
        size = page.eval_on_selector("body", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 14
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=False)
    finally:
        page.close()
