"""Staff sign-in: Argon2id, TOTP with replay rejection, throttling, revocable sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from qalxan.config import Settings
from qalxan.domain.enums import Role
from qalxan.errors import InvalidInput, NotAuthenticated, ReauthenticationRequired, Throttled
from qalxan.security import passwords, two_factor
from qalxan.security.access import ANONYMOUS, DEFENDER, Actor
from qalxan.services import accounts, auth
from qalxan.services.context import REAUTH_MINUTES, Platform
from qalxan.store.tables import AuditEvent, User
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
    verified = platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                            two_factor.current_code(handler.totp_secret))
    assert platform.run(DEFENDER, auth.resolve_session, verified.token).totp_verified


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
    token = platform.run(DEFENDER, auth.verify_second_factor, signin.token, two_factor.current_code(
        staff.totp_secret, platform.clock().timestamp())).token
    return token, platform.run(DEFENDER, auth.resolve_session, token).actor


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
    platform.clock = lambda: start + timedelta(minutes=REAUTH_MINUTES + 1, seconds=2)  # back-off
    token = platform.run(actor, auth.reauthenticate, token, admin.password, code).token
    fresh = platform.run(DEFENDER, auth.resolve_session, token).actor
    assert platform.run(fresh, accounts.change_role, handler.id, Role.ANALYST).role == "analyst"


def test_a_fresh_sign_in_counts_as_recent(platform: Platform, admin: Staff,
                                          handler: Staff) -> None:
    _, actor = _session_actor(platform, admin)
    assert platform.run(actor, accounts.deactivate_user, handler.id).is_active is False


def _wrong_code(secret: str, at: float) -> str:
    """A well-formed code that matches none of the steps accepted at ``at``."""
    taken = {two_factor.current_code(secret, at + shift) for shift in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in taken)


def _at(platform: Platform, moment: datetime) -> None:
    platform.clock = lambda: moment


def test_second_factor_guessing_locks_the_account(platform: Platform, handler: Staff) -> None:
    """Review finding 1: wrong TOTP codes after a right password are counted per account;
    each makes the next wait longer, and a few lock the account and end the pending session;
    the holder is told at the next sign-in."""
    start = platform.clock()
    _at(platform, start)
    signin = sign_in(platform, handler)
    wrong = _wrong_code(handler.totp_secret, start.timestamp())
    outcomes = []
    for _ in range(300):  # a burst, as fast as the server answers
        try:
            platform.run(DEFENDER, auth.verify_second_factor, signin.token, wrong)
        except (NotAuthenticated, Throttled) as exc:
            outcomes.append(type(exc))
    assert outcomes[0] is NotAuthenticated and set(outcomes[1:]) == {Throttled}
    right = two_factor.current_code(handler.totp_secret, start.timestamp())
    with pytest.raises(Throttled, match="wait"):  # not even checked during the back-off
        platform.run(DEFENDER, auth.verify_second_factor, signin.token, right)
    limit = platform.settings.second_factor_max_failures
    moment = start
    for failures in range(1, limit):  # each wrong code doubles the wait
        moment += timedelta(seconds=2 ** (failures - 1))
        _at(platform, moment)
        expected = Throttled if failures == limit - 1 else NotAuthenticated
        with pytest.raises(expected):
            platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                         _wrong_code(handler.totp_secret, moment.timestamp()))
    with pytest.raises(NotAuthenticated, match="ended"):  # the pending session has ended
        platform.run(DEFENDER, auth.resolve_session, signin.token)
    with pytest.raises(Throttled, match="locked"):  # the right password does not reopen it
        sign_in(platform, handler)
    later = moment + timedelta(minutes=platform.settings.second_factor_lock_minutes, seconds=1)
    _at(platform, later)
    again = sign_in(platform, handler)
    done = platform.run(DEFENDER, auth.verify_second_factor, again.token,
                        two_factor.current_code(handler.totp_secret, later.timestamp()))
    assert done.failed_codes == limit  # told once, at this sign-in
    with platform.sessions() as session:
        user = session.get_one(User, handler.id)
        assert (user.second_factor_failures, user.second_factor_unseen) == (0, 0)
        actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("auth.totp_failed") == limit and "auth.second_factor_locked" in actions


def test_reauthentication_guessing_locks_the_account_and_ends_the_session(
        platform: Platform, admin: Staff) -> None:
    """Review finding 1: confirming a sensitive action counts wrong codes like a sign-in;
    the session that guessed ends at the lock."""
    token, actor = _session_actor(platform, admin)
    start = platform.clock()
    moment = start
    limit = platform.settings.second_factor_max_failures
    for failures in range(1, limit + 1):
        moment = start + timedelta(seconds=2 ** failures)
        _at(platform, moment)
        with pytest.raises(NotAuthenticated if failures < limit else Throttled):
            platform.run(actor, auth.reauthenticate, token, admin.password,
                         _wrong_code(admin.totp_secret, moment.timestamp()))
        if failures == limit:
            break
        with pytest.raises(Throttled):  # straight away: wait first
            platform.run(actor, auth.reauthenticate, token, admin.password,
                         two_factor.current_code(admin.totp_secret, moment.timestamp()))
    with pytest.raises(NotAuthenticated, match="ended"):
        platform.run(DEFENDER, auth.resolve_session, token)


def test_the_session_id_is_replaced_on_every_change_of_privilege(
        platform: Platform, admin: Staff) -> None:
    """Review finding 18: the second factor and a confirmation each give the session a new
    id; the id from before no longer works."""
    signin = sign_in(platform, admin)
    verified = platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                            two_factor.current_code(admin.totp_secret))
    assert verified.token != signin.token and verified.csrf_token != signin.csrf_token
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, auth.resolve_session, signin.token)
    info = platform.run(DEFENDER, auth.resolve_session, verified.token)
    later = platform.clock() + timedelta(seconds=31)
    _at(platform, later)
    confirmed = platform.run(info.actor, auth.reauthenticate, verified.token, admin.password,
                             two_factor.current_code(admin.totp_secret, later.timestamp()))
    assert confirmed.token != verified.token and confirmed.csrf_token == verified.csrf_token
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, auth.resolve_session, verified.token)
    assert platform.run(DEFENDER, auth.resolve_session, confirmed.token).totp_verified
