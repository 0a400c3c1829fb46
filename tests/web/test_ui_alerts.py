"""The alert pages: the queue of alerts (physical risk first, a status filter), one alert with
its reasons and the posts as evidence, and the three actions: add it to one of the watched
defender's cases, open a new case, or dismiss it; each a form with the CSRF token, refused to
roles without the permission and for another organisation's alert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import alerts, intake
from qalxan.services.context import Platform
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import Alert, Case
from qalxan.web.app import create_app
from qalxan.web.ui.alerts import status_filter
from qalxan.web.ui.navigation import back_link
from tests.conftest import Staff, StaffFactory
from tests.web.monitoring_setup import Watched, watch_and_alert
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def case_id(platform: Platform, intake_org: str) -> str:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="They call me a foreign agent every day.", defender_name="Aysel"))
    with platform.sessions() as session:
        return str(session.execute(select(Case.id)).scalar_one())


@pytest.fixture
def watched(platform: Platform, admin: Staff, case_id: str, tmp_path: Path) -> Watched:
    return watch_and_alert(platform, admin, tmp_path, case_id=case_id)


def _alert(platform: Platform, alert_id: str) -> Alert:
    with platform.sessions() as session:
        return session.get_one(Alert, alert_id)


def test_the_queue_lists_open_alerts_with_their_reasons_and_filters_by_status(
        client: TestClient, platform: Platform, handler: Staff, watched: Watched) -> None:
    sign_in(client, handler)
    page = client.get("/alerts")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'href="/alerts/{watched.alert_id}"' in page.text
    assert "Coordinated accounts (unconfirmed)" in page.text and "Spike in posts" in page.text
    assert "<td>24</td>" in page.text and 'href="/alerts"' in page.text  # count; nav link
    assert "Aysel" not in page.text  # the queue shows the pseudonymous label only
    platform.run(handler.actor, alerts.dismiss_alert, watched.alert_id)
    assert watched.alert_id not in client.get("/alerts").text
    assert "No alerts with this status." in client.get("/alerts").text
    for status in ("dismissed", "all"):
        assert f'href="/alerts/{watched.alert_id}"' in client.get(f"/alerts?status={status}").text
    assert watched.alert_id not in client.get("/alerts?status=escalated").text
    assert client.get("/alerts?status=bogus").status_code == 200  # open, as by default


def test_the_status_filter_shows_open_alerts_unless_told_otherwise() -> None:
    assert status_filter("all") is None and status_filter("open").value == "open"
    assert status_filter("nonsense").value == "open"


def test_an_alert_shows_its_reasons_statement_and_posts_as_evidence(
        client: TestClient, platform: Platform, handler: Staff, watched: Watched) -> None:
    sign_in(client, handler)
    page = client.get(f"/alerts/{watched.alert_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    view = platform.run(SYSTEM, alerts.get_alert, watched.alert_id)
    text = page.text
    assert "Coordinated — unconfirmed: a person must review it." in text
    assert view.detail["campaign"]["statement"].split(":")[0] in text
    campaign, volume = view.detail["campaign"], view.detail["volume_spike"]
    assert f'Accounts: {campaign["accounts"]}; posts: {campaign["posts"]}.' in text
    assert f'Posts in the last 1.0 hours: {volume["posts"]};' in text
    assert text.count('<li class="message">') == 24
    first = view.posts[0]
    assert first.sha256 in text and first.author in text and "paid foreign agent" in text
    assert "<a href=\"http" not in text  # links stay plain text
    case = view.cases[0]
    assert f"Add to case {case.reference}" in text and "Open a new case" in text
    assert text.count(f'action="/alerts/{watched.alert_id}/') == 3 and "csrf_token" in text


def test_adding_an_alert_to_a_case_shows_the_incident_on_the_case_page(
        client: TestClient, platform: Platform, handler: Staff, watched: Watched,
        case_id: str) -> None:
    csrf = sign_in(client, handler)
    done = client.post(f"/alerts/{watched.alert_id}/incident", follow_redirects=False,
                       data={"csrf_token": csrf, "case_id": case_id})
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{case_id}#incidents"
    case_page = client.get(done.headers["location"]).text
    assert ('<div class="text" dir="auto">Raised by monitoring public sources: '
            in case_page)  # no marks
    assert _alert(platform, watched.alert_id).status == "escalated"
    page = client.get(f"/alerts/{watched.alert_id}").text
    assert "Made an incident" in page and f'href="/cases/{case_id}"' in page
    assert "Dismiss" not in page  # no actions on a closed alert
    again = client.post(f"/alerts/{watched.alert_id}/incident", data={"csrf_token": csrf})
    assert again.status_code == 409 and f'href="/alerts/{watched.alert_id}"' in again.text


def test_opening_a_new_case_from_an_alert(client: TestClient, platform: Platform,
                                          handler: Staff, watched: Watched,
                                          case_id: str) -> None:
    csrf = sign_in(client, handler)
    done = client.post(f"/alerts/{watched.alert_id}/incident", follow_redirects=False,
                       data={"csrf_token": csrf})
    new_case = done.headers["location"].removeprefix("/cases/").removesuffix("#incidents")
    assert new_case != case_id and _alert(platform, watched.alert_id).case_id == new_case
    assert "Raised by monitoring public sources" in client.get(f"/cases/{new_case}").text


def test_dismissing_an_alert(client: TestClient, platform: Platform, handler: Staff,
                             watched: Watched) -> None:
    csrf = sign_in(client, handler)
    done = client.post(f"/alerts/{watched.alert_id}/dismiss", follow_redirects=False,
                       data={"csrf_token": csrf})
    assert done.headers["location"] == "/alerts?done=dismissed"
    assert "The alert was dismissed." in client.get(done.headers["location"]).text
    assert _alert(platform, watched.alert_id).status == "dismissed"


def test_alert_actions_need_the_forms_csrf_token(client: TestClient, platform: Platform,
                                                 handler: Staff, watched: Watched) -> None:
    sign_in(client, handler)
    for action in ("incident", "dismiss"):
        refused = client.post(f"/alerts/{watched.alert_id}/{action}", data={"csrf_token": "x"})
        assert refused.status_code == 403
    assert _alert(platform, watched.alert_id).status == "open"


def test_an_analyst_may_dismiss_but_not_make_cases(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        watched: Watched) -> None:
    analyst = make_staff(Role.ANALYST, intake_org)
    csrf = sign_in(client, analyst)
    page = client.get(f"/alerts/{watched.alert_id}").text
    assert "Dismiss" in page and "Open a new case" not in page and "Add to case" not in page
    refused = client.post(f"/alerts/{watched.alert_id}/incident", data={"csrf_token": csrf})
    assert refused.status_code == 403 and _alert(platform, watched.alert_id).status == "open"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MISSION_OBSERVER])
def test_roles_without_alerts_are_refused(client: TestClient, platform: Platform,
                                          make_staff: StaffFactory, intake_org: str,
                                          watched: Watched, role: Role) -> None:
    csrf = sign_in(client, make_staff(role, intake_org))
    assert 'href="/alerts"' not in client.get("/dashboard").text
    assert client.get("/alerts").status_code == 403
    assert client.get(f"/alerts/{watched.alert_id}").status_code == 403
    assert client.post(f"/alerts/{watched.alert_id}/dismiss",
                       data={"csrf_token": csrf}).status_code == 403
    assert _alert(platform, watched.alert_id).status == "open"


def test_another_organisations_alert_is_not_found(
        client: TestClient, platform: Platform, make_staff: StaffFactory, other_org: str,
        watched: Watched) -> None:
    csrf = sign_in(client, make_staff(Role.ADMIN, other_org))
    assert client.get(f"/alerts/{watched.alert_id}").status_code == 404
    assert watched.alert_id not in client.get("/alerts?status=all").text
    assert client.post(f"/alerts/{watched.alert_id}/dismiss",
                       data={"csrf_token": csrf}).status_code == 404
    assert _alert(platform, watched.alert_id).status == "open"


def test_alert_pages_need_a_session(client: TestClient, watched: Watched) -> None:
    for path in ("/alerts", f"/alerts/{watched.alert_id}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_failed_monitoring_actions_lead_back_to_their_page() -> None:
    assert back_link("/alerts/abc-1/incident") == "/alerts/abc-1"
    assert back_link("/watchlist/abc-1/remove") == "/watchlist/abc-1"
    assert back_link("/watchlist") == "/watchlist"
    assert back_link("/monitor/sources/abc/active") == "/monitor/sources"
    assert back_link("/cases/abc/export") == "/cases/abc"
