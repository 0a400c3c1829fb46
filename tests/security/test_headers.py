"""Strict security headers on every class of response: API, staff pages, defender pages,
static assets and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.services.context import Platform
from qalxan.store.tables import Case
from tests.conftest import Staff, TokenFactory, bearer
from tests.web.monitoring_setup import watch_and_alert
from tests.web.test_ui_staff import sign_in

EXPECTED = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "connect-src 'self'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def _check(response_headers: dict[str, str], cacheable: bool = False) -> None:
    for name, value in EXPECTED.items():
        assert response_headers.get(name) == value, name
    assert "unsafe-inline" not in response_headers["content-security-policy"]
    if not cacheable:
        assert response_headers.get("cache-control") == "no-store"
    assert "server" not in {k.lower() for k in response_headers}


@pytest.mark.parametrize("path", ["/", "/report", "/followup", "/login",
                                  "/api/v1/health", "/api/v1/openapi.json",
                                  "/api/v1/cases", "/no-such-page", "/api/v1/no-such"])
def test_public_and_error_responses(client: TestClient, intake_org: str, path: str) -> None:
    _check(dict(client.get(path, follow_redirects=False).headers))


def test_api_case_responses(client: TestClient, intake_org: str, handler: Staff,
                            make_token: TokenFactory) -> None:
    client.post("/api/v1/intake", json={"what_happened": "x"})
    headers = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=headers).json()["items"][0]["id"]
    _check(dict(client.get(f"/api/v1/cases/{case_id}", headers=headers).headers))


def test_problem_documents_and_receipts_are_not_stored(client: TestClient,
                                                      intake_org: str) -> None:
    receipt = client.post("/api/v1/intake", json={"what_happened": "x"})
    _check(dict(receipt.headers))
    _check(dict(client.post("/api/v1/intake", content=b"{").headers))


def test_static_assets_may_be_cached_but_keep_the_policy(client: TestClient) -> None:
    response = client.get("/static/qalxan.css")
    assert response.status_code == 200
    _check(dict(response.headers), cacheable=True)


def test_monitoring_pages_and_the_case_export_are_not_stored(
        client: TestClient, platform: Platform, admin: Staff, tmp_path: Path) -> None:
    """They carry a defender's names, the posts about them, or a whole case."""
    client.post("/api/v1/intake", json={"what_happened": "x"})
    with platform.sessions() as session:
        case_id = session.execute(select(Case.id)).scalar_one()
    watched = watch_and_alert(platform, admin, tmp_path, case_id=case_id)
    csrf = sign_in(client, admin)
    for path in ("/alerts", f"/alerts/{watched.alert_id}", "/watchlist",
                 f"/watchlist/{watched.entry_id}", "/monitor/sources"):
        response = client.get(path)
        assert response.status_code == 200, path
        _check(dict(response.headers))
    export = client.post(f"/cases/{case_id}/export", data={"csrf_token": csrf})
    assert export.headers["content-type"] == "application/zip"
    _check(dict(export.headers))
