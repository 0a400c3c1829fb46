"""The defender's review form on the follow-up page (no JavaScript): offered once the report is
resolved or closed, filled in again for a revision, refused before; the review on the case
page for staff."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.domain.enums import CaseStatus, Outcome
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import cases, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission, StatusChange
from qalxan.store.tables import Case, DefenderReview
from qalxan.web.app import create_app
from tests.conftest import Staff
from tests.web.test_ui_staff import sign_in

REVIEW = {"rating": "5", "timely": "yes", "need_met": "partly", "safer": "", "recommend": "yes",
          "comment": "Thank you, the account is mine again."}


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def reported(platform: Platform, intake_org: str) -> tuple[str, str]:
    receipt = platform.run(DEFENDER, intake.submit_report,
                           ReportSubmission(what_happened="My account was taken over."))
    with platform.sessions() as session:
        return receipt.receipt_code, str(session.execute(select(Case.id)).scalar_one())


def _close(platform: Platform, case_id: str) -> None:
    platform.run(SYSTEM, cases.change_status, case_id,
                 StatusChange(status=CaseStatus.CLOSED, outcome=Outcome.SUPPORTED))


def _reviews(platform: Platform) -> int:
    with platform.sessions() as session:
        return int(session.execute(select(func.count()).select_from(DefenderReview))
                   .scalar_one())


def _checked(html: str) -> set[str]:
    return set(re.findall(r'id="([a-z_]+-[a-z0-9]+)" name="[a-z_]+" value="[a-z0-9]*" checked',
                          html))


def test_no_review_form_before_the_report_is_resolved(
        client: TestClient, platform: Platform, reported: tuple[str, str]) -> None:
    code, _ = reported
    page = client.post("/followup", data={"receipt_code": code})
    assert page.status_code == 200 and 'action="/followup/review"' not in page.text
    early = client.post("/followup/review", data={"receipt_code": code, **REVIEW})
    assert early.status_code == 409
    assert "once your report is resolved or closed" in early.text
    assert _reviews(platform) == 0


def test_the_defender_reviews_a_closed_report_and_revises_it(
        client: TestClient, platform: Platform, reported: tuple[str, str]) -> None:
    code, case_id = reported
    _close(platform, case_id)
    page = client.post("/followup", data={"receipt_code": code})
    assert 'action="/followup/review"' in page.text and "<script" not in page.text
    assert _checked(page.text) == {"timely-none", "need_met-none", "safer-none",
                                   "recommend-none"}
    sent = client.post("/followup/review", data={"receipt_code": code, **REVIEW})
    assert sent.status_code == 200 and "Thank you for your review." in sent.text
    assert sent.headers["cache-control"] == "no-store"
    assert _checked(sent.text) == {"rating-5", "timely-yes", "need_met-partly", "safer-none",
                                   "recommend-yes"}
    assert REVIEW["comment"] in sent.text and "Change my review" in sent.text
    again = client.post("/followup/review", data={"receipt_code": code, "rating": "3"})
    assert again.status_code == 200 and _checked(again.text) >= {"rating-3", "timely-none"}
    assert REVIEW["comment"] not in again.text and _reviews(platform) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"rating": ""}, "Please choose a rating from 1 to 5."),
    ({"rating": "9"}, "Please choose a rating from 1 to 5."),
    ({"recommend": "partly"}, "Please choose one of the answers offered."),
    ({"comment": "x" * 5001}, "The comment may have at most 5000 characters."),
])
def test_a_wrong_answer_shows_the_form_again_and_stores_nothing(
        client: TestClient, platform: Platform, reported: tuple[str, str],
        change: dict[str, str], message: str) -> None:
    code, case_id = reported
    _close(platform, case_id)
    refused = client.post("/followup/review", data={"receipt_code": code, **REVIEW, **change})
    assert refused.status_code == 422 and message in refused.text
    assert 'aria-invalid="true"' in refused.text and _reviews(platform) == 0


def test_a_wrong_code_or_another_site_reviews_nothing(
        client: TestClient, platform: Platform, reported: tuple[str, str]) -> None:
    code, case_id = reported
    _close(platform, case_id)
    wrong = client.post("/followup/review",
                        data={"receipt_code": "00000-00000-00000-00000", **REVIEW})
    assert wrong.status_code == 404 and REVIEW["comment"] not in wrong.text
    cross = client.post("/followup/review", data={"receipt_code": code, **REVIEW},
                        headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403 and _reviews(platform) == 0


def test_the_review_form_is_translated_and_right_to_left_in_persian(
        client: TestClient, platform: Platform, reported: tuple[str, str]) -> None:
    code, case_id = reported
    _close(platform, case_id)
    page = client.post("/followup", data={"receipt_code": code},
                       headers={"Accept-Language": "fa"})
    assert 'dir="rtl"' in page.text and 'action="/followup/review"' in page.text
    assert "Overall, how would you rate" not in page.text


def test_staff_see_the_review_on_the_case_page_and_its_timeline(
        client: TestClient, platform: Platform, reported: tuple[str, str],
        handler: Staff) -> None:
    code, case_id = reported
    sign_in(client, handler)
    assert "No review yet." in client.get(f"/cases/{case_id}").text
    _close(platform, case_id)
    with TestClient(create_app(platform), base_url="http://testserver") as defender:
        defender.post("/followup/review", data={"receipt_code": code, **REVIEW})
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    review = page.text[page.text.index('id="review"'):page.text.index('id="timeline"')]
    assert "5 – very good" in review and REVIEW["comment"] in review
    assert "Partly" in review and "Not sure" not in review
    assert "review.submitted" in page.text[page.text.index('id="timeline"'):]
