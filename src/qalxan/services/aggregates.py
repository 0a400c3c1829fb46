"""Aggregates for the dashboard: how many cases by threat type, country and week.

The counts cover the cases of the actor's own organisation, so a mission observer, who sees
no single case, sees them too. Disclosure control: a count below ``SMALL_COUNT`` is reported
as ``None`` ("fewer than 3"), so no chart singles out one or two defenders.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select, true

from qalxan import taxonomy
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.store.tables import Case, CaseTag, Defender

SMALL_COUNT = 3
MAX_WEEKS = 104


@dataclass(frozen=True)
class Count:
    key: str  # a threat code, a country code ("" when not given) or a week's Monday
    count: int | None  # None: fewer than SMALL_COUNT


@dataclass(frozen=True)
class CaseCounts:
    total: int | None
    by_threat: list[Count]
    by_country: list[Count]
    by_week: list[Count]  # the last weeks, oldest first, every week present


def _shown(count: int) -> int | None:
    return count if count >= SMALL_COUNT else None


def _scope(ctx: Context) -> ColumnElement[bool]:
    return true() if ctx.actor.kind == "system" else Case.org_id == ctx.actor.org_id


def _by_threat(ctx: Context) -> list[Count]:
    rows = ctx.session.execute(select(CaseTag.case_id, CaseTag.code).join(
        Case, Case.id == CaseTag.case_id).where(_scope(ctx)))
    pairs = {(case_id, taxonomy.top_level(code)) for case_id, code in rows
             if taxonomy.is_code(code)}
    counts = Counter(code for _case, code in pairs)
    return [Count(code, _shown(n)) for code, n in counts.most_common()]


def _by_country(ctx: Context) -> list[Count]:
    rows = ctx.session.execute(
        select(Defender.country, func.count(Case.id)).join(Defender, Case.defender_id ==
                                                           Defender.id)
        .where(_scope(ctx)).group_by(Defender.country))
    counts = sorted(((country or "", int(n)) for country, n in rows), key=lambda p: -p[1])
    return [Count(country, _shown(n)) for country, n in counts]


def _monday(moment: datetime) -> date:
    day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def _by_week(ctx: Context, weeks: int) -> list[Count]:
    first = _monday(ctx.now()) - timedelta(weeks=weeks - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    created = ctx.session.execute(select(Case.created_at).where(
        _scope(ctx), Case.created_at >= since)).scalars()
    counts = Counter(_monday(moment) for moment in created)
    mondays = [first + timedelta(weeks=i) for i in range(weeks)]
    return [Count(monday.isoformat(), _shown(counts.get(monday, 0))) for monday in mondays]


@service(Permission.AGGREGATE_READ)
def case_counts(ctx: Context, weeks: int = 12) -> CaseCounts:
    """Cases by threat type (top level), by the defender's country and by week of arrival."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    total = ctx.session.execute(select(func.count(Case.id)).where(_scope(ctx))).scalar_one()
    ctx.audit("aggregate.read", "case", None, weeks=str(weeks))
    return CaseCounts(_shown(int(total)), _by_threat(ctx), _by_country(ctx),
                      _by_week(ctx, weeks))
