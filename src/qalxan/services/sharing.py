"""Ending what was shared: revoking a grant on a case, withdrawing the defender's consent.

A grant (``cases.grant_access``) lets one more user see a case. It can be revoked; and when
the defender withdraws their consent to share with other organisations, every grant held by
a user of another organisation ends with it (a grant to the case's own staff does not depend
on it). Both stay with the case's own organisation, are recorded on the case's timeline and
in the audit trail, and are shown to that organisation on the case page and in the API:
each grant, whether it holds, and when, by whom and why it ended or lapsed. Whether a grant
holds is checked again on every access (``guard``): a grant whose grantee's clearance no
longer covers the case's TLP label, or whose consent is gone, gives no access even before
anyone revokes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qalxan.errors import Conflict, NotFound
from qalxan.security.access import Permission
from qalxan.services.context import Context, as_utc, service
from qalxan.services.guard import (
    grant_lapse,
    latest_consent,
    require_owning_organisation,
    visible_case,
)
from qalxan.services.timeline import record
from qalxan.store.tables import Case, CaseAccess, Organisation, User

REVOKED = "revoked"
CONSENT_WITHDRAWN = "consent_withdrawn"


@dataclass(frozen=True, slots=True)
class GrantView:
    """One grant on a case as its organisation sees it. ``state``: ``active``; ``revoked``
    or ``consent_withdrawn`` (ended); ``clearance``, ``consent`` or ``inactive`` (lapsed:
    it gives no access while that lasts)."""

    user_id: str
    user_name: str
    org_id: str
    org_name: str
    granted_by: str
    granted_at: datetime
    state: str
    ended_at: datetime | None
    ended_by: str | None


def grant_views(ctx: Context, case: Case) -> list[GrantView]:
    """Every grant on the case, ended ones too, for the case's own organisation (others who
    see the case get none: whom else it is shared with is not theirs to know)."""
    if ctx.actor.kind != "system" and ctx.actor.org_id != case.org_id:
        return []
    rows = ctx.session.execute(
        select(CaseAccess, User, Organisation.name)
        .join(User, User.id == CaseAccess.user_id)
        .join(Organisation, Organisation.id == User.org_id)
        .where(CaseAccess.case_id == case.id).order_by(CaseAccess.created_at)).all()
    return [GrantView(user.id, user.display_name, user.org_id, org_name, grant.granted_by,
                      as_utc(grant.created_at),
                      grant.revoked_reason or grant_lapse(ctx, case, user) or "active",
                      as_utc(grant.revoked_at) if grant.revoked_at else None, grant.revoked_by)
            for grant, user, org_name in rows]


@service(Permission.CASE_UPDATE)
def revoke_access(ctx: Context, case_id: str, user_id: str) -> None:
    """End a user's grant on the case at once (their open pages and tokens included); a
    grant that has ended already stays as it is."""
    case = visible_case(ctx, case_id, for_update=True)
    require_owning_organisation(ctx, case, "revoke_access")
    grant = ctx.session.get(CaseAccess, (case.id, user_id))
    if grant is None:
        raise NotFound("this user holds no grant on this case")
    if grant.revoked_at is None:
        _end(ctx, case, grant, REVOKED)


@service(Permission.CASE_UPDATE)
def withdraw_consent(ctx: Context, case_id: str) -> int:
    """Record that the defender withdraws their consent to share the case with other
    organisations, and end the grants that depended on it; returns how many ended (none
    when the consent was withdrawn already)."""
    case = visible_case(ctx, case_id, for_update=True)
    require_owning_organisation(ctx, case, "withdraw_consent")
    consent = latest_consent(ctx, case.id)
    if consent is None or not consent.granted:
        raise Conflict("the defender has not consented to sharing: there is nothing to "
                       "withdraw")
    if consent.withdrawn_at is not None:
        return 0
    consent.withdrawn_at, consent.withdrawn_by = ctx.now(), ctx.actor.label
    record(ctx, case.id, "consent.withdrawn", scope=consent.scope)
    ctx.audit("consent.withdrawn", "case", case.id, org_id=case.org_id, scope=consent.scope)
    partners = ctx.session.execute(
        select(CaseAccess).join(User, User.id == CaseAccess.user_id)
        .where(CaseAccess.case_id == case.id, CaseAccess.revoked_at.is_(None),
               User.org_id != case.org_id).order_by(CaseAccess.user_id)).scalars().all()
    for grant in partners:
        _end(ctx, case, grant, CONSENT_WITHDRAWN)
    case.updated_at = ctx.now()
    return len(partners)


def _end(ctx: Context, case: Case, grant: CaseAccess, reason: str) -> None:
    grant.revoked_at, grant.revoked_by, grant.revoked_reason = (ctx.now(), ctx.actor.label,
                                                                reason)
    case.updated_at = ctx.now()
    record(ctx, case.id, "case.access_revoked", user=grant.user_id, reason=reason)
    ctx.audit("case.access_revoked", "case", case.id, org_id=case.org_id,
              user=grant.user_id, reason=reason)
