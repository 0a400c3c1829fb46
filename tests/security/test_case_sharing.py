"""Sharing a case with another organisation can end: the case's organisation revokes a grant
or records that the defender withdraws their consent (both audited, both shown to it on the
case page and in the API), every access checks the grant again (not revoked, consent still
given, the grantee's clearance still covering the case's TLP label), and TLP, restriction
and further sharing stay with the case's own organisation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import TLP, Role
from qalxan.errors import OwningOrganisationOnly
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import accounts, cases, exports, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseUpdate, ReportSubmission
from qalxan.store.tables import AuditEvent, Case, Consent, new_id
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory, TokenFactory, bearer
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def case_id(platform: Platform, intake_org: str) -> str:
    """A case whose defender agreed to share it with other organisations."""
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="They follow me home.", consent_to_share=True))
    with platform.sessions() as session:
        return str(session.execute(select(Case.id)).scalar_one())


@pytest.fixture
def partner(make_staff: StaffFactory, other_org: str) -> Staff:
    return make_staff(Role.COORDINATOR, other_org)


def _shared(platform: Platform, admin: Staff, case_id: str, *users: Staff) -> None:
    for user in users:
        platform.run(admin.actor, cases.grant_access, case_id, user.id)


def _sees(client: TestClient, headers: dict[str, str], case_id: str) -> bool:
    found = client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 200
    listed = client.get("/api/v1/cases", headers=headers).json()["total"] == 1
    assert found == listed  # the queue and the case file apply one rule
    return found


def _events(platform: Platform, action: str) -> list[dict[str, Any]]:
    with platform.sessions() as session:
        rows = session.execute(select(AuditEvent).where(AuditEvent.action == action)
                               .order_by(AuditEvent.seq)).scalars()
        return [{"org_id": e.org_id, "actor": e.actor, **e.details} for e in rows]


def test_a_revoked_grant_ends_a_partners_access_at_once(
        client: TestClient, platform: Platform, admin: Staff, partner: Staff,
        make_token: TokenFactory, intake_org: str, case_id: str) -> None:
    """Review finding 15: a grant to another organisation was permanent."""
    _shared(platform, admin, case_id, partner)
    theirs, ours = bearer(make_token(partner)), bearer(make_token(admin))
    assert _sees(client, theirs, case_id)
    assert client.get(f"/api/v1/cases/{case_id}", headers=theirs).json()["grants"] == []

    revoked = client.post(f"/api/v1/cases/{case_id}/access/revoke",
                          json={"user_id": partner.id}, headers=ours)
    assert revoked.status_code == 204
    assert not _sees(client, theirs, case_id)
    detail = client.get(f"/api/v1/cases/{case_id}", headers=ours).json()
    (grant,) = detail["grants"]
    assert grant["user_id"] == partner.id and grant["state"] == "revoked"
    assert grant["ended_by"].startswith("token:") and grant["org_name"] == "Fund B"
    assert datetime.fromisoformat(grant["ended_at"]).tzinfo is not None
    assert datetime.fromisoformat(grant["granted_at"]).tzinfo is not None
    assert detail["access"] == []
    assert [e["user"] for e in _events(platform, "case.access_revoked")] == [partner.id]
    assert _events(platform, "case.access_revoked")[0]["org_id"] == intake_org
    assert any(t["kind"] == "case.access_revoked" for t in detail["timeline"])

    sign_in(client, admin)
    page = client.get(f"/cases/{case_id}").text
    assert 'id="sharing"' in page and "Revoked" in page and "(Fund B)" in page
    assert 'action="/cases/' + case_id + '/access/revoke"' not in page  # nothing to revoke
    again = client.post(f"/api/v1/cases/{case_id}/access", json={"user_id": partner.id},
                        headers=ours)
    assert again.status_code == 204 and _sees(client, theirs, case_id)  # granted anew


def test_withdrawing_consent_ends_the_partner_grants_that_depend_on_it(
        client: TestClient, platform: Platform, admin: Staff, partner: Staff,
        make_staff: StaffFactory, make_token: TokenFactory, intake_org: str,
        case_id: str) -> None:
    """Review finding 15: consent could not be withdrawn, and grants outlived it."""
    colleague = make_staff(Role.COORDINATOR, intake_org)  # no consent needed in-house
    _shared(platform, admin, case_id, partner, colleague)
    theirs, colleagues = bearer(make_token(partner)), bearer(make_token(colleague))
    csrf = sign_in(client, admin)
    page = client.get(f"/cases/{case_id}").text
    assert 'action="/cases/' + case_id + '/consent/withdraw"' in page
    assert 'action="/cases/' + case_id + '/access/revoke"' in page

    done = client.post(f"/cases/{case_id}/consent/withdraw", data={"csrf_token": csrf},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#sharing")
    assert not _sees(client, theirs, case_id) and _sees(client, colleagues, case_id)
    detail = platform.run(admin.actor, cases.get_case, case_id)
    states = {g.user_id: g.state for g in detail.grants}
    assert states == {partner.id: "consent_withdrawn", colleague.id: "active"}
    (consent,) = detail.consents
    assert consent["granted"] and consent["withdrawn_at"] is not None
    assert consent["withdrawn_by"] == f"user:{admin.id}" and not detail.consent_to_share
    assert [e["user"] for e in _events(platform, "case.access_revoked")] == [partner.id]
    assert _events(platform, "consent.withdrawn")[0]["org_id"] == intake_org
    page = client.get(f"/cases/{case_id}").text
    assert "withdrawn" in page and "Ended: consent withdrawn" in page
    assert "/consent/withdraw" not in page  # nothing left to withdraw
    refused = client.post(f"/api/v1/cases/{case_id}/access", json={"user_id": partner.id},
                          headers=bearer(make_token(admin)))
    assert refused.status_code == 409 and refused.json()["type"].endswith("consent-missing")


def test_a_grant_is_checked_again_on_every_access(
        client: TestClient, platform: Platform, admin: Staff, partner: Staff,
        make_token: TokenFactory, case_id: str) -> None:
    """Review finding 15: a grant was checked against TLP, clearance and consent only when
    it was given."""
    _shared(platform, admin, case_id, partner)
    theirs = bearer(make_token(partner))
    assert _sees(client, theirs, case_id)

    platform.run(admin.actor, cases.update_case, case_id, CaseUpdate(tlp=TLP.RED))
    assert not _sees(client, theirs, case_id)  # above the partner's clearance (amber)
    grants = platform.run(admin.actor, cases.get_case, case_id).grants
    assert [g.state for g in grants] == ["clearance"]
    platform.run(admin.actor, cases.update_case, case_id, CaseUpdate(tlp=TLP.AMBER))
    assert _sees(client, theirs, case_id)

    platform.run(SYSTEM, accounts.change_clearance, partner.id, TLP.GREEN)
    assert not _sees(client, theirs, case_id)
    platform.run(SYSTEM, accounts.change_clearance, partner.id, TLP.AMBER)
    assert _sees(client, theirs, case_id)

    with platform.sessions() as session, session.begin():  # a later answer: no
        session.add(Consent(id=new_id(), case_id=case_id, scope="share_with_organisations",
                            granted=False, source="followup", recorded_at=platform.clock()))
    assert not _sees(client, theirs, case_id)
    assert [g.state for g in platform.run(admin.actor, cases.get_case, case_id).grants] \
        == ["consent"]


def test_only_the_owning_organisation_changes_tlp_restriction_or_sharing(
        client: TestClient, platform: Platform, admin: Staff, make_staff: StaffFactory,
        make_token: TokenFactory, other_org: str, intake_org: str, case_id: str) -> None:
    """Review finding 15: a partner's handler holding a grant could lower the TLP label,
    lift the restriction and share the case on."""
    handler = make_staff(Role.CASE_HANDLER, other_org)
    third = make_staff(Role.COORDINATOR, other_org)
    _shared(platform, admin, case_id, handler)
    theirs = bearer(make_token(handler))
    attempts = [
        client.patch(f"/api/v1/cases/{case_id}", json={"tlp": "clear"}, headers=theirs),
        client.patch(f"/api/v1/cases/{case_id}", json={"restricted": True}, headers=theirs),
        client.post(f"/api/v1/cases/{case_id}/access", json={"user_id": third.id},
                    headers=theirs),
        client.post(f"/api/v1/cases/{case_id}/access/revoke", json={"user_id": handler.id},
                    headers=theirs),
        client.post(f"/api/v1/cases/{case_id}/consent/withdraw", headers=theirs),
    ]
    for response in attempts:
        assert response.status_code == 403, response.request.url
        assert response.json()["type"] == "urn:qalxan:problem:owning-organisation-only"
    refused = _events(platform, "case.owner_only_refused")
    assert [e["attempted"] for e in refused] == ["tlp", "restricted", "grant_access",
                                                 "revoke_access", "withdraw_consent"]
    assert {e["org_id"] for e in refused} == {intake_org}
    assert {e["actor"].split(":")[0] for e in refused} == {"token"}
    detail = platform.run(admin.actor, cases.get_case, case_id)
    assert detail.summary.tlp == "amber" and detail.access == [handler.id]
    assert detail.consent_to_share
    assert not _sees(client, bearer(make_token(third)), case_id)
    with pytest.raises(OwningOrganisationOnly):  # nor passing it on in an export
        platform.run(handler.actor, exports.export_case, case_id, exports.ExportRequest(
            recipient="external", recipient_clearance=TLP.RED))
    sign_in(client, handler)
    page = client.get(f"/cases/{case_id}").text
    assert 'id="sharing"' not in page and "/consent/withdraw" not in page
    note = client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "seen"}, headers=theirs)
    assert note.status_code == 201  # the partner still works on the case
    assert platform.run(admin.actor, cases.get_case, case_id).summary.urgency == "medium"


def test_a_partner_admin_holding_a_grant_cannot_delete_the_case(
        client: TestClient, platform: Platform, admin: Staff, make_staff: StaffFactory,
        intake_org: str, other_org: str, case_id: str) -> None:
    """Review finding 15: a grant lets a partner work on a case, not destroy it."""
    partner_admin = make_staff(Role.ADMIN, other_org)
    _shared(platform, admin, case_id, partner_admin)
    with pytest.raises(OwningOrganisationOnly):
        platform.run(partner_admin.actor, cases.delete_case, case_id)
    assert platform.run(admin.actor, cases.get_case, case_id).summary.id == case_id
    (event,) = _events(platform, "case.owner_only_refused")
    assert event["attempted"] == "delete" and event["org_id"] == intake_org
