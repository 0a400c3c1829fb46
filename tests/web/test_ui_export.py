"""Exporting a case from its page: the ZIP bundle as an attachment under its own file name,
for oneself (internal notes if asked) or for an outside recipient (their clearance, the
defender's consent); refusals shown as messages on the case page, and the confirmation of
password and code first when the last sign-in is not recent."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security import two_factor
from qalxan.security.access import DEFENDER
from qalxan.services import cases, intake
from qalxan.services.context import REAUTH_MINUTES, Platform
from qalxan.services.schemas import NoteInput, ReportSubmission
from qalxan.store.tables import Case
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _case(platform: Platform, handler: Staff, consent: bool) -> Case:
    receipt = platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="They publish my address.", defender_name="Leyla Yunus",
        consent_to_share=consent))
    with platform.sessions() as session:
        case = session.execute(select(Case).where(
            Case.reference == receipt.case_reference)).scalars().first()
    assert case is not None
    platform.run(handler.actor, cases.add_note, case.id, NoteInput(text="staff only",
                                                                   kind="internal"))
    return case


def _bundle(data: bytes) -> tuple[dict[str, object], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        return manifest, bundle.read("case.json").decode()


def test_a_handler_downloads_the_export_for_themselves(
        client: TestClient, platform: Platform, handler: Staff) -> None:
    case = _case(platform, handler, consent=False)
    csrf = sign_in(client, handler)
    page = client.get(f"/cases/{case.id}").text
    assert f'action="/cases/{case.id}/export"' in page
    done = client.post(f"/cases/{case.id}/export", data={
        "csrf_token": csrf, "recipient": "self", "include_internal_notes": "yes",
        "purpose": "court hearing"})
    assert done.status_code == 200 and done.headers["content-type"] == "application/zip"
    name = f"qalxan-{case.reference}-TLP-AMBER.zip"
    assert done.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert done.headers["cache-control"] == "no-store"
    assert done.headers["x-content-sha256"] == hashlib.sha256(done.content).hexdigest()
    manifest, record = _bundle(done.content)
    assert manifest["recipient"] == "self" and manifest["purpose"] == "court hearing"
    assert "staff only" in record and "Leyla Yunus" not in record
    without = client.post(f"/cases/{case.id}/export", data={"csrf_token": csrf})
    assert "staff only" not in _bundle(without.content)[1]


def test_an_external_export_needs_consent_and_clearance(
        client: TestClient, platform: Platform, handler: Staff) -> None:
    refused_case = _case(platform, handler, consent=False)
    csrf = sign_in(client, handler)
    external = {"csrf_token": csrf, "recipient": "external", "recipient_clearance": "amber"}
    refused = client.post(f"/cases/{refused_case.id}/export", data=external,
                          follow_redirects=False)
    assert refused.headers["location"] == f"/cases/{refused_case.id}?export=consent#export"
    page = client.get(refused.headers["location"]).text
    assert "the defender has not agreed to share this case" in page
    agreed = _case(platform, handler, consent=True)
    low = client.post(f"/cases/{agreed.id}/export", follow_redirects=False,
                      data={**external, "recipient_clearance": "green"})
    assert low.headers["location"] == f"/cases/{agreed.id}?export=clearance#export"
    assert "above the recipient's clearance" in client.get(low.headers["location"]).text
    done = client.post(f"/cases/{agreed.id}/export", data=external)
    assert done.status_code == 200 and _bundle(done.content)[0]["recipient"] == "external"


@pytest.mark.parametrize(("form", "message"), [
    ({"recipient": "external"}, "choose the TLP label"),
    ({"recipient": "external", "recipient_clearance": "amber",
      "include_internal_notes": "yes"}, "internal notes never leave"),
    ({"recipient": "external", "recipient_clearance": "purple"}, "recipient_clearance"),
])
def test_an_export_form_that_cannot_be_right_is_refused(
        client: TestClient, platform: Platform, handler: Staff, form: dict[str, str],
        message: str) -> None:
    case = _case(platform, handler, consent=True)
    csrf = sign_in(client, handler)
    refused = client.post(f"/cases/{case.id}/export", data={**form, "csrf_token": csrf})
    assert refused.status_code == 422 and message in refused.text
    assert f'href="/cases/{case.id}"' in refused.text


def test_exporting_needs_a_recent_sign_in_then_works(
        client: TestClient, platform: Platform, handler: Staff) -> None:
    case = _case(platform, handler, consent=False)
    csrf = sign_in(client, handler)
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    asked = client.post(f"/cases/{case.id}/export", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/account/confirm?next=/cases/{case.id}"
    code = two_factor.current_code(handler.totp_secret, later.timestamp() + 30)
    confirmed = client.post("/account/confirm", follow_redirects=False, data={
        "csrf_token": csrf, "password": handler.password, "code": code,
        "next": f"/cases/{case.id}"})
    assert confirmed.headers["location"] == f"/cases/{case.id}"
    assert client.post(f"/cases/{case.id}/export",
                       data={"csrf_token": csrf}).status_code == 200


def test_exporting_needs_the_forms_csrf_token(client: TestClient, platform: Platform,
                                              handler: Staff) -> None:
    case = _case(platform, handler, consent=True)
    sign_in(client, handler)
    assert client.post(f"/cases/{case.id}/export", data={"recipient": "self"}).status_code == 403


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COORDINATOR, Role.MISSION_OBSERVER])
def test_roles_without_case_export_are_refused(
        client: TestClient, platform: Platform, handler: Staff, make_staff: StaffFactory,
        intake_org: str, role: Role) -> None:
    case = _case(platform, handler, consent=True)
    csrf = sign_in(client, make_staff(role, intake_org))
    refused = client.post(f"/cases/{case.id}/export", data={"csrf_token": csrf})
    assert refused.status_code == 403 and "PK" not in refused.text[:2]
    if role is Role.ANALYST:  # may read the case, but is offered no export
        assert 'id="export"' not in client.get(f"/cases/{case.id}").text


def test_another_organisations_case_is_not_found(
        client: TestClient, platform: Platform, handler: Staff, make_staff: StaffFactory,
        other_org: str) -> None:
    case = _case(platform, handler, consent=True)
    csrf = sign_in(client, make_staff(Role.ADMIN, other_org))
    assert client.post(f"/cases/{case.id}/export", data={"csrf_token": csrf}).status_code == 404
