"""Staff sign-in: Argon2id, TOTP with replay rejection, throttling, revocable sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qalxan.config import Settings
from qalxan.domain.enums import Role
from qalxan.errors import InvalidInput, NotAuthenticated, ReauthenticationRequired, Throttled
from qalxan.security import passwords, two_factor
from qalxan.security.access import ANONYMOUS, DEFENDER, Actor
from qalxan.services import accounts, auth
from qalxan.services.context import REAUTH_MINUTES, Platform
from tests.conftest import Staff


def sign_in(platform: Platform, staff: Staff, password: str | None = None,
            address: str = "10.0.0.1") -> auth.SignIn:
    return platform.run(ANONYMOUS, auth.sign_in, staff.email, password or staff.password, address)


def test_production_argon2_parameters() -> None:
    settings = Settings()
    hashed = passwords.hash_password(settings, "a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_password_length_policy() -> None:
    with pytest.raises(InvalidInput, match="at least 14"):
        passwords.check_policy("short")
    with pytest.raises(InvalidInput, match="at most"):
        passwords.check_policy("x" * 257)


@pytest.mark.parametrize(("password", "reason"), [
    ("1qaz2wsx3edc4rfv", "breached"),
    ("iseedeadpeople", "breached"),
    ("aaaaaaaaaaaaaaaa", "easy to guess"),
    ("qwertyuiopasdfgh", "breached|easy to guess"),
])
def test_breached_and_guessable_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        passwords.check_policy(password)


def test_a_password_made_of_the_users_own_details_is_refused() -> None:
    with pytest.raises(InvalidInput, match="e-mail address or name"):
        passwords.check_policy("leyla.mammadova2024", ("leyla.mammadova@example.org",))


def test_generated_one_time_passwords_meet_the_policy() -> None:
    for _ in range(20):
        passwords.check_policy(passwords.generate_password())


def test_login_rehashes_when_parameters_change(platform: Platform, handler: Staff) -> None:
    platform.settings.argon2_time_cost = 2
    sign_in(platform, handler)
    from sqlalchemy import select

    from qalxan.store.tables import User
    with platform.sessions() as s:
        stored = s.execute(select(User.password_hash).where(User.id == handler.id)).scalar_one()
    assert ",t=2," in stored
    assert sign_in(platform, handler).token


def test_sign_in_with_password_then_totp(platform: Platform, handler: Staff) -> None:
    signin = sign_in(platform, handler)
    assert signin.needs_totp and not signin.needs_enrolment
    info = platform.run(DEFENDER, auth.resolve_session, signin.token)
    assert not info.totp_verified
    platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                 two_factor.current_code(handler.totp_secret))
    assert platform.run(DEFENDER, auth.resolve_session, signin.token).totp_verified


def test_totp_code_cannot_be_replayed(platform: Platform, handler: Staff) -> None:
    code = two_factor.current_code(handler.totp_secret)
    first = sign_in(platform, handler)
    platform.run(DEFENDER, auth.verify_second_factor, first.token, code)
    second = sign_in(platform, handler)
    with pytest.raises(NotAuthenticated, match="already used"):
        platform.run(DEFENDER, auth.verify_second_factor, second.token, code)


def test_wrong_password_and_unknown_account_look_the_same(platform: Platform,
                                                          handler: Staff) -> None:
    with pytest.raises(NotAuthenticated) as wrong:
        sign_in(platform, handler, "wrong password entirely")
    with pytest.raises(NotAuthenticated) as unknown:
        platform.run(ANONYMOUS, auth.sign_in, "nobody@example.org", "whatever password", "x")
    assert wrong.value.detail == unknown.value.detail


def test_login_throttle_is_per_account(platform: Platform, handler: Staff,
                                       make_staff: object, intake_org: str) -> None:
    for _ in range(platform.settings.login_max_failures):
        with pytest.raises(NotAuthenticated):
            sign_in(platform, handler, "wrong password entirely", address="10.0.0.9")
    with pytest.raises(Throttled):
        sign_in(platform, handler, address="10.0.0.10")  # right password, still throttled
    other = make_staff(Role.CASE_HANDLER, intake_org)  # type: ignore[operator]
    assert sign_in(platform, other, address="10.0.0.9").token  # another account is unaffected


def test_sessions_expire_when_idle(platform: Platform, handler: Staff) -> None:
    signin = sign_in(platform, handler)
    start = platform.clock()
    platform.clock = lambda: start + timedelta(minutes=platform.settings.session_idle_minutes + 1)
    with pytest.raises(NotAuthenticated, match="expired"):
        platform.run(DEFENDER, auth.resolve_session, signin.token)


def test_password_change_revokes_all_sessions(platform: Platform, handler: Staff) -> None:
    signin = sign_in(platform, handler)
    platform.run(handler.actor, accounts.change_password, handler.password,
                 "a brand new long passphrase")
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, auth.resolve_session, signin.token)


def test_role_change_revokes_sessions(platform: Platform, handler: Staff, admin: Staff) -> None:
    signin = sign_in(platform, handler)
    platform.run(admin.actor, accounts.change_role, handler.id, Role.ANALYST)
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, auth.resolve_session, signin.token)


def test_sign_out_ends_the_session(platform: Platform, handler: Staff) -> None:
    signin = sign_in(platform, handler)
    platform.run(DEFENDER, auth.sign_out, signin.token)
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, auth.resolve_session, signin.token)


def _session_actor(platform: Platform, staff: Staff) -> tuple[str, Actor]:
    signin = sign_in(platform, staff)
    platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                 two_factor.current_code(staff.totp_secret, platform.clock().timestamp()))
    return signin.token, platform.run(DEFENDER, auth.resolve_session, signin.token).actor


def test_sensitive_actions_need_a_recent_sign_in(platform: Platform, admin: Staff,
                                                 handler: Staff) -> None:
    token, actor = _session_actor(platform, admin)
    start = platform.clock()
    platform.clock = lambda: start + timedelta(minutes=REAUTH_MINUTES + 1)
    actor = platform.run(DEFENDER, auth.resolve_session, token).actor
    with pytest.raises(ReauthenticationRequired):
        platform.run(actor, accounts.change_role, handler.id, Role.ANALYST)
    code = two_factor.current_code(admin.totp_secret, platform.clock().timestamp())
    with pytest.raises(NotAuthenticated):
        platform.run(actor, auth.reauthenticate, token, "not the password at all", code)
    platform.run(actor, auth.reauthenticate, token, admin.password, code)
    fresh = platform.run(DEFENDER, auth.resolve_session, token).actor
    assert platform.run(fresh, accounts.change_role, handler.id, Role.ANALYST).role == "analyst"


def test_a_fresh_sign_in_counts_as_recent(platform: Platform, admin: Staff,
                                          handler: Staff) -> None:
    _, actor = _session_actor(platform, admin)
    assert platform.run(actor, accounts.deactivate_user, handler.id).is_active is False
