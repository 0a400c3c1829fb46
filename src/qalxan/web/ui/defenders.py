"""The defender's profile page for staff: pseudonymous facts, the cases the viewer may see,
threat types across them, consent, and the name and contact details for those allowed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from qalxan.security.access import Permission as P
from qalxan.services import defenders
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.rendering import render

router = APIRouter(include_in_schema=False)
NEEDS_CASE_READ = page(P.CASE_READ)


@router.get("/defenders/{defender_id}", response_class=HTMLResponse)
async def profile(defender_id: str, request: Request,
                  info: SessionInfo = NEEDS_CASE_READ) -> HTMLResponse:
    found = await platform_of(request).run_async(info.actor, defenders.get_profile, defender_id)
    return render(request, "defender.html", session=info, csrf_token=info.csrf_token,
                  profile=found)
