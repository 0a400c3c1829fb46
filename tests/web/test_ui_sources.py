"""The monitored-sources page: each source with its kind, posts read, last run and last
error; adding one with its params as key=value lines (checked by the source kind), pausing,
resuming and removing; for those who manage monitoring, with CSRF tokens, never another
organisation's source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.errors import InvalidInput
from qalxan.monitoring.sources.params import key_values
from qalxan.security.access import SYSTEM
from qalxan.services import monitor
from qalxan.services.context import Platform
from qalxan.store.tables import MonitorSource
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.monitoring_setup import Watched, watch_and_alert
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def analyst(make_staff: StaffFactory, intake_org: str) -> Staff:
    return make_staff(Role.ANALYST, intake_org)


@pytest.fixture
def watched(platform: Platform, analyst: Staff, tmp_path: Path) -> Watched:
    return watch_and_alert(platform, analyst, tmp_path)


def _sources(platform: Platform) -> list[MonitorSource]:
    with platform.sessions() as session:
        return list(session.execute(select(MonitorSource)).scalars())


def test_params_are_key_value_lines() -> None:
    assert key_values("url = https://example.org/feed.xml\n\nmax_seen=50\n".splitlines()) == {
        "url": "https://example.org/feed.xml", "max_seen": "50"}
    assert key_values(["path=/srv/a=b.jsonl"]) == {"path": "/srv/a=b.jsonl"}
    assert key_values([]) == {}
    for wrong in (["just a value"], ["=value"], ["url=a", "url=b"]):
        with pytest.raises(InvalidInput):
            key_values(wrong)
    with pytest.raises(InvalidInput) as refused:
        key_values(["s3cr3t-token"])
    assert "s3cr3t" not in str(refused.value)


def test_the_page_lists_sources_with_what_the_monitor_did(
        client: TestClient, analyst: Staff, watched: Watched) -> None:
    sign_in(client, analyst)
    page = client.get("/monitor/sources")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "<td>24</td>" in page.text and "<code>jsonl</code>" in page.text
    assert "not yet" not in page.text and "UTC" in page.text  # it has run
    for kind in ("jsonl", "rss", "mastodon", "telegram"):
        assert f'<option value="{kind}">' in page.text
    assert "the server, https://social.example" in page.text  # the params' help
    assert f'action="/monitor/sources/{watched.source_id}/active"' in page.text


def test_an_analyst_adds_pauses_resumes_and_removes_a_source(
        client: TestClient, platform: Platform, analyst: Staff) -> None:
    csrf = sign_in(client, analyst)
    added = client.post("/monitor/sources", follow_redirects=False, data={
        "csrf_token": csrf, "kind": "rss", "name": "Local news",
        "params": "url=https://news.example.org/feed.xml\nmax_seen=200"})
    assert added.headers["location"] == "/monitor/sources?done=added"
    (source,) = platform.run(SYSTEM, monitor.list_sources, _sources(platform)[0].org_id)
    assert source.params == {"url": "https://news.example.org/feed.xml", "max_seen": "200"}
    page = client.get("/monitor/sources?done=added").text
    assert "The source was added." in page and "not yet" in page and "Local news" in page
    paused = client.post(f"/monitor/sources/{source.id}/active", follow_redirects=False,
                         data={"csrf_token": csrf, "active": "no"})
    assert paused.headers["location"] == "/monitor/sources?done=paused"
    assert not _sources(platform)[0].is_active
    assert "Resume" in client.get("/monitor/sources").text
    client.post(f"/monitor/sources/{source.id}/active", data={"csrf_token": csrf,
                                                              "active": "yes"})
    assert _sources(platform)[0].is_active
    removed = client.post(f"/monitor/sources/{source.id}/remove", follow_redirects=False,
                          data={"csrf_token": csrf})
    assert removed.headers["location"] == "/monitor/sources?done=removed"
    assert _sources(platform) == []


def test_a_source_the_kind_cannot_use_is_refused(client: TestClient, platform: Platform,
                                                 analyst: Staff) -> None:
    csrf = sign_in(client, analyst)
    for kind, params in (("rss", "url=ftp://example.org/x"), ("rss", ""),
                         ("nosuchkind", "url=https://example.org"),
                         ("rss", "address https://example.org")):
        refused = client.post("/monitor/sources", data={"csrf_token": csrf, "kind": kind,
                                                        "name": "x", "params": params})
        assert refused.status_code == 422, (kind, params)
        assert 'href="/monitor/sources"' in refused.text
    assert _sources(platform) == []


def test_source_forms_need_the_csrf_token(client: TestClient, platform: Platform,
                                          analyst: Staff, watched: Watched) -> None:
    sign_in(client, analyst)
    assert client.post("/monitor/sources", data={"kind": "rss", "name": "x",
                                                 "params": "url=https://e.org"}
                       ).status_code == 403
    assert client.post(f"/monitor/sources/{watched.source_id}/active",
                       data={"csrf_token": "x", "active": "no"}).status_code == 403
    assert client.post(f"/monitor/sources/{watched.source_id}/remove",
                       data={}).status_code == 403
    (source,) = _sources(platform)
    assert source.is_active


@pytest.mark.parametrize("role", [Role.CASE_HANDLER, Role.COORDINATOR, Role.MISSION_OBSERVER])
def test_roles_that_do_not_manage_monitoring_are_refused(
        client: TestClient, platform: Platform, make_staff: StaffFactory, intake_org: str,
        watched: Watched, role: Role) -> None:
    csrf = sign_in(client, make_staff(role, intake_org))
    assert 'href="/monitor/sources"' not in client.get("/dashboard").text
    assert client.get("/monitor/sources").status_code == 403
    assert client.post(f"/monitor/sources/{watched.source_id}/remove",
                       data={"csrf_token": csrf}).status_code == 403
    assert len(_sources(platform)) == 1


def test_another_organisations_source_is_not_found(
        client: TestClient, platform: Platform, make_staff: StaffFactory, other_org: str,
        watched: Watched) -> None:
    csrf = sign_in(client, make_staff(Role.ANALYST, other_org))
    assert watched.source_id not in client.get("/monitor/sources").text
    for action, data in (("active", {"active": "no"}), ("remove", {})):
        refused = client.post(f"/monitor/sources/{watched.source_id}/{action}",
                              data={**data, "csrf_token": csrf})
        assert refused.status_code == 404
    (source,) = _sources(platform)
    assert source.is_active
