"""Admin page: the retention periods in force (read only: they are settings), when the purge
last ran and how much it removed (counts only), and running it now (a recent sign-in is
asked for, as for other sensitive actions)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.security.access import Permission as P
from qalxan.services import retention_admin
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_INSTANCE_MANAGE = page(P.INSTANCE_MANAGE)
PAGE = "/admin/retention"
RAN = N_("The purge ran; its counts are below.")


@router.get(PAGE, response_class=HTMLResponse)
async def retention_page(request: Request, done: str = "",
                         info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> HTMLResponse:
    found = await platform_of(request).run_async(info.actor, retention_admin.retention_status)
    return render(request, "retention.html", session=info, csrf_token=info.csrf_token,
                  retention=found, notice=RAN if done == "ran" else None)


@router.post(PAGE + "/purge")
async def purge_now(request: Request, info: SessionInfo = NEEDS_INSTANCE_MANAGE) -> Response:
    await platform_of(request).run_async(info.actor, retention_admin.run_purge)
    return redirect(PAGE + "?done=ran")
