"""Confirming who one is (password and a fresh TOTP code) before a sensitive action, when the
last sign-in is older than the services allow; then back to the page the action was on.

A sensitive action refused for that reason sends the browser here instead of to an error page
(``errors.render_error_page``); the action itself is done again after confirming.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.errors import NotAuthenticated, Throttled
from qalxan.security.access import Permission as P
from qalxan.services import auth
from qalxan.services.auth import SessionInfo
from qalxan.web.deps import page, platform_of, session_cookie_name
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.navigation import safe_local
from qalxan.web.ui.rendering import redirect, render
from qalxan.web.ui.signin import with_session_cookie

router = APIRouter(include_in_schema=False)
SIGNED_IN = page(P.ACCOUNT_SELF)
WRONG = N_("The password or the code is wrong.")


def confirm_link(back: str) -> str:
    return f"/account/confirm?next={safe_local(back)}"


@router.get("/account/confirm", response_class=HTMLResponse)
def confirm_form(request: Request, back: str = Query("/", alias="next"),
                 info: SessionInfo = SIGNED_IN) -> HTMLResponse:
    return render(request, "confirm.html", session=info, csrf_token=info.csrf_token,
                  back=safe_local(back))


@router.post("/account/confirm", response_class=HTMLResponse)
async def confirm(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    form = await request.form()
    password, code, back = (str(form.get(name, "")) for name in ("password", "code", "next"))
    token = request.cookies.get(session_cookie_name(platform_of(request)), "")
    platform = platform_of(request)
    try:
        raised = await platform.run_async(info.actor, auth.reauthenticate, token, password,
                                          code)
    except Throttled as exc:  # a wait before the next try, or locked (the session has ended)
        return render(request, "confirm.html", status=exc.status, session=info,
                      csrf_token=info.csrf_token, back=safe_local(back), detail=exc.detail)
    except NotAuthenticated:
        return render(request, "confirm.html", status=401, session=info,
                      csrf_token=info.csrf_token, back=safe_local(back), problem=WRONG)
    return with_session_cookie(redirect(safe_local(back)), platform, raised.token)
