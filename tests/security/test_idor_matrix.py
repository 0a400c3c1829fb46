"""The IDOR matrix, generated from the app's routes: every role of organisation A against every
object route of organisation B, through the API and the pages. All refused, nothing changed.

A new route with an object id fails this test until it has an entry in BODIES, so no object
route escapes the matrix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from qalxan.domain.enums import Role
from qalxan.monitoring.monitor import Monitor
from qalxan.security import crypto, two_factor
from qalxan.security.access import ANONYMOUS, DEFENDER, SYSTEM
from qalxan.services import accounts, alerts, auth, cases, intake, monitor, tokens, watchlists
from qalxan.services.context import Platform
from qalxan.services.monitoring_schemas import SourceInput, WatchEntryInput
from qalxan.services.schemas import CaseFilter, ReportSubmission
from qalxan.store.tables import Alert, MonitorSource, Organisation, SessionRow
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory, TokenFactory, bearer
from tests.services.test_monitoring import burst

SECRET = "ORG-B-SECRET-91c2"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FILE = {"files": ("x.png", PNG, "image/png")}

# (method, path template) → body: "json" dict, "form" dict, or "files".
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/cases/{case_id}"): {},
    ("PATCH", "/api/v1/cases/{case_id}"): {"json": {"tlp": "green"}},
    ("POST", "/api/v1/cases/{case_id}/status"): {"json": {"status": "triage"}},
    ("POST", "/api/v1/cases/{case_id}/assignment"): {"json": {"assignee_id": None}},
    ("POST", "/api/v1/cases/{case_id}/notes"): {"json": {"text": "x", "kind": "reply"}},
    ("POST", "/api/v1/cases/{case_id}/referrals"): {"json": {"mechanism": "x"}},
    ("POST", "/api/v1/cases/{case_id}/access"): {"json": {"user_id": "{attacker_id}"}},
    ("POST", "/api/v1/cases/{case_id}/access/revoke"): {"json": {"user_id": "{attacker_id}"}},
    ("POST", "/api/v1/cases/{case_id}/consent/withdraw"): {},
    ("DELETE", "/api/v1/cases/{case_id}"): {},
    ("POST", "/api/v1/cases/{case_id}/evidence"): {"json": {"content": "x"}},
    ("POST", "/api/v1/cases/{case_id}/evidence/files"): {"files": FILE},
    ("GET", "/api/v1/evidence/{evidence_id}"): {},
    ("GET", "/api/v1/evidence/{evidence_id}/content"): {},
    ("POST", "/api/v1/users/{user_id}/role"): {"json": {"role": "admin"}},
    ("POST", "/api/v1/users/{user_id}/clearance"): {"json": {"clearance": "red"}},
    ("POST", "/api/v1/users/{user_id}/password"): {},
    ("DELETE", "/api/v1/tokens/{token_id}"): {},
    ("GET", "/cases/{case_id}"): {},
    ("POST", "/cases/{case_id}/status"): {"form": {"status": "open"}},  # after the API
    ("POST", "/cases/{case_id}/assignment"): {"form": {"assignee": "me"}},
    ("POST", "/cases/{case_id}/notes"): {"form": {"text": "x", "kind": "reply"}},
    ("POST", "/cases/{case_id}/referrals"): {"form": {"mechanism": "x", "kind": "referral"}},
    ("POST", "/cases/{case_id}/evidence"): {"form": {"content": "x", "kind": "text"}},
    ("POST", "/cases/{case_id}/access/revoke"): {"form": {"user_id": "{attacker_id}"}},
    ("POST", "/cases/{case_id}/consent/withdraw"): {"form": {}},
    ("POST", "/cases/{case_id}/evidence/files"): {"files": FILE},
    ("GET", "/evidence/{evidence_id}/download"): {},
    ("POST", "/admin/users/{user_id}/role"): {"form": {"role": "analyst"}},
    ("POST", "/admin/users/{user_id}/deactivate"): {"form": {}},
    ("POST", "/admin/users/{user_id}/password"): {"form": {}},
    ("POST", "/account/tokens/{token_id}/revoke"): {"form": {}},
    ("POST", "/account/sessions/{session_id}/end"): {"form": {}},
    ("GET", "/defenders/{defender_id}"): {},
    ("POST", "/admin/organisations/{org_id}"): {"form": {"name": "Renamed",
                                                         "accepts_intake": "yes"}},
    ("GET", "/api/v1/watchlist/{entry_id}"): {},
    ("PUT", "/api/v1/watchlist/{entry_id}"): {"json": {"names": ["x"]}},
    ("DELETE", "/api/v1/watchlist/{entry_id}"): {},
    ("PATCH", "/api/v1/monitor/sources/{source_id}"): {"json": {"active": False}},
    ("DELETE", "/api/v1/monitor/sources/{source_id}"): {},
    ("GET", "/api/v1/alerts/{alert_id}"): {},
    ("POST", "/api/v1/alerts/{alert_id}/dismiss"): {},
    ("POST", "/api/v1/alerts/{alert_id}/incident"): {"json": {}},
    ("POST", "/api/v1/cases/{case_id}/export"): {"json": {}},
    ("GET", "/alerts/{alert_id}"): {},
    ("POST", "/alerts/{alert_id}/incident"): {"form": {}},
    ("POST", "/alerts/{alert_id}/dismiss"): {"form": {}},
    ("GET", "/watchlist/{entry_id}"): {},
    ("POST", "/watchlist/{entry_id}"): {"form": {"names": "x", "active": "yes"}},
    ("POST", "/watchlist/{entry_id}/remove"): {"form": {"confirm": "yes"}},
    ("POST", "/monitor/sources/{source_id}/active"): {"form": {"active": "no"}},
    ("POST", "/monitor/sources/{source_id}/remove"): {"form": {}},
    ("POST", "/cases/{case_id}/export"): {"form": {"recipient": "self"}},
}


# Routes on the caller's own account objects, and user management within one's organisation:
# for anyone else they answer "not found", which the matrix above already checks.
OWN_OBJECTS_ONLY = {"/api/v1/users/{user_id}/role", "/api/v1/users/{user_id}/clearance",
                    "/api/v1/users/{user_id}/password",
                    "/api/v1/tokens/{token_id}", "/account/sessions/{session_id}/end"}


@dataclass
class Victim:
    case_id: str
    evidence_id: str
    user_id: str
    token_id: str
    session_id: str
    defender_id: str
    entry_id: str
    source_id: str
    alert_id: str
    other_alert_id: str  # dismissed by the control run, while the first becomes an incident
    org_id: str
    pages: Watching  # the pages' own entry, source and alerts (the API's are changed first)


@dataclass
class Watching:
    entry_id: str
    source_id: str
    alert_id: str
    other_alert_id: str


def object_routes(platform: Platform) -> list[tuple[str, str]]:
    found = []
    for context in iter_route_contexts(create_app(platform).routes):
        route = context.original_route
        if isinstance(route, APIRoute) and "{" in context.path:
            found.extend((method, context.path) for method in sorted(route.methods))
    return found


@pytest.fixture
def victim(platform: Platform, other_org: str, intake_org: str,
           make_staff: StaffFactory, tmp_path: Path) -> Victim:
    """Organisation B (the intake organisation here) with a case, evidence, a user, a token."""
    platform.run(DEFENDER, intake.submit_report, ReportSubmission(
        what_happened=SECRET, defender_name=SECRET, consent_to_share=True),
        (intake.Upload("a.png", "image/png", PNG),))
    owner = make_staff(Role.ADMIN, intake_org)
    case_id = platform.run(owner.actor, cases.list_cases, CaseFilter()).items[0].id
    detail = platform.run(owner.actor, cases.get_case, case_id)
    from qalxan.services.schemas import TokenInput
    token, _ = platform.run(owner.actor, tokens.create_token,
                            TokenInput(name="b", scopes=["case:list"]))
    signin = platform.run(ANONYMOUS, auth.sign_in, owner.email, owner.password, "10.2.2.2")
    api_objects, page_objects = _monitoring(platform, owner, tmp_path)
    return Victim(case_id, detail.evidence[0].id, owner.id, token.id,
                  crypto.token_digest(signin.token), detail.defender["id"],
                  api_objects.entry_id, api_objects.source_id, api_objects.alert_id,
                  api_objects.other_alert_id, org_id=intake_org, pages=page_objects)


def _monitoring(platform: Platform, owner: Staff, tmp_path: Path) -> tuple[Watching, Watching]:
    """Four watched defenders attacked by a burst: two sources, four entries, four alerts;
    half for the API's routes, half for the pages'."""
    dump = tmp_path / "posts.jsonl"
    dump.write_text("".join(json.dumps(p) + "\n" for p in burst()), encoding="utf-8")
    entries = [platform.run(owner.actor, watchlists.add_entry, WatchEntryInput(
        names=["Aysel Məmmədova"], aliases=[SECRET + str(i)])).id for i in range(4)]
    source = platform.run(owner.actor, monitor.add_source, SourceInput(
        kind="jsonl", name="dump", params={"path": str(dump)}))
    Monitor(platform).run_once()
    second = platform.run(owner.actor, monitor.add_source, SourceInput(
        kind="jsonl", name="dump 2", params={"path": str(dump)}))
    found = {a.entry_id: a.id for a in platform.run(owner.actor, alerts.list_alerts)}
    return (Watching(entries[0], source.id, found[entries[0]], found[entries[1]]),
            Watching(entries[2], second.id, found[entries[2]], found[entries[3]]))


def _url(path: str, v: Victim) -> str:
    own = (Watching(v.entry_id, v.source_id, v.alert_id, v.other_alert_id)
           if path.startswith("/api/") else v.pages)
    alert_id = own.other_alert_id if path.endswith("/dismiss") else own.alert_id
    return path.format(case_id=v.case_id, evidence_id=v.evidence_id, user_id=v.user_id,
                       token_id=v.token_id, session_id=v.session_id,
                       defender_id=v.defender_id, entry_id=own.entry_id,
                       source_id=own.source_id, alert_id=alert_id, org_id=v.org_id)


def _session(platform: Platform, client: TestClient, staff: Staff) -> str:
    signin = platform.run(ANONYMOUS, auth.sign_in, staff.email, staff.password, "10.1.1.1")
    platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                 two_factor.current_code(staff.totp_secret))
    client.cookies.set("qalxan", signin.token)
    return signin.csrf_token


def _request(client: TestClient, method: str, url: str, body: dict[str, Any],
             extra: dict[str, str], attacker: Staff) -> Any:
    fill = {k: (v.replace("{attacker_id}", attacker.id) if isinstance(v, str) else v)
            for k, v in body.get("json", {}).items()}
    kwargs: dict[str, Any] = {"headers": extra.get("headers", {}), "follow_redirects": False}
    if "json" in body:
        kwargs["json"] = fill
    if "form" in body or (method == "POST" and not url.startswith("/api/")):
        form = {k: v.replace("{attacker_id}", attacker.id) for k, v in body.get("form", {}).items()}
        kwargs["data"] = {**form, "csrf_token": extra.get("csrf", "")}
    if "files" in body:
        kwargs["files"] = body["files"]
    return client.request(method, url, **kwargs)


def test_every_object_route_is_in_the_matrix(platform: Platform) -> None:
    missing = [r for r in object_routes(platform) if r not in BODIES]
    assert not missing, f"add these object routes to the IDOR matrix: {missing}"


@pytest.mark.parametrize("role", list(Role))
def test_organisation_a_cannot_touch_organisation_b(
        platform: Platform, client: TestClient, victim: Victim, other_org: str,
        make_staff: StaffFactory, make_token: TokenFactory, role: Role) -> None:
    attacker = make_staff(role, other_org)
    api = {"headers": bearer(make_token(attacker))}
    page = {"csrf": _session(platform, client, attacker)}
    for method, path in object_routes(platform):
        extra = api if path.startswith("/api/") else page
        response = _request(client, method, _url(path, victim), BODIES[(method, path)], extra,
                            attacker)
        assert response.status_code in (303, 401, 403, 404), (method, path, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login"), (method, path)
        assert SECRET not in response.text, (method, path)
    _assert_untouched(platform, victim)


def _assert_untouched(platform: Platform, victim: Victim) -> None:
    detail = platform.run(SYSTEM, cases.get_case, victim.case_id)
    assert detail.summary.status == "new" and detail.summary.tlp == "amber"
    assert detail.notes == [] and detail.referrals == [] and detail.access == []
    assert detail.consent_to_share  # not withdrawn by another organisation
    assert len(detail.evidence) == 1
    assert platform.run(SYSTEM, tokens.list_tokens, victim.user_id)[0].revoked_at is None
    owner = next(u for u in platform.run(SYSTEM, accounts.list_users) if u.id == victim.user_id)
    assert owner.role == "admin" and owner.is_active
    with platform.sessions() as session:
        assert session.get_one(SessionRow, victim.session_id).revoked_at is None
        assert session.get_one(Organisation, victim.org_id).name == "Helpdesk A"
        for source_id in (victim.source_id, victim.pages.source_id):
            assert session.get_one(MonitorSource, source_id).is_active
        for alert_id in (victim.alert_id, victim.other_alert_id, victim.pages.alert_id,
                         victim.pages.other_alert_id):
            alert = session.get_one(Alert, alert_id)
            assert alert.status == "open" and alert.case_id is None
    for entry_id in (victim.entry_id, victim.pages.entry_id):
        assert platform.run(SYSTEM, watchlists.get_entry, entry_id).names == ["Aysel Məmmədova"]


def test_control_the_same_requests_succeed_for_the_owning_organisation(
        platform: Platform, client: TestClient, victim: Victim, intake_org: str,
        make_staff: StaffFactory, make_token: TokenFactory) -> None:
    """Proves the matrix's requests are valid: refusals above come from access checks."""
    owner = make_staff(Role.ADMIN, intake_org)
    api = {"headers": bearer(make_token(owner))}
    page = {"csrf": _session(platform, client, owner)}
    routes = sorted(object_routes(platform),
                    key=lambda r: r[0] == "DELETE" or r[1].endswith("/remove"))
    for method, path in routes:
        if path in OWN_OBJECTS_ONLY:
            continue
        extra = api if path.startswith("/api/") else page
        response = _request(client, method, _url(path, victim), BODIES[(method, path)], extra,
                            owner)
        assert response.status_code < 400, (method, path, response.status_code, response.text)
