"""The identity rule on the watch-list: a watched defender's names, nicknames and contact
details are read only by the roles that answer defenders, as on the case page. Analysts keep
the watch-list (label, handles, region, alerts) and may write the withheld fields, never read
them back; coordinators do not reach the watch-list at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import cases, intake, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import WatchEntryInput
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import AuditEvent, Case
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory, TokenFactory, bearer
from tests.web.test_ui_staff import sign_in

NAME, SPELLING = "Aysel Məmmədova", "Айсель Мамедова"
NICKNAME, HANDLE = "Ayka Jurnalist", "@fearless_voice"
PHONE, EMAIL, ADDRESS = "+994 50 123 45 67", "aysel@example.org", "Nizami küçəsi 12, Bakı"
IDENTITY = (NAME, SPELLING, NICKNAME, PHONE, EMAIL, ADDRESS)


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def case_id(platform: Platform, intake_org: str) -> str:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened="They call me a foreign agent.", defender_name=NAME,
        consent_to_share=True))
    with platform.sessions() as session:
        return str(session.execute(select(Case.id)).scalar_one())


@pytest.fixture
def entry_id(platform: Platform, admin: Staff, case_id: str) -> str:
    """The case's defender on the watch-list, with everything that identifies her."""
    return platform.run(admin.actor, watchlists.add_entry, WatchEntryInput(
        names=[NAME, SPELLING], aliases=[NICKNAME], handles=[HANDLE], phones=[PHONE],
        emails=[EMAIL], addresses=[ADDRESS], region="az", case_id=case_id)).id


def _shown(text: str) -> list[str]:
    return [value for value in IDENTITY if value in text]


def test_analysts_cannot_read_a_defenders_identity_through_the_watch_list(
        client: TestClient, platform: Platform, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, case_id: str, entry_id: str) -> None:
    """Review finding 9: the watch-list entry showed an analyst the names, phones and
    addresses next to the defender's id, which the case page hides from them."""
    analyst = make_staff(Role.ANALYST, intake_org)
    case = client.get(f"/api/v1/cases/{case_id}", headers=bearer(make_token(analyst)))
    assert case.status_code == 200 and not case.json()["defender"]["identity_shown"]
    defender_id = case.json()["defender"]["id"]

    api = client.get(f"/api/v1/watchlist/{entry_id}", headers=bearer(make_token(analyst)))
    assert api.status_code == 200 and _shown(api.text) == []
    view = api.json()
    assert view["defender_id"] == defender_id  # the link stays: it carries no identity now
    assert view["handles"] == [HANDLE] and view["region"] == "AZ"  # the monitoring work
    assert not view["identity_shown"]
    assert view["withheld"] == ["names", "aliases", "phones", "emails", "addresses"]
    assert view["names"] == view["aliases"] == view["phones"] == view["emails"] == []

    sign_in(client, analyst)
    page = client.get(f"/watchlist/{entry_id}")
    assert page.status_code == 200 and _shown(page.text) == []
    assert HANDLE in page.text and "only those who answer defenders" in page.text
    assert _shown(client.get("/watchlist").text) == []
    with platform.sessions() as session:
        reads = session.execute(select(AuditEvent.details).where(
            AuditEvent.action == "watchlist.read", AuditEvent.object_id == entry_id)).all()
    assert {d["identity"] for (d,) in reads} == {"withheld"}


def test_handlers_and_admins_still_read_the_identity_on_the_watch_list(
        client: TestClient, platform: Platform, handler: Staff, admin: Staff,
        make_token: TokenFactory, entry_id: str) -> None:
    """Review finding 9: the roles that answer defenders keep what they need."""
    view = client.get(f"/api/v1/watchlist/{entry_id}", headers=bearer(make_token(handler)))
    assert view.status_code == 200 and _shown(view.text) == list(IDENTITY)
    assert view.json()["identity_shown"] and view.json()["withheld"] == []
    sign_in(client, admin)
    page = client.get(f"/watchlist/{entry_id}").text
    assert _shown(page) == list(IDENTITY) and "only those who answer defenders" not in page


def test_a_token_without_the_reply_scope_reads_no_identity_on_the_watch_list(
        client: TestClient, admin: Staff, make_token: TokenFactory, entry_id: str) -> None:
    """Review finding 9: the rule follows the permissions an API token holds."""
    token = make_token(admin, ["watchlist:read"])
    view = client.get(f"/api/v1/watchlist/{entry_id}", headers=bearer(token))
    assert view.status_code == 200 and _shown(view.text) == []


def test_coordinators_reach_no_watch_list_even_with_the_case_shared(
        client: TestClient, platform: Platform, admin: Staff, other_org: str,
        make_staff: StaffFactory, make_token: TokenFactory, case_id: str,
        entry_id: str) -> None:
    """Review finding 9: a coordinator granted the case sees its pseudonym only, and neither
    the watch-list entry nor its alerts (API and pages)."""
    coordinator = make_staff(Role.COORDINATOR, other_org)
    platform.run(admin.actor, cases.grant_access, case_id, coordinator.id)
    headers = bearer(make_token(coordinator))
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert case.status_code == 200 and _shown(case.text) == []
    for url in (f"/api/v1/watchlist/{entry_id}", "/api/v1/watchlist", "/api/v1/alerts"):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403 and _shown(refused.text) == []
    sign_in(client, coordinator)
    for url in (f"/watchlist/{entry_id}", "/watchlist", "/alerts"):
        refused = client.get(url)
        assert refused.status_code == 403 and _shown(refused.text) == []
    assert _shown(client.get(f"/cases/{case_id}").text) == []


def test_an_analyst_changes_an_entry_without_reading_or_losing_the_identity(
        client: TestClient, platform: Platform, intake_org: str, make_staff: StaffFactory,
        entry_id: str) -> None:
    """Review finding 9: withheld fields left empty keep what is stored; filled in, they
    replace it; the analyst is never shown either."""
    analyst = make_staff(Role.ANALYST, intake_org)
    csrf = sign_in(client, analyst)
    form = {"csrf_token": csrf, "handles": "@fearless_voice\n@aysel_2", "region": "AZ",
            "active": "yes"}
    saved = client.post(f"/watchlist/{entry_id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    stored = platform.run(SYSTEM, watchlists.get_entry, entry_id)
    assert stored.names == [NAME, SPELLING] and stored.phones == [PHONE]
    assert stored.handles == [HANDLE, "@aysel_2"]
    page = client.get(saved.headers["location"]).text
    assert _shown(page) == [] and "Left empty, it stays as it is" in page

    replaced = platform.run(analyst.actor, watchlists.update_entry, entry_id, WatchEntryInput(
        phones=["+994 55 000 00 00"], handles=[HANDLE]))
    assert replaced.phones == [] and replaced.withheld == ["names", "aliases", "phones",
                                                          "emails", "addresses"]
    stored = platform.run(SYSTEM, watchlists.get_entry, entry_id)
    assert stored.phones == ["+994 55 000 00 00"] and stored.names == [NAME, SPELLING]
    assert stored.handles == [HANDLE]


def test_a_handler_changing_an_entry_replaces_every_field(
        platform: Platform, admin: Staff, entry_id: str) -> None:
    """Review finding 9: for those who read the identity, the form is the whole entry."""
    view = platform.run(admin.actor, watchlists.update_entry, entry_id,
                        WatchEntryInput(names=[NAME]))
    assert view.names == [NAME] and view.phones == [] and view.handles == []
