"""htmx on the case page: with JavaScript, a status change replaces only the sections it
changes, without loading the page again; without JavaScript the same form posts and the page
loads again, with the same result."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.instance import Instance

pytestmark = pytest.mark.browser


def _open_case(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/cases")
    page.locator("table.queue tbody tr a").first.click()
    page.wait_for_selector("#status")
    return page


def test_a_status_change_with_javascript_does_not_reload_the_page(
        browser: Any, qalxan: Instance, staff_state: dict[str, Any],
        reported: dict[str, str]) -> None:
    context = browser.new_context(storage_state=staff_state)
    page = _open_case(context, qalxan.url)
    address = page.url
    page.evaluate("window.notReloaded = true")
    page.fill("#assignee", "me")
    page.click("form[action$='/assignment'] button[type=submit]")
    page.locator("#case-facts").get_by_text("Me", exact=True).wait_for()
    assert page.evaluate("window.notReloaded === true") and page.url == address
    assert "case.assigned" in (page.text_content("#timeline") or "")  # swapped out of band
    context.close()


def test_the_same_form_works_without_javascript(browser: Any, qalxan: Instance,
                                               staff_state: dict[str, Any],
                                               reported: dict[str, str]) -> None:
    context = browser.new_context(storage_state=staff_state, java_script_enabled=False)
    page = _open_case(context, qalxan.url)
    before = page.text_content("#timeline") or ""
    page.fill("#note-text", "Checked the links; nothing opened from the defender's device.")
    page.click("#notes form button[type=submit]")
    page.wait_for_url("**#notes")
    assert "Checked the links" in (page.text_content("#notes") or "")
    assert page.text_content("#timeline") != before
    context.close()
