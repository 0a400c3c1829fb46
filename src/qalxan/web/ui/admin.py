"""Admin pages: the organisation's staff accounts, adding one (its one-time password shown
once), changing a role, a new one-time password, deactivating an account. The services check
``user:manage`` again, keep admins to their own organisation, and ask for a recent sign-in
for every change (adding an account included: it grants access)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from qalxan.domain.enums import TLP, Role
from qalxan.errors import InvalidInput
from qalxan.security.access import Permission as P
from qalxan.services import accounts
from qalxan.services.auth import SessionInfo
from qalxan.services.schemas import UserInput
from qalxan.web.deps import page, platform_of
from qalxan.web.ui.forms import staff_input
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)
NEEDS_USER_MANAGE = page(P.USER_MANAGE)


async def _users_page(request: Request, info: SessionInfo, status: int = 200,
                **extra: object) -> HTMLResponse:
    users = await platform_of(request).run_async(info.actor, accounts.list_users)
    return render(request, "users.html", status=status, session=info,
                  csrf_token=info.csrf_token, users=users, roles=list(Role), tlps=list(TLP),
                  **extra)


@router.get("/admin/users", response_class=HTMLResponse)
async def users(request: Request, info: SessionInfo = NEEDS_USER_MANAGE) -> HTMLResponse:
    return await _users_page(request, info)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user(request: Request, info: SessionInfo = NEEDS_USER_MANAGE) -> HTMLResponse:
    form = await request.form()
    data = staff_input(UserInput, {
        "email": _text(form, "email"), "display_name": _text(form, "display_name"),
        "role": _text(form, "role"), "clearance": _text(form, "clearance") or "amber"})
    view, one_time = await platform_of(request).run_async(info.actor, accounts.create_user, data)
    return await _users_page(request, info, created=view, one_time=one_time)


@router.post("/admin/users/{user_id}/role")
async def change_role(user_id: str, request: Request,
                      info: SessionInfo = NEEDS_USER_MANAGE) -> Response:
    raw = _text(await request.form(), "role")
    try:
        role = Role(raw)
    except ValueError:
        raise InvalidInput("please check: role") from None
    await platform_of(request).run_async(info.actor, accounts.change_role, user_id, role)
    return redirect("/admin/users")


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
async def reset_password(user_id: str, request: Request,
                         info: SessionInfo = NEEDS_USER_MANAGE) -> HTMLResponse:
    """A new one-time password for a staff member, shown once; their sessions end."""
    view, one_time = await platform_of(request).run_async(info.actor, accounts.reset_password,
                                                          user_id)
    return await _users_page(request, info, created=view, one_time=one_time)


@router.post("/admin/users/{user_id}/deactivate")
async def deactivate(user_id: str, request: Request,
                     info: SessionInfo = NEEDS_USER_MANAGE) -> Response:
    await platform_of(request).run_async(info.actor, accounts.deactivate_user, user_id)
    return redirect("/admin/users")
