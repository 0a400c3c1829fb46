"""The public intake API: receipts, idempotency, and refusals that change nothing."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qalxan.services.context import Platform
from qalxan.store.tables import Case, Evidence
from tests.conftest import Staff, TokenFactory, bearer

PROBLEM = "application/problem+json"


def cases_count(platform: Platform) -> int:
    with platform.sessions() as s:
        return int(s.execute(select(func.count()).select_from(Case)).scalar_one())


def test_json_report_gets_a_receipt(client: TestClient, intake_org: str) -> None:
    r = client.post("/api/v1/intake", json={"what_happened": "They posted my address",
                                            "threat_types": ["doxing"]})
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"case_reference", "receipt_code", "created_at"}


def test_multipart_report_with_file(client: TestClient, platform: Platform,
                                    intake_org: str) -> None:
    r = client.post("/api/v1/intake", data={"report": json.dumps({"what_happened": "x"})},
                    files={"files": ("a.txt", b"evidence text", "text/plain")})
    assert r.status_code == 201, r.text
    with platform.sessions() as s:
        assert s.execute(select(Evidence.media_type)).scalar_one() == "text/plain"


def test_retry_with_idempotency_key_is_not_duplicated(client: TestClient, platform: Platform,
                                                      intake_org: str) -> None:
    body = {"what_happened": "retry me"}
    first = client.post("/api/v1/intake", json=body, headers={"Idempotency-Key": "abc"})
    second = client.post("/api/v1/intake", json=body, headers={"Idempotency-Key": "abc"})
    assert first.json() == second.json()
    assert cases_count(platform) == 1
    clash = client.post("/api/v1/intake", json={"what_happened": "other"},
                        headers={"Idempotency-Key": "abc"})
    assert clash.status_code == 409 and clash.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(("body", "status", "slug"), [
    (b"{not json", 400, "malformed-json"),
    (b'{"what_happened": "x", "surprise": 1}', 422, "invalid-input"),
    (b'{"what_happened": ""}', 422, "invalid-input"),
    (b'{"what_happened": "x", "threat_types": ["bogus"]}', 422, "invalid-input"),
])
def test_bad_input_is_a_problem_document_and_changes_nothing(
        client: TestClient, platform: Platform, intake_org: str, body: bytes, status: int,
        slug: str) -> None:
    r = client.post("/api/v1/intake", content=body,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["type"] == f"urn:qalxan:problem:{slug}"
    assert problem["status"] == status and problem["detail"]
    assert cases_count(platform) == 0


def test_validation_errors_do_not_echo_the_report(client: TestClient, intake_org: str) -> None:
    r = client.post("/api/v1/intake", json={"what_happened": "SECRET-CANARY", "x": 1})
    assert "SECRET-CANARY" not in r.text


def test_oversize_upload_is_refused(client: TestClient, platform: Platform,
                                    intake_org: str) -> None:
    platform.settings.max_upload_bytes = 1000
    r = client.post("/api/v1/intake", data={"report": json.dumps({"what_happened": "x"})},
                    files={"files": ("a.txt", b"a" * 1001, "text/plain")})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    assert cases_count(platform) == 0


def test_disallowed_upload_is_refused(client: TestClient, platform: Platform,
                                      intake_org: str) -> None:
    r = client.post("/api/v1/intake", data={"report": json.dumps({"what_happened": "x"})},
                    files={"files": ("a.png", b"MZ\x90\x00" + bytes(100), "image/png")})
    assert r.status_code == 415
    assert cases_count(platform) == 0


def test_followup_by_receipt_in_body_not_url(client: TestClient, intake_org: str,
                                             handler: Staff, make_token: TokenFactory) -> None:
    receipt = client.post("/api/v1/intake", json={"what_happened": "x"}).json()
    token = make_token(handler)
    case_id = client.get("/api/v1/cases", headers=bearer(token)).json()["items"][0]["id"]
    client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "hello", "kind": "reply"},
                headers=bearer(token))
    r = client.post("/api/v1/followup/view", json={"receipt_code": receipt["receipt_code"]})
    assert r.status_code == 200
    assert [m["text"] for m in r.json()["messages"]] == ["hello"]
    wrong = client.post("/api/v1/followup/view", json={"receipt_code": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"})
    assert wrong.status_code == 404 and "hello" not in wrong.text


def test_openapi_document_is_served(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/intake" in doc["paths"]
    assert "ReportSubmission" in doc["components"]["schemas"]


def test_file_evidence_with_a_bad_label_is_refused(client: TestClient, platform: Platform,
                                                   intake_org: str, handler: Staff,
                                                   make_token: TokenFactory) -> None:
    client.post("/api/v1/intake", json={"what_happened": "x"})
    headers = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=headers).json()["items"][0]["id"]
    r = client.post(f"/api/v1/cases/{case_id}/evidence/files", headers=headers,
                    data={"tlp": "purple"}, files={"files": ("a.txt", b"x", "text/plain")})
    assert r.status_code == 422 and "tlp must be one of" in r.json()["detail"]
    ok = client.post(f"/api/v1/cases/{case_id}/evidence/files", headers=headers,
                     data={"tlp": "red"}, files={"files": ("a.txt", b"x", "text/plain")})
    assert ok.status_code == 201 and ok.json()[0]["tlp"] == "red"
