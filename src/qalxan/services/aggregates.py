"""Aggregates for the dashboard: how many cases by threat type, country and week.

The counts cover the cases of the actor's own organisation, so a mission observer, who sees
no single case, sees them too. Disclosure control: a count below ``SMALL_COUNT`` is not shown
(``None``), so no chart singles out one or two defenders. Countries and weeks each split the
total, which is shown: one hidden count could be worked out from the total and the others, so
where a count is hidden, more are (the smallest ones shown) until at least two non-zero
counts are hidden and they add up to at least ``2 * SMALL_COUNT`` (secondary suppression).
Threat types are not a split (a case may have several), so their hidden counts cannot be
worked out from the total.
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


def protect_split(counts: list[tuple[str, int]]) -> list[Count]:
    """Counts that split a shown total, with small ones hidden and enough others hidden too
    that no hidden count can be worked out (zeros single nobody out and do not count)."""
    hidden = {key for key, n in counts if 0 < n < SMALL_COUNT}
    candidates = sorted(((n, key) for key, n in counts if n >= SMALL_COUNT), reverse=True)
    def exposed() -> bool:
        values = [n for key, n in counts if key in hidden]
        return bool(values) and (len(values) < 2 or sum(values) < 2 * SMALL_COUNT)
    while exposed() and candidates:
        hidden.add(candidates.pop()[1])
    return [Count(key, None if key in hidden or n < SMALL_COUNT else n) for key, n in counts]


def _by_country(ctx: Context) -> list[Count]:
    rows = ctx.session.execute(
        select(Defender.country, func.count(Case.id)).join(Defender, Case.defender_id ==
                                                           Defender.id)
        .where(_scope(ctx)).group_by(Defender.country))
    counts = sorted(((country or "", int(n)) for country, n in rows), key=lambda p: -p[1])
    return protect_split(counts)


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
    return protect_split([(monday.isoformat(), counts.get(monday, 0)) for monday in mondays])


@service(Permission.AGGREGATE_READ)
def case_counts(ctx: Context, weeks: int = 12) -> CaseCounts:
    """Cases by threat type (top level), by the defender's country and by week of arrival."""
    weeks = max(1, min(weeks, MAX_WEEKS))
    total = ctx.session.execute(select(func.count(Case.id)).where(_scope(ctx))).scalar_one()
    ctx.audit("aggregate.read", "case", None, weeks=str(weeks))
    return CaseCounts(_shown(int(total)), _by_threat(ctx), _by_country(ctx),
                      _by_week(ctx, weeks))
