"""Admin pages: staff accounts of the organisation, added with a one-time password shown
once, roles changed, accounts deactivated; for admins only, with CSRF tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.security import two_factor
from qalxan.services.context import REAUTH_MINUTES, Platform
from qalxan.store.tables import User
from qalxan.web.app import create_app
from tests.conftest import Staff
from tests.web.test_ui_staff import sign_in


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _user(platform: Platform, email: str) -> User:
    with platform.sessions() as session:
        return session.execute(select(User).where(User.email == email)).scalar_one()


def test_an_admin_adds_a_user_and_sees_the_one_time_password_once(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    csrf = sign_in(client, admin)
    listing = client.get("/admin/users")
    assert listing.status_code == 200 and handler.email in listing.text
    assert "Case handler" in listing.text
    added = client.post("/admin/users", data={"csrf_token": csrf, "email": "new@example.org",
                                              "display_name": "New One", "role": "analyst"})
    assert added.status_code == 200
    secret = re.search(r'<p class="secret"><code>([^<]+)</code>', added.text)
    assert secret is not None and len(secret.group(1)) >= 14
    assert secret.group(1) not in client.get("/admin/users").text
    user = _user(platform, "new@example.org")
    assert user.role == "analyst" and user.must_change_password


def test_an_admin_changes_a_role_and_deactivates_an_account(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    csrf = sign_in(client, admin)
    moved = client.post(f"/admin/users/{handler.id}/role",
                        data={"csrf_token": csrf, "role": "coordinator"}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/admin/users"
    assert _user(platform, handler.email).role == "coordinator"
    gone = client.post(f"/admin/users/{handler.id}/deactivate", data={"csrf_token": csrf},
                       follow_redirects=False)
    assert gone.status_code == 303 and not _user(platform, handler.email).is_active
    wrong = client.post(f"/admin/users/{handler.id}/role",
                        data={"csrf_token": csrf, "role": "emperor"})
    assert wrong.status_code == 422


def test_user_pages_are_for_admins_with_a_csrf_token(client: TestClient, platform: Platform,
                                                     admin: Staff, handler: Staff) -> None:
    sign_in(client, handler)
    assert client.get("/admin/users").status_code == 403
    assert 'href="/admin/users"' not in client.get("/cases").text
    with TestClient(create_app(platform), base_url="http://testserver") as other:
        sign_in(other, admin)
        forged = other.post(f"/admin/users/{handler.id}/deactivate", data={})
        assert forged.status_code == 403 and _user(platform, handler.email).is_active


def test_an_old_sign_in_is_confirmed_again_before_a_role_change(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    csrf = sign_in(client, admin)
    later = platform.clock() + timedelta(minutes=REAUTH_MINUTES + 1)
    platform.clock = lambda: later
    refused = client.post(f"/admin/users/{handler.id}/role",
                          data={"csrf_token": csrf, "role": "analyst"}, follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"] == "/account/confirm?next=/admin/users"
    form = client.get(refused.headers["location"])
    assert form.status_code == 200 and 'name="next" value="/admin/users"' in form.text
    code = two_factor.current_code(admin.totp_secret, later.timestamp() + 30)
    wrong = client.post("/account/confirm", data={"csrf_token": csrf, "password": "nope" * 4,
                                                  "code": code, "next": "/admin/users"})
    assert wrong.status_code == 401 and "The password or the code is wrong." in wrong.text
    platform.clock = lambda: later + timedelta(seconds=2)  # the back-off after a wrong try
    done = client.post("/account/confirm", follow_redirects=False, data={
        "csrf_token": csrf, "password": admin.password, "code": code, "next": "/admin/users"})
    assert done.status_code == 303 and done.headers["location"] == "/admin/users"
    again = client.post(f"/admin/users/{handler.id}/role",
                        data={"csrf_token": csrf, "role": "analyst"}, follow_redirects=False)
    assert again.status_code == 303 and _user(platform, handler.email).role == "analyst"


def test_an_old_session_cannot_add_an_admin_or_see_a_one_time_password(
        client: TestClient, platform: Platform, admin: Staff, handler: Staff) -> None:
    """Review finding 3: a three-hour-old admin session is sent to confirm before adding an
    account, and before a new one-time password; no password is shown until then."""
    csrf = sign_in(client, admin)
    start = platform.clock()
    for minutes in range(20, 181, 20):  # in use all along: three hours, never idle
        platform.clock = lambda minutes=minutes: start + timedelta(minutes=minutes)
        assert client.get("/admin/users").status_code == 200
    added = client.post("/admin/users", follow_redirects=False, data={
        "csrf_token": csrf, "email": "boss@example.org", "display_name": "Boss",
        "role": "admin"})
    assert added.status_code == 303
    assert added.headers["location"] == "/account/confirm?next=/admin/users"
    reset = client.post(f"/admin/users/{handler.id}/password", follow_redirects=False,
                        data={"csrf_token": csrf})
    assert reset.status_code == 303 and reset.headers["location"].startswith("/account/confirm")
    with platform.sessions() as session:
        assert session.execute(select(User).where(User.email == "boss@example.org")
                               ).scalar_one_or_none() is None
