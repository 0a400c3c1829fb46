"""Retention as code: what is kept how long (settings), and the purge that enforces it.

Closed cases past their retention period are crypto-shredded (keys, rows, files), one audit
event per case. The keys of backup epochs past the backup retention period are destroyed,
which makes those backups unreadable (``qalxan.security.keyfiles``).
Sign-in attempts, old sessions, idempotency records (with the keys that
sealed their responses) and the public posts and alerts kept by monitoring (with their keys)
past theirs are deleted, with their counts in the run's audit event.
The purge runs from `qalxan purge` and on a schedule inside `qalxan serve`; each run (and
every call that shreds keys) ends by emptying SQLite's write-ahead log, which would otherwise
keep copies of the deleted rows until later writes overwrite them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select

from qalxan.domain.enums import CaseStatus
from qalxan.security import keyfiles
from qalxan.security.access import Permission
from qalxan.services.context import Context, service
from qalxan.services.deletion import delete_case_rows
from qalxan.store.tables import (
    Alert,
    Base,
    Case,
    IdempotencyRecord,
    LoginAttempt,
    MonitoredPost,
    SessionRow,
)


@dataclass
class PurgeReport:
    dry_run: bool
    cases: list[str] = field(default_factory=list)  # references of shredded cases
    login_attempts: int = 0
    sessions: int = 0
    idempotency_keys: int = 0
    monitored_posts: int = 0
    alerts: int = 0
    backup_epochs: int = 0  # epochs whose backup key was destroyed


    def counts(self) -> dict[str, str]:
        """How many of each kind went (numbers only, as the audit trail keeps them)."""
        return {"cases": str(len(self.cases)), "login_attempts": str(self.login_attempts),
                "sessions": str(self.sessions), "idempotency_keys": str(self.idempotency_keys),
                "monitored_posts": str(self.monitored_posts), "alerts": str(self.alerts),
                "backup_epochs": str(self.backup_epochs)}


def _before(ctx: Context, days: int) -> datetime:
    return ctx.now() - timedelta(days=days)


@service(Permission.SYSTEM)
def purge(ctx: Context, dry_run: bool = False) -> PurgeReport:
    """Delete everything past its retention period (``dry_run``: only say what would go)."""
    return purge_expired(ctx, dry_run)


def purge_expired(ctx: Context, dry_run: bool = False) -> PurgeReport:
    """The purge itself, for service functions that have checked their caller; a real run
    ends with a ``retention.run`` audit event holding its counts."""
    settings, report = ctx.settings, PurgeReport(dry_run)
    for case in _expired_cases(ctx):
        report.cases.append(case.reference)
        if not dry_run:
            delete_case_rows(ctx, case)
            ctx.audit("retention.case_shredded", "case", case.id, org_id=case.org_id)
    report.login_attempts = _purge_rows(ctx, LoginAttempt, LoginAttempt.at <= _before(
        ctx, settings.retention_login_attempts_days), dry_run)
    report.sessions = _purge_rows(ctx, SessionRow, SessionRow.last_seen_at <= _before(
        ctx, settings.retention_sessions_days), dry_run)
    key_ids: list[str] = []  # of the sealed rows that go: shredded with them
    report.idempotency_keys = _purge_sealed(ctx, IdempotencyRecord, IdempotencyRecord.created_at
                                            <= _before(ctx, settings.retention_idempotency_days),
                                            dry_run, key_ids)
    monitored = _before(ctx, settings.retention_monitored_posts_days)
    report.alerts = _purge_sealed(ctx, Alert, Alert.last_post_at <= monitored, dry_run, key_ids)
    report.monitored_posts = _purge_sealed(ctx, MonitoredPost,
                                           MonitoredPost.captured_at <= monitored, dry_run,
                                           key_ids)
    report.backup_epochs = keyfiles.forget_expired_backup_keys(settings, ctx.now(), dry_run)
    if not dry_run:
        ctx.vault.shred_keys(key_ids)
        ctx.truncate_log_after_commit()  # every run: also retries one readers kept busy
        ctx.audit("retention.run", "retention", None, **report.counts())
    return report


def _expired_cases(ctx: Context) -> list[Case]:
    cutoff = _before(ctx, ctx.settings.retention_closed_case_days)
    stmt = select(Case).where(Case.status == CaseStatus.CLOSED.value, Case.closed_at <= cutoff)
    return list(ctx.session.execute(stmt.with_for_update()).scalars())


def _purge_sealed(ctx: Context, model: type[IdempotencyRecord | Alert | MonitoredPost],
                  condition: ColumnElement[bool], dry_run: bool, key_ids: list[str]) -> int:
    """:func:`_purge_rows` for rows sealed with their own data key: the keys are added to
    ``key_ids``, for the caller to shred once the rows are gone."""
    key_ids.extend(key_id for key_id in ctx.session.execute(
        select(model.key_id).where(condition)).scalars() if key_id is not None)
    return _purge_rows(ctx, model, condition, dry_run)


def _purge_rows(ctx: Context, model: type[Base], condition: ColumnElement[bool],
                dry_run: bool) -> int:
    count = int(ctx.session.execute(
        select(func.count()).select_from(model).where(condition)).scalar_one())
    if count and not dry_run:
        ctx.session.execute(delete(model).where(condition))
        ctx.audit("retention.purged", model.__tablename__, None, count=str(count))
    return count
