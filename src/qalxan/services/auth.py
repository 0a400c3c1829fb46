"""Staff sign-in: password, then TOTP (enrolment on first sign-in), server-side sessions.

Sessions live in the database (only a digest of the cookie value is stored), end after an
idle time and an absolute time, and can be revoked one by one or all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from qalxan.domain.enums import Role
from qalxan.errors import (
    AddressThrottled,
    NotAuthenticated,
    NotFound,
    QalxanError,
    Throttled,
)
from qalxan.security import crypto, passwords
from qalxan.security.access import Actor, Permission
from qalxan.services.accounts import accept_totp, change_password, confirm_totp_enrolment
from qalxan.services.context import Context, as_utc, service
from qalxan.store.tables import LoginAttempt, SessionRow, User

BAD_LOGIN = "wrong e-mail address or password"
ADDRESS_FACTOR = 4  # an address may fail this many times more often than one account
BACKOFF_SECONDS = 1  # the wait after a first wrong code; it doubles with each further one
WRONG_CODE = "that code is not valid or was already used"
WAIT = "wait a few seconds before entering another code"
LOCKED = ("too many wrong codes were entered for this account; it is locked for a while. "
          "Sign in again later")
EXPIRED = "this one-time password has expired; ask an admin of your organisation for a new one"
ADDRESS_LIMITED = ("many failed sign-ins came from your network; enter your password and the "
                   "code from your authenticator app together")


@dataclass(frozen=True, slots=True)
class SignIn:
    token: str  # the cookie value: shown to the browser once, stored only as a digest
    csrf_token: str
    needs_totp: bool
    needs_enrolment: bool
    # wrong second-factor codes for this account that its holder had not been told of
    # (given when this sign-in is complete, i.e. with the code)
    failed_codes: int = 0


@dataclass(frozen=True, slots=True)
class SessionInfo:
    actor: Actor
    session_id: str
    csrf_token: str
    totp_verified: bool
    must_change_password: bool
    display_name: str


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A session raised to a higher privilege, under a new id (and cookie value)."""

    token: str
    csrf_token: str
    failed_codes: int  # wrong codes the holder had not been told of (0 when confirming again)


