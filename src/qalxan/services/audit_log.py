"""Reading and verifying the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from qalxan.security import audit
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.store.tables import AuditEvent


@service(Permission.AUDIT_READ)
def verify_chain(ctx: Context, expected: audit.ChainHead | None = None) -> audit.VerifyResult:
    """Check the whole chain; with ``expected`` (a head recorded earlier, e.g. in a backup's
    header) also that the chain still holds that event unchanged."""
    result = audit.verify(ctx.session, ctx.keyring, expected)
    details = {} if expected is None else {"expected_seq": str(expected.seq)}
    ctx.audit("audit.verify", "audit", None, ok=str(result.ok).lower(), **details)
    return result


@service(Permission.AUDIT_READ)
def chain_head(ctx: Context) -> audit.ChainHead:
    """The newest event's sequence number and MAC, to keep a copy of elsewhere (reading it
    adds no event: the head shown is the chain's head)."""
    return audit.head(ctx.session)


@service(Permission.AUDIT_READ)
def recent_events(ctx: Context, limit: int = 100, before: int | None = None) -> list[AuditEvent]:
    """Newest events first; admins see their organisation's events, the system sees all."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(min(limit, 500))
    if before is not None:
        stmt = stmt.where(AuditEvent.seq < before)
    if ctx.actor.kind != "system":
        stmt = stmt.where(AuditEvent.org_id == ctx.actor.org_id)
    ctx.audit("audit.read", "audit", None)
    return list(ctx.session.execute(stmt).scalars())
