"""The monitoring API: watch-list, sources and alerts, for integrators."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from qalxan.domain.enums import Role
from qalxan.monitoring.monitor import Monitor
from qalxan.services.context import Platform
from tests.conftest import StaffFactory, TokenFactory, bearer
from tests.services.test_monitoring import burst

PROBLEM = "application/problem+json"


def test_watch_add_a_source_and_act_on_the_alert(
        client: TestClient, platform: Platform, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory, tmp_path: Path) -> None:
    analyst = bearer(make_token(make_staff(Role.ANALYST, intake_org)))
    handler = bearer(make_token(make_staff(Role.CASE_HANDLER, intake_org)))
    r = client.post("/api/v1/watchlist", headers=analyst, json={
        "names": ["Aysel Məmmədova", "Айсель Мамедова"], "handles": ["@aysel_m"]})
    assert r.status_code == 201, r.text
    entry = r.json()
    listed = client.get("/api/v1/watchlist", headers=handler).json()
    assert [e["id"] for e in listed] == [entry["id"]] and "names" not in listed[0]
    dump = tmp_path / "posts.jsonl"
    dump.write_text("".join(json.dumps(p) + "\n" for p in burst()), encoding="utf-8")
    r = client.post("/api/v1/monitor/sources", headers=analyst,
                    json={"kind": "jsonl", "name": "dump", "params": {"path": str(dump)}})
    assert r.status_code == 201, r.text
    assert client.get("/api/v1/monitor/sources", headers=handler).status_code == 403
    Monitor(platform).run_once()
    [alert] = client.get("/api/v1/alerts", headers=handler).json()
    full = client.get(f"/api/v1/alerts/{alert['id']}", headers=handler).json()
    assert len(full["posts"]) == 24 and all(len(p["sha256"]) == 64 for p in full["posts"])
    r = client.post(f"/api/v1/alerts/{alert['id']}/incident", headers=handler, json={})
    assert r.status_code == 201 and r.json()["new_case"] is True
    case = client.get(f"/api/v1/cases/{r.json()['case_id']}", headers=handler).json()
    assert case["incidents"][0]["source"] == "detection"
    again = client.post(f"/api/v1/alerts/{alert['id']}/incident", headers=handler, json={})
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/alerts", headers=handler).json() == []
    assert len(client.get("/api/v1/alerts?status=all", headers=handler).json()) == 1


def test_bad_monitoring_input_is_a_problem_and_changes_nothing(
        client: TestClient, intake_org: str, make_staff: StaffFactory,
        make_token: TokenFactory) -> None:
    analyst = bearer(make_token(make_staff(Role.ANALYST, intake_org)))
    for body in ({"phones": ["+994501234567"]}, {"names": [""]}, {"names": ["x"], "extra": 1},
                 {"names": ["x"], "region": "Azerbaijan"}):
        r = client.post("/api/v1/watchlist", headers=analyst, json=body)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, body
    for body in ({"kind": "gopher", "name": "x", "params": {}},
                 {"kind": "mastodon", "name": "x", "params": {"base_url": "ftp://x"}},
                 {"kind": "rss", "name": "x", "params": {"url": "https://x.example/feed",
                                                        "colour": "red"}}):
        r = client.post("/api/v1/monitor/sources", headers=analyst, json=body)
        assert r.status_code in (400, 422) and r.headers["content-type"] == PROBLEM, body
    assert client.get("/api/v1/watchlist", headers=analyst).json() == []
    assert client.get("/api/v1/monitor/sources", headers=analyst).json() == []
    assert client.get("/api/v1/alerts?status=bogus", headers=analyst).status_code == 422
