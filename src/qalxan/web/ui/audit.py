"""The audit log: the organisation's events, newest first, narrowed by actor, action, case and
date, with each actor's name and role, and whether the hash chain holds."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from qalxan.errors import InvalidInput
from qalxan.security.access import Permission as P
from qalxan.services import audit_log
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.rendering import render

router = APIRouter(include_in_schema=False)
NEEDS_AUDIT_READ = page(P.AUDIT_READ)
PAGE_SIZE = 100


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, before: int | None = Query(None, ge=1, le=2**62),
               actor: str | None = Query(None, max_length=80),
               action: str | None = Query(None, max_length=80),
               case: str | None = Query(None, max_length=80),
               since: date | None = Query(None, alias="from"),
               until: date | None = Query(None, alias="to"),
               info: SessionInfo = NEEDS_AUDIT_READ) -> HTMLResponse:
    platform = platform_of(request)
    wanted = audit_log.AuditFilter(_blank(actor), _blank(action), _blank(case), since, until)
    verified = platform.run(info.actor, audit_log.verify_chain)
    names = platform.run(info.actor, audit_log.actor_names)
    try:
        events = platform.run(info.actor, audit_log.recent_events, PAGE_SIZE, before, wanted)
        problem = None
    except InvalidInput as exc:
        events, problem = [], exc.detail
    query = {k: v for k, v in (("actor", wanted.actor), ("action", wanted.action),
                               ("case", wanted.object_id), ("from", since), ("to", until)) if v}
    older = (f"/audit?{urlencode({**query, 'before': events[-1].seq})}"
             if len(events) == PAGE_SIZE else None)
    return render(request, "audit.html", session=info, csrf_token=info.csrf_token,
                  verified=verified, events=events, older=older, names=names,
                  wanted=wanted, problem=problem, filtered=bool(query),
                  newest="/audit?" + urlencode(query) if before else None)
