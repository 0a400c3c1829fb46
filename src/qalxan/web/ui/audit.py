"""The audit log: the newest events of the organisation, and whether the hash chain holds."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from qalxan.security.access import Permission as P
from qalxan.services import audit_log
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.rendering import render

router = APIRouter(include_in_schema=False)
NEEDS_AUDIT_READ = page(P.AUDIT_READ)
PAGE_SIZE = 100


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, before: int | None = Query(None, ge=1),
               info: SessionInfo = NEEDS_AUDIT_READ) -> HTMLResponse:
    platform = platform_of(request)
    verified = platform.run(info.actor, audit_log.verify_chain)
    events = platform.run(info.actor, audit_log.recent_events, PAGE_SIZE, before)
    older = events[-1].seq if len(events) == PAGE_SIZE else None
    return render(request, "audit.html", session=info, csrf_token=info.csrf_token,
                  verified=verified, events=events, older=older)
