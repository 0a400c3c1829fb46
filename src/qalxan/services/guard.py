"""Object-level access: the one place that decides whether an actor may touch a case.

Cases an actor may not see are reported as missing (404), whether they exist or not, so
another organisation's case ids cannot be probed. An id that is not a record id at all is
missing before any look-up, and its denial is audited without it (:func:`audit.event`).

A per-case grant is checked again on every access, not only when it is given: it holds while
it is not revoked, while the grantee's clearance covers the case's TLP label, and, for a user
of another organisation, while the defender's consent to share with other organisations is
given (not refused, not withdrawn).
"""

from __future__ import annotations

from typing import NoReturn, TypeVar

from sqlalchemy import ColumnElement, false, or_, select, true

from qalxan.domain.enums import TLP
from qalxan.errors import NotFound, OwningOrganisationOnly
from qalxan.security.access import ORG_WIDE_ROLES, deny_as_missing, sees_case
from qalxan.security.audit import is_record_id
from qalxan.services.context import Context
from qalxan.store.tables import Case, CaseAccess, Consent, Evidence, User

T = TypeVar("T")
SHARE_SCOPE = "share_with_organisations"


def latest_consent(ctx: Context, case_id: str) -> Consent | None:
    """The defender's latest answer on sharing the case with other organisations."""
    return ctx.session.execute(
        select(Consent).where(Consent.case_id == case_id, Consent.scope == SHARE_SCOPE)
        .order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1)).scalar_one_or_none()


def consents_to_sharing(ctx: Context, case_id: str) -> bool:
    """Whether the defender's latest answer on sharing with other organisations is yes and
    not withdrawn since (no answer: no)."""
    latest = latest_consent(ctx, case_id)
    return latest is not None and latest.granted and latest.withdrawn_at is None


def grant_lapse(ctx: Context, case: Case, user: User) -> str | None:
    """Why a grant to ``user`` on ``case`` does not hold now (``clearance``, ``consent``), or
    None when it does (revocation aside)."""
    if not user.is_active:
        return "inactive"
    if TLP(case.tlp).rank > TLP(user.clearance).rank:
        return "clearance"
    if user.org_id != case.org_id and not consents_to_sharing(ctx, case.id):
        return "consent"
    return None


def granted_users(ctx: Context, case: Case) -> frozenset[str]:
    """The users whose grant on the case holds now."""
    rows = ctx.session.execute(
        select(User).join(CaseAccess, CaseAccess.user_id == User.id)
        .where(CaseAccess.case_id == case.id, CaseAccess.revoked_at.is_(None))).scalars()
    return frozenset(user.id for user in rows if grant_lapse(ctx, case, user) is None)


def _granted_cases(ctx: Context, user_id: str) -> list[str]:
    """The ids of the cases whose grant to the user holds now."""
    user = ctx.session.get(User, user_id)
    if user is None:
        return []
    rows = ctx.session.execute(
        select(Case).join(CaseAccess, CaseAccess.case_id == Case.id)
        .where(CaseAccess.user_id == user_id, CaseAccess.revoked_at.is_(None))).scalars()
    return sorted(case.id for case in rows if grant_lapse(ctx, case, user) is None)


def visible_case(ctx: Context, case_id: str, for_update: bool = False) -> Case:
    if not is_record_id(case_id):
        _deny(ctx, "case", case_id)
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = ctx.session.execute(stmt).scalar_one_or_none()
    if case is None or not sees_case(ctx.actor, case.org_id, case.restricted, case.assignee_id,
                                     granted_users(ctx, case)):
        _deny(ctx, "case", case_id)
    return case


def _deny(ctx: Context, kind: str, object_id: str) -> NoReturn:
    ctx.audit(f"{kind}.denied", kind, object_id)
    ctx.keep_events_on_error()
    raise deny_as_missing()


def require_owning_organisation(ctx: Context, case: Case, attempted: str) -> None:
    """TLP, restriction and sharing stay with the organisation the case belongs to: anyone
    else who can see the case (a partner holding a grant) is refused, and the attempt is
    audited for the case's organisation."""
    if ctx.actor.kind == "system" or ctx.actor.org_id == case.org_id:
        return
    ctx.audit("case.owner_only_refused", "case", case.id, org_id=case.org_id,
              attempted=attempted)
    ctx.keep_events_on_error()
    raise OwningOrganisationOnly("only the organisation this case belongs to may change its "
                                 "TLP label or restriction, or share it")


def visible_evidence(ctx: Context, evidence_id: str) -> tuple[Evidence, Case]:
    item = ctx.session.get(Evidence, evidence_id) if is_record_id(evidence_id) else None
    if item is None:
        raise deny_as_missing()
    return item, visible_case(ctx, item.case_id)


def visibility_clause(ctx: Context) -> ColumnElement[bool]:
    """SQL condition selecting exactly the cases :func:`visible_case` would allow."""
    actor = ctx.actor
    if actor.kind == "system":
        return true()
    if actor.user_id is None or actor.role is None:
        return false()
    granted = Case.id.in_(_granted_cases(ctx, actor.user_id))
    if actor.role not in ORG_WIDE_ROLES:
        return granted
    same_org = Case.org_id == actor.org_id
    unrestricted = Case.restricted.is_(False)
    if actor.role.value == "admin":
        return or_(same_org, granted)
    return or_(same_org & (unrestricted | (Case.assignee_id == actor.user_id)), granted)


def org_object(ctx: Context, model: type[T], object_id: str, kind: str) -> T:
    """A record that belongs to an organisation as a whole (a watch-list entry, a monitored
    source, an alert): visible to that organisation's staff whose role has the action's
    permission, and to the system. Others get "missing", and the attempt is audited."""
    row = ctx.session.get(model, object_id) if is_record_id(object_id) else None
    org_id = getattr(row, "org_id", None)
    if row is None or (ctx.actor.kind != "system" and org_id != ctx.actor.org_id):
        ctx.audit(f"{kind}.denied", kind, object_id)
        ctx.keep_events_on_error()
        raise NotFound(f"no such {kind.replace('_', ' ')}")
    return row
