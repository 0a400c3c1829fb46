"""The defender's pages: intake by form with files, the receipt shown once, follow-up by code.

Run on SQLite and PostgreSQL through the ``platform`` fixture, with JavaScript-free HTML forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.domain.enums import MessageKind
from qalxan.services import cases
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseFilter, NoteInput
from qalxan.store.tables import Case, Evidence
from qalxan.web.app import create_app
from tests.conftest import Staff

RECEIPT = re.compile(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){3}")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
REPORT = {
    "what_happened": "They posted my home address and threatened to come and hurt me.",
    "threat_types": ["doxing", "harassment.threat"],
    "started_on": "2025-03-01",
    "who_affected": "me and my family",
    "urgency": "high",
    "contact_channel": "signal",
    "contact_address": "+994 50 000 00 00",
    "consent_to_share": "yes",
    "country": "AZ",
    "links": "https://example.org/post/1\nhttps://example.org/post/2",
}


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _count(platform: Platform, table: type[Case] | type[Evidence]) -> int:
    with platform.sessions() as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _report(client: TestClient, **headers: str) -> str:
    response = client.post("/report", data=REPORT, headers=headers,
                           files=[("files", ("shot.png", PNG, "image/png"))])
    assert response.status_code == 200, response.text
    found = RECEIPT.search(response.text)
    assert found is not None
    return found.group(0)


def test_landing_links_to_report_and_followup(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/report"' in page.text and 'href="/followup"' in page.text


def test_every_page_has_our_own_favicon(client: TestClient) -> None:
    page = client.get("/")
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_report_by_form_with_a_file_gives_a_receipt(client: TestClient,
                                                    platform: Platform) -> None:
    response = client.post("/report", data=REPORT,
                           files=[("files", ("shot.png", PNG, "image/png"))])
    assert response.status_code == 200
    code = RECEIPT.search(response.text)
    assert code is not None
    assert response.headers["cache-control"] == "no-store"
    assert str(response.url).endswith("/report") and code.group(0) not in str(response.url)
    assert not response.history  # rendered in answer to the post, no redirect carrying it
    assert _count(platform, Case) == 1
    assert _count(platform, Evidence) == 3  # two links and the file


def test_invalid_report_is_shown_again_with_messages_and_nothing_is_stored(
        client: TestClient, platform: Platform) -> None:
    data = {**REPORT, "what_happened": "", "country": "Azerbaijan", "started_on": "soon"}
    response = client.post("/report", data=data)
    assert response.status_code == 422
    assert "Please describe what happened." in response.text
    assert 'aria-invalid="true"' in response.text
    assert "me and my family" in response.text  # the entered values are kept
    assert _count(platform, Case) == 0


def test_a_disallowed_file_is_refused_with_the_form_kept_and_nothing_stored(
        client: TestClient, platform: Platform) -> None:
    response = client.post("/report", data=REPORT,
                           files=[("files", ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 60,
                                             "application/octet-stream"))])
    assert response.status_code == 415
    assert "This file type is not accepted, so nothing was sent." in response.text
    assert "me and my family" in response.text
    assert RECEIPT.search(response.text) is None
    assert _count(platform, Case) == 0 and _count(platform, Evidence) == 0


def test_a_report_posted_from_another_site_is_refused(client: TestClient,
                                                      platform: Platform) -> None:
    foreign = client.post("/report", data=REPORT, headers={"Origin": "https://evil.example"})
    cross = client.post("/report", data=REPORT, headers={"Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 403 and cross.status_code == 403
    assert _count(platform, Case) == 0
    same = client.post("/report", data=REPORT, headers={"Origin": "http://testserver",
                                                        "Sec-Fetch-Site": "same-origin"})
    opaque = client.post("/report", data=REPORT, headers={"Origin": "null"})
    assert same.status_code == 200 and opaque.status_code == 200


def test_followup_with_the_code_shows_a_handler_reply(client: TestClient, platform: Platform,
                                                      handler: Staff) -> None:
    code = _report(client)
    queue = platform.run(handler.actor, cases.list_cases, CaseFilter())
    case_id = queue.items[0].id
    platform.run(handler.actor, cases.add_note, case_id,
                 NoteInput(text="We are on it: stay off that account.", kind=MessageKind.REPLY))
    platform.run(handler.actor, cases.add_note, case_id,
                 NoteInput(text="internal: check the IP range", kind=MessageKind.INTERNAL))
    assert "receipt_code" not in str(client.get("/followup").url)
    page = client.post("/followup", data={"receipt_code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    assert "We are on it: stay off that account." in page.text
    assert "check the IP range" not in page.text
    assert page.headers["cache-control"] == "no-store"


def test_defender_adds_information_with_a_file(client: TestClient, platform: Platform) -> None:
    code = _report(client)
    before = _count(platform, Evidence)
    added = client.post("/followup/add", data={"receipt_code": code, "text": "They wrote again.",
                                               "links": "https://example.org/post/3"},
                        files=[("files", ("again.png", PNG, "image/png"))])
    assert added.status_code == 200
    assert "They wrote again." in added.text
    assert _count(platform, Evidence) == before + 2


def test_a_wrong_code_reveals_nothing(client: TestClient) -> None:
    _report(client)
    wrong = client.post("/followup", data={"receipt_code": "00000-00000-00000-00000"})
    malformed = client.post("/followup", data={"receipt_code": "not a code"})
    added = client.post("/followup/add", data={"receipt_code": "00000-00000-00000-00000",
                                               "text": "hello"})
    assert wrong.status_code == malformed.status_code == added.status_code == 404
    assert _message(wrong.text) == _message(malformed.text) == _message(added.text)


def _message(html: str) -> str:
    found = re.search(r'<p class="problem" role="alert">(.*?)</p>', html)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("path", ["/", "/report", "/followup", "/login"])
def test_public_pages_have_no_script_and_no_inline_style(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert "<script" not in page.text.lower() and "style=" not in page.text.lower()
    assert "<label" in page.text or path == "/"


def _step(html: str) -> int:
    found = re.search(r'name="step" value="(\d)"', html)
    assert found is not None
    return int(found.group(1))


def test_the_questionnaire_goes_step_by_step_and_carries_the_answers(
        client: TestClient, platform: Platform, handler: Staff) -> None:
    first = client.get("/report")
    assert _step(first.text) == 1 and 'name="files"' not in first.text
    answers = {"what_happened": REPORT["what_happened"], "threat_types": ["doxing"],
               "who_affected": "me and my family"}
    page = client.post("/report", data={**answers, "step": "1", "go": "next"})
    assert _step(page.text) == 2 and 'type="hidden" name="threat_types" value="doxing"' in page.text
    carried = {"what_happened": answers["what_happened"], "threat_types": ["doxing"],
               "who_affected": "me and my family", "urgency": "medium"}
    page = client.post("/report", data={**carried, "step": "2", "go": "next",
                                        "support_wanted": "advice"})
    assert _step(page.text) == 3 and 'name="country"' in page.text
    back = client.post("/report", data={**carried, "step": "3", "go": "back",
                                        "support_wanted": "advice"})
    assert _step(back.text) == 2 and ">advice</textarea>" in back.text
    page = client.post("/report", data={**carried, "support_wanted": "advice", "step": "3",
                                        "go": "next", "country": "AZ",
                                        "consent_to_share": "yes"})
    assert _step(page.text) == 4 and 'name="files"' in page.text
    sent = client.post("/report", data={**carried, "support_wanted": "advice", "country": "AZ",
                                        "consent_to_share": "yes", "step": "4", "go": "send",
                                        "links": "https://example.org/post/1"},
                       files=[("files", ("shot.png", PNG, "image/png"))])
    assert sent.status_code == 200 and RECEIPT.search(sent.text)
    case = platform.run(handler.actor, cases.list_cases, CaseFilter()).items[0]
    assert case.country == "AZ" and "doxing" in case.tags
    assert _count(platform, Evidence) == 2


def test_a_step_with_a_wrong_answer_is_shown_again(client: TestClient,
                                                   platform: Platform) -> None:
    empty = client.post("/report", data={"step": "1", "go": "next"})
    assert empty.status_code == 422 and _step(empty.text) == 1
    assert "Please describe what happened." in empty.text
    country = client.post("/report", data={"what_happened": "x", "step": "3", "go": "next",
                                           "country": "Atlantis"})
    assert country.status_code == 422 and _step(country.text) == 3
    later = client.post("/report", data={"what_happened": "x", "step": "1", "go": "next",
                                         "country": "Atlantis"})  # checked when its step comes
    assert later.status_code == 200 and _step(later.text) == 2
    assert _count(platform, Case) == 0


def test_a_post_over_the_body_limit_gets_a_translated_page(platform: Platform,
                                                           intake_org: str) -> None:
    platform.settings.max_upload_bytes = 1000  # limit: 2 x 1000 bytes + 1 MiB of form fields
    with TestClient(create_app(platform), base_url="http://testserver") as small:
        big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 4096)
        page = small.post("/report", data={"what_happened": "x"}, headers={
            "Accept-Language": "ru"}, files=[("files", ("big.png", big, "image/png"))])
        assert page.status_code == 413 and "text/html" in page.headers["content-type"]
        assert "Файл слишком большой" in page.text and "requests may have" not in page.text
        api = small.post("/api/v1/intake", content=big,
                         headers={"content-type": "application/json"})
        assert api.status_code == 413
        assert api.headers["content-type"].startswith("application/problem+json")
    assert _count(platform, Case) == 0
