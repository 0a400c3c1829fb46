"""Reading and verifying the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from qalxan.security import audit
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.store.tables import AuditEvent


@service(Permission.AUDIT_READ)
def verify_chain(ctx: Context) -> audit.VerifyResult:
    result = audit.verify(ctx.session, ctx.keyring)
    ctx.audit("audit.verify", "audit", None, ok=str(result.ok).lower())
    return result


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
