"""Staff sign-in: password, then TOTP (enrolment on first sign-in), server-side sessions.

Sessions live in the database (only a digest of the cookie value is stored), end after an
idle time and an absolute time, and can be revoked one by one or all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from qalxan.domain.enums import Role
from qalxan.errors import NotAuthenticated, NotFound, Throttled
from qalxan.security import crypto, passwords
from qalxan.security.access import Actor, Permission
from qalxan.services.accounts import accept_totp, confirm_totp_enrolment
from qalxan.services.context import Context, as_utc, service
from qalxan.store.tables import LoginAttempt, SessionRow, User

BAD_LOGIN = "wrong e-mail address or password"
ADDRESS_FACTOR = 4  # an address may fail this many times more often than one account


@dataclass(frozen=True, slots=True)
class SignIn:
    token: str  # the cookie value: shown to the browser once, stored only as a digest
    csrf_token: str
    needs_totp: bool
    needs_enrolment: bool


@dataclass(frozen=True, slots=True)
class SessionInfo:
    actor: Actor
    session_id: str
    csrf_token: str
    totp_verified: bool
    must_change_password: bool
    display_name: str


def _failures(ctx: Context, column: InstrumentedAttribute[str], digest: str) -> int:
    since = ctx.now() - timedelta(minutes=ctx.settings.login_window_minutes)
    stmt = select(func.count()).select_from(LoginAttempt).where(
        column == digest, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    return int(ctx.session.execute(stmt).scalar_one())


def _check_throttle(ctx: Context, account: str, address: str) -> None:
    limit = ctx.settings.login_max_failures
    if _failures(ctx, LoginAttempt.account_digest, account) >= limit or \
            _failures(ctx, LoginAttempt.address_digest, address) >= limit * ADDRESS_FACTOR:
        raise Throttled("too many failed sign-ins; wait a few minutes and try again")


@service(Permission.AUTHENTICATE)
def sign_in(ctx: Context, email: str, password: str, address: str) -> SignIn:
    account = ctx.keyring.lookup_digest("login|" + email.strip().lower())
    address_digest = ctx.keyring.lookup_digest("address|" + address)
    _check_throttle(ctx, account, address_digest)
    user = ctx.session.execute(select(User).where(User.email == email.strip().lower())
                               ).scalar_one_or_none()
    ok = user is not None and user.is_active and passwords.verify_password(
        ctx.settings, user.password_hash, password)
    if user is None:
        passwords.dummy_verify(ctx.settings)
    attempt = LoginAttempt(account_digest=account, address_digest=address_digest,
                           succeeded=ok, at=ctx.now())
    ctx.session.add(attempt)
    if not ok or user is None:
        ctx.audit("auth.failed", "user", user.id if user else None)
        ctx.keep_events_on_error()
        ctx.kept_rows.append(LoginAttempt(account_digest=account, address_digest=address_digest,
                                          succeeded=False, at=attempt.at))
        raise NotAuthenticated(BAD_LOGIN)
    if passwords.needs_rehash(ctx.settings, user.password_hash):
        user.password_hash = passwords.rehash(ctx.settings, password)
    return _open_session(ctx, user)


def _open_session(ctx: Context, user: User) -> SignIn:
    token, csrf = crypto.random_token(), crypto.random_token()
    now = ctx.now()
    ctx.session.add(SessionRow(id=crypto.token_digest(token), user_id=user.id, csrf_token=csrf,
                               totp_verified=False, created_at=now, last_seen_at=now))
    ctx.audit("auth.password_ok", "user", user.id, org_id=user.org_id)
    return SignIn(token, csrf, needs_totp=user.totp_enabled, needs_enrolment=not user.totp_enabled)


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
def verify_second_factor(ctx: Context, token: str, code: str) -> None:
    row, user = _live_session(ctx, token)
    user = ctx.session.get_one(User, user.id, with_for_update=True)
    if not user.totp_enabled or not accept_totp(ctx, user, code):
        ctx.audit("auth.totp_failed", "user", user.id, org_id=user.org_id)
        ctx.keep_events_on_error()
        raise NotAuthenticated("that code is not valid or was already used")
    row.totp_verified = True
    row.authenticated_at = ctx.now()
    ctx.audit("auth.login", "user", user.id, org_id=user.org_id)


@service(Permission.ACCOUNT_SELF)
def enrol_second_factor(ctx: Context, token: str, code: str) -> None:
    """Confirm TOTP enrolment at first sign-in; the confirming code also verifies the session."""
    row, user = _live_session(ctx, token)
    if user.id != ctx.actor.user_id:
        raise NotAuthenticated("your session has ended; sign in again")
    confirm_totp_enrolment(ctx, code)
    row.totp_verified = True
    row.authenticated_at = ctx.now()
    ctx.audit("auth.login", "user", user.id, org_id=user.org_id)


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
def reauthenticate(ctx: Context, token: str, password: str, code: str) -> None:
    """Prove again who one is (password and a fresh TOTP code) before a sensitive action."""
    row, user = _live_session(ctx, token)
    user = ctx.session.get_one(User, user.id, with_for_update=True)
    if user.id != ctx.actor.user_id or not passwords.verify_password(
            ctx.settings, user.password_hash, password) or not accept_totp(ctx, user, code):
        ctx.audit("auth.reauth_failed", "user", user.id, org_id=user.org_id)
        ctx.keep_events_on_error()
        raise NotAuthenticated("the password or the code is wrong")
    row.authenticated_at = ctx.now()
    ctx.audit("auth.reauthenticated", "user", user.id, org_id=user.org_id)


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
