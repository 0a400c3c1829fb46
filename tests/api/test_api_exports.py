"""Exporting a case through the API: a ZIP under its TLP label, or a problem document."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from tests.conftest import Staff, TokenFactory, bearer


def test_export_returns_a_labelled_zip_or_a_clear_refusal(
        client: TestClient, intake_org: str, handler: Staff, make_token: TokenFactory) -> None:
    client.post("/api/v1/intake", json={"what_happened": "They posted my address"})
    token = bearer(make_token(handler))
    case_id = client.get("/api/v1/cases", headers=token).json()["items"][0]["id"]
    r = client.post(f"/api/v1/cases/{case_id}/export", headers=token, json={})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["x-qalxan-tlp"] == "amber"
    assert "TLP-AMBER.zip" in r.headers["content-disposition"]
    assert hashlib.sha256(r.content).hexdigest() == r.headers["x-content-sha256"]
    refused = client.post(f"/api/v1/cases/{case_id}/export", headers=token, json={
        "recipient": "external", "recipient_clearance": "clear"})
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("consent-missing")
    narrow = bearer(make_token(handler, ["case:read"]))
    assert client.post(f"/api/v1/cases/{case_id}/export", headers=narrow,
                       json={}).status_code == 403
