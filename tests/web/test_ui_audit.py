"""The audit log page as an admin reads it: who did what by name and role, system actions as
the system, filters by actor, action, case and date, and paging that keeps the filters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.security.access import DEFENDER, SYSTEM
from qalxan.services import audit_log, intake
from qalxan.services.context import Platform
from qalxan.services.demo import load_demo_data
from qalxan.services.schemas import ReportSubmission
from qalxan.store.tables import Case
from qalxan.web.app import create_app
from tests.conftest import Staff
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _report(platform: Platform) -> str:
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(what_happened="harassed"))
    with platform.sessions() as session:
        return str(session.execute(select(Case.id).order_by(Case.created_at.desc())).scalars()
                   .first())


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>\d+</td>.*?</tr>", html, re.S)


def test_actors_are_named_with_their_role_and_the_system_as_system(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    load_demo_data(platform)  # what `qalxan init --demo` does: the system's doing
    case_id = _report(platform)
    sign_in(client, handler)
    client.get(f"/cases/{case_id}")
    client.cookies.clear()
    sign_in(client, admin)
    page = client.get("/audit").text
    rows = _rows(page)
    case_reads = [r for r in rows if "case.read" in r]
    assert case_reads and all(">case_handler</bdi>" in r and "Case handler" in r
                              for r in case_reads)
    creates = [r for r in rows if "case.create" in r]
    assert sum("System" in r for r in creates) == 5  # the demo cases
    assert sum("A defender (anonymous)" in r for r in creates) == 1
    assert f"user:{handler.actor.user_id}" not in "".join(rows)  # names, not raw labels


def test_the_log_narrows_to_one_actor_action_case_and_date(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    first, second = _report(platform), _report(platform)
    sign_in(client, handler)
    client.get(f"/cases/{first}")
    client.get(f"/cases/{second}")
    client.cookies.clear()
    sign_in(client, admin)
    by_case = _rows(client.get("/audit", params={"case": first}).text)
    assert by_case and all(first in r for r in by_case)
    by_actor = _rows(client.get("/audit", params={
        "actor": f"user:{handler.actor.user_id}", "action": "case.read"}).text)
    assert len(by_actor) == 2
    by_prefix = _rows(client.get("/audit", params={"action": "case."}).text)
    assert {re.search(r"<code>(case\.[a-z_.]+)</code>", r).group(1)  # type: ignore[union-attr]
            for r in by_prefix} >= {"case.create", "case.read"}
    today = platform.clock().date()
    assert _rows(client.get("/audit", params={"from": str(today), "to": str(today)}).text)
    tomorrow = today + timedelta(days=1)
    assert _rows(client.get("/audit", params={"from": str(tomorrow)}).text) == []


def test_a_filter_that_cannot_be_an_id_is_refused_and_never_recorded(
        client: TestClient, platform: Platform, admin: Staff) -> None:
    sign_in(client, admin)
    junk = "1' OR '1'='1" + "x" * 60
    page = client.get("/audit", params={"case": junk[:80]})
    assert page.status_code == 200 and "give the id of a case" in page.text
    events = platform.run(SYSTEM, audit_log.recent_events, 500)
    assert all(junk[:10] not in str(e.details) and junk[:10] not in str(e.object_id)
               for e in events)
    assert "give the id" not in client.get("/audit", params={"actor": "system"}).text
    assert "choose one from the list" in client.get("/audit", params={"actor": "x:y"}).text


def test_paging_keeps_the_filter(client: TestClient, platform: Platform, admin: Staff,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qalxan.web.ui.audit.PAGE_SIZE", 3)
    for _ in range(4):
        _report(platform)
    sign_in(client, admin)
    page = client.get("/audit", params={"action": "case.create"}).text
    assert len(_rows(page)) == 3
    older = re.search(r'href="(/audit\?[^"]+)" rel="next"', page)
    assert older is not None and "action=case.create" in older.group(1)
    rest = client.get(older.group(1).replace("&amp;", "&")).text
    assert len(_rows(rest)) == 1 and 'rel="first"' in rest
