"""Reading and verifying the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from qalxan.errors import InvalidInput
from qalxan.security import audit
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.store.tables import ApiToken, AuditEvent, User

PAGE_LIMIT = 500


@service(Permission.AUDIT_READ)
def verify_chain(ctx: Context, expected: audit.ChainHead | None = None) -> audit.VerifyResult:
    """Check the whole chain; with ``expected`` (a head recorded earlier, e.g. in a backup's
    header) also that the chain still holds that event unchanged."""
    result = audit.verify(ctx.session, ctx.keyring, expected)
    details = {} if expected is None else {"expected_seq": str(expected.seq)}
    ctx.audit("audit.verify", "audit", None, ok=str(result.ok).lower(), **details)
    return result


@dataclass(frozen=True)
class AuditFilter:
    """What the reader narrows the trail to; every field optional. ``actor`` is an actor label
    as stored (``user:ID``, ``token:ID``, ``system``, ``defender``); ``action`` an exact action
    or a prefix ending in a dot (``case.``); ``object_id`` a case's (or any object's) id."""

    actor: str | None = None
    action: str | None = None
    object_id: str | None = None
    since: date | None = None
    until: date | None = None

    def checked(self) -> AuditFilter:
        """Refuse what cannot be an id or a code, before it reaches a query or the trail."""
        if self.object_id is not None:
            try:
                uuid.UUID(self.object_id)
            except ValueError:
                raise InvalidInput("object: give the id of a case or other record") from None
        if self.action is not None and not _is_code(self.action.rstrip(".")):
            raise InvalidInput("action: letters, digits, dots and underscores only")
        if self.actor is not None and not _is_actor(self.actor):
            raise InvalidInput("actor: choose one from the list")
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("from: must not be after to")
        return self


def _is_code(text: str) -> bool:
    return 0 < len(text) <= 60 and all(c.isascii() and (c.isalnum() or c in "._") for c in text)


def _is_actor(text: str) -> bool:
    if text in {"system", "defender"}:
        return True
    kind, _, ident = text.partition(":")
    try:
        return kind in {"user", "token"} and bool(uuid.UUID(ident))
    except ValueError:
        return False


def _filtered(stmt: Select[AuditEvent], wanted: AuditFilter) -> Select[AuditEvent]:
    if wanted.actor:
        stmt = stmt.where(AuditEvent.actor == wanted.actor)
    if wanted.action:
        stmt = stmt.where(AuditEvent.action.startswith(wanted.action, autoescape=True)
                          if wanted.action.endswith(".") else AuditEvent.action == wanted.action)
    if wanted.object_id:
        stmt = stmt.where(AuditEvent.object_id == wanted.object_id)
    if wanted.since:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(wanted.since, time.min))
    if wanted.until:
        stmt = stmt.where(AuditEvent.at < datetime.combine(wanted.until + timedelta(days=1),
                                                           time.min))
    return stmt


@service(Permission.AUDIT_READ)
def chain_head(ctx: Context) -> audit.ChainHead:
    """The newest event's sequence number and MAC, to keep a copy of elsewhere (reading it
    adds no event: the head shown is the chain's head)."""
    return audit.head(ctx.session)


@service(Permission.AUDIT_READ)
def recent_events(ctx: Context, limit: int = 100, before: int | None = None,
                  wanted: AuditFilter | None = None) -> list[AuditEvent]:
    """Newest events first; admins see their organisation's events, the system sees all."""
    wanted = (wanted or AuditFilter()).checked()
    stmt = _filtered(select(AuditEvent), wanted).order_by(AuditEvent.seq.desc())
    stmt = stmt.limit(min(limit, PAGE_LIMIT))
    if before is not None:
        stmt = stmt.where(AuditEvent.seq < before)
    if ctx.actor.kind != "system":
        stmt = stmt.where(AuditEvent.org_id == ctx.actor.org_id)
    ctx.audit("audit.read", "audit", None, **_described(wanted))
    return list(ctx.session.execute(stmt).scalars())


def _described(wanted: AuditFilter) -> dict[str, str]:
    """The filter as audit details: ids, codes and dates only (checked before)."""
    names = {"actor": "by", "action": "of", "object_id": "about", "since": "from",
             "until": "to"}
    return {names[k]: str(v) for k, v in vars(wanted).items() if v is not None}


@dataclass(frozen=True)
class ActorName:
    label: str  # as stored in the trail
    name: str  # display name, or the token's name and its owner's
    role: str | None


@service(Permission.AUDIT_READ)
def actor_names(ctx: Context) -> dict[str, ActorName]:
    """Who the actors of the reader's trail are: the organisation's staff and their tokens
    (the system sees everyone's), by the label the trail holds."""
    users = select(User)
    if ctx.actor.kind != "system":
        users = users.where(User.org_id == ctx.actor.org_id)
    names: dict[str, ActorName] = {}
    staff = {u.id: u for u in ctx.session.execute(users).scalars()}
    for user in staff.values():
        names[f"user:{user.id}"] = ActorName(f"user:{user.id}", user.display_name, user.role)
    tokens = select(ApiToken).where(ApiToken.user_id.in_(staff))
    for token in ctx.session.execute(tokens).scalars():
        owner = staff[token.user_id]
        names[f"token:{token.id}"] = ActorName(f"token:{token.id}",
                                               f"{token.name} ({owner.display_name})", owner.role)
    return names
