"""A user of organisation A cannot read, list or guess organisation B's cases or evidence."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from qalxan.domain.enums import Role
from qalxan.errors import PermissionDenied
from qalxan.security.access import DEFENDER, Actor
from qalxan.services import intake, tokens
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission, TokenInput
from tests.conftest import StaffFactory, TokenFactory, bearer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def victim_case(platform: Platform, intake_org: str, client: TestClient,
                make_staff: StaffFactory, make_token: TokenFactory) -> dict[str, str]:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="secret"),
                 (intake.Upload("a.png", "image/png", PNG),))
    token = make_token(make_staff(Role.ADMIN, intake_org))
    case = client.get("/api/v1/cases", headers=bearer(token)).json()["items"][0]
    detail = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(token)).json()
    return {"case": case["id"], "evidence": detail["evidence"][0]["id"]}


@pytest.mark.parametrize("role", list(Role))
def test_other_organisation_sees_nothing(client: TestClient, other_org: str,
                                         make_staff: StaffFactory, make_token: TokenFactory,
                                         victim_case: dict[str, str], role: Role) -> None:
    staff = make_staff(role, other_org)
    if role is Role.MISSION_OBSERVER:
        headers = bearer(make_token(staff, ["aggregate:read"]))
    else:
        headers = bearer(make_token(staff))
    listing = client.get("/api/v1/cases", headers=headers)
    assert listing.status_code in (200, 403)
    if listing.status_code == 200:
        assert listing.json()["items"] == [] and listing.json()["total"] == 0
    case, evidence = victim_case["case"], victim_case["evidence"]
    attempts = [
        client.get(f"/api/v1/cases/{case}", headers=headers),
        client.get(f"/api/v1/evidence/{evidence}", headers=headers),
        client.get(f"/api/v1/evidence/{evidence}/content", headers=headers),
        client.post(f"/api/v1/cases/{case}/notes", json={"text": "x"}, headers=headers),
        client.post(f"/api/v1/cases/{case}/status", json={"status": "triage"}, headers=headers),
        client.delete(f"/api/v1/cases/{case}", headers=headers),
    ]
    for response in attempts:
        assert response.status_code in (403, 404), response.request.url
        assert "secret" not in response.text


def test_guessed_ids_look_like_missing_ones(client: TestClient, other_org: str,
                                            make_staff: StaffFactory, make_token: TokenFactory,
                                            victim_case: dict[str, str]) -> None:
    headers = bearer(make_token(make_staff(Role.CASE_HANDLER, other_org)))
    real = client.get(f"/api/v1/cases/{victim_case['case']}", headers=headers)
    fake = client.get("/api/v1/cases/00000000-0000-0000-0000-000000000000", headers=headers)
    assert real.status_code == fake.status_code == 404
    assert real.json()["detail"] == fake.json()["detail"]


def test_mission_observer_sees_no_case_even_in_own_org(
        client: TestClient, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, victim_case: dict[str, str]) -> None:
    observer = make_staff(Role.MISSION_OBSERVER, intake_org)
    headers = bearer(make_token(observer, ["aggregate:read"]))
    assert client.get("/api/v1/cases", headers=headers).status_code == 403
    assert client.get(f"/api/v1/cases/{victim_case['case']}", headers=headers).status_code == 403


def test_coordinator_sees_only_cases_shared_with_them(
        client: TestClient, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, victim_case: dict[str, str]) -> None:
    coordinator = make_staff(Role.COORDINATOR, intake_org)
    headers = bearer(make_token(coordinator))
    assert client.get("/api/v1/cases", headers=headers).json()["total"] == 0
    assert client.get(f"/api/v1/cases/{victim_case['case']}", headers=headers).status_code == 404


def test_token_scopes_limit_what_a_token_may_do(
        client: TestClient, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, victim_case: dict[str, str]) -> None:
    headers = bearer(make_token(make_staff(Role.CASE_HANDLER, intake_org), ["case:list"]))
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    r = client.get(f"/api/v1/cases/{victim_case['case']}", headers=headers)
    assert r.status_code == 403 and "case:read" in r.json()["detail"]


def test_revoked_token_is_refused_at_once(client: TestClient, platform: Platform,
                                          intake_org: str, make_staff: StaffFactory,
                                          make_token: TokenFactory) -> None:
    staff = make_staff(Role.CASE_HANDLER, intake_org)
    secret = make_token(staff)
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    token_id = platform.run(staff.actor, tokens.list_tokens)[0].id
    platform.run(staff.actor, tokens.revoke_token, token_id)
    r = client.get("/api/v1/cases", headers=bearer(secret))
    assert r.status_code == 401 and r.json()["type"] == "urn:qalxan:problem:not-authenticated"


def test_tokens_cannot_mint_tokens(client: TestClient, platform: Platform, intake_org: str,
                                   make_staff: StaffFactory, make_token: TokenFactory) -> None:
    secret = make_token(make_staff(Role.ADMIN, intake_org))
    r = client.post("/api/v1/tokens", json={"name": "x", "scopes": ["case:list"]},
                    headers=bearer(secret))
    assert r.status_code == 405  # the API offers no way to make a token at all
    staff = make_staff(Role.ADMIN, intake_org)
    token_actor = Actor(kind="token", user_id=staff.id, org_id=intake_org, role=Role.ADMIN,
                        token_id="t", scopes=frozenset({"token:manage"}))
    with pytest.raises(PermissionDenied, match="cannot create tokens"):
        platform.run(token_actor, tokens.create_token, TokenInput(name="x", scopes=["case:list"]))


def test_missing_token_is_401_problem(client: TestClient) -> None:
    r = client.get("/api/v1/cases")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


def test_sharing_with_another_organisation_needs_consent(
        client: TestClient, intake_org: str, other_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, victim_case: dict[str, str]) -> None:
    coordinator = make_staff(Role.COORDINATOR, other_org)
    admin = bearer(make_token(make_staff(Role.ADMIN, intake_org)))
    r = client.post(f"/api/v1/cases/{victim_case['case']}/access",
                    json={"user_id": coordinator.id}, headers=admin)
    assert r.status_code == 409 and r.json()["type"] == "urn:qalxan:problem:consent-missing"
    headers = bearer(make_token(coordinator))
    assert client.get(f"/api/v1/cases/{victim_case['case']}", headers=headers).status_code == 404


def test_shared_case_becomes_visible_to_a_coordinator(
        client: TestClient, intake_org: str, other_org: str, make_staff: StaffFactory,
        make_token: TokenFactory) -> None:
    client.post("/api/v1/intake", json={"what_happened": "x", "consent_to_share": True})
    coordinator = make_staff(Role.COORDINATOR, other_org)
    headers = bearer(make_token(coordinator))
    admin = bearer(make_token(make_staff(Role.ADMIN, intake_org)))
    case_id = client.get("/api/v1/cases", headers=admin).json()["items"][0]["id"]
    r = client.post(f"/api/v1/cases/{case_id}/access", json={"user_id": coordinator.id},
                    headers=admin)
    assert r.status_code == 204
    assert client.get("/api/v1/cases", headers=headers).json()["total"] == 1
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 200


def test_a_share_above_the_recipients_clearance_fails(
        client: TestClient, intake_org: str, other_org: str, make_staff: StaffFactory,
        make_token: TokenFactory) -> None:
    client.post("/api/v1/intake", json={"what_happened": "x", "consent_to_share": True})
    coordinator = make_staff(Role.COORDINATOR, other_org)
    admin = bearer(make_token(make_staff(Role.ADMIN, intake_org)))
    case_id = client.get("/api/v1/cases", headers=admin).json()["items"][0]["id"]
    client.patch(f"/api/v1/cases/{case_id}", json={"tlp": "red"}, headers=admin)
    r = client.post(f"/api/v1/cases/{case_id}/access", json={"user_id": coordinator.id},
                    headers=admin)
    assert r.status_code == 409
    assert r.json()["type"] == "urn:qalxan:problem:clearance-insufficient"
    assert "TLP:RED" in r.json()["detail"]
