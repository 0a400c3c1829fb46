"""Admin pages for the whole instance: organisations (list, partner added, name and intake
changed), indicator feeds (listed with counts, imported by upload), retention (periods, the
last purge's counts, running it now after a recent sign-in). For admins of the organisation
that runs the instance only, with CSRF tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from qalxan.domain.enums import CaseStatus, Outcome, Role
from qalxan.security import two_factor
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import cases, intake
from qalxan.services.context import REAUTH_MINUTES, Platform
from qalxan.services.schemas import ReportSubmission, StatusChange
from qalxan.store.tables import AuditEvent, Case, Organisation
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.test_ui_staff import sign_in

FEEDS = Path(__file__).resolve().parents[1] / "analysis" / "data"


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _org(platform: Platform, org_id: str) -> Organisation:
    with platform.sessions() as session:
        return session.get_one(Organisation, org_id)


def _actions(platform: Platform, action: str) -> list[AuditEvent]:
    with platform.sessions() as session:
        return list(session.execute(select(AuditEvent).where(AuditEvent.action == action))
                    .scalars())


# organisations ---------------------------------------------------------------------------
def test_an_admin_lists_adds_and_changes_organisations(
        client: TestClient, platform: Platform, admin: Staff, intake_org: str,
        other_org: str) -> None:
    csrf = sign_in(client, admin)
    page = client.get("/admin/organisations")
    assert page.status_code == 200 and "Helpdesk A" in page.text and "Fund B" in page.text
    assert page.text.count("receives reports") == 1
    added = client.post("/admin/organisations", follow_redirects=False,
                        data={"csrf_token": csrf, "name": "Network C", "kind": "network"})
    assert added.headers["location"] == "/admin/organisations?done=added"
    assert "Network C" in client.get("/admin/organisations?done=added").text
    saved = client.post(f"/admin/organisations/{other_org}", follow_redirects=False,
                        data={"csrf_token": csrf, "name": "Fund B (Kyiv)",
                              "accepts_intake": "yes"})
    assert saved.headers["location"] == "/admin/organisations?done=saved"
    org = _org(platform, other_org)
    assert org.name == "Fund B (Kyiv)" and org.accepts_intake
    assert [e.details for e in _actions(platform, "organisation.update")] == \
        [{"accepts_intake": "yes"}]


def test_organisation_changes_that_would_break_the_instance_are_refused(
        client: TestClient, platform: Platform, admin: Staff, intake_org: str,
        other_org: str) -> None:
    csrf = sign_in(client, admin)
    last = client.post(f"/admin/organisations/{intake_org}",
                       data={"csrf_token": csrf, "name": "Helpdesk A"})
    assert last.status_code == 409 and _org(platform, intake_org).accepts_intake
    taken = client.post(f"/admin/organisations/{other_org}",
                        data={"csrf_token": csrf, "name": "Helpdesk A"})
    assert taken.status_code == 409 and _org(platform, other_org).name == "Fund B"
    assert client.post("/admin/organisations", data={
        "csrf_token": csrf, "name": "X", "kind": "embassy"}).status_code == 422
    assert client.post(f"/admin/organisations/{other_org}",
                       data={"name": "Forged"}).status_code == 403
    assert client.post("/admin/organisations/no-such-org",
                       data={"csrf_token": csrf, "name": "Y"}).status_code == 404


def test_instance_pages_are_for_admins_of_the_organisation_that_runs_it(
        client: TestClient, platform: Platform, handler: Staff, make_staff: StaffFactory,
        intake_org: str, other_org: str) -> None:
    sign_in(client, handler)
    for path in ("/admin/organisations", "/admin/iocs", "/admin/retention"):
        assert client.get(path).status_code == 403
    assert 'href="/admin/organisations"' not in client.get("/cases").text
    with TestClient(create_app(platform), base_url="http://testserver") as partner:
        csrf = sign_in(partner, make_staff(Role.ADMIN, other_org))
        for path in ("/admin/organisations", "/admin/iocs", "/admin/retention"):
            assert partner.get(path).status_code == 403
        renamed = partner.post(f"/admin/organisations/{intake_org}",
                               data={"csrf_token": csrf, "name": "Mine", "accepts_intake": "yes"})
        assert renamed.status_code == 403 and _org(platform, intake_org).name == "Helpdesk A"
    assert _actions(platform, "instance.denied")


def test_an_old_sign_in_is_confirmed_before_adding_an_organisation(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    csrf = sign_in(client, admin)
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    refused = client.post("/admin/organisations", follow_redirects=False,
                          data={"csrf_token": csrf, "name": "Network C", "kind": "network"})
    assert refused.headers["location"] == "/account/confirm?next=/admin/organisations"
    assert "Network C" not in client.get("/admin/organisations").text


# indicator feeds -------------------------------------------------------------------------
def test_an_old_sign_in_is_confirmed_before_importing_a_feed(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    csrf = sign_in(client, admin)
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    refused = client.post("/admin/iocs", follow_redirects=False, data={
        "csrf_token": csrf, "source": "Example Lab", "campaign": "StalkerPanel",
        "licence": "CC0"}, files={"feed": ("unnamed_feed.stix2",
                                           (FEEDS / "unnamed_feed.stix2").read_bytes())})
    assert refused.headers["location"] == "/account/confirm?next=/admin/iocs"
    assert "unnamed_feed.stix2" not in client.get("/admin/iocs").text


def test_an_admin_sees_the_shipped_feeds_and_imports_one(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    csrf = sign_in(client, admin)
    page = client.get("/admin/iocs")
    assert page.status_code == 200 and "2021-07-18_nso.stix2" in page.text
    sent = client.post("/admin/iocs", follow_redirects=False, data={
        "csrf_token": csrf, "source": "Example Lab", "campaign": "StalkerPanel",
        "licence": "CC0"}, files={"feed": ("unnamed_feed.stix2",
                                           (FEEDS / "unnamed_feed.stix2").read_bytes())})
    assert sent.status_code == 303
    listed = client.get(sent.headers["location"]).text
    assert "unnamed_feed.stix2 was imported with 1 indicator." in listed
    assert "Example Lab" in listed and "imported here" in listed
    stored = platform.settings.data_dir / "iocs"
    manifest = json.loads((stored / "manifest.json").read_text())
    assert manifest == [{"file": "unnamed_feed.stix2", "campaign": "StalkerPanel", "report": "",
                         "source": "Example Lab", "licence": "CC0"}]
    assert [e.details for e in _actions(platform, "ioc.feed_imported")] == \
        [{"file": "unnamed_feed.stix2", "indicators": "1"}]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("broken.json", b"{oops", "not a readable STIX 2.1 JSON bundle"),
    ("empty.json", b'{"type": "bundle", "objects": []}', "no indicator Qalxan can match"),
    ("feed.txt", b"{}", "name the file like"),
    ("manifest.json", b"{}", "name the file like"),
])
def test_a_feed_that_cannot_be_used_is_refused_and_nothing_is_stored(
        client: TestClient, platform: Platform, admin: Staff, name: str, data: bytes,
        message: str) -> None:
    csrf = sign_in(client, admin)
    refused = client.post("/admin/iocs", data={"csrf_token": csrf, "source": "x"},
                          files={"feed": (name, data)})
    assert refused.status_code == 422 and message in refused.text
    assert not (platform.settings.data_dir / "iocs").exists()


def test_an_upload_path_cannot_leave_the_feed_folder(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    csrf = sign_in(client, admin)
    sent = client.post("/admin/iocs", follow_redirects=False, data={
        "csrf_token": csrf, "source": "x"}, files={"feed": (
            "../../evil.stix2", (FEEDS / "unnamed_feed.stix2").read_bytes())})
    assert sent.status_code == 303
    assert sorted(p.name for p in (platform.settings.data_dir / "iocs").iterdir()) == \
        ["evil.stix2", "manifest.json"]


# retention -------------------------------------------------------------------------------
def _old_closed_case(platform: Platform) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="old"))
    with platform.sessions() as session:
        case_id = session.execute(select(Case.id)).scalar_one()
    platform.run(SYSTEM, cases.change_status, case_id,
                 StatusChange(status=CaseStatus.CLOSED, outcome=Outcome.SUPPORTED))
    long_ago = platform.clock() - timedelta(days=platform.settings.retention_closed_case_days + 1)
    with platform.sessions() as session, session.begin():
        session.execute(update(Case).values(closed_at=long_ago))


def test_the_retention_page_shows_periods_and_runs_the_purge(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    _old_closed_case(platform)
    csrf = sign_in(client, admin)
    page = client.get("/admin/retention")
    days = platform.settings.retention_closed_case_days
    assert "QALXAN_RETENTION_CLOSED_CASE_DAYS" in page.text and f"<td>{days}</td>" in page.text
    assert "The purge has not run yet." in page.text
    ran = client.post("/admin/retention/purge", data={"csrf_token": csrf},
                      follow_redirects=False)
    assert ran.headers["location"] == "/admin/retention?done=ran"
    shown = client.get(ran.headers["location"]).text
    assert "The purge ran" in shown and f"user:{admin.id}" in shown
    assert "<dt>Cases destroyed</dt><dd>1</dd>" in shown
    assert "<dt>Alerts deleted</dt><dd>0</dd>" in shown
    with platform.sessions() as session:
        assert session.execute(select(Case.id)).first() is None
    assert _actions(platform, "retention.run")[0].details["cases"] == "1"


def test_running_the_purge_needs_a_recent_sign_in_and_the_forms_token(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    _old_closed_case(platform)
    csrf = sign_in(client, admin)
    assert client.post("/admin/retention/purge", data={}).status_code == 403
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    refused = client.post("/admin/retention/purge", data={"csrf_token": csrf},
                          follow_redirects=False)
    assert refused.headers["location"] == "/account/confirm?next=/admin/retention"
    with platform.sessions() as session:
        assert session.execute(select(Case.id)).first() is not None
    code = two_factor.current_code(admin.totp_secret, later.timestamp() + 30)
    client.post("/account/confirm", data={"csrf_token": csrf, "password": admin.password,
                                          "code": code, "next": "/admin/retention"})
    assert client.post("/admin/retention/purge", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    with platform.sessions() as session:
        assert session.execute(select(Case.id)).first() is None
