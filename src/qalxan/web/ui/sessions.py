"""The signed-in staff member's own sessions: when each began and was last used, ending one
of them, or all the others at once. Ending the session in use signs this browser out.

The services look only at the caller's own sessions: another user's session id is reported
as missing.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.security.access import Permission as P
from qalxan.services import auth
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render
from qalxan.web.ui.signin import without_cookie

router = APIRouter(include_in_schema=False)
SIGNED_IN = page(P.ACCOUNT_SELF)
PAGE = "/account/sessions"
NOTICES = {
    "ended": N_("The session was ended."),
    "others": N_("All your other sessions were ended."),
}


@router.get(PAGE, response_class=HTMLResponse)
async def sessions_page(request: Request, done: str = "",
                        failed: int = Query(0, ge=0, le=1_000_000),
                        info: SessionInfo = SIGNED_IN) -> HTMLResponse:
    """``failed``: wrong codes entered for the account since its holder last signed in,
    told once, right after signing in."""
    rows = await platform_of(request).run_async(info.actor, auth.my_sessions, info.session_id)
    return render(request, "sessions.html", session=info, csrf_token=info.csrf_token,
                  sessions=rows, notice=NOTICES.get(done), failed=failed)


@router.post(PAGE + "/{session_id}/end")
async def end_session(session_id: str, request: Request,
                      info: SessionInfo = SIGNED_IN) -> Response:
    platform = platform_of(request)
    await platform.run_async(info.actor, auth.end_session, session_id)
    if session_id == info.session_id:
        return without_cookie(redirect("/login?done=signed-out"), platform)
    return redirect(PAGE + "?done=ended")


@router.post(PAGE + "/end-others")
async def end_others(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    await platform_of(request).run_async(info.actor, auth.end_other_sessions, info.session_id)
    return redirect(PAGE + "?done=others")
