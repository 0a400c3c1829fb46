"""Monitored sources and what the monitor keeps from them.

Analysts configure sources (their params sealed: they say whom an organisation protects).
The monitor (``qalxan.monitoring.monitor``) fetches posts outside any transaction, scans
them, then calls :func:`record_batch`, which in one transaction stores the posts that
concern watched defenders (idempotently), raises or updates alerts, and saves the source's
checkpoint. A crash before that commit means the same posts come again and are recognised;
a crash after it means they are not fetched again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from qalxan.analysis.message import WatchedDefender
from qalxan.errors import Conflict, InvalidInput
from qalxan.monitoring.posts import Post, canonical_json, post_from_record, post_record
from qalxan.monitoring.scan import ScannedPost
from qalxan.monitoring.signals import Activity, Signal, SpikeRule, spike_signals
from qalxan.monitoring.sources import SOURCES, SourceSpec, parse_spec
from qalxan.monitoring.sources import params as p
from qalxan.monitoring.sources.egress import outside_public
from qalxan.monitoring.sources.files import confined, operator_path
from qalxan.security.access import Permission
from qalxan.services import alerts, watchlists
from qalxan.services.context import Context, service
from qalxan.services.guard import org_object
from qalxan.services.monitoring_schemas import SourceInput, SourceView
from qalxan.store.tables import MonitoredPost, MonitorSource, WatchEntry, new_id

PARAMS = "source-params"
CHECKPOINT = "source-checkpoint"
LAST_ERROR = "source-error"
LAST_ERROR_CHARS = 200
LOOKUP_CHUNK = 500  # digests per look-up statement


def _org(ctx: Context, org_id: str | None) -> str:
    if ctx.actor.kind == "system" and org_id:
        return org_id
    if ctx.actor.org_id is None:
        raise Conflict("the system actor must name the organisation")
    return ctx.actor.org_id


def _reachable(ctx: Context, spec: SourceSpec) -> SourceSpec:
    """The spec with its file params confined (staff: inside the import directory; the CLI:
    made absolute) and its addresses checked as far as can be without resolving a name
    (an address written out must be public, a local name is refused); the monitor checks
    the resolved address of every request again."""
    kind, params = SOURCES.get(spec.kind), dict(spec.params)
    for name in kind.files:
        if name in params:
            try:
                params[name] = (operator_path(params[name]) if ctx.actor.kind == "system"
                                else confined(params[name], ctx.settings.monitor_import_dir))
            except ValueError as exc:
                raise InvalidInput(f"{spec.kind} source: param {name!r} {exc}") from None
    for param in kind.params:
        if param.check in (p.http_url, p.base_url) and param.name in params and \
                outside_public(params[param.name], ctx.settings.monitor_allow_loopback):
            raise InvalidInput(f"{spec.kind} source: param {param.name!r} must be a public "
                               "address")
    return replace(spec, params=params)


@service(Permission.MONITOR_MANAGE)
def add_source(ctx: Context, data: SourceInput, org_id: str | None = None) -> SourceView:
    """Add a source to monitor; its kind and params are checked first."""
    spec = _reachable(ctx, parse_spec(data.kind, data.name, data.params))
    org = _org(ctx, org_id)
    taken = ctx.session.execute(select(MonitorSource.id).where(
        MonitorSource.org_id == org, MonitorSource.name == spec.name)).first()
    if taken is not None:
        raise Conflict(f"a source named {spec.name!r} exists already")
    source_id, key_id = new_id(), ctx.vault.new_key(None)
    row = MonitorSource(
        id=source_id, org_id=org, kind=spec.kind, name=spec.name, is_active=data.active,
        key_id=key_id, params_sealed=ctx.vault.seal_json(
            key_id, PARAMS, source_id, dict(spec.params), {"kind": spec.kind, "org_id": org}),
        posts_seen=0, created_at=ctx.now())
    ctx.session.add(row)
    ctx.audit("source.add", "source", source_id, org_id=org, kind=spec.kind)
    return _view(ctx, row)


@service(Permission.MONITOR_MANAGE)
def list_sources(ctx: Context, org_id: str | None = None) -> list[SourceView]:
    org = _org(ctx, org_id)
    rows = ctx.session.execute(select(MonitorSource).where(MonitorSource.org_id == org)
                               .order_by(MonitorSource.name)).scalars()
    ctx.audit("source.list", "source", None, org_id=org)
    return [_view(ctx, row) for row in rows]


@service(Permission.MONITOR_MANAGE)
def set_source_active(ctx: Context, source_id: str, active: bool) -> SourceView:
    row = org_object(ctx, MonitorSource, source_id, "source")
    row.is_active = active
    ctx.audit("source.activate" if active else "source.pause", "source", row.id,
              org_id=row.org_id)
    return _view(ctx, row)


@service(Permission.MONITOR_MANAGE)
def remove_source(ctx: Context, source_id: str) -> None:
    """Stop monitoring a source and forget its params and checkpoint. Posts already kept
    about watched defenders stay with their alerts."""
    row = org_object(ctx, MonitorSource, source_id, "source")
    ctx.session.delete(row)
    ctx.session.flush()
    ctx.vault.shred_keys([row.key_id])
    ctx.audit("source.remove", "source", source_id, org_id=row.org_id)


def _view(ctx: Context, row: MonitorSource) -> SourceView:
    error = (ctx.vault.open_row_text(LAST_ERROR, row, "last_error_sealed")
             if row.last_error_sealed is not None else None)
    return SourceView(id=row.id, kind=row.kind, name=row.name, params=_params(ctx, row),
                      active=row.is_active, posts_seen=row.posts_seen,
                      last_run_at=row.last_run_at, last_error=error)


def _params(ctx: Context, row: MonitorSource) -> dict[str, str]:
    params: dict[str, str] = ctx.vault.open_row_json(PARAMS, row, "params_sealed")
    return params


# The monitor's side ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SourceRun:
    """A source as the monitor runs it: where it belongs, what it is, where it got to."""

    id: str
    org_id: str
    spec: SourceSpec
    checkpoint: str | None


@service(Permission.SYSTEM)
def active_sources(ctx: Context, names: Sequence[str] = ()) -> list[SourceRun]:
    """The active sources (all, or those named), with their checkpoints."""
    stmt = select(MonitorSource).where(MonitorSource.is_active.is_(True))
    if names:
        stmt = stmt.where(MonitorSource.name.in_(list(names)))
    runs = []
    for row in ctx.session.execute(stmt.order_by(MonitorSource.created_at)).scalars():
        checkpoint = (ctx.vault.open_row_text(CHECKPOINT, row, "checkpoint_sealed")
                      if row.checkpoint_sealed is not None else None)
        runs.append(SourceRun(row.id, row.org_id, SourceSpec(row.kind, row.name,
                                                             _params(ctx, row)), checkpoint))
    return runs


@dataclass(frozen=True, slots=True)
class WatchContext:
    """What scanning a batch for one organisation needs: its watched defenders (by entry id)
    and the posts it kept lately, for campaigns that span batches."""

    watched: tuple[WatchedDefender, ...]
    recent: tuple[ScannedPost, ...]


@service(Permission.SYSTEM)
def watch_context(ctx: Context, org_id: str, since: datetime) -> WatchContext:
    watched = tuple(w for _, w in watchlists.watched_defenders(ctx, org_id))
    rows = ctx.session.execute(select(MonitoredPost).where(
        MonitoredPost.org_id == org_id, MonitoredPost.posted_at >= since)).scalars().all()
    by_key: dict[str, ScannedPost] = {}
    for row in rows:
        post = post_from_record(alerts.kept_record(ctx, row))
        seen = by_key.get(post.key)
        defenders = frozenset({row.entry_id}) | (seen.defenders if seen else frozenset())
        by_key[post.key] = ScannedPost(post, defenders, tuple(row.codes), False)
    return WatchContext(watched, tuple(by_key.values()))


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    posts: int
    kept: int
    alerts_raised: int
    alerts_updated: int


@service(Permission.SYSTEM)
def record_batch(ctx: Context, source_id: str, posts: int, scanned: Sequence[ScannedPost],
                 signals: Sequence[Signal], checkpoint: str | None,
                 recent: Sequence[ScannedPost] = ()) -> BatchOutcome:
    """Keep the posts, raise alerts, and move the checkpoint on: one transaction.
    ``recent`` are kept posts of earlier batches that ``signals`` may name too."""
    source = ctx.session.get_one(MonitorSource, source_id)
    rows = _known_rows(ctx, source.org_id, recent)
    rows.update(_keep_posts(ctx, source, scanned))
    every = [(s, _rows_of(s, rows)) for s in signals] + _spikes(ctx, scanned)
    raised, updated = alerts.raise_alerts(ctx, source.org_id, every)
    if checkpoint is not None:
        source.checkpoint_sealed = ctx.vault.seal_text(source.key_id, CHECKPOINT, source.id,
                                                       checkpoint, _bound(source))
    source.posts_seen += posts
    source.last_run_at, source.last_error_sealed = ctx.now(), None
    ctx.audit("source.batch", "source", source.id, org_id=source.org_id, posts=str(posts),
              kept=str(len(scanned)), alerts=str(raised))
    return BatchOutcome(posts, len(scanned), raised, updated)


@service(Permission.SYSTEM)
def record_failure(ctx: Context, source_id: str, error: str) -> None:
    source = ctx.session.get_one(MonitorSource, source_id)
    source.last_run_at = ctx.now()
    source.last_error_sealed = ctx.vault.seal_text(source.key_id, LAST_ERROR, source.id,
                                                   error[:LAST_ERROR_CHARS], _bound(source))
    ctx.audit("source.failed", "source", source.id, org_id=source.org_id)


def _bound(source: MonitorSource) -> dict[str, str | None]:
    return {"kind": source.kind, "org_id": source.org_id}


def _rows_of(signal: Signal, rows: dict[tuple[str, str], MonitoredPost]) -> tuple[str, ...]:
    """The kept posts behind a signal (a post of the group that concerns no watched defender
    was not kept)."""
    found = (rows.get((signal.defender_id, key)) for key in signal.post_keys)
    return tuple(row.id for row in found if row is not None)


def _digest(ctx: Context, post: Post) -> str:
    """The keyed look-up digest of a post's identity (``Post.key``). A post without a
    network keeps the form of the posts kept before networks were told apart."""
    if post.network is None:
        return ctx.keyring.lookup_digest(f"post|{post.platform or ''}|{post.message_id}")
    return ctx.keyring.lookup_digest(f"post|{post.key}")


def _keep_posts(ctx: Context, source: MonitorSource,
                scanned: Sequence[ScannedPost]) -> dict[tuple[str, str], MonitoredPost]:
    """Store each (post, watched defender) once; (entry id, post key) -> its row."""
    active = set(ctx.session.execute(select(WatchEntry.id).where(
        WatchEntry.org_id == source.org_id, WatchEntry.is_active.is_(True))).scalars())
    digests = {item.post.key: _digest(ctx, item.post) for item in scanned}
    kept = _stored(ctx, source.org_id, digests.values())
    rows: dict[tuple[str, str], MonitoredPost] = {}
    for item in scanned:
        digest = digests[item.post.key]
        for entry_id in sorted(item.defenders & active):
            row = kept.get((entry_id, digest)) or _keep(ctx, source, entry_id, digest, item)
            kept[(entry_id, digest)] = rows[(entry_id, item.post.key)] = row
    ctx.session.flush()
    return rows


def _known_rows(ctx: Context, org_id: str,
                recent: Sequence[ScannedPost]) -> dict[tuple[str, str], MonitoredPost]:
    """The rows of posts kept in earlier batches, (entry id, post key) -> row."""
    if not recent:
        return {}
    digests = {item.post.key: _digest(ctx, item.post) for item in recent}
    kept = _stored(ctx, org_id, digests.values())
    return {(entry_id, item.post.key): kept[(entry_id, digests[item.post.key])]
            for item in recent for entry_id in item.defenders
            if (entry_id, digests[item.post.key]) in kept}


def _stored(ctx: Context, org_id: str,
            digests: Iterable[str]) -> dict[tuple[str, str], MonitoredPost]:
    """Kept posts with these digests, (entry id, digest) -> row, in a few statements."""
    wanted, found = sorted(set(digests)), {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        stmt = select(MonitoredPost).where(
            MonitoredPost.org_id == org_id,
            MonitoredPost.post_digest.in_(wanted[start:start + LOOKUP_CHUNK]))
        found.update({(r.entry_id, r.post_digest): r for r in ctx.session.execute(stmt).scalars()})
    return found


def _keep(ctx: Context, source: MonitorSource, entry_id: str, digest: str,
          item: ScannedPost) -> MonitoredPost:
    record = post_record(item.post)
    row_id, key_id = new_id(), ctx.vault.new_key(None)
    row = MonitoredPost(
        id=row_id, org_id=source.org_id, entry_id=entry_id, source_id=source.id,
        post_digest=digest, posted_at=datetime.fromtimestamp(item.post.timestamp, UTC),
        captured_at=ctx.now(), attack=item.attack, doxing=item.doxing, codes=list(item.codes),
        content_digest=ctx.keyring.content_digest(canonical_json(record).encode("utf-8")),
        key_id=key_id, post_sealed=ctx.vault.seal_json(
            key_id, alerts.POST, row_id, record, {"entry_id": entry_id, "org_id": source.org_id}))
    ctx.session.add(row)
    return row


def _spike_rule(ctx: Context) -> SpikeRule:
    return replace(SpikeRule(), min_posts=ctx.settings.alert_spike_min_posts)


def _spikes(ctx: Context, scanned: Sequence[ScannedPost]) -> list[alerts.Evidenced]:
    """Volume and abuse-share spikes of each defender this batch concerns, measured on the
    hour up to their newest post against the days before it."""
    newest: dict[str, float] = {}
    for item in scanned:
        for entry_id in item.defenders:
            newest[entry_id] = max(newest.get(entry_id, 0.0), item.post.timestamp)
    rule = _spike_rule(ctx)
    found: list[alerts.Evidenced] = []
    for entry_id, at in sorted(newest.items()):
        end = datetime.fromtimestamp(at, UTC)
        start = end - timedelta(hours=rule.window_hours)
        window, ids = _activity(ctx, entry_id, start, end, rule.window_hours)
        baseline, _ = _activity(ctx, entry_id, start - timedelta(days=rule.baseline_days),
                                start, rule.baseline_days * 24, with_ids=False)
        found += [(signal, ids) for signal in spike_signals(entry_id, window, baseline, rule, at,
                                                           ())]
    return found


def _activity(ctx: Context, entry_id: str, start: datetime, end: datetime, hours: float,
              with_ids: bool = True) -> tuple[Activity, tuple[str, ...]]:
    inside = (MonitoredPost.entry_id == entry_id, MonitoredPost.posted_at >= start,
              MonitoredPost.posted_at <= end if with_ids else MonitoredPost.posted_at < end)
    posts, attacks = ctx.session.execute(
        select(func.count(), func.count().filter(MonitoredPost.attack.is_(True)))
        .where(*inside)).one()
    ids: tuple[str, ...] = ()
    if with_ids:
        ids = tuple(ctx.session.execute(select(MonitoredPost.id).where(*inside)
                                        .order_by(MonitoredPost.posted_at)).scalars())
    return Activity(int(posts), int(attacks or 0), hours), ids
