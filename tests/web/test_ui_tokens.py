"""The own API tokens page: made after a recent sign-in, secret shown once, revoked here;
nobody else's tokens are shown or revoked; and the users API works with such a token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from qalxan.services import tokens
from qalxan.services.context import REAUTH_MINUTES, Platform
from qalxan.web.app import create_app
from tests.conftest import Staff, bearer
from tests.web.test_ui_staff import sign_in

SECRET = re.compile(r'<p class="secret"><code>(qlx_[^<]+)</code>')
REVOKE = re.compile(r'action="/account/tokens/([^/"]+)/revoke"')


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def test_staff_make_and_revoke_their_own_tokens(client: TestClient, platform: Platform,
                                                admin: Staff, handler: Staff) -> None:
    """Review finding 19f: a token page exists; a token made there (here with
    ``user:manage``) lets the users API succeed, and is short-lived."""
    csrf = sign_in(client, admin)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and 'value="user:manage"' in page.text
    made = client.post("/account/tokens", data={
        "csrf_token": csrf, "name": "provisioning", "scopes": ["user:manage", "case:list"],
        "expires_in_days": "30"})
    assert made.status_code == 200
    found = SECRET.search(made.text)
    assert found is not None
    secret = found.group(1)
    assert secret not in client.get("/account/tokens").text  # shown once
    created = client.post("/api/v1/users", headers=bearer(secret), json={
        "email": "scripted@example.org", "display_name": "Scripted", "role": "analyst"})
    assert created.status_code == 201 and created.json()["one_time_password"]
    listed = platform.run(admin.actor, tokens.list_tokens)
    assert listed[0].expires_at is not None
    assert listed[0].expires_at - listed[0].created_at <= timedelta(minutes=15)
    token_id = REVOKE.findall(client.get("/account/tokens").text)[0]
    gone = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf},
                       follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/account/tokens?done=revoked"
    assert client.get("/api/v1/users", headers=bearer(secret)).status_code == 401
    with TestClient(create_app(platform), base_url="http://testserver") as other:
        other_csrf = sign_in(other, handler)
        assert token_id not in other.get("/account/tokens").text
        theirs = other.post(f"/account/tokens/{token_id}/revoke",
                            data={"csrf_token": other_csrf})
        assert theirs.status_code == 404


def test_making_a_token_needs_a_recent_sign_in(client: TestClient, platform: Platform,
                                               handler: Staff) -> None:
    """Review finding 3: an old session is sent to confirm before a token is made."""
    csrf = sign_in(client, handler)
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    asked = client.post("/account/tokens", follow_redirects=False, data={
        "csrf_token": csrf, "name": "late", "scopes": ["case:list"]})
    assert asked.status_code == 303
    assert asked.headers["location"] == "/account/confirm?next=/account/tokens"
    assert platform.run(handler.actor, tokens.list_tokens) == []
