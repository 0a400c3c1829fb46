"""The watch-list pages: pseudonymous labels in the list, an entry's names and contact
details on its own page for those who may read a defender's identity (audited; analysts get
the handles and write the rest without reading it back), adding (also for the defender of
a case, from the case page), editing, and removing after a confirmation step; for those
who may manage it, with CSRF tokens, and never another organisation's entry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import intake, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import WatchEntryInput
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import AuditEvent, Case, WatchEntry
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.test_ui_staff import sign_in

FORM = {"names": "Aysel Məmmədova\n  Айсель Мамедова \n\n", "handles": "@aysel_m",
        "aliases": "", "phones": "+994 50 123 45 67", "emails": "aysel@example.org",
        "addresses": "", "region": "az"}


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def analyst(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ANALYST, intake_org)


@pytest.fixture
def entry_id(platform: Platform, analyst: Staff) -> str:
    return platform.run(analyst.actor, watchlists.add_entry, WatchEntryInput(
        names=["Leyla Yunus"], emails=["leyla@example.org"])).id


def _entries(platform: Platform) -> list[WatchEntry]:
    with platform.sessions() as session:
        return list(session.execute(select(WatchEntry)).scalars())


def _reads(platform: Platform, entry_id: str) -> int:
    with platform.sessions() as session:
        return len(session.execute(select(AuditEvent).where(
            AuditEvent.action == "watchlist.read", AuditEvent.object_id == entry_id)).all())


def test_an_analyst_adds_a_defender_and_sees_the_handles_watched_for(
        client: TestClient, platform: Platform, analyst: Staff) -> None:
    csrf = sign_in(client, analyst)
    listing = client.get("/watchlist")
    assert listing.status_code == 200 and "Nobody is on the watch-list yet." in listing.text
    assert 'action="/watchlist"' in listing.text and 'href="/monitor/sources"' in listing.text
    added = client.post("/watchlist", data={**FORM, "csrf_token": csrf}, follow_redirects=False)
    (entry,) = _entries(platform)
    assert added.status_code == 303
    assert added.headers["location"] == f"/watchlist/{entry.id}?done=added"
    view = platform.run(SYSTEM, watchlists.get_entry, entry.id)
    assert view.names == ["Aysel Məmmədova", "Айсель Мамедова"] and view.region == "AZ"
    assert view.phones == ["+994 50 123 45 67"] and view.aliases == [] and view.active
    page = client.get(added.headers["location"])
    assert page.headers["cache-control"] == "no-store"
    assert "The defender is on the watch-list." in page.text and "@aysel_m" in page.text
    assert "Айсель Мамедова" not in page.text and "+994" not in page.text  # the identity rule
    assert _reads(platform, entry.id) >= 2  # each opening of the names is audited
    listing = client.get("/watchlist").text
    assert entry.label in listing and "Aysel" not in listing  # the list: pseudonyms only


def test_an_entry_is_edited_and_paused(client: TestClient, platform: Platform,
                                       analyst: Staff, entry_id: str) -> None:
    csrf = sign_in(client, analyst)
    saved = client.post(f"/watchlist/{entry_id}", follow_redirects=False, data={
        "csrf_token": csrf, "names": "Leyla Yunus\nЛейла Юнус", "emails": ""})
    assert saved.headers["location"] == f"/watchlist/{entry_id}?done=saved"
    view = platform.run(SYSTEM, watchlists.get_entry, entry_id)
    assert view.names == ["Leyla Yunus", "Лейла Юнус"]
    assert view.emails == ["leyla@example.org"]  # unseen by an analyst: left empty, kept
    assert not view.active  # the box was not ticked
    assert "The changes were saved." in client.get(saved.headers["location"]).text


def test_an_entry_needs_something_to_match(client: TestClient, platform: Platform,
                                           analyst: Staff) -> None:
    csrf = sign_in(client, analyst)
    refused = client.post("/watchlist", data={"csrf_token": csrf, "phones": "+994 50 1"})
    assert refused.status_code == 422 and "give at least one name" in refused.text
    bad_region = client.post("/watchlist", data={**FORM, "region": "Azerbaijan",
                                                 "csrf_token": csrf})
    assert bad_region.status_code == 422 and "region" in bad_region.text
    assert _entries(platform) == []
    assert 'href="/watchlist"' in refused.text  # back to the watch-list


def test_removing_an_entry_asks_first(client: TestClient, platform: Platform, analyst: Staff,
                                      entry_id: str) -> None:
    csrf = sign_in(client, analyst)
    page = client.get(f"/watchlist/{entry_id}").text
    assert f'href="/watchlist/{entry_id}?remove=confirm#remove"' in page
    assert 'name="confirm"' not in page
    asked = client.post(f"/watchlist/{entry_id}/remove", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert asked.headers["location"] == f"/watchlist/{entry_id}?remove=confirm#remove"
    assert len(_entries(platform)) == 1
    confirm = client.get(f"/watchlist/{entry_id}?remove=confirm").text
    assert "cannot be undone" in confirm and 'name="confirm" value="yes"' in confirm
    done = client.post(f"/watchlist/{entry_id}/remove", follow_redirects=False,
                       data={"csrf_token": csrf, "confirm": "yes"})
    assert done.headers["location"] == "/watchlist?done=removed" and _entries(platform) == []
    assert client.get(f"/watchlist/{entry_id}").status_code == 404


def test_watch_list_forms_need_the_csrf_token(client: TestClient, platform: Platform,
                                              analyst: Staff, entry_id: str) -> None:
    sign_in(client, analyst)
    assert client.post("/watchlist", data=FORM).status_code == 403
    assert client.post(f"/watchlist/{entry_id}", data={**FORM, "csrf_token": "x"}
                       ).status_code == 403
    assert client.post(f"/watchlist/{entry_id}/remove", data={"confirm": "yes"}
                       ).status_code == 403
    assert len(_entries(platform)) == 1
    assert platform.run(SYSTEM, watchlists.get_entry, entry_id).names == ["Leyla Yunus"]


def test_watching_for_the_defender_of_a_case_from_the_case_page(
        client: TestClient, platform: Platform, admin: Staff, intake_org: str) -> None:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="Smears."))
    with platform.sessions() as session:
        case = session.execute(select(Case)).scalar_one()
    csrf = sign_in(client, admin)
    link = f'href="/watchlist?case_id={case.id}#add"'
    assert link in client.get(f"/cases/{case.id}").text
    form = client.get(f"/watchlist?case_id={case.id}").text
    assert f'name="case_id" value="{case.id}"' in form
    client.post("/watchlist", data={**FORM, "case_id": case.id, "csrf_token": csrf})
    (entry,) = _entries(platform)
    assert entry.defender_id == case.defender_id


def test_a_case_handler_reads_the_watch_list_but_cannot_change_it(
        client: TestClient, platform: Platform, handler: Staff, entry_id: str) -> None:
    csrf = sign_in(client, handler)
    listing = client.get("/watchlist").text
    assert 'href="/watchlist"' in listing and 'action="/watchlist"' not in listing
    assert 'href="/monitor/sources"' not in listing
    page = client.get(f"/watchlist/{entry_id}").text
    assert "Leyla Yunus" in page and "<textarea" not in page and "Remove" not in page
    assert client.post("/watchlist", data={**FORM, "csrf_token": csrf}).status_code == 403
    assert client.post(f"/watchlist/{entry_id}/remove",
                       data={"csrf_token": csrf, "confirm": "yes"}).status_code == 403
    assert len(_entries(platform)) == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MISSION_OBSERVER])
def test_roles_without_the_watch_list_are_refused(
        client: TestClient, make_staff: StaffFactory, intake_org: str, entry_id: str,
        role: Role) -> None:
    sign_in(client, make_staff(role, intake_org))
    assert client.get("/watchlist").status_code == 403
    page = client.get(f"/watchlist/{entry_id}")
    assert page.status_code == 403 and "Leyla" not in page.text


def test_another_organisations_entry_is_not_found(
        client: TestClient, platform: Platform, make_staff: StaffFactory, other_org: str,
        entry_id: str) -> None:
    csrf = sign_in(client, make_staff(Role.ADMIN, other_org))
    page = client.get(f"/watchlist/{entry_id}")
    assert page.status_code == 404 and "Leyla" not in page.text
    assert entry_id not in client.get("/watchlist").text
    assert client.post(f"/watchlist/{entry_id}", data={**FORM, "csrf_token": csrf}
                       ).status_code == 404
    assert client.post(f"/watchlist/{entry_id}/remove",
                       data={"csrf_token": csrf, "confirm": "yes"}).status_code == 404
    assert platform.run(SYSTEM, watchlists.get_entry, entry_id).names == ["Leyla Yunus"]
