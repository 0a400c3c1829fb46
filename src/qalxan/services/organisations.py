"""The organisations of an instance, for its admins: the list, partner organisations added,
names and intake changed. Instance-wide work (this, indicator feeds, the retention purge) is
for the admins of the instance's own organisation, the one that receives the defenders'
reports (the oldest that accepts intake); admins of partner organisations are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from qalxan.domain.enums import OrgKind
from qalxan.errors import Conflict, NotFound
from qalxan.security.access import Permission
from qalxan.services.context import Context, as_utc, host_organisation, service
from qalxan.services.schemas import OrganisationInput, OrganisationUpdate
from qalxan.store.tables import Organisation, User, new_id


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: str
    name: str
    kind: str
    accepts_intake: bool
    active_users: int
    created_at: datetime
    is_host: bool  # receives the defenders' reports


def host_org_id(ctx: Context) -> str | None:
    """The organisation that receives reports: the oldest one that accepts intake."""
    return host_organisation(ctx.session)


def _refuse_taken(ctx: Context, name: str) -> None:
    if ctx.session.execute(select(Organisation.id).where(Organisation.name == name)).first():
        raise Conflict(f"an organisation named {name!r} exists already")


def insert_organisation(ctx: Context, name: str, kind: OrgKind, accepts_intake: bool,
                        is_demo: bool = False) -> str:
    _refuse_taken(ctx, name)
    org = Organisation(id=new_id(), name=name, kind=kind.value, accepts_intake=accepts_intake,
                       is_demo=is_demo, created_at=ctx.now())
    ctx.session.add(org)
    ctx.audit("organisation.create", "organisation", org.id, org_id=org.id)
    return org.id


@service(Permission.INSTANCE_MANAGE)
def list_organisations(ctx: Context) -> list[OrganisationView]:
    host = host_org_id(ctx)
    users: dict[str, int] = {org_id: count for org_id, count in ctx.session.execute(
        select(User.org_id, func.count()).where(User.is_active.is_(True)).group_by(User.org_id))}
    rows = ctx.session.execute(select(Organisation).order_by(Organisation.created_at,
                                                             Organisation.id)).scalars()
    return [OrganisationView(o.id, o.name, o.kind, o.accepts_intake, users.get(o.id, 0),
                             as_utc(o.created_at), o.id == host) for o in rows]


@service(Permission.INSTANCE_MANAGE)
def add_partner(ctx: Context, data: OrganisationInput) -> str:
    """A partner organisation (a fund, a network, another helpdesk) to share cases with."""
    ctx.require_recent_authentication()
    return insert_organisation(ctx, data.name, data.kind, accepts_intake=False)


@service(Permission.INSTANCE_MANAGE)
def update_organisation(ctx: Context, org_id: str, data: OrganisationUpdate) -> None:
    ctx.require_recent_authentication()
    org = ctx.session.get(Organisation, org_id, with_for_update=True)
    if org is None:
        raise NotFound("no such organisation")
    if data.name != org.name:
        _refuse_taken(ctx, data.name)
    org.name, org.accepts_intake = data.name, data.accepts_intake
    ctx.session.flush()
    if host_org_id(ctx) is None:
        raise Conflict("at least one organisation must accept the defenders' reports")
    ctx.audit("organisation.update", "organisation", org.id, org_id=org.id,
              accepts_intake="yes" if data.accepts_intake else "no")
