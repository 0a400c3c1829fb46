"""The intake route: whose report it is, and a retry that loses a race to its twin."""

from __future__ import annotations

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
