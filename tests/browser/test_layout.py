"""Layout in a real browser: Arabic is laid out right to left (with a screenshot kept as a
test artefact), and no page scrolls sideways on a 360-px-wide phone screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import open_followup, submit_report
from tests.browser.instance import Instance

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DEFENDER_LANGUAGES = ("en", "ar", "az", "es", "fa", "fr", "ru", "tr")
STAFF_LANGUAGES = ("en", "ar", "az", "es", "fa", "fr", "ru", "tr")


def test_the_arabic_intake_page_is_right_to_left(browser: Any, qalxan: Instance,
                                                 artifacts: Path) -> None:
    context = browser.new_context(locale="ar", viewport={"width": 800, "height": 900})
    page = context.new_page()
    page.goto(f"{qalxan.url}/report")
    assert page.evaluate("document.dir") == "rtl"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    box = page.locator("#threat-1").bounding_box()
    label = page.locator("label[for=threat-1]").bounding_box()
    assert box["x"] > label["x"]  # the checkbox sits to the right of its label
    page.screenshot(path=str(artifacts / "intake-ar.png"), full_page=True)
    context.close()


def _scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _too_wide(browser: Any, url: str, paths: tuple[str, ...], language: str,
              state: dict[str, Any] | None = None) -> dict[str, int]:
    context = browser.new_context(locale=language, viewport=PHONE, storage_state=state)
    page = context.new_page()
    wide = {}
    for path in paths:
        page.goto(f"{url}{path}")
        if _scroll_width(page) > PHONE["width"]:
            wide[path] = _scroll_width(page)
    context.close()
    return wide


@pytest.mark.parametrize("language", DEFENDER_LANGUAGES)
def test_defender_pages_fit_a_360_px_screen(browser: Any, qalxan: Instance,
                                            language: str) -> None:
    paths = ("/", "/report", "/followup", "/login", "/no-such-page")
    assert not _too_wide(browser, qalxan.url, paths, language)


@pytest.mark.parametrize("language", DEFENDER_LANGUAGES)
def test_questionnaire_receipt_and_followup_fit_a_360_px_screen(browser: Any, qalxan: Instance,
                                                  language: str) -> None:
    context = browser.new_context(locale=language, viewport=PHONE)
    page = context.new_page()
    widths: list[int] = []
    code = submit_report(page, qalxan.url, "They threatened me again.",
                         on_step=lambda step: widths.append(_scroll_width(step)))
    assert len(widths) == 4 and max(widths) <= PHONE["width"], f"questionnaire: {widths}"
    assert _scroll_width(page) <= PHONE["width"], "receipt"
    page.goto(f"{qalxan.url}/followup")
    page.fill("#receipt_code", code)
    page.click("form.stack button[type=submit]")
    # the thread page, once loaded (a busy machine answers the form after the click returns)
    page.locator("ol.thread, form[action='/followup/add']").first.wait_for()
    assert _scroll_width(page) <= PHONE["width"], "follow-up"
    context.close()


@pytest.mark.parametrize("language", DEFENDER_LANGUAGES)
def test_the_review_form_fits_a_360_px_screen(browser: Any, qalxan: Instance, reviewable: str,
                                              language: str) -> None:
    context = browser.new_context(locale=language, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    open_followup(page, qalxan.url, reviewable)
    assert page.locator("form[action='/followup/review']").count() == 1
    assert _scroll_width(page) <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_staff_pages_fit_a_360_px_screen(browser: Any, qalxan: Instance,
                                         staff_state: dict[str, Any],
                                         reported: dict[str, str], alerted: dict[str, str],
                                         language: str) -> None:
    context = browser.new_context(storage_state=staff_state)
    page = context.new_page()
    page.goto(f"{qalxan.url}/cases")
    case = page.locator("table.queue tbody tr a").first.get_attribute("href")
    page.goto(f"{qalxan.url}{case}")
    profile = page.locator("#defender a[href^='/defenders/']").first.get_attribute("href")
    context.close()
    paths = ("/cases", "/cases?status=new&threat=doxing&assignee=me", str(case),
             "/account/password", "/dashboard", "/account/sessions", str(profile),
             "/alerts", f"/alerts/{alerted['alert']}", "/watchlist",
             f"/watchlist/{alerted['entry']}")
    assert not _too_wide(browser, qalxan.url, paths, language, staff_state)


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_admin_pages_fit_a_360_px_screen(browser: Any, qalxan: Instance,
                                         admin_state: dict[str, Any], alerted: dict[str, str],
                                         language: str) -> None:
    paths = ("/admin/users", "/audit", "/admin/organisations", "/admin/iocs", "/admin/retention",
             "/monitor/sources", "/watchlist", f"/watchlist/{alerted['entry']}?remove=confirm")
    assert not _too_wide(browser, qalxan.url, paths, language, admin_state)


SPLIT_WORDS = """() => {
  const split = [];
  for (const th of document.querySelectorAll("table th")) {
    const text = th.firstChild && th.firstChild.nodeType === 3 ? th.firstChild : null;
    if (!text) continue;
    for (const match of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_table_headers_break_between_words_at_1280_px(browser: Any, qalxan: Instance,
                                                      admin_state: dict[str, Any],
                                                      reported: dict[str, str],
                                                      alerted: dict[str, str],
                                                      language: str) -> None:
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900},
                                  storage_state=admin_state)
    page = context.new_page()
    split = {}
    for path in ("/cases", "/alerts?status=all", "/audit", "/admin/users"):
        page.goto(f"{qalxan.url}{path}")
        words = page.evaluate(SPLIT_WORDS)
        if words:
            split[path] = words
    context.close()
    assert split == {}
