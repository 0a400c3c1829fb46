"""How routes declare who may call them. Every route depends on exactly one requirement:

- ``api(permission)``: an API call with a bearer token whose role and scopes grant the permission;
- ``page(permission)``: a staff page with a signed-in, two-factor-verified session (and a valid
  CSRF token on every unsafe method);
- ``public(reason)``: a page or call anyone may use (intake, receipt follow-up, sign-in); the
  actor is the anonymous defender and the reason is documented.

A test walks ``app.routes`` and fails on any route without one. The service layer checks the
permission again and adds the object-level checks, so a route cannot weaken them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request

from qalxan.errors import NotAuthenticated, PermissionDenied
from qalxan.security.access import DEFENDER, Actor, Permission
from qalxan.security.crypto import constant_time_equal
from qalxan.services import auth, tokens
from qalxan.services.context import Platform

SESSION_COOKIE_SECURE = "__Host-qalxan"
SESSION_COOKIE_PLAIN = "qalxan"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def session_cookie_name(platform: Platform) -> str:
    return SESSION_COOKIE_SECURE if platform.settings.secure_cookies else SESSION_COOKIE_PLAIN


@dataclass(frozen=True)
class ApiRequirement:
    permission: Permission

    def __call__(self, request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthenticated("send an API token as 'Authorization: Bearer <token>'")
        platform = platform_of(request)
        actor = platform.run(DEFENDER, tokens.resolve_token, secret.strip())
        actor.require(self.permission)
        return actor


@dataclass(frozen=True)
class PageRequirement:
    permission: Permission
    allow_unverified: bool = False  # only the two-factor and password pages themselves

    async def __call__(self, request: Request) -> auth.SessionInfo:
        platform = platform_of(request)
        token = request.cookies.get(session_cookie_name(platform))
        if not token:
            raise NotAuthenticated("sign in first")
        info = await platform.run_async(DEFENDER, auth.resolve_session, token)
        if not self.allow_unverified and (not info.totp_verified or info.must_change_password):
            raise NotAuthenticated("finish signing in first")
        if request.method in UNSAFE:
            form = await request.form()
            sent = str(form.get("csrf_token", ""))
            if not constant_time_equal(sent, info.csrf_token):
                raise PermissionDenied("the form has expired; reload the page and try again")
        info.actor.require(self.permission)
        return info


@dataclass(frozen=True)
class PublicRequirement:
    reason: str

    async def __call__(self) -> Actor:  # async: resolved on the event loop, no thread hand-off
        return DEFENDER


def api(permission: Permission) -> Any:
    return Depends(ApiRequirement(permission))


def page(permission: Permission, allow_unverified: bool = False) -> Any:
    return Depends(PageRequirement(permission, allow_unverified))


def public(reason: str) -> Any:
    return Depends(PublicRequirement(reason))


REQUIREMENT_TYPES = (ApiRequirement, PageRequirement, PublicRequirement)
