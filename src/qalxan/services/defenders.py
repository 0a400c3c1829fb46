"""A defender's profile for staff: pseudonymous facts, the cases of this defender the viewer
may see (through the one visibility rule of ``guard``), threat types across them, the
defender's consent on each, and the name and contact details for the roles that may read them.

A viewer who may see none of the defender's cases is told the defender does not exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from qalxan.errors import NotFound
from qalxan.security.access import Permission
from qalxan.security.audit import is_record_id
from qalxan.services.cases import CaseSummary, case_defender, defender_details, summary
from qalxan.services.context import Context, service
from qalxan.services.guard import visibility_clause
from qalxan.store.tables import Case, Consent, Defender

SHARING = "share_with_organisations"


@dataclass(frozen=True, slots=True)
class DefenderProfile:
    defender: dict[str, Any]  # pseudonym, kind, country; name and contact when allowed
    created_at: datetime
    cases: list[CaseSummary]  # newest first, only those the viewer may see
    threats: list[tuple[str, int]]  # threat type and the number of those cases with it
    consent: dict[str, bool | None]  # case id -> latest answer on sharing (None: never asked)


@service(Permission.CASE_READ)
def get_profile(ctx: Context, defender_id: str) -> DefenderProfile:
    defender = ctx.session.get(Defender, defender_id) if is_record_id(defender_id) else None
    cases = [] if defender is None else list(ctx.session.execute(
        select(Case).where(Case.defender_id == defender.id, visibility_clause(ctx))
        .order_by(Case.created_at.desc(), Case.id)).scalars())
    if defender is None or not cases:
        ctx.audit("defender.denied", "defender", defender_id)
        ctx.keep_events_on_error()
        raise NotFound("no such defender")
    for case in cases:  # each case's link to this defender is the one made with it
        case_defender(ctx, case)
    details = defender_details(ctx, defender)
    ctx.audit("defender.read", "defender", defender.id, org_id=defender.org_id,
              cases=str(len(cases)), identity="yes" if details["identity_shown"] else "no")
    threats = Counter(tag.code for case in cases for tag in case.tags)
    return DefenderProfile(details, defender.created_at,
                           [summary(case, defender.country) for case in cases],
                           sorted(threats.items(), key=lambda item: (-item[1], item[0])),
                           _consent(ctx, [case.id for case in cases]))


def _consent(ctx: Context, case_ids: list[str]) -> dict[str, bool | None]:
    """Each case's latest answer on sharing with other organisations."""
    latest: dict[str, bool | None] = dict.fromkeys(case_ids)
    rows = ctx.session.execute(select(Consent.case_id, Consent.granted)
                               .where(Consent.case_id.in_(case_ids), Consent.scope == SHARING)
                               .order_by(Consent.recorded_at))
    for case_id, granted in rows:
        latest[case_id] = granted
    return latest
