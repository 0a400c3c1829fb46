"""Alerts: what the monitor raises about a watched defender, and what a person does with them.

Signals about one defender join the defender's open alert while they come within
``alert_merge_hours`` of its last post (one alert per episode, however many posts, spikes
and coordinated groups it has); otherwise they raise a new alert. The posts behind an alert
are its evidence, kept sealed with their capture time and hash. A person dismisses an alert,
or turns it into an incident on a new or an existing case in one action.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from qalxan.domain.enums import AlertStatus, CaseStatus
from qalxan.errors import Conflict, IntegrityFailure
from qalxan.monitoring.posts import canonical_json, captured_sha256
from qalxan.monitoring.signals import Signal
from qalxan.security.access import Permission
from qalxan.security.vault import bound_fields
from qalxan.services.context import Context, as_utc, service
from qalxan.services.guard import org_object, visibility_clause
from qalxan.services.monitoring_schemas import (
    AlertPostView,
    AlertSummary,
    AlertView,
    CaseChoice,
)
from qalxan.store.tables import Alert, AlertPost, Case, MonitoredPost, WatchEntry, new_id

DETAIL = "alert-detail"
POST = "monitored-post"
#: A signal and the ids of the kept posts behind it.
Evidenced = tuple[Signal, tuple[str, ...]]


def raise_alerts(ctx: Context, org_id: str, evidenced: Sequence[Evidenced]) -> tuple[int, int]:
    """Merge signals into alerts, per watched defender: (alerts raised, alerts updated)."""
    by_entry: dict[str, list[Evidenced]] = defaultdict(list)
    for signal, rows in evidenced:
        if rows:
            by_entry[signal.defender_id].append((signal, rows))
    raised = updated = 0
    for entry_id, items in sorted(by_entry.items()):
        alert = _open_alert(ctx, entry_id, min(s.at for s, _ in items))
        if alert is None:
            alert = _new_alert(ctx, org_id, entry_id)
            raised += 1
        else:
            updated += 1
        _merge(ctx, alert, items)
    return raised, updated


def _open_alert(ctx: Context, entry_id: str, earliest: float) -> Alert | None:
    since = datetime.fromtimestamp(earliest, UTC) - timedelta(hours=ctx.settings.alert_merge_hours)
    return ctx.session.execute(
        select(Alert).where(Alert.entry_id == entry_id, Alert.status == AlertStatus.OPEN.value,
                            Alert.last_post_at >= since)
        .order_by(Alert.last_post_at.desc()).limit(1)).scalar()


def _new_alert(ctx: Context, org_id: str, entry_id: str) -> Alert:
    alert_id, key_id, now = new_id(), ctx.vault.new_key(None), ctx.now()
    alert = Alert(id=alert_id, org_id=org_id, entry_id=entry_id, status=AlertStatus.OPEN.value,
                  reasons=[], physical_risk=False, post_count=0, first_post_at=now,
                  last_post_at=now, key_id=key_id,
                  detail_sealed=ctx.vault.seal_json(key_id, DETAIL, alert_id, {},
                                                    {"entry_id": entry_id, "org_id": org_id}),
                  created_at=now, updated_at=now)
    ctx.session.add(alert)
    ctx.audit("alert.raise", "alert", alert_id, org_id=org_id)
    return alert


def _merge(ctx: Context, alert: Alert, items: Sequence[Evidenced]) -> None:
    detail: dict[str, Any] = ctx.vault.open_row_json(DETAIL, alert, "detail_sealed")
    for signal, _ in items:
        detail[signal.reason.value] = dict(signal.detail)
        alert.physical_risk = alert.physical_risk or bool(signal.detail.get("physical_risk"))
    alert.reasons = sorted({*alert.reasons, *(s.reason.value for s, _ in items)})
    alert.detail_sealed = ctx.vault.seal_json(alert.key_id, DETAIL, alert.id, detail,
                                              bound_fields(DETAIL, alert))
    _link(ctx, alert, {row for _, rows in items for row in rows})
    alert.updated_at = ctx.now()


def _link(ctx: Context, alert: Alert, row_ids: set[str]) -> None:
    ctx.session.flush()
    linked = set(ctx.session.execute(select(AlertPost.post_id)
                                     .where(AlertPost.alert_id == alert.id)).scalars())
    new = sorted(row_ids - linked)
    if new:
        ctx.session.execute(insert(AlertPost), [{"alert_id": alert.id, "post_id": p} for p in new])
    count, first, last = ctx.session.execute(
        select(func.count(), func.min(MonitoredPost.posted_at), func.max(MonitoredPost.posted_at))
        .join(AlertPost, AlertPost.post_id == MonitoredPost.id)
        .where(AlertPost.alert_id == alert.id)).one()
    alert.post_count, alert.first_post_at, alert.last_post_at = int(count), first, last


# What people do with alerts ----------------------------------------------------------------

def _labels(ctx: Context, entry_ids: set[str]) -> dict[str, str]:
    if not entry_ids:
        return {}
    rows = ctx.session.execute(select(WatchEntry.id, WatchEntry.label)
                               .where(WatchEntry.id.in_(sorted(entry_ids)))).all()
    return {entry_id: label for entry_id, label in rows}


def _summary(alert: Alert, label: str) -> AlertSummary:
    return AlertSummary(
        id=alert.id, entry_id=alert.entry_id, label=label, status=alert.status,
        reasons=list(alert.reasons), physical_risk=alert.physical_risk,
        post_count=alert.post_count, first_post_at=as_utc(alert.first_post_at),
        last_post_at=as_utc(alert.last_post_at), case_id=alert.case_id)


@service(Permission.ALERT_READ)
def list_alerts(ctx: Context, status: AlertStatus | None = AlertStatus.OPEN,
                limit: int = 100, offset: int = 0) -> list[AlertSummary]:
    """The organisation's alerts, physical risk first, then newest activity (open ones by
    default); ``offset`` skips that many for the next page."""
    stmt = select(Alert).where(Alert.org_id == ctx.actor.org_id)
    if status is not None:
        stmt = stmt.where(Alert.status == status.value)
    found = ctx.session.execute(stmt.order_by(Alert.physical_risk.desc(),
                                              Alert.last_post_at.desc(), Alert.id)
                                .offset(max(0, offset))
                                .limit(max(1, min(limit, 500)))).scalars().all()
    labels = _labels(ctx, {a.entry_id for a in found})
    ctx.audit("alert.list", "alert", None)
    return [_summary(a, labels.get(a.entry_id, "")) for a in found]


def alert_posts(ctx: Context, alert: Alert) -> list[tuple[MonitoredPost, dict[str, Any]]]:
    rows = ctx.session.execute(
        select(MonitoredPost).join(AlertPost, AlertPost.post_id == MonitoredPost.id)
        .where(AlertPost.alert_id == alert.id).order_by(MonitoredPost.posted_at)).scalars()
    return [(row, kept_record(ctx, row)) for row in rows]


def kept_record(ctx: Context, row: MonitoredPost) -> dict[str, Any]:
    """A kept post's record (``monitoring.posts.post_record``), opened and checked against
    the keyed digest taken at capture."""
    record: dict[str, Any] = ctx.vault.open_row_json(POST, row, "post_sealed")
    if ctx.keyring.content_digest(canonical_json(record).encode("utf-8")) != row.content_digest:
        raise IntegrityFailure("a kept post does not match the digest taken at capture")
    return record


def _post_view(row: MonitoredPost, record: dict[str, Any]) -> AlertPostView:
    return AlertPostView(
        id=row.id, message_id=record["message_id"],
        author=record["author_name"] or record["author_id"], text=record["text"],
        link=record["link"], urls=record["urls"], posted_at=as_utc(row.posted_at),
        captured_at=as_utc(row.captured_at), sha256=captured_sha256(record),
        codes=list(row.codes))


@service(Permission.ALERT_READ)
def get_alert(ctx: Context, alert_id: str) -> AlertView:
    alert = org_object(ctx, Alert, alert_id, "alert")
    detail = ctx.vault.open_row_json(DETAIL, alert, "detail_sealed")
    posts = [_post_view(row, record) for row, record in alert_posts(ctx, alert)]
    ctx.audit("alert.read", "alert", alert.id, org_id=alert.org_id)
    entry = ctx.session.get(WatchEntry, alert.entry_id)
    label, defender_id = (entry.label, entry.defender_id) if entry else ("", None)
    return AlertView(**_summary(alert, label).model_dump(), detail=detail, posts=posts,
                     incident_id=alert.incident_id, cases=_case_choices(ctx, defender_id))


def _case_choices(ctx: Context, defender_id: str | None) -> list[CaseChoice]:
    """The watched defender's cases that are not closed and that the actor may see."""
    if defender_id is None:
        return []
    rows = ctx.session.execute(
        select(Case.id, Case.reference, Case.status).where(
            Case.defender_id == defender_id, Case.status != CaseStatus.CLOSED.value,
            visibility_clause(ctx)).order_by(Case.created_at.desc()))
    return [CaseChoice(id=i, reference=r, status=s) for i, r, s in rows]


@service(Permission.ALERT_ACT)
def dismiss_alert(ctx: Context, alert_id: str) -> AlertSummary:
    """Close an alert that needs no action (its posts stay until retention removes them)."""
    alert = org_object(ctx, Alert, alert_id, "alert")
    if alert.status != AlertStatus.OPEN.value:
        raise Conflict(f"this alert is {alert.status} already")
    alert.status, alert.updated_at = AlertStatus.DISMISSED.value, ctx.now()
    ctx.audit("alert.dismiss", "alert", alert.id, org_id=alert.org_id)
    return _summary(alert, _labels(ctx, {alert.entry_id}).get(alert.entry_id, ""))
