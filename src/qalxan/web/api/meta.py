"""Health, the taxonomy, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from qalxan import __version__, taxonomy
from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import audit_log
from qalxan.web.deps import api, platform_of, public

router = APIRouter(tags=["meta"])


class AuditEventView(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    details: dict[str, str]


class AuditVerification(BaseModel):
    ok: bool
    events: int
    first_bad_seq: int | None
    problem: str | None


@router.get("/health")
def health(_: Actor = public("load balancers check liveness")) -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/taxonomy")
def get_taxonomy(_: Actor = public("the threat vocabulary is public")) -> list[dict[str, str]]:
    return [{"code": c.code, "label": c.label, "description": c.description,
             "parent": c.parent or ""} for c in taxonomy.CODES.values()]


@router.get("/audit/events", response_model=list[AuditEventView])
def audit_events(request: Request, limit: int = Query(100, ge=1, le=500),
                 before: int | None = Query(None, ge=1, le=2**62),
                 actor: Actor = api(P.AUDIT_READ)) -> list[AuditEventView]:
    rows = platform_of(request).run(actor, audit_log.recent_events, limit, before)
    return [AuditEventView.model_validate(r, from_attributes=True) for r in rows]


@router.get("/audit/verify", response_model=AuditVerification)
def audit_verify(request: Request, actor: Actor = api(P.AUDIT_READ)) -> AuditVerification:
    result = platform_of(request).run(actor, audit_log.verify_chain)
    return AuditVerification(ok=result.ok, events=result.events,
                             first_bad_seq=result.first_bad_seq, problem=result.problem)
