"""End to end in a real browser: a defender with JavaScript disabled reports in Russian with
a file and gets a receipt; a case handler signs in with TOTP, finds the case at the top of
the queue with its findings and replies; the defender reads the reply with the receipt.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import sign_in, submit_report
from tests.browser.instance import Instance, start

pytestmark = pytest.mark.browser

THREAT = ("Они опубликовали мой домашний адрес: ул. Низами 12, Баку, и мой телефон "
          "+994 50 123 45 67. Написали: «Мы тебя убьём».")
REPLY = "Мы получили ваше сообщение. Не заходите в этот аккаунт; мы позвоним через Signal."


@pytest.fixture
def fresh(browser: Any, tmp_path: Path) -> Iterator[Instance]:
    """An instance of this test alone, with two milder reports already in the queue."""
    server = start(tmp_path)
    for text in ("Someone keeps insulting my posts.", "My page was blocked for a day."):
        sent = httpx.post(f"{server.url}/report", data={"what_happened": text}, timeout=60)
        assert sent.status_code == 200  # the first report also loads the analysis models
    yield server
    server.stop()


def _defender_reports(page: Any, url: str) -> str:
    page.goto(f"{url}/")
    assert page.get_attribute("html", "lang") == "ru"
    page.click("text=Сообщить о том, что произошло")
    assert page.text_content("p.steps") == "Шаг 1 из 4"
    code = submit_report(page, url, THREAT, threats=("Угроза насилием", "Доксинг"),
                         urgency="high", who_affected="я и моя семья", country="AZ",
                         consent=True)
    assert page.text_content("h1") == "Ваше обращение получено"
    return code


def _handler_replies(page: Any, instance: Instance) -> None:
    sign_in(page, instance.url, instance.journey_handler)
    top = page.locator("table.queue tbody tr").first
    assert page.locator("table.queue tbody tr").count() == 3
    assert "physical risk" in (top.text_content() or "") and "AZ" in (top.text_content() or "")
    top.locator("a").first.click()
    findings = page.text_content("#findings") or ""
    assert "harassment.threat" in findings and "doxing" in findings
    assert "given" in (page.text_content("#defender") or "")  # the consent to share
    assert page.locator("#incidents mark").count() >= 1  # the triggering words
    assert page.locator("#evidence a[href$='/download']").count() == 1  # the file
    page.fill("#note-text", REPLY)
    page.check("#note-reply")
    page.click("#notes form button[type=submit]")  # sent by htmx: the section is replaced
    page.locator("#notes ol.thread").get_by_text(REPLY).wait_for()


def test_defender_without_javascript_reports_and_reads_the_handlers_reply(
        browser: Any, fresh: Instance) -> None:
    defender = browser.new_context(java_script_enabled=False, locale="ru-RU")
    code = _defender_reports(defender.new_page(), fresh.url)

    handler = browser.new_context(locale="en-GB")
    _handler_replies(handler.new_page(), fresh)
    handler.close()

    page = defender.new_page()
    page.goto(f"{fresh.url}/followup")
    page.fill("#receipt_code", code)
    page.click("form.stack button[type=submit]")
    assert page.text_content("h1") == "Ваше обращение"
    thread = page.text_content("ol.thread") or ""
    assert REPLY in thread and "Ответ службы поддержки" in thread
    defender.close()
