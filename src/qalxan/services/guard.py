"""Object-level access: the one place that decides whether an actor may touch a case.

Cases an actor may not see are reported as missing (404), whether they exist or not, so
another organisation's case ids cannot be probed. An id that is not a record id at all is
missing before any look-up, and its denial is audited without it (:func:`audit.event`).
"""

from __future__ import annotations

from typing import NoReturn, TypeVar

from sqlalchemy import ColumnElement, false, or_, select, true

from qalxan.errors import NotFound
from qalxan.security.access import ORG_WIDE_ROLES, deny_as_missing, sees_case
from qalxan.security.audit import is_record_id
from qalxan.services.context import Context
from qalxan.store.tables import Case, CaseAccess, Evidence

T = TypeVar("T")


def granted_users(ctx: Context, case_id: str) -> frozenset[str]:
    rows = ctx.session.execute(select(CaseAccess.user_id).where(CaseAccess.case_id == case_id))
    return frozenset(rows.scalars())


def visible_case(ctx: Context, case_id: str, for_update: bool = False) -> Case:
    if not is_record_id(case_id):
        _deny(ctx, "case", case_id)
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    case = ctx.session.execute(stmt).scalar_one_or_none()
    if case is None or not sees_case(ctx.actor, case.org_id, case.restricted, case.assignee_id,
                                     granted_users(ctx, case.id)):
        _deny(ctx, "case", case_id)
    return case


def _deny(ctx: Context, kind: str, object_id: str) -> NoReturn:
    ctx.audit(f"{kind}.denied", kind, object_id)
    ctx.keep_events_on_error()
    raise deny_as_missing()


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
    granted = Case.id.in_(select(CaseAccess.case_id).where(CaseAccess.user_id == actor.user_id))
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
