"""The signed-in staff member's own API tokens: the list, making one (its secret shown once)
and revoking one. Making a token needs a recent sign-in (the services ask for it, and the
browser is sent to confirm first); tokens with export, deletion or account scopes expire
minutes after they are made. Nobody else's tokens are ever shown or revoked here.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from qalxan.security.access import ROLE_PERMISSIONS, SHORT_LIVED_SCOPES, TOKEN_SCOPES
from qalxan.security.access import Permission as P
from qalxan.services import tokens
from qalxan.services.auth import SessionInfo
from qalxan.services.schemas import TokenInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import staff_input
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_TOKEN_MANAGE = page(P.TOKEN_MANAGE)
PAGE = "/account/tokens"
NOTICES = {"revoked": N_("The token was revoked.")}


def _scopes(info: SessionInfo) -> list[str]:
    """The scopes this member may put on a token: their role's, as far as tokens hold them."""
    role = info.actor.role
    granted = ROLE_PERMISSIONS[role] if role else frozenset()
    return sorted(p.value for p in granted if p.value in TOKEN_SCOPES)


async def _page(request: Request, info: SessionInfo, status: int = 200,
                **extra: object) -> HTMLResponse:
    mine = await platform_of(request).run_async(info.actor, tokens.list_tokens)
    return render(request, "tokens.html", status=status, session=info,
                  csrf_token=info.csrf_token, tokens=mine, scopes=_scopes(info),
                  short_lived=SHORT_LIVED_SCOPES, **extra)


@router.get(PAGE, response_class=HTMLResponse)
async def tokens_page(request: Request, done: str = "",
                      info: SessionInfo = NEEDS_TOKEN_MANAGE) -> HTMLResponse:
    return await _page(request, info, notice=NOTICES.get(done))


@router.post(PAGE, response_class=HTMLResponse)
async def make_token(request: Request, info: SessionInfo = NEEDS_TOKEN_MANAGE) -> HTMLResponse:
    form = await request.form()
    days = str(form.get("expires_in_days", "")).strip()
    data = staff_input(TokenInput, {
        "name": str(form.get("name", "")).strip(),
        "scopes": [str(v) for v in form.getlist("scopes")],
        "expires_in_days": days or None})
    made, secret = await platform_of(request).run_async(info.actor, tokens.create_token, data)
    return await _page(request, info, made=made, secret=secret)


@router.post(PAGE + "/{token_id}/revoke")
async def revoke(token_id: str, request: Request,
                 info: SessionInfo = NEEDS_TOKEN_MANAGE) -> Response:
    await platform_of(request).run_async(info.actor, tokens.revoke_token, token_id)
    return redirect(PAGE + "?done=revoked")
