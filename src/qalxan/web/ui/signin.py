"""Staff sign-in: password, then a TOTP code (or TOTP enrolment on first sign-in), then a
password change when the account still has its one-time password, after which the browser
stays signed in (one round, no second sign-in); and signing out.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from qalxan.errors import AddressThrottled, InvalidInput, NotAuthenticated, QalxanError, Throttled
from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import accounts, auth
from qalxan.services.auth import SessionInfo
from qalxan.services.context import Platform
from qalxan.web.deps import page, platform_of, public, session_cookie_name
from qalxan.web.ui.i18n import N_
from qalxan.web.ui.origin import require_same_origin
from qalxan.web.ui.qr import grouped, qr_svg
from qalxan.web.ui.rendering import redirect, render

router = APIRouter(include_in_schema=False)

SIGN_IN = public("staff sign in with a password before they have a session")
SIGNED_IN = page(P.ACCOUNT_SELF, allow_unverified=True)
HOME = "/cases"
OBSERVER_HOME = "/dashboard"  # for roles that see aggregates only
NOTICES = {
    "signed-out": N_("You have signed out."),
}
MISMATCH = N_("The two new passwords are not the same.")


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _token(request: Request) -> str:
    return request.cookies.get(session_cookie_name(platform_of(request)), "")


def with_session_cookie(response: Response, platform: Platform, token: str) -> Response:
    response.set_cookie(session_cookie_name(platform), token, httponly=True, samesite="strict",
                        path="/", secure=platform.settings.secure_cookies)
    return response


def without_cookie(response: Response, platform: Platform) -> Response:
    response.delete_cookie(session_cookie_name(platform), path="/", httponly=True,
                           samesite="strict", secure=platform.settings.secure_cookies)
    return response


def _home(info: SessionInfo) -> str:
    if info.must_change_password:
        return "/account/password"
    return HOME if P.CASE_LIST in info.actor.permissions() else OBSERVER_HOME


def _signed_in(failed_codes: int, home: str) -> str:
    """Where a complete sign-in goes: home, or first the sessions page with word of the
    wrong codes entered for this account since its holder last signed in."""
    if failed_codes:
        return f"/account/sessions?failed={failed_codes}"
    return home


def _next_step(info: SessionInfo) -> str:
    return _home(info) if info.totp_verified else "/login/totp"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, done: str = "", actor: Actor = SIGN_IN) -> Response:
    """The sign-in form; a browser already past the second factor goes on where it left off."""
    token = _token(request)
    if token:
        try:
            info = platform_of(request).run(actor, auth.resolve_session, token)
        except NotAuthenticated:
            info = None
        if info is not None and info.totp_verified:
            return redirect(_next_step(info))
    return render(request, "login.html", notice=NOTICES.get(done))


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, actor: Actor = SIGN_IN) -> Response:
    require_same_origin(request)
    form = await request.form()
    platform = platform_of(request)
    address = request.client.host if request.client else "unknown"
    code = _field(form, "code") if "code" in form else None
    try:
        result = await platform.run_async(actor, auth.sign_in, _field(form, "email"),
                                          _field(form, "password"), address, code)
    except QalxanError as exc:
        return render(request, "login.html", status=exc.status, detail=exc.detail,
                      email=_field(form, "email"), ask_code=isinstance(exc, AddressThrottled))
    if result.needs_enrolment:
        target = "/account/totp"
    elif result.needs_totp:
        target = "/login/totp"
    else:  # password and code together, from a throttled address
        target = _signed_in(result.failed_codes, HOME)
    return with_session_cookie(redirect(target), platform, result.token)


@router.get("/login/totp", response_class=HTMLResponse)
def totp_form(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    if info.totp_verified:
        return redirect(_next_step(info))
    return render(request, "totp.html", session=info, csrf_token=info.csrf_token)


@router.post("/login/totp", response_class=HTMLResponse)
async def totp(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    code = _field(await request.form(), "code")
    platform = platform_of(request)
    try:
        raised = await platform.run_async(info.actor, auth.verify_second_factor,
                                          _token(request), code)
    except Throttled as exc:  # locked: the session has ended; or a wait before the next code
        return render(request, "totp.html", status=exc.status, session=info,
                      csrf_token=info.csrf_token, detail=exc.detail)
    except NotAuthenticated as exc:
        return render(request, "totp.html", status=401, session=info,
                      csrf_token=info.csrf_token, detail=exc.detail)
    return with_session_cookie(redirect(_signed_in(raised.failed_codes, _home(info))), platform,
                        raised.token)


@router.get("/account/totp", response_class=HTMLResponse)
def enrol_form(request: Request, info: SessionInfo = SIGNED_IN) -> HTMLResponse:
    secret, uri = platform_of(request).run(info.actor, accounts.begin_totp_enrolment)
    return render(request, "enrol.html", session=info, csrf_token=info.csrf_token,
                  secret=grouped(secret), uri=uri, qr=qr_svg(uri))


@router.post("/account/totp", response_class=HTMLResponse)
async def enrol(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    code = _field(await request.form(), "code")
    platform = platform_of(request)
    try:
        raised = await platform.run_async(info.actor, auth.enrol_second_factor,
                                          _token(request), code)
    except InvalidInput as exc:
        return render(request, "enrol.html", status=422, session=info,
                      csrf_token=info.csrf_token, secret=None, detail=exc.detail)
    return with_session_cookie(redirect(_signed_in(raised.failed_codes, _home(info))), platform,
                        raised.token)


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    if not info.totp_verified:
        return redirect(_next_step(info))
    return render(request, "password.html", session=info, csrf_token=info.csrf_token)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    if not info.totp_verified:
        return redirect(_next_step(info))
    form = await request.form()
    new = _field(form, "new_password")
    if new != _field(form, "repeat_password"):
        return render(request, "password.html", status=422, session=info,
                      csrf_token=info.csrf_token, problem=MISMATCH)
    platform = platform_of(request)
    try:
        raised = await platform.run_async(info.actor, auth.change_own_password,
                                          _token(request), _field(form, "current_password"),
                                          new)
    except InvalidInput as exc:
        return render(request, "password.html", status=422, session=info,
                      csrf_token=info.csrf_token, detail=exc.detail)
    # signed in still, here alone: the other sessions have ended
    home = HOME if P.CASE_LIST in info.actor.permissions() else OBSERVER_HOME
    return with_session_cookie(redirect(home), platform, raised.token)


@router.post("/logout")
def logout(request: Request, info: SessionInfo = SIGNED_IN) -> Response:
    platform = platform_of(request)
    platform.run(info.actor, auth.sign_out, _token(request))
    return without_cookie(redirect("/login?done=signed-out"), platform)
