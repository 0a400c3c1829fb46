"""The intake route: whose report it is, and a retry that loses a race to its twin."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select

from qalxan.domain.enums import Role
from qalxan.security.access import DEFENDER
from qalxan.services import intake
from qalxan.services.context import Platform
from qalxan.services.schemas import Receipt, ReportSubmission
from qalxan.store.tables import Case
from tests.conftest import StaffFactory, TokenFactory, bearer

PROBLEM = "application/problem+json"


def cases_of(platform: Platform, org_id: str) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(Case)
                             .where(Case.org_id == org_id)).scalar_one())


def test_an_integrators_token_files_the_report_for_its_organisation(
        client: TestClient, platform: Platform, intake_org: str, other_org: str,
        make_staff: StaffFactory, make_token: TokenFactory) -> None:
    token = make_token(make_staff(Role.ADMIN, other_org), ["intake:submit"])
    r = client.post("/api/v1/intake", json={"what_happened": "forwarded by a partner"},
                    headers=bearer(token))
    assert r.status_code == 201 and r.headers["content-type"] == "application/json"
    assert set(r.json()) == {"case_reference", "receipt_code", "created_at"}
    assert (cases_of(platform, other_org), cases_of(platform, intake_org)) == (1, 0)


def test_a_wrong_token_is_refused_and_stores_nothing(client: TestClient, platform: Platform,
                                                     intake_org: str) -> None:
    r = client.post("/api/v1/intake", json={"what_happened": "x"},
                    headers=bearer("not-a-token"))
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert cases_of(platform, intake_org) == 0


def test_a_retry_that_loses_the_race_to_its_twin_gets_the_twins_receipt(
        client: TestClient, platform: Platform, intake_org: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"what_happened": "sent twice at once"}
    real_already_used = intake._already_used
    raced_once: list[bool] = []
    twin: list[Receipt] = []

    def raced(connection: Connection, key_digest: str) -> bool:
        if raced_once:  # the twin's own read, and this request's second try
            return real_already_used(connection, key_digest)
        raced_once.append(True)
        # the twin commits between this request's read of the key and its write
        twin.append(platform.run(DEFENDER, intake.submit_report,
                                 ReportSubmission.model_validate(body), (), "race-1"))
        return False

    monkeypatch.setattr(intake, "_already_used", raced)
    r = client.post("/api/v1/intake", json=body, headers={"Idempotency-Key": "race-1"})
    assert r.status_code == 201, r.text
    assert Receipt.model_validate(r.json()) == twin[0]
    assert cases_of(platform, intake_org) == 1


REPORT = b'{"what_happened": "filed by a page on another site"}'


@pytest.mark.parametrize("headers", [
    {"Content-Type": "text/plain"}, {"Content-Type": "text/plain;charset=UTF-8"},
    {"Content-Type": "application/x-www-form-urlencoded"}, {},
], ids=["text-plain", "text-plain-charset", "form", "no-content-type"])
def test_intake_refuses_a_body_any_website_could_send_as_json(
        client: TestClient, platform: Platform, intake_org: str,
        headers: dict[str, str]) -> None:
    """Review finding 19b: a plain-text (or untyped) body that holds JSON, which any web page
    can make its visitors' browsers post, is refused with a 415 problem document."""
    r = client.post("/api/v1/intake", content=REPORT, headers=headers)
    assert r.status_code == 415 and r.headers["content-type"] == PROBLEM
    assert r.json()["type"] == "urn:qalxan:problem:unsupported-content-type"
    assert "application/json" in r.json()["detail"]
    assert cases_of(platform, intake_org) == 0


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://attacker.example"}, {"Referer": "https://attacker.example/page"},
], ids=["fetch-cross-site", "fetch-same-site", "foreign-origin", "foreign-referer"])
def test_intake_refuses_a_post_the_browser_marks_as_cross_site(
        client: TestClient, platform: Platform, intake_org: str,
        headers: dict[str, str]) -> None:
    """Review finding 19b: the fetch-metadata check of /report applies to the API's intake
    too, for JSON and multipart posts alike; clients that are not browsers still file."""
    r = client.post("/api/v1/intake", content=REPORT,
                    headers={"Content-Type": "application/json", **headers})
    assert r.status_code == 403 and r.headers["content-type"] == PROBLEM
    multipart = client.post("/api/v1/intake", headers=headers,
                            data={"report": REPORT.decode()})
    assert multipart.status_code == 403
    assert cases_of(platform, intake_org) == 0
    same = client.post("/api/v1/intake", content=REPORT, headers={
        "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin"})
    script = client.post("/api/v1/intake", content=REPORT,
                         headers={"Content-Type": "application/json; charset=utf-8"})
    assert (same.status_code, script.status_code) == (201, 201)


def test_other_json_api_routes_refuse_untyped_bodies_and_cross_site_posts(
        client: TestClient, platform: Platform, intake_org: str,
        make_staff: StaffFactory, make_token: TokenFactory) -> None:
    """Review finding 19b: the follow-up and staff JSON routes take JSON only and refuse
    a post from another site's page in the same way."""
    receipt = client.post("/api/v1/intake", json={"what_happened": "x"}).json()
    body = json.dumps({"receipt_code": receipt["receipt_code"], "text": "more"}).encode()
    followup = client.post("/api/v1/followup/messages", content=body,
                           headers={"Content-Type": "text/plain"})
    assert followup.status_code == 415 and followup.headers["content-type"] == PROBLEM
    crossed = client.post("/api/v1/followup/messages", content=body, headers={
        "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"})
    assert crossed.status_code == 403
    headers = bearer(make_token(make_staff(Role.CASE_HANDLER, intake_org)))
    case_id = client.get("/api/v1/cases", headers=headers).json()["items"][0]["id"]
    evidence = client.post(f"/api/v1/cases/{case_id}/evidence",
                           content=b'{"kind": "text", "content": "x"}',
                           headers={**headers, "Content-Type": "text/plain"})
    assert evidence.status_code == 415
    files = client.post(f"/api/v1/cases/{case_id}/evidence/files", headers=headers,
                        files={"files": ("a.txt", b"text", "text/plain")})
    assert files.status_code == 201
    sent = client.post("/api/v1/followup/messages", content=body,
                       headers={"Content-Type": "application/json"})
    assert sent.status_code == 204
