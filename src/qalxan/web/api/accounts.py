"""Staff accounts and API tokens.

Tokens are made on the account's tokens page or with ``qalxan token create``, never through
the API: a token must not be able to make tokens that outlive its revocation. Creating
accounts, changing roles and clearances, and resetting passwords need a recent sign-in: from
the API, a token made in the last minutes, and a token with ``user:manage`` expires that
soon after it is made (``services/tokens.py``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from qalxan.domain.enums import TLP, Role
from qalxan.security.access import Actor
from qalxan.security.access import Permission as P
from qalxan.services import accounts, tokens
from qalxan.services.schemas import Input, UserInput
from qalxan.web.deps import api, platform_of

router = APIRouter(tags=["accounts"])


class CreatedUser(BaseModel):
    user: accounts.UserView
    one_time_password: str


class RoleChange(Input):
    role: Role


class ClearanceChange(Input):
    clearance: TLP


@router.get("/users", response_model=list[accounts.UserView])
def list_users(request: Request, actor: Actor = api(P.USER_MANAGE)) -> list[accounts.UserView]:
    return platform_of(request).run(actor, accounts.list_users)


@router.post("/users", status_code=status.HTTP_201_CREATED, response_model=CreatedUser)
def create_user(body: UserInput, request: Request,
                actor: Actor = api(P.USER_MANAGE)) -> CreatedUser:
    """Create a staff account; its one-time password must be changed at first sign-in."""
    user, password = platform_of(request).run(actor, accounts.create_user, body)
    return CreatedUser(user=user, one_time_password=password)


@router.post("/users/{user_id}/role", response_model=accounts.UserView)
def change_role(user_id: str, body: RoleChange, request: Request,
                actor: Actor = api(P.USER_MANAGE)) -> accounts.UserView:
    """Change a role; all of that user's sessions end."""
    return platform_of(request).run(actor, accounts.change_role, user_id, body.role)


@router.post("/users/{user_id}/password", response_model=CreatedUser)
def reset_password(user_id: str, request: Request,
                   actor: Actor = api(P.USER_MANAGE)) -> CreatedUser:
    """A new one-time password for a staff member; their sessions end."""
    user, password = platform_of(request).run(actor, accounts.reset_password, user_id)
    return CreatedUser(user=user, one_time_password=password)


@router.post("/users/{user_id}/clearance", response_model=accounts.UserView)
def change_clearance(user_id: str, body: ClearanceChange, request: Request,
                     actor: Actor = api(P.USER_MANAGE)) -> accounts.UserView:
    """Set the most restricted TLP label a user may receive when a case is shared."""
    return platform_of(request).run(actor, accounts.change_clearance, user_id, body.clearance)


@router.get("/tokens", response_model=list[tokens.TokenView])
def list_tokens(request: Request, actor: Actor = api(P.TOKEN_MANAGE)) -> list[tokens.TokenView]:
    return platform_of(request).run(actor, tokens.list_tokens)


@router.delete("/tokens/{token_id}", response_model=tokens.TokenView)
def revoke_token(token_id: str, request: Request,
                 actor: Actor = api(P.TOKEN_MANAGE)) -> tokens.TokenView:
    return platform_of(request).run(actor, tokens.revoke_token, token_id)
