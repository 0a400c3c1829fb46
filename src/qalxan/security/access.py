"""Authorisation: roles, permissions and object-level checks. Deny by default.

Every service function declares one permission; the role (or an API token's scopes) must grant
it. Object checks (this case, this evidence) live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from qalxan.domain.enums import Role
from qalxan.errors import NotAuthenticated, NotFound, PermissionDenied


class Permission(StrEnum):
    AUTHENTICATE = "auth:login"
    PUBLIC_INTAKE = "intake:submit"
    RECEIPT_FOLLOWUP = "receipt:followup"
    CASE_LIST = "case:list"
    CASE_READ = "case:read"
    CASE_CREATE = "case:create"
    CASE_UPDATE = "case:update"
    CASE_DELETE = "case:delete"
    CASE_EXPORT = "case:export"
    EVIDENCE_READ = "evidence:read"
    EVIDENCE_ADD = "evidence:add"
    NOTE_ADD = "note:add"
    REPLY_SEND = "reply:send"
    REFERRAL_ADD = "referral:add"
    ACCOUNT_SELF = "account:self"
    TOKEN_MANAGE = "token:manage"  # noqa: S105 (a permission name, not a secret)
    USER_MANAGE = "user:manage"
    AUDIT_READ = "audit:read"
    AGGREGATE_READ = "aggregate:read"
    INSTANCE_MANAGE = "instance:manage"  # organisations, indicator feeds, retention purge
    WATCHLIST_READ = "watchlist:read"
    WATCHLIST_MANAGE = "watchlist:manage"
    MONITOR_MANAGE = "monitor:manage"
    ALERT_READ = "alert:read"
    ALERT_ACT = "alert:act"
    SYSTEM = "system"


P = Permission
_STAFF_BASE = frozenset({P.ACCOUNT_SELF, P.TOKEN_MANAGE, P.AGGREGATE_READ})
_CASEWORK = frozenset({
    P.CASE_LIST, P.CASE_READ, P.CASE_CREATE, P.CASE_UPDATE, P.EVIDENCE_READ, P.EVIDENCE_ADD,
    P.NOTE_ADD, P.REPLY_SEND, P.REFERRAL_ADD, P.CASE_EXPORT,
})

# Analysts keep the watch-lists and sources; alerts reach analysts and case handlers, and
# turning one into an incident also needs the case permissions (create, or update the case).
_WATCHING = frozenset({P.WATCHLIST_READ, P.WATCHLIST_MANAGE, P.MONITOR_MANAGE, P.ALERT_READ,
                       P.ALERT_ACT})
_ALERTS = frozenset({P.WATCHLIST_READ, P.ALERT_READ, P.ALERT_ACT})

ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.ADMIN: _STAFF_BASE | _CASEWORK | _WATCHING | {P.CASE_DELETE, P.USER_MANAGE,
                                                       P.AUDIT_READ, P.INSTANCE_MANAGE},
    Role.CASE_HANDLER: _STAFF_BASE | _CASEWORK | _ALERTS,
    Role.ANALYST: _STAFF_BASE | _WATCHING | {P.CASE_LIST, P.CASE_READ, P.EVIDENCE_READ,
                                             P.NOTE_ADD},
    Role.COORDINATOR: _STAFF_BASE | {P.CASE_LIST, P.CASE_READ, P.EVIDENCE_READ, P.NOTE_ADD,
                                     P.REFERRAL_ADD},
    Role.MISSION_OBSERVER: frozenset({P.ACCOUNT_SELF, P.TOKEN_MANAGE, P.AGGREGATE_READ}),
}

# Roles that see every (unrestricted) case of their own organisation. A coordinator sees only
# cases shared with them; a mission observer sees no case at all.
ORG_WIDE_ROLES: Final[frozenset[Role]] = frozenset({Role.ADMIN, Role.CASE_HANDLER, Role.ANALYST})

TOKEN_SCOPES: Final[frozenset[str]] = frozenset(p.value for p in Permission) - {
    P.SYSTEM.value, P.AUTHENTICATE.value, P.ACCOUNT_SELF.value, P.INSTANCE_MANAGE.value,
}
# Scopes of actions that need a recent sign-in (exports, deletion, staff accounts): a token
# holding one expires minutes after it is made, as a web session's confirmation would.
SHORT_LIVED_SCOPES: Final[frozenset[str]] = frozenset({
    P.CASE_EXPORT.value, P.CASE_DELETE.value, P.USER_MANAGE.value,
})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a staff user (by session or API token), an anonymous defender, or the system."""

    kind: str  # "user" | "token" | "defender" | "system"
    user_id: str | None = None
    org_id: str | None = None
    role: Role | None = None
    token_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # when a session's owner last proved who they are (password and TOTP), or when a token
    # was made (which needs that); None elsewhere
    authenticated_at: datetime | None = None

    @property
    def label(self) -> str:
        """How the actor appears in the audit trail and timeline (never a defender's identity)."""
        if self.kind == "token":
            return f"token:{self.token_id}"
        if self.kind == "user":
            return f"user:{self.user_id}"
        return self.kind

    def permissions(self) -> frozenset[Permission]:
        if self.kind == "system":
            return frozenset(Permission)
        if self.kind == "anonymous":
            return frozenset({P.AUTHENTICATE})
        if self.kind == "defender":
            return frozenset({P.AUTHENTICATE, P.PUBLIC_INTAKE, P.RECEIPT_FOLLOWUP})
        granted = ROLE_PERMISSIONS.get(self.role, frozenset()) if self.role else frozenset()
        if self.kind == "token":
            granted = frozenset(p for p in granted if p.value in self.scopes)
        return granted | {P.AUTHENTICATE, P.PUBLIC_INTAKE}

    def require(self, permission: Permission) -> None:
        if permission in self.permissions():
            return
        if self.kind == "anonymous":
            raise NotAuthenticated("sign in or present an API token")
        if permission not in self.permissions():
            raise PermissionDenied(f"this action needs the {permission.value} permission")


ANONYMOUS = Actor(kind="anonymous")
DEFENDER = Actor(kind="defender")
SYSTEM = Actor(kind="system")


def sees_case(actor: Actor, case_org_id: str, restricted: bool, assignee_id: str | None,
              granted_user_ids: frozenset[str]) -> bool:
    """Whether the actor may see a case at all (before the action's own permission)."""
    if actor.kind == "system":
        return True
    if actor.user_id is None or actor.role is None:
        return False
    if actor.user_id in granted_user_ids:
        return True
    if actor.org_id != case_org_id:
        return False
    if restricted:
        return actor.role is Role.ADMIN or actor.user_id == assignee_id
    return actor.role in ORG_WIDE_ROLES


def sees_defender_identity(actor: Actor) -> bool:
    """Whether the actor may read a defender's name and contact details, beyond the pseudonym:
    only the roles that answer defenders (``reply:send``); analysts and coordinators work
    with the pseudonym."""
    return P.REPLY_SEND in actor.permissions()


def deny_as_missing() -> NotFound:
    """Cases the actor may not see are reported as missing, so ids cannot be probed."""
    return NotFound("no such case")
