"""The own-sessions page: a staff member sees their own live sessions (nobody else's), ends
one of them or all the others, and ending the session in use signs the browser out."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.security import crypto, two_factor
from qalxan.security.access import ANONYMOUS
from qalxan.services import auth
from qalxan.services.context import Platform
from qalxan.store.tables import AuditEvent, SessionRow
from qalxan.web.app import create_app
from tests.conftest import Staff, StaffFactory
from tests.web.test_ui_staff import sign_in

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
END = re.compile(r'action="/account/sessions/([0-9a-f]{64})/end"')


@pytest.fixture
def client(platform: Platform, intake_org: str) -> Iterator[TestClient]:
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def second(platform: Platform) -> Iterator[TestClient]:
    """Another browser."""
    with TestClient(create_app(platform), base_url="http://testserver") as test_client:
        yield test_client


def _listed(client: TestClient) -> list[str]:
    page = client.get("/account/sessions")
    assert page.status_code == 200
    return END.findall(page.text)


def _live(platform: Platform, user_id: str) -> set[str]:
    with platform.sessions() as session:
        rows = session.execute(select(SessionRow.id).where(SessionRow.user_id == user_id,
                                                           SessionRow.revoked_at.is_(None)))
        return set(rows.scalars())


def _actions(platform: Platform) -> list[tuple[str, dict[str, str]]]:
    with platform.sessions() as session:
        return [(e.action, e.details) for e in session.execute(
            select(AuditEvent).order_by(AuditEvent.seq)).scalars()]


def test_the_page_lists_the_users_own_live_sessions_only(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff,
        make_staff: StaffFactory, intake_org: str) -> None:
    csrf = sign_in(client, handler)
    sign_in(second, handler, at=time.time() + 30)
    colleague = make_staff(Role.CASE_HANDLER, intake_org)
    platform.run(ANONYMOUS, auth.sign_in, colleague.email, colleague.password, "10.0.0.9")
    listed = _listed(client)
    assert set(listed) == _live(platform, handler.id) and len(listed) == 2
    assert not set(listed) & _live(platform, colleague.id)
    page = client.get("/account/sessions").text
    assert page.count("this browser") == 1 and 'href="/account/sessions"' in page
    assert f'value="{csrf}"' in page and "End all other sessions" in page


def test_ending_another_session_signs_that_browser_out(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff) -> None:
    csrf = sign_in(client, handler)
    sign_in(second, handler, at=time.time() + 30)
    mine = client.cookies.get("qalxan")
    other = next(s for s in _listed(client) if s not in _live_digest(platform, mine))
    ended = client.post(f"/account/sessions/{other}/end", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == "/account/sessions?done=ended"
    assert second.get("/cases", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/cases").status_code == 200
    assert "The session was ended." in client.get("/account/sessions?done=ended").text
    assert ("auth.session_ended", {}) in _actions(platform)


def _live_digest(platform: Platform, token: str | None) -> set[str]:
    from qalxan.security import crypto
    assert token
    return {crypto.token_digest(token)}


def test_ending_the_current_session_signs_out(client: TestClient, platform: Platform,
                                              handler: Staff) -> None:
    csrf = sign_in(client, handler)
    (current,) = _listed(client)
    ended = client.post(f"/account/sessions/{current}/end", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == "/login?done=signed-out"
    assert "qalxan=" in ended.headers["set-cookie"] and "max-age=0" in \
        ended.headers["set-cookie"].lower()
    assert not _live(platform, handler.id)
    assert client.get("/cases", follow_redirects=False).headers["location"] == "/login"


def test_end_all_others_keeps_only_the_current_session(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff) -> None:
    csrf = sign_in(client, handler)
    sign_in(second, handler, at=time.time() + 30)
    platform.run(ANONYMOUS, auth.sign_in, handler.email, handler.password, "10.0.0.7")
    assert len(_live(platform, handler.id)) == 3
    done = client.post("/account/sessions/end-others", data={"csrf_token": csrf},
                       follow_redirects=False)
    assert done.headers["location"] == "/account/sessions?done=others"
    assert _live(platform, handler.id) == _live_digest(platform, client.cookies.get("qalxan"))
    assert second.get("/dashboard", follow_redirects=False).status_code == 303
    assert ("auth.sessions_ended", {"count": "2"}) in _actions(platform)
    assert "End all other sessions" not in client.get("/account/sessions").text


def test_a_user_cannot_end_another_users_session(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff,
        admin: Staff) -> None:
    csrf = sign_in(client, admin)
    sign_in(second, handler)
    (victim,) = _live(platform, handler.id)
    refused = client.post(f"/account/sessions/{victim}/end", data={"csrf_token": csrf})
    assert refused.status_code == 404
    assert _live(platform, handler.id) == {victim}
    assert second.get("/cases").status_code == 200
    client.post("/account/sessions/end-others", data={"csrf_token": csrf})
    assert _live(platform, handler.id) == {victim}


def test_ending_sessions_needs_the_forms_csrf_token(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff) -> None:
    sign_in(client, handler)
    sign_in(second, handler, at=time.time() + 30)
    (current,) = _live_digest(platform, client.cookies.get("qalxan"))
    assert client.post(f"/account/sessions/{current}/end", data={}).status_code == 403
    assert client.post("/account/sessions/end-others", data={"csrf_token": "x"}).status_code == 403
    assert len(_live(platform, handler.id)) == 2


def test_expired_sessions_are_not_listed(client: TestClient, platform: Platform,
                                         handler: Staff) -> None:
    stale = platform.run(ANONYMOUS, auth.sign_in, handler.email, handler.password, "10.0.0.8")
    from qalxan.security import crypto
    with platform.sessions() as session, session.begin():
        row = session.get_one(SessionRow, crypto.token_digest(stale.token))
        row.last_seen_at = row.last_seen_at.replace(year=2000)
        row.created_at = row.last_seen_at
    sign_in(client, handler)
    assert crypto.token_digest(stale.token) not in _listed(client)
    assert len(_listed(client)) == 1


def test_wrong_codes_are_told_to_the_account_holder_at_the_next_sign_in(
        client: TestClient, second: TestClient, platform: Platform, handler: Staff) -> None:
    """Review finding 1: someone with the password enters wrong codes in another browser;
    the holder's next sign-in lands on the sessions page, which says so, once; and the
    session cookie is a new one after the code."""
    start = platform.clock()
    platform.clock = lambda: start
    assert second.post("/login", data={"email": handler.email, "password": handler.password},
                       follow_redirects=False).status_code == 303
    csrf = CSRF.search(second.get("/login/totp").text)
    assert csrf is not None
    guess = second.post("/login/totp", data={"csrf_token": csrf.group(1), "code": "000000"})
    burst = second.post("/login/totp", data={"csrf_token": csrf.group(1), "code": "000001"})
    assert (guess.status_code, burst.status_code) == (401, 429)
    later = start + timedelta(seconds=5)
    platform.clock = lambda: later
    client.post("/login", data={"email": handler.email, "password": handler.password},
                follow_redirects=False)
    pending = client.cookies.get("qalxan")
    csrf = CSRF.search(client.get("/login/totp").text)
    assert csrf is not None
    done = client.post("/login/totp", follow_redirects=False, data={
        "csrf_token": csrf.group(1),
        "code": two_factor.current_code(handler.totp_secret, later.timestamp())})
    assert done.status_code == 303 and done.headers["location"] == "/account/sessions?failed=1"
    assert client.cookies.get("qalxan") not in (None, pending)
    told = client.get(done.headers["location"])
    assert "Wrong codes entered for your account since you last signed in: 1." in told.text
    assert pending is not None
    with platform.sessions() as session:
        assert session.get_one(SessionRow, crypto.token_digest(pending)).revoked_at is not None
    assert "since you last signed in" not in sign_in_page(client, handler, later)


def sign_in_page(client: TestClient, staff: Staff, at: datetime) -> str:
    """A second full sign-in in this browser; the page it lands on."""
    client.post("/login", data={"email": staff.email, "password": staff.password})
    csrf = CSRF.search(client.get("/login/totp").text)
    assert csrf is not None
    return client.post("/login/totp", data={
        "csrf_token": csrf.group(1),
        "code": two_factor.current_code(staff.totp_secret, at.timestamp() + 30)}).text
