"""Browser tests: headless Chromium from Debian's packages, driven by Playwright, against a
real ``qalxan serve``.

Without /usr/bin/chromium (or the ``playwright`` package, or axe-core for the accessibility
test) the tests skip and say why, unless QALXAN_REQUIRE_BROWSER=1 (as in CI), where they
fail. ``scripts/test`` installs all three.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.instance import Instance, StaffLogin, start

CHROMIUM = Path(os.environ.get("QALXAN_CHROMIUM", "/usr/bin/chromium"))
REQUIRE = os.environ.get("QALXAN_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 120_000
RECEIPT = re.compile(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){3}")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail where the browser tests are required."""
    if REQUIRE:
        pytest.fail(f"{reason} (QALXAN_REQUIRE_BROWSER=1; run scripts/test to install it)")
    pytest.skip(f"{reason}; scripts/test installs it")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        unavailable(f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    if importlib.util.find_spec("playwright") is None:
        unavailable("the Python package 'playwright' is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield PatientBrowser(chromium)
        chromium.close()


class PatientBrowser:
    """The browser, whose contexts wait longer than Playwright's 30 s default: on a shared
    machine under load a report (analysed as it arrives) can take a while."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context


@pytest.fixture(scope="session")
def qalxan(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    server = start(tmp_path_factory.mktemp("browser-instance"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page: Any, url: str, staff: StaffLogin) -> None:
    """Password, then the TOTP code, through the pages, as a person would."""
    page.goto(f"{url}/login")
    page.fill("#email", staff.email)
    page.fill("#password", staff.password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{url}/login/totp")
    page.fill("#code", staff.code())
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{url}/cases")


def _signed_in_state(browser: Any, url: str, staff: StaffLogin) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, staff)
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def staff_state(browser: Any, qalxan: Instance) -> dict[str, Any]:
    """A signed-in handler's cookies, reused by the page checks (a TOTP code works once)."""
    return _signed_in_state(browser, qalxan.url, qalxan.page_handler)


@pytest.fixture(scope="session")
def admin_state(browser: Any, qalxan: Instance) -> dict[str, Any]:
    """A signed-in admin's cookies, for the admin pages."""
    return _signed_in_state(browser, qalxan.url, qalxan.admin)


def next_step(page: Any, move: str = "next") -> None:
    with page.expect_navigation():
        page.click(f"button[name=go][value={move}]")


def submit_report(page: Any, url: str, text: str, *, threats: tuple[str, ...] = (),
                  urgency: str | None = None, who_affected: str | None = None,
                  country: str | None = None, consent: bool = False,
                  on_step: Callable[[Any], None] | None = None) -> str:
    """Answer the questionnaire step by step (threat types by their label as shown), attach
    a screenshot on the last step, send, and return the receipt code shown. ``on_step`` is
    called on each step's page before moving on."""
    check = on_step or (lambda _page: None)
    page.goto(f"{url}/report")
    page.fill("#what_happened", text)
    for label in threats:
        page.check(f"label:has-text('{label}')")
    if urgency:
        page.check(f"#urgency-{urgency}")
    if who_affected:
        page.fill("#who_affected", who_affected)
    check(page)
    next_step(page)
    check(page)
    next_step(page)
    if country:
        page.select_option("#country", country)
    if consent:
        page.check("#consent_to_share")
    check(page)
    next_step(page)
    page.set_input_files("#files", files=[{"name": "shot.png", "mimeType": "image/png",
                                           "buffer": PNG}])
    check(page)
    next_step(page, "send")
    code = page.text_content(".receipt code") or ""
    assert RECEIPT.fullmatch(code.strip()), code
    return code.strip()


@pytest.fixture(scope="session")
def reported(browser: Any, qalxan: Instance) -> dict[str, str]:
    """A report with findings (a threat and a home address) and its receipt, for page checks."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    code = submit_report(page, qalxan.url, "They posted my home address, Nizami street 12, "
                         "Baku, and wrote: I will kill you.")
    context.close()
    return {"receipt": code}


@pytest.fixture(scope="session")
def reviewable(browser: Any, qalxan: Instance) -> str:
    """The receipt of a closed case, whose follow-up page offers the review form."""
    context = browser.new_context(java_script_enabled=False)
    code = submit_report(context.new_page(), qalxan.url, "My account was taken over.")
    context.close()
    qalxan.close_case(code)
    return code


@pytest.fixture(scope="session")
def alerted(qalxan: Instance, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An alert about a watched defender (ids of the alert and the watch-list entry)."""
    return qalxan.raise_alert(tmp_path_factory.mktemp("monitored-posts"))


def open_followup(page: Any, url: str, code: str) -> None:
    page.goto(f"{url}/followup")
    page.fill("#receipt_code", code)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


PageFactory = Callable[..., Any]
