"""API tokens: scoped, revocable, expiring; only a digest of the secret is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from qalxan.domain.enums import Role
from qalxan.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from qalxan.security import crypto
from qalxan.security.access import (
    ROLE_PERMISSIONS,
    SHORT_LIVED_SCOPES,
    TOKEN_SCOPES,
    Actor,
    Permission,
)
from qalxan.services.context import SHORT_TOKEN_MINUTES, Context, as_utc, service
from qalxan.services.schemas import TokenInput
from qalxan.store.tables import ApiToken, User, new_id

PREFIX = "qlx_"


@dataclass(frozen=True, slots=True)
class TokenView:
    id: str
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _view(t: ApiToken) -> TokenView:
    return TokenView(t.id, t.name, list(t.scopes), t.created_at, t.expires_at, t.revoked_at,
                     t.last_used_at)


def choosable_scopes(role: Role) -> list[str]:
    """The scopes a token of a user with ``role`` can hold: the role's own permissions that
    tokens may carry, and intake (which anyone may use)."""
    allowed = {p.value for p in ROLE_PERMISSIONS[role]} | {Permission.PUBLIC_INTAKE.value}
    return sorted(TOKEN_SCOPES & allowed)


def _check_scopes(role: Role, scopes: list[str]) -> list[str]:
    choosable = choosable_scopes(role)
    refused = sorted(set(scopes) - set(choosable))
    if refused:  # unknown or beyond the role alike: name only what can be chosen
        raise InvalidInput(f"scope(s) a {role.value} cannot give a token: {', '.join(refused)};"
                           f" choose from: {', '.join(choosable)}")
    return sorted(set(scopes))


def _refuse_taken_name(ctx: Context, user: User, name: str) -> None:
    """A user's live tokens have distinct names, so a list or a revocation by name is clear."""
    taken = ctx.session.execute(select(ApiToken.id).where(
        ApiToken.user_id == user.id, ApiToken.name == name,
        ApiToken.revoked_at.is_(None))).first()
    if taken:
        raise Conflict(f"a token named {name!r} exists already; revoke it or choose another name")


def _owner(ctx: Context, user_id: str | None) -> User:
    target = user_id or ctx.actor.user_id
    user = ctx.session.get(User, target) if target else None
    if user is None or (ctx.actor.kind != "system" and user.id != ctx.actor.user_id):
        raise NotFound("no such user")
    return user


@service(Permission.TOKEN_MANAGE)
def create_token(ctx: Context, data: TokenInput,
                 user_id: str | None = None) -> tuple[TokenView, str]:
    """Create a token for the acting user (or, from the CLI, for a named user), after a
    recent sign-in. A token with a scope of actions that need a recent sign-in (export,
    deletion, staff accounts) expires ``SHORT_TOKEN_MINUTES`` after it is made.

    A token cannot create tokens: a leaked token must not be able to outlive its revocation.
    """
    if ctx.actor.kind == "token":
        raise PermissionDenied("API tokens cannot create tokens; use the web interface or CLI")
    ctx.require_recent_authentication()
    user = _owner(ctx, user_id)
    scopes = _check_scopes(Role(user.role), data.scopes)
    _refuse_taken_name(ctx, user, data.name)
    secret = PREFIX + crypto.random_token()
    now = ctx.now()
    expires = now + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    if SHORT_LIVED_SCOPES.intersection(scopes):
        short = now + timedelta(minutes=SHORT_TOKEN_MINUTES)
        expires = min(expires, short) if expires else short
    token = ApiToken(id=new_id(), user_id=user.id, name=data.name,
                     secret_digest=crypto.token_digest(secret), scopes=scopes,
                     created_at=now, expires_at=expires)
    ctx.session.add(token)
    ctx.audit("token.create", "token", token.id, org_id=user.org_id, scopes=",".join(scopes))
    return _view(token), secret


@service(Permission.TOKEN_MANAGE)
def revoke_token(ctx: Context, token_id: str) -> TokenView:
    token = ctx.session.get(ApiToken, token_id)
    if token is None or (ctx.actor.kind != "system" and token.user_id != ctx.actor.user_id):
        raise NotFound("no such token")
    if token.revoked_at is None:
        token.revoked_at = ctx.now()
        ctx.audit("token.revoke", "token", token.id)
    return _view(token)


@service(Permission.TOKEN_MANAGE)
def list_tokens(ctx: Context, user_id: str | None = None) -> list[TokenView]:
    user = _owner(ctx, user_id)
    rows = ctx.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)
                               .order_by(ApiToken.created_at)).scalars()
    return [_view(t) for t in rows]


@service(Permission.AUTHENTICATE)
def resolve_token(ctx: Context, secret: str) -> Actor:
    """The actor an API token stands for; revoked, expired or unknown tokens are refused."""
    token = ctx.session.execute(select(ApiToken).where(
        ApiToken.secret_digest == crypto.token_digest(secret))).scalar_one_or_none()
    now = ctx.now()
    if token is None or token.revoked_at is not None or (
            token.expires_at is not None and as_utc(token.expires_at) <= now):
        raise NotAuthenticated("this API token is unknown, revoked or expired")
    user = ctx.session.get_one(User, token.user_id)
    if not user.is_active:
        raise NotAuthenticated("the owner of this API token is disabled")
    if token.last_used_at is None or (now - as_utc(token.last_used_at)).total_seconds() > 60:
        token.last_used_at = now
    return Actor(kind="token", user_id=user.id, org_id=user.org_id, role=Role(user.role),
                 token_id=token.id, scopes=frozenset(token.scopes),
                 authenticated_at=as_utc(token.created_at))
