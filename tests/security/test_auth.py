"""Staff sign-in: Argon2id, TOTP with replay rejection, throttling, revocable sessions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from qalxan.config import Settings
from qalxan.domain.enums import Role
from qalxan.errors import (
    AddressThrottled,
    Conflict,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    ReauthenticationRequired,
    Throttled,
)
from qalxan.security import passwords, two_factor
from qalxan.security.access import ANONYMOUS, DEFENDER, SYSTEM, Actor, Permission
from qalxan.services import accounts, auth, cases, tokens
from qalxan.services.context import (
    REAUTH_MINUTES,
    SHORT_TOKEN_MINUTES,
    Context,
    Platform,
    service,
)
from qalxan.services.schemas import TokenInput, UserInput
from qalxan.store.tables import AuditEvent, DataKeyRow, User
from tests.conftest import Staff, StaffFactory


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


def test_one_client_cannot_lock_every_staff_member_out(platform: Platform,
                                                        handler: Staff) -> None:
    """Review finding 4: failures for made-up accounts from one address (all staff share
    it behind a proxy or an onion service) never refuse a right password with a right code;
    there, password and code are asked for together and every failure looks the same."""
    shared = "127.0.0.1"
    for n in range(platform.settings.login_max_failures * auth.ADDRESS_FACTOR):
        with pytest.raises(NotAuthenticated):
            platform.run(ANONYMOUS, auth.sign_in, f"made-up-{n}@example.org", "x" * 16, shared)
    with pytest.raises(AddressThrottled):  # the password alone is not enough here now
        sign_in(platform, handler, address=shared)
    now = platform.clock().timestamp()
    right, wrong = two_factor.current_code(handler.totp_secret, now), \
        _wrong_code(handler.totp_secret, now)
    with pytest.raises(AddressThrottled) as bad_code:
        platform.run(ANONYMOUS, auth.sign_in, handler.email, handler.password, shared, wrong)
    with pytest.raises(AddressThrottled) as bad_password:
        platform.run(ANONYMOUS, auth.sign_in, handler.email, "not the password at all",
                     shared, right)
    assert bad_code.value.detail == bad_password.value.detail  # nothing told apart
    later = platform.clock() + timedelta(seconds=2)  # past the wait after the wrong code
    _at(platform, later)
    done = platform.run(ANONYMOUS, auth.sign_in, handler.email, handler.password, shared,
                        two_factor.current_code(handler.totp_secret, later.timestamp()))
    assert not done.needs_totp and done.failed_codes == 1
    assert platform.run(DEFENDER, auth.resolve_session, done.token).totp_verified
    assert sign_in(platform, handler, address="10.0.0.7").needs_totp  # elsewhere: as before


def test_a_disabled_account_costs_a_password_check_like_any_other(
        platform: Platform, handler: Staff, admin: Staff,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding 18: a disabled account's password is checked with Argon2 like an
    active one's, so the time taken does not tell them apart."""
    platform.run(admin.actor, accounts.deactivate_user, handler.id)
    checked: list[str] = []
    real = passwords.verify_password

    def counting(settings: Settings, stored: str, password: str) -> bool:
        checked.append(stored)
        return real(settings, stored, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    with pytest.raises(NotAuthenticated) as refused:
        sign_in(platform, handler)
    assert refused.value.detail == auth.BAD_LOGIN and len(checked) == 1


def test_one_time_passwords_expire(platform: Platform, admin: Staff) -> None:
    """Review finding 18: a one-time password stops working after
    ``one_time_password_hours``; an admin can issue a new one."""
    view, one_time = platform.run(admin.actor, accounts.create_user, UserInput(
        email="new@example.org", display_name="New", role=Role.ANALYST))
    start = platform.clock()
    _at(platform, start + timedelta(hours=platform.settings.one_time_password_hours, seconds=1))
    with pytest.raises(NotAuthenticated, match="expired"):
        platform.run(ANONYMOUS, auth.sign_in, view.email, one_time, "10.0.0.1")
    fresh = Actor(kind="user", user_id=admin.id, org_id=admin.actor.org_id, role=Role.ADMIN,
                  authenticated_at=platform.clock())
    _, renewed = platform.run(fresh, accounts.reset_password, view.id)
    assert platform.run(ANONYMOUS, auth.sign_in, view.email, renewed, "10.0.0.1").needs_enrolment
    with pytest.raises(NotAuthenticated):
        platform.run(ANONYMOUS, auth.sign_in, view.email, one_time, "10.0.0.1")


def test_creating_accounts_and_other_grants_need_a_recent_sign_in(
        platform: Platform, admin: Staff, handler: Staff) -> None:
    """Review finding 3: a session whose sign-in is hours old may not create an account (and
    learn its one-time password), reset a password, make a token, or grant case access."""
    stale = Actor(kind="user", user_id=admin.id, org_id=admin.actor.org_id, role=Role.ADMIN,
                  authenticated_at=platform.clock() - timedelta(hours=3))
    with pytest.raises(ReauthenticationRequired):
        platform.run(stale, accounts.create_user, UserInput(
            email="boss@example.org", display_name="Boss", role=Role.ADMIN))
    with pytest.raises(ReauthenticationRequired):
        platform.run(stale, accounts.reset_password, handler.id)
    with pytest.raises(ReauthenticationRequired):
        platform.run(stale, tokens.create_token, TokenInput(name="t", scopes=["case:list"]))
    with pytest.raises(ReauthenticationRequired):
        platform.run(stale, cases.grant_access, "any-case", handler.id)
    with platform.sessions() as session:
        assert session.execute(select(User).where(User.email == "boss@example.org")
                               ).scalar_one_or_none() is None


def test_an_address_in_use_elsewhere_is_refused_without_saying_whose(
        platform: Platform, admin: Staff, make_staff: StaffFactory, other_org: str) -> None:
    """Review finding 19d: a partner organisation's admin learns nothing about who works for
    another organisation from the refusal."""
    theirs = make_staff(Role.CASE_HANDLER, other_org)
    partner_admin = make_staff(Role.ADMIN, other_org)
    with pytest.raises(Conflict) as refused:
        platform.run(partner_admin.actor, accounts.create_user, UserInput(
            email=admin.email, display_name="Probe", role=Role.ANALYST))
    with pytest.raises(Conflict) as own:
        platform.run(partner_admin.actor, accounts.create_user, UserInput(
            email=theirs.email, display_name="Probe", role=Role.ANALYST))
    assert refused.value.detail == own.value.detail
    assert "exists" not in refused.value.detail and "user" not in refused.value.detail


def test_tokens_for_exports_deletion_and_accounts_are_short_lived(
        platform: Platform, admin: Staff) -> None:
    """Review finding 19e: a token with an export, delete or account scope expires minutes
    after it is made, and any action that needs a recent sign-in is refused to an older
    token, as it is to an older web session."""
    view, secret = platform.run(admin.actor, tokens.create_token,
                                TokenInput(name="export", scopes=["case:export", "case:list"],
                                           expires_in_days=30))
    assert view.expires_at is not None
    assert view.expires_at - view.created_at == timedelta(minutes=SHORT_TOKEN_MINUTES)
    _, plain = platform.run(admin.actor, tokens.create_token,
                            TokenInput(name="grants", scopes=["case:update"]))
    actor = platform.run(DEFENDER, tokens.resolve_token, plain)
    _at(platform, platform.clock() + timedelta(minutes=SHORT_TOKEN_MINUTES + 1))
    with pytest.raises(NotAuthenticated):
        platform.run(DEFENDER, tokens.resolve_token, secret)
    actor = platform.run(DEFENDER, tokens.resolve_token, plain)
    with pytest.raises(ReauthenticationRequired):
        platform.run(actor, cases.grant_access, "any-case", admin.id)


def test_the_users_api_can_succeed_with_a_short_lived_token(
        platform: Platform, admin: Staff) -> None:
    """Review finding 19f: ``user:manage`` is a token scope (a short-lived one), so the
    users API has a way to succeed."""
    _, secret = platform.run(admin.actor, tokens.create_token,
                             TokenInput(name="accounts", scopes=["user:manage"]))
    actor = platform.run(DEFENDER, tokens.resolve_token, secret)
    view, one_time = platform.run(actor, accounts.create_user, UserInput(
        email="scripted@example.org", display_name="Scripted", role=Role.ANALYST))
    assert view.org_id == admin.actor.org_id and one_time


def test_instance_manage_checks_the_host_organisation_in_the_permission_check(
        platform: Platform, make_staff: StaffFactory, intake_org: str, other_org: str) -> None:
    """Review finding (also): ``instance:manage`` holds only for the host organisation's
    admins in the permission check itself, so a new service cannot forget it."""

    @service(Permission.INSTANCE_MANAGE)
    def instance_wide(ctx: Context) -> str:
        return "done"

    partner = make_staff(Role.ADMIN, other_org)
    with pytest.raises(PermissionDenied, match="organisation that runs this instance"):
        platform.run(partner.actor, instance_wide)
    assert platform.run(make_staff(Role.ADMIN, intake_org).actor, instance_wide) == "done"


def test_viewing_the_enrolment_page_again_makes_no_new_data_key(
        platform: Platform, intake_org: str) -> None:
    """Review finding 18: each view of ``/account/totp`` showed a new secret under a new
    data key; now the pending secret is shown again until it is confirmed."""
    view, _ = platform.run(SYSTEM, accounts.create_user, UserInput(
        email="fresh@example.org", display_name="Fresh", role=Role.ANALYST,
        org_id=intake_org), "a long enough passphrase here")
    actor = Actor(kind="user", user_id=view.id, org_id=intake_org, role=Role.ANALYST)

    def keys() -> int:
        with platform.sessions() as session:
            return int(session.execute(select(func.count()).select_from(DataKeyRow)).scalar_one())

    first, _ = platform.run(actor, accounts.begin_totp_enrolment)
    before = keys()
    second, _ = platform.run(actor, accounts.begin_totp_enrolment)
    assert second == first and keys() == before


def test_a_new_one_time_password_ends_a_lock_for_wrong_codes(
        platform: Platform, handler: Staff, admin: Staff) -> None:
    """Review finding 1: whoever guessed codes loses the password with a reset, so the lock
    ends with it; the holder is still told of the wrong codes."""
    signin = sign_in(platform, handler)
    moment = platform.clock()
    limit = platform.settings.second_factor_max_failures
    for failures in range(limit):
        moment += timedelta(seconds=2 ** failures)
        _at(platform, moment)
        with pytest.raises((NotAuthenticated, Throttled)):
            platform.run(DEFENDER, auth.verify_second_factor, signin.token,
                         _wrong_code(handler.totp_secret, moment.timestamp()))
    with pytest.raises(Throttled, match="locked"):
        sign_in(platform, handler)
    fresh = Actor(kind="user", user_id=admin.id, org_id=admin.actor.org_id, role=Role.ADMIN,
                  authenticated_at=moment)
    _, one_time = platform.run(fresh, accounts.reset_password, handler.id)
    again = platform.run(ANONYMOUS, auth.sign_in, handler.email, one_time, "10.0.0.1")
    done = platform.run(DEFENDER, auth.verify_second_factor, again.token,
                        two_factor.current_code(handler.totp_secret, moment.timestamp() + 30))
    assert done.failed_codes == limit