def _failures(ctx: Context, column: InstrumentedAttribute[str], digest: str) -> int:
    since = ctx.now() - timedelta(minutes=ctx.settings.login_window_minutes)
    stmt = select(func.count()).select_from(LoginAttempt).where(
        column == digest, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    return int(ctx.session.execute(stmt).scalar_one())


def _address_limited(ctx: Context, account: str, address: str) -> bool:
    """Refuse a throttled account outright; say whether the address alone is throttled.

    The address limit never refuses a right password with a right code: behind a reverse
    proxy or an onion service many staff may share one address, which someone failing on
    made-up accounts must not lock out. There, password and code are asked for together and
    any failure gets the same answer, so the limit still tells a guesser nothing.
    """
    limit = ctx.settings.login_max_failures
    if _failures(ctx, LoginAttempt.account_digest, account) >= limit:
        raise Throttled("too many failed sign-ins; wait a few minutes and try again")
    return _failures(ctx, LoginAttempt.address_digest, address) >= limit * ADDRESS_FACTOR


def _second_factor_wait(ctx: Context, user: User) -> tuple[datetime | None, bool]:
    """Until when the account's next code is refused unchecked, and whether that is a lock."""
    failures, last = user.second_factor_failures, user.second_factor_failed_at
    if failures == 0 or last is None:
        return None, False
    if failures >= ctx.settings.second_factor_max_failures:
        return as_utc(last) + timedelta(minutes=ctx.settings.second_factor_lock_minutes), True
    return as_utc(last) + timedelta(seconds=BACKOFF_SECONDS * 2 ** (failures - 1)), False


def _second_factor_locked(ctx: Context, user: User) -> bool:
    until, locked = _second_factor_wait(ctx, user)
    return locked and until is not None and ctx.now() < until


def _refuse_while_waiting(ctx: Context, user: User, row: SessionRow) -> None:
    """A code that comes before the back-off has passed is refused without being checked;
    while the account is locked, the session that sent it ends as well."""
    until, locked = _second_factor_wait(ctx, user)
    if until is None or ctx.now() >= until:
        return
    if not locked:
        raise Throttled(WAIT)
    row.revoked_at = ctx.now()
    ctx.audit("auth.second_factor_refused", "user", user.id, org_id=user.org_id)
    ctx.refuse(Throttled(LOCKED))


def _count_failure(ctx: Context, user: User, row: SessionRow | None, action: str,
                   error: QalxanError) -> NoReturn:
    """Count a wrong code (committed, whatever the caller is told); at the limit, lock the
    account and end the session that sent it and any other not past the second factor."""
    user.second_factor_failures += 1
    user.second_factor_unseen += 1
    user.second_factor_failed_at = ctx.now()
    ctx.audit(action, "user", user.id, org_id=user.org_id)
    if user.second_factor_failures < ctx.settings.second_factor_max_failures:
        ctx.refuse(error)
    if row is not None:
        row.revoked_at = ctx.now()
    ctx.session.execute(update(SessionRow).where(
        SessionRow.user_id == user.id, SessionRow.revoked_at.is_(None),
        SessionRow.totp_verified.is_(False)).values(revoked_at=ctx.now()))
    ctx.audit("auth.second_factor_locked", "user", user.id, org_id=user.org_id,
              failures=str(user.second_factor_failures))
    ctx.refuse(error if isinstance(error, AddressThrottled) else Throttled(LOCKED))


def _second_factor_passed(user: User, at_sign_in: bool) -> int:
    """Reset the count of wrong codes; at a sign-in, hand over those not yet told of."""
    user.second_factor_failures = 0
    user.second_factor_failed_at = None
    if not at_sign_in:
        return 0
    told, user.second_factor_unseen = user.second_factor_unseen, 0
    return told


@service(Permission.AUTHENTICATE)
def sign_in(ctx: Context, email: str, password: str, address: str,
            code: str | None = None) -> SignIn:
    """The password step of a sign-in; a pending session follows, for the code.

    From an address with many failed sign-ins the code must come with the password
    (``code``): then a right pair opens a full session and every failure looks the same.
    """
    account = ctx.keyring.lookup_digest("login|" + email.strip().lower())
    address_digest = ctx.keyring.lookup_digest("address|" + address)
    both_at_once = _address_limited(ctx, account, address_digest)
    if both_at_once and code is None:
        raise AddressThrottled(ADDRESS_LIMITED)
    user = ctx.session.execute(select(User).where(User.email == email.strip().lower())
                               .with_for_update()).scalar_one_or_none()
    if user is None:
        passwords.dummy_verify(ctx.settings)
    # a disabled account's password is checked too: the time taken must not tell them apart
    right = user is not None and passwords.verify_password(
        ctx.settings, user.password_hash, password)
    ok = right and user is not None and user.is_active
    attempt = LoginAttempt(account_digest=account, address_digest=address_digest,
                           succeeded=ok, at=ctx.now())
    ctx.session.add(attempt)
    refusal: QalxanError = AddressThrottled(ADDRESS_LIMITED) if both_at_once \
        else NotAuthenticated(BAD_LOGIN)
    if not ok or user is None:
        ctx.audit("auth.failed", "user", user.id if user else None)
        ctx.refuse(refusal)
    if user.password_expires_at is not None and as_utc(user.password_expires_at) <= ctx.now():
        attempt.succeeded = False
        ctx.audit("auth.password_expired", "user", user.id, org_id=user.org_id)
        ctx.refuse(refusal if both_at_once else NotAuthenticated(EXPIRED))
    if _second_factor_locked(ctx, user):
        attempt.succeeded = False
        ctx.audit("auth.second_factor_refused", "user", user.id, org_id=user.org_id)
        ctx.refuse(refusal if both_at_once else Throttled(LOCKED))
    if passwords.needs_rehash(ctx.settings, user.password_hash):
        user.password_hash = passwords.rehash(ctx.settings, password)
    if not both_at_once:
        return _open_session(ctx, user)
    assert code is not None
    until, _ = _second_factor_wait(ctx, user)
    if until is not None and ctx.now() < until:
        attempt.succeeded = False
        ctx.refuse(refusal)
    if not user.totp_enabled or not accept_totp(ctx, user, code):
        attempt.succeeded = False
        _count_failure(ctx, user, None, "auth.totp_failed", refusal)
    token, csrf = crypto.random_token(), crypto.random_token()
    now = ctx.now()
    ctx.session.add(SessionRow(id=crypto.token_digest(token), user_id=user.id, csrf_token=csrf,
                               totp_verified=True, created_at=now, last_seen_at=now,
                               authenticated_at=now))
    told = _second_factor_passed(user, at_sign_in=True)
    ctx.audit("auth.login", "user", user.id, org_id=user.org_id)
    return SignIn(token, csrf, needs_totp=False, needs_enrolment=False, failed_codes=told)


def _open_session(ctx: Context, user: User) -> SignIn:
    token, csrf = crypto.random_token(), crypto.random_token()
    now = ctx.now()
    ctx.session.add(SessionRow(id=crypto.token_digest(token), user_id=user.id, csrf_token=csrf,
                               totp_verified=False, created_at=now, last_seen_at=now))
    ctx.audit("auth.password_ok", "user", user.id, org_id=user.org_id)
    return SignIn(token, csrf, needs_totp=user.totp_enabled, needs_enrolment=not user.totp_enabled)


def _raise_session(ctx: Context, row: SessionRow, new_csrf: bool,
                   confirmed: bool = True) -> tuple[str, str]:
    """Replace a session by one with a new id (and so a new cookie value), past the second
    factor and, when ``confirmed``, confirmed now: done on every change of privilege, so that
    a session id seen or planted before it is worth nothing after. Its start (for the
    absolute timeout) is kept."""
    token = crypto.random_token()
    csrf = crypto.random_token() if new_csrf else row.csrf_token
    now = ctx.now()
    row.revoked_at = now
    ctx.session.add(SessionRow(id=crypto.token_digest(token), user_id=row.user_id,
                               csrf_token=csrf, totp_verified=True, created_at=row.created_at,
                               last_seen_at=now,
                               authenticated_at=now if confirmed else row.authenticated_at))
    return token, csrf


def _live_session(ctx: Context, token: str) -> tuple[SessionRow, User]:
    row = ctx.session.get(SessionRow, crypto.token_digest(token))
    now = ctx.now()
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("your session has ended; sign in again")
    if _expired(ctx, row):
        row.revoked_at = now
        raise NotAuthenticated("your session has expired; sign in again")
    user = ctx.session.get_one(User, row.user_id)
    if not user.is_active:
        raise NotAuthenticated("this account is disabled")
    return row, user


@service(Permission.AUTHENTICATE)
def verify_second_factor(ctx: Context, token: str, code: str) -> Confirmed:
    """The code step of a sign-in. Wrong codes are counted per account: each makes the next
    wait longer, and too many lock the account and end the session."""
    row, user = _live_session(ctx, token)
    user = ctx.session.get_one(User, user.id, with_for_update=True, populate_existing=True)
    _refuse_while_waiting(ctx, user, row)
    if not user.totp_enabled or not accept_totp(ctx, user, code):
        _count_failure(ctx, user, row, "auth.totp_failed", NotAuthenticated(WRONG_CODE))
    told = _second_factor_passed(user, at_sign_in=True)
    new_token, csrf = _raise_session(ctx, row, new_csrf=True)
    ctx.audit("auth.login", "user", user.id, org_id=user.org_id)
    return Confirmed(new_token, csrf, told)


@service(Permission.ACCOUNT_SELF)
def enrol_second_factor(ctx: Context, token: str, code: str) -> Confirmed:
    """Confirm TOTP enrolment at first sign-in; the confirming code also verifies the session."""
    row, user = _live_session(ctx, token)
    if user.id != ctx.actor.user_id:
        raise NotAuthenticated("your session has ended; sign in again")
    confirm_totp_enrolment(ctx, code)
    told = _second_factor_passed(user, at_sign_in=True)
    new_token, csrf = _raise_session(ctx, row, new_csrf=True)
    ctx.audit("auth.login", "user", user.id, org_id=user.org_id)
    return Confirmed(new_token, csrf, told)


@service(Permission.AUTHENTICATE)
def resolve_session(ctx: Context, token: str) -> SessionInfo:
    """The actor behind a session cookie, refreshing its idle timer."""
    row, user = _live_session(ctx, token)
    if (ctx.now() - as_utc(row.last_seen_at)).total_seconds() > 60:
        row.last_seen_at = ctx.now()
    actor = Actor(kind="user", user_id=user.id, org_id=user.org_id, role=Role(user.role),
                  authenticated_at=as_utc(row.authenticated_at) if row.authenticated_at else None)
    return SessionInfo(actor, row.id, row.csrf_token, row.totp_verified,
                       user.must_change_password, user.display_name)


@service(Permission.ACCOUNT_SELF)
def reauthenticate(ctx: Context, token: str, password: str, code: str) -> Confirmed:
    """Prove again who one is (password and a fresh TOTP code) before a sensitive action.

    Failures count like wrong codes at sign-in (back-off, then a lock that ends this
    session); success replaces the session id (the form token stays, for open pages)."""
    row, user = _live_session(ctx, token)
    user = ctx.session.get_one(User, user.id, with_for_update=True, populate_existing=True)
    if user.id != ctx.actor.user_id:
        raise NotAuthenticated("your session has ended; sign in again")
    _refuse_while_waiting(ctx, user, row)
    if not passwords.verify_password(ctx.settings, user.password_hash, password) or \
            not accept_totp(ctx, user, code):
        _count_failure(ctx, user, row, "auth.reauth_failed",
                       NotAuthenticated("the password or the code is wrong"))
    _second_factor_passed(user, at_sign_in=False)
    new_token, csrf = _raise_session(ctx, row, new_csrf=False)
    ctx.audit("auth.reauthenticated", "user", user.id, org_id=user.org_id)
    return Confirmed(new_token, csrf, 0)


@service(Permission.ACCOUNT_SELF)
def change_own_password(ctx: Context, token: str, current: str, new: str) -> Confirmed:
    """Change one's own password and stay signed in here: every other session ends and this
    one, past its second factor, goes on under a new id. A first sign-in (one-time password,
    then enrolment, then this) is so done in one round, with no second sign-in and no wait
    for a fresh code."""
    row, user = _live_session(ctx, token)
    if user.id != ctx.actor.user_id or not row.totp_verified:
        raise NotAuthenticated("finish signing in first")
    change_password(ctx, current, new)  # ends every session of the account, this one too
    new_token, csrf = _raise_session(ctx, row, new_csrf=False, confirmed=False)
    return Confirmed(new_token, csrf, 0)


@service(Permission.AUTHENTICATE)
def sign_out(ctx: Context, token: str) -> None:
    row = ctx.session.get(SessionRow, crypto.token_digest(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = ctx.now()
        ctx.audit("auth.logout", "user", row.user_id)


@dataclass(frozen=True, slots=True)
class SessionView:
    """One of the signed-in user's own sessions, as the sessions page shows it."""

    id: str  # the digest of the cookie value (the cookie itself is never stored)
    created_at: datetime
    last_seen_at: datetime
    authenticated_at: datetime | None
    totp_verified: bool
    current: bool


def _expired(ctx: Context, row: SessionRow) -> bool:
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    absolute = timedelta(hours=ctx.settings.session_absolute_hours)
    now = ctx.now()
    return as_utc(row.last_seen_at) + idle < now or as_utc(row.created_at) + absolute < now


@service(Permission.ACCOUNT_SELF)
def my_sessions(ctx: Context, current_id: str | None = None) -> list[SessionView]:
    """The caller's own live sessions (never anyone else's), oldest first."""
    stmt = select(SessionRow).where(SessionRow.user_id == ctx.actor.user_id,
                                    SessionRow.revoked_at.is_(None))
    rows = ctx.session.execute(stmt.order_by(SessionRow.created_at, SessionRow.id)).scalars()
    return [SessionView(r.id, as_utc(r.created_at), as_utc(r.last_seen_at),
                        as_utc(r.authenticated_at) if r.authenticated_at else None,
                        r.totp_verified, r.id == current_id)
            for r in rows if not _expired(ctx, r)]


@service(Permission.ACCOUNT_SELF)
def end_session(ctx: Context, session_id: str) -> None:
    """End one of the caller's own sessions; anyone else's is reported as missing."""
    row = ctx.session.get(SessionRow, session_id)
    if row is None or row.user_id != ctx.actor.user_id or row.revoked_at is not None:
        raise NotFound("no such session")
    row.revoked_at = ctx.now()
    ctx.audit("auth.session_ended", "user", ctx.actor.user_id)


@service(Permission.ACCOUNT_SELF)
def end_other_sessions(ctx: Context, current_id: str) -> int:
    """End every live session of the caller except ``current_id``; returns how many ended."""
    result = ctx.session.execute(
        update(SessionRow).where(SessionRow.user_id == ctx.actor.user_id,
                                 SessionRow.revoked_at.is_(None), SessionRow.id != current_id)
        .values(revoked_at=ctx.now()))
    ended = int(result.rowcount or 0)  # type: ignore[attr-defined]
    ctx.audit("auth.sessions_ended", "user", ctx.actor.user_id, count=str(ended))
    return ended
