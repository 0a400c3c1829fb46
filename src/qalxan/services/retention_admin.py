"""Retention on the admin pages: the periods in force (read only: retention is code and
settings), when the purge last ran and how much it removed (counts only), and running it now
after the admin has confirmed who they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qalxan.config import Settings
from qalxan.security.access import Permission
from qalxan.services.context import Context, as_utc, service
from qalxan.services.retention import PurgeReport, purge_expired
from qalxan.store.tables import AuditEvent

PREFIX = "retention_"


@dataclass(frozen=True, slots=True)
class Period:
    setting: str  # the environment variable that sets it
    days: int
    description: str


@dataclass(frozen=True, slots=True)
class LastRun:
    at: datetime
    actor: str  # "system" (the schedule or `qalxan purge`) or the admin who ran it
    counts: dict[str, str]


@dataclass(frozen=True, slots=True)
class RetentionStatus:
    periods: list[Period]
    interval_minutes: int  # how often `qalxan serve` runs the purge (0: never)
    last_run: LastRun | None


def periods(settings: Settings) -> list[Period]:
    """Every ``retention_*`` setting, as configured."""
    return [Period(f"QALXAN_{name.upper()}", int(getattr(settings, name)),
                   field.description or "")
            for name, field in sorted(Settings.model_fields.items()) if name.startswith(PREFIX)]


@service(Permission.INSTANCE_MANAGE)
def retention_status(ctx: Context) -> RetentionStatus:
    event = ctx.session.execute(select(AuditEvent).where(AuditEvent.action == "retention.run")
                                .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one_or_none()
    last = LastRun(as_utc(event.at), event.actor, dict(event.details)) if event else None
    return RetentionStatus(periods(ctx.settings), ctx.settings.purge_interval_minutes, last)


@service(Permission.INSTANCE_MANAGE)
def run_purge(ctx: Context) -> PurgeReport:
    """The purge, now, by an admin who signed in or confirmed within the last minutes."""
    ctx.require_recent_authentication()
    return purge_expired(ctx)
