"""Accessibility in a real browser: axe-core (from the npm registry, installed into
tests/browser/node_modules by scripts/test) finds no serious or critical violation on the
landing page, every step of the report questionnaire, the receipt, follow-up, sign-in,
queue, case, dashboard, users and audit log pages, in English and in Arabic.

The pages' Content-Security-Policy (``script-src 'self'``) rightly blocks an injected script,
so this test alone opens its pages with Playwright's ``bypass_csp``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AXE, open_followup, submit_report, unavailable
from tests.browser.instance import Instance

pytestmark = pytest.mark.browser

SEVERE = ("serious", "critical")
RUN_AXE = "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}" for v in found if v["impact"] in SEVERE]


@pytest.fixture(scope="module")
def axe_path() -> str:
    if not AXE.is_file():
        unavailable(f"axe-core is not installed at {AXE} (npm ci in tests/browser)")
    return str(AXE)


def _defender_pages(page: Any, url: str) -> dict[str, list[str]]:
    found = {}
    for path in ("/", "/followup"):
        page.goto(f"{url}{path}")
        found[path] = _violations(page)
    steps: list[list[str]] = []
    code = submit_report(page, url, "They threatened me.",
                         on_step=lambda step: steps.append(_violations(step)))
    found.update({f"report step {n}": v for n, v in enumerate(steps, start=1)})
    found["receipt"] = _violations(page)
    page.goto(f"{url}/followup")
    page.fill("#receipt_code", code)
    page.click("form.stack button[type=submit]")
    page.locator("ol.thread, form[action='/followup/add']").first.wait_for()
    found["follow-up thread"] = _violations(page)
    page.goto(f"{url}/login")
    found["/login"] = _violations(page)
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_defender_pages_have_no_serious_violations(browser: Any, qalxan: Instance,
                                                   axe_path: str, language: str) -> None:
    context = browser.new_context(bypass_csp=True, locale=language)
    found = _defender_pages(context.new_page(), qalxan.url)
    context.close()
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_review_form_has_no_serious_violations(browser: Any, qalxan: Instance,
                                                   axe_path: str, reviewable: str,
                                                   language: str) -> None:
    context = browser.new_context(bypass_csp=True, locale=language)
    page = context.new_page()
    open_followup(page, qalxan.url, reviewable)
    assert page.locator("form[action='/followup/review']").count() == 1
    found = _violations(page)
    context.close()
    assert not found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_staff_pages_have_no_serious_violations(browser: Any, qalxan: Instance, axe_path: str,
                                                staff_state: dict[str, Any],
                                                reported: dict[str, str],
                                                alerted: dict[str, str],
                                                language: str) -> None:
    context = browser.new_context(bypass_csp=True, locale=language, storage_state=staff_state)
    page = context.new_page()
    found = {}
    page.goto(f"{qalxan.url}/cases")
    found["queue"] = _violations(page)
    page.locator("table.queue tbody tr a").first.click()
    page.wait_for_url("**/cases/*")  # the case page itself, not the queue still unloading
    page.locator("#defender").wait_for()
    found["case"] = _violations(page)
    profile = page.locator("#defender a[href^='/defenders/']").first.get_attribute("href")
    page.goto(f"{qalxan.url}{profile}")
    found["defender profile"] = _violations(page)
    page.goto(f"{qalxan.url}/dashboard")
    found["dashboard"] = _violations(page)
    page.goto(f"{qalxan.url}/account/sessions")
    found["sessions"] = _violations(page)
    for path in ("/alerts", f"/alerts/{alerted['alert']}", "/watchlist",
                 f"/watchlist/{alerted['entry']}"):
        page.goto(f"{qalxan.url}{path}")
        found[path] = _violations(page)
    context.close()
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_admin_pages_have_no_serious_violations(browser: Any, qalxan: Instance, axe_path: str,
                                                admin_state: dict[str, Any],
                                                alerted: dict[str, str],
                                                language: str) -> None:
    context = browser.new_context(bypass_csp=True, locale=language, storage_state=admin_state)
    page = context.new_page()
    found = {}
    for path in ("/admin/users", "/audit", "/admin/organisations", "/admin/iocs",
                 "/admin/retention", "/monitor/sources", "/watchlist",
                 f"/watchlist/{alerted['entry']}?remove=confirm"):
        page.goto(f"{qalxan.url}{path}")
        found[path] = _violations(page)
    context.close()
    assert not {k: v for k, v in found.items() if v}
