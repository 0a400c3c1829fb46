"""The defender's profile for staff: pseudonym, kind, country, the cases of this defender the
viewer may see, threat types across them, consent; name and contact details only for the
roles that answer defenders; linked from the case page; each read audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from qalxan.domain.enums import Role
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import cases, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import CaseUpdate, ReportSubmission
from qalxan.store.tables import AuditEvent, Case
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.test_ui_staff import sign_in

NAME = "Leyla Mammadova"
ADDRESS = "leyla@example.org"


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def two_cases(platform: Platform, intake_org: str) -> tuple[str, list[str]]:
    """One defender with two cases (the second report linked to the first defender, as an
    escalated alert would be) and an unrelated third case."""
    references = [platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened=text, threat_types=[threat, "harassment"], country="AZ",
        defender_name=NAME, contact_channel="email", contact_address=ADDRESS,
        consent_to_share=threat == "doxing")).case_reference
        for text, threat in (("They doxed me", "doxing"), ("A smear campaign", "smear"),
                             ("Someone else", "phishing"))]
    with platform.sessions() as session, session.begin():
        found = {ref: (case_id, defender_id, org_id) for ref, case_id, defender_id, org_id
                 in session.execute(select(Case.reference, Case.id, Case.defender_id,
                                           Case.org_id))}
        rows = [found[ref] for ref in references]
        # linked as escalation links a case to a known defender, with the keyed link to match
        session.execute(update(Case).where(Case.id == rows[1][0]).values(
            defender_id=rows[0][1],
            defender_binding=cases.defender_binding(platform.keyring, rows[1][0], rows[1][2],
                                                    rows[0][1])))
    return rows[0][1], [rows[0][0], rows[1][0], rows[2][0]]


def _reads(platform: Platform) -> list[dict[str, str]]:
    with platform.sessions() as session:
        return [e.details for e in session.execute(select(AuditEvent).where(
            AuditEvent.action == "defender.read")).scalars()]


def test_a_handler_sees_the_defenders_cases_threats_consent_and_identity(
        client: TestClient, platform: Platform, handler: Staff,
        two_cases: tuple[str, list[str]]) -> None:
    defender_id, (first, second, other) = two_cases
    sign_in(client, handler)
    case_page = client.get(f"/cases/{first}").text
    assert f'href="/defenders/{defender_id}"' in case_page
    page = client.get(f"/defenders/{defender_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'href="/cases/{first}"' in page.text and f'href="/cases/{second}"' in page.text
    assert f'href="/cases/{other}"' not in page.text
    assert "Harassment (2)" in page.text and "Doxing (1)" in page.text
    assert "Phishing" not in page.text
    assert page.text.count("<td>given</td>") == 1 and page.text.count("<td>refused</td>") == 1
    assert NAME in page.text and ADDRESS in page.text
    assert _reads(platform) == [{"cases": "2", "identity": "yes"}]


def test_an_analyst_sees_the_pseudonym_but_not_the_name_or_contact(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        two_cases: tuple[str, list[str]]) -> None:
    defender_id, (first, _, _) = two_cases
    sign_in(client, make_staff(Role.ANALYST, intake_org))
    page = client.get(f"/defenders/{defender_id}")
    assert page.status_code == 200 and "Defender " in page.text
    assert NAME not in page.text and ADDRESS not in page.text
    case_page = client.get(f"/cases/{first}").text
    assert NAME not in case_page and ADDRESS not in case_page
    assert "Shown only to those who answer defenders" in case_page
    assert _reads(platform) == [{"cases": "2", "identity": "no"}]


def test_only_the_cases_the_viewer_may_see_are_listed(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        two_cases: tuple[str, list[str]]) -> None:
    defender_id, (first, second, _) = two_cases
    platform.run(SYSTEM, cases.update_case, second, CaseUpdate(restricted=True))
    sign_in(client, make_staff(Role.ANALYST, intake_org))
    page = client.get(f"/defenders/{defender_id}").text
    assert f'href="/cases/{first}"' in page and f'href="/cases/{second}"' not in page
    assert "Smear" not in page


def test_a_defender_without_visible_cases_is_not_found(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        two_cases: tuple[str, list[str]]) -> None:
    defender_id, _ = two_cases
    sign_in(client, make_staff(Role.COORDINATOR, intake_org))  # sees shared cases only
    assert client.get(f"/defenders/{defender_id}").status_code == 404
    assert client.get("/defenders/no-such-id").status_code == 404
    with platform.sessions() as session:
        denied = session.execute(select(AuditEvent.action).where(
            AuditEvent.action == "defender.denied")).scalars().all()
    assert len(denied) == 2


def test_mission_observers_may_not_open_profiles(
        client: TestClient, make_staff: StaffFactory, intake_org: str,
        two_cases: tuple[str, list[str]]) -> None:
    defender_id, _ = two_cases
    sign_in(client, make_staff(Role.MISSION_OBSERVER, intake_org))
    assert client.get(f"/defenders/{defender_id}").status_code == 403
