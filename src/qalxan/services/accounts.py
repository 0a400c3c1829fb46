"""Organisations, staff accounts, passwords and TOTP enrolment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from qalxan.domain.enums import TLP, OrgKind, Role
from qalxan.errors import Conflict, InvalidInput, NotFound
from qalxan.security import passwords, two_factor
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.services.organisations import insert_organisation
from qalxan.services.schemas import UserInput
from qalxan.store.tables import Organisation, SessionRow, User, new_id

ADDRESS_UNAVAILABLE = "this e-mail address cannot be used for a new account; choose another"


@dataclass(frozen=True, slots=True)
class UserView:
    id: str
    org_id: str
    email: str
    display_name: str
    role: str
    clearance: str
    totp_enabled: bool
    is_active: bool
    created_at: datetime


def _view(user: User) -> UserView:
    return UserView(user.id, user.org_id, user.email, user.display_name, user.role,
                    user.clearance, user.totp_enabled, user.is_active, user.created_at)


@service(Permission.SYSTEM)
def create_organisation(ctx: Context, name: str, kind: OrgKind, accepts_intake: bool = False,
                        is_demo: bool = False) -> str:
    return insert_organisation(ctx, name, kind, accepts_intake, is_demo)


def _target_org(ctx: Context, requested: str | None) -> str:
    if ctx.actor.kind == "system":
        if requested is None:
            raise InvalidInput("name the organisation of the new user")
        if ctx.session.get(Organisation, requested) is None:
            raise NotFound("no such organisation")
        return requested
    if requested not in (None, ctx.actor.org_id):
        raise InvalidInput("admins create users in their own organisation only")
    assert ctx.actor.org_id is not None
    return ctx.actor.org_id


@service(Permission.USER_MANAGE)
def create_user(ctx: Context, data: UserInput, password: str | None = None,
                is_demo: bool = False) -> tuple[UserView, str]:
    """Create a staff account; returns it and its one-time password (to change at first
    login, within ``one_time_password_hours``). It grants access: a recent sign-in is needed.

    An address already in use is refused in words that do not say whose it is: an admin
    of one organisation must not learn who works for another. The refusal is audited.
    """
    ctx.require_recent_authentication()
    org_id = _target_org(ctx, data.org_id)
    email = data.email.lower()
    if ctx.session.execute(select(User.id).where(User.email == email)).first():
        ctx.audit("user.create_refused", "user", None, org_id=org_id, reason="address")
        ctx.keep_events_on_error()
        raise Conflict(ADDRESS_UNAVAILABLE)
    one_time = password or passwords.generate_password()
    user = User(id=new_id(), org_id=org_id, email=email, display_name=data.display_name,
                role=data.role.value, clearance=data.clearance.value,
                password_hash=passwords.hash_password(ctx.settings, one_time),
                must_change_password=password is None, is_demo=is_demo, created_at=ctx.now(),
                totp_enabled=False, is_active=True,
                password_expires_at=_one_time_expiry(ctx) if password is None else None)
    ctx.session.add(user)
    ctx.audit("user.create", "user", user.id, org_id=org_id, role=user.role)
    return _view(user), one_time


def _one_time_expiry(ctx: Context) -> datetime:
    return ctx.now() + timedelta(hours=ctx.settings.one_time_password_hours)


@service(Permission.USER_MANAGE)
def list_users(ctx: Context) -> list[UserView]:
    stmt = select(User).order_by(User.email)
    if ctx.actor.kind != "system":
        stmt = stmt.where(User.org_id == ctx.actor.org_id)
    ctx.audit("user.list", "user", None)
    return [_view(u) for u in ctx.session.execute(stmt).scalars()]


def _managed_user(ctx: Context, user_id: str) -> User:
    user = ctx.session.get(User, user_id)
    if user is None or (ctx.actor.kind != "system" and user.org_id != ctx.actor.org_id):
        raise NotFound("no such user")
    return user


def revoke_sessions(ctx: Context, user_id: str) -> None:
    ctx.session.execute(update(SessionRow).where(SessionRow.user_id == user_id,
                                                 SessionRow.revoked_at.is_(None))
                        .values(revoked_at=ctx.now()))


@service(Permission.USER_MANAGE)
def change_role(ctx: Context, user_id: str, role: Role) -> UserView:
    ctx.require_recent_authentication()
    user = _managed_user(ctx, user_id)
    user.role = role.value
    revoke_sessions(ctx, user.id)
    ctx.audit("user.role", "user", user.id, org_id=user.org_id, role=role.value)
    return _view(user)


@service(Permission.USER_MANAGE)
def change_clearance(ctx: Context, user_id: str, clearance: TLP) -> UserView:
    ctx.require_recent_authentication()
    user = _managed_user(ctx, user_id)
    user.clearance = clearance.value
    ctx.audit("user.clearance", "user", user.id, org_id=user.org_id, clearance=clearance.value)
    return _view(user)


@service(Permission.USER_MANAGE)
def reset_password(ctx: Context, user_id: str) -> tuple[UserView, str]:
    """A new one-time password for a staff member who lost theirs (or whose one-time password
    expired): the old one stops working, their sessions end, a lock for wrong codes ends, and
    they choose a new password at their next sign-in. Their second factor stays as it was."""
    ctx.require_recent_authentication()
    user = _managed_user(ctx, user_id)
    one_time = passwords.generate_password()
    user.password_hash = passwords.hash_password(ctx.settings, one_time)
    user.must_change_password = True
    user.password_expires_at = _one_time_expiry(ctx)
    # whoever guessed codes with the old password has it no more: the lock ends (the holder
    # is still told of the wrong codes at their next sign-in)
    user.second_factor_failures, user.second_factor_failed_at = 0, None
    revoke_sessions(ctx, user.id)
    ctx.audit("user.password_reset", "user", user.id, org_id=user.org_id)
    return _view(user), one_time


@service(Permission.USER_MANAGE)
def deactivate_user(ctx: Context, user_id: str) -> UserView:
    ctx.require_recent_authentication()
    user = _managed_user(ctx, user_id)
    user.is_active = False
    revoke_sessions(ctx, user.id)
    ctx.audit("user.deactivate", "user", user.id, org_id=user.org_id)
    return _view(user)


def _me(ctx: Context) -> User:
    if ctx.actor.user_id is None:
        raise NotFound("no such user")
    return ctx.session.get_one(User, ctx.actor.user_id)


@service(Permission.ACCOUNT_SELF)
def change_password(ctx: Context, current: str, new: str) -> None:
    user = _me(ctx)
    if not passwords.verify_password(ctx.settings, user.password_hash, current):
        raise InvalidInput("the current password is wrong")
    if new == current:
        raise InvalidInput("choose a password different from the current one")
    user.password_hash = passwords.hash_password(ctx.settings, new,
                                                 (user.email, user.display_name))
    user.must_change_password = False
    user.password_expires_at = None
    revoke_sessions(ctx, user.id)
    ctx.audit("user.password", "user", user.id)


@service(Permission.ACCOUNT_SELF)
def begin_totp_enrolment(ctx: Context) -> tuple[str, str]:
    """The TOTP secret to enrol (sealed, not yet active) and its provisioning URI for the app.

    Showing the page again shows the same secret: one data key per enrolment, not per view.
    """
    user = _me(ctx)
    if user.totp_enabled:
        raise Conflict("two-factor authentication is already set up for this account")
    pending = totp_secret(ctx, user)
    if pending is not None:
        return pending, two_factor.provisioning_uri(pending, user.email)
    secret = two_factor.new_secret()
    key_id = ctx.vault.new_key(None)
    user.totp_key_id = key_id
    user.totp_secret_sealed = ctx.vault.seal_text(key_id, "totp", user.id, secret)
    user.totp_last_step = 0
    ctx.audit("user.totp_begin", "user", user.id)
    return secret, two_factor.provisioning_uri(secret, user.email)


def totp_secret(ctx: Context, user: User) -> str | None:
    if user.totp_key_id is None or user.totp_secret_sealed is None:
        return None
    return ctx.vault.open_text(user.totp_key_id, "totp", user.id, user.totp_secret_sealed)


def accept_totp(ctx: Context, user: User, code: str) -> bool:
    """Check a code against the user's secret; a code's time step is accepted only once."""
    secret = totp_secret(ctx, user)
    if secret is None:
        return False
    step = two_factor.matching_step(secret, code, user.totp_last_step, ctx.now().timestamp())
    if step is None:
        return False
    user.totp_last_step = step
    return True


@service(Permission.ACCOUNT_SELF)
def confirm_totp_enrolment(ctx: Context, code: str) -> None:
    user = _me(ctx)
    if user.totp_enabled:
        raise Conflict("two-factor authentication is already set up for this account")
    if not accept_totp(ctx, user, code):
        raise InvalidInput("that code is not valid; check the time on your device and retry")
    user.totp_enabled = True
    ctx.audit("user.totp_enabled", "user", user.id)
