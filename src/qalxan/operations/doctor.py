"""``qalxan doctor``: what an operator should fix, found by looking at the running set-up.

Each check returns one :class:`Check` with a severity, what it found and what to do. The checks
read settings, files and the database; they change nothing (the audit chain check records its
own ``audit.verify`` event, as the command of that name does).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from ipaddress import ip_address
from pathlib import Path

from sqlalchemy import func, select, text

from qalxan.config import ONE_TIME_PASSWORDS_FOLDER, Settings, settings_file
from qalxan.errors import QalxanError
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import audit_log, instance
from qalxan.services.context import Context, Platform, as_utc, service
from qalxan.store import schema
from qalxan.store.tables import AuditEvent

GIB = 1024**3
FREE_PROBLEM_BYTES = 1 * GIB
FREE_WARNING_BYTES = 5 * GIB
BACKUP_WARNING_AGE = timedelta(days=7)


class Severity(IntEnum):
    OK = 0
    WARNING = 1
    PROBLEM = 2


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    found: str
    fix: str = ""


def _ok(name: str, found: str) -> Check:
    return Check(name, Severity.OK, found)


def check_settings(settings: Settings) -> Check:
    source = settings_file()
    where = f"settings file {source.resolve()}" if source else "environment only"
    return _ok("settings", f"{where}; data directory {settings.data_dir.resolve()}")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check_key(settings: Settings) -> Check:
    if settings.instance_key:
        return _ok("instance key", "from the QALXAN_INSTANCE_KEY secret")
    key = settings.resolved_key_file()
    if not key.exists():
        return Check("instance key", Severity.PROBLEM, f"no key file at {key.resolve()}",
                     "run `qalxan init`, or set QALXAN_KEY_FILE to where the key is")
    if _mode(key) & 0o077:
        return Check("instance key", Severity.PROBLEM,
                     f"{key} is readable by others (mode {_mode(key):o})", f"chmod 600 {key}")
    if key.stat().st_uid != os.geteuid():
        return Check("instance key", Severity.WARNING, f"{key} belongs to another user",
                     "run Qalxan as the key's owner")
    if key.resolve().is_relative_to(settings.data_dir.resolve()):
        return Check("instance key", Severity.WARNING,
                     f"{key} lies inside the data directory, so one disk image or copy holds "
                     "both the data and the key to it",
                     "move the key to another disk or folder and set QALXAN_KEY_FILE")
    return _ok("instance key", f"{key.resolve()} (mode 600, apart from the data)")


def check_data_dir(settings: Settings) -> Check:
    folder = settings.data_dir
    if not folder.is_dir():
        return Check("data directory", Severity.PROBLEM, f"{folder.resolve()} does not exist",
                     "run `qalxan init`")
    if _mode(folder) & 0o077:
        return Check("data directory", Severity.WARNING,
                     f"{folder} is open to others (mode {_mode(folder):o})", f"chmod 700 {folder}")
    return _ok("data directory", f"{folder.resolve()} (mode 700)")


def check_disk(settings: Settings) -> Check:
    folder = settings.data_dir if settings.data_dir.exists() else Path.cwd()
    free = shutil.disk_usage(folder).free
    found = f"{free / GIB:.1f} GiB free for {folder.resolve()}"
    if free < FREE_PROBLEM_BYTES:
        return Check("disk space", Severity.PROBLEM, found,
                     "free space now: intake stops accepting reports before the disk is full")
    if free < FREE_WARNING_BYTES:
        return Check("disk space", Severity.WARNING, found,
                     "free space or move the data directory to a larger disk")
    return _ok("disk space", found)


def check_exposure(settings: Settings) -> Check:
    """The server speaks plain HTTP: anything but loopback needs TLS (a reverse proxy or an
    onion service) in front of it, and secure cookies on."""
    if not settings.secure_cookies:
        return Check("TLS and cookies", Severity.WARNING,
                     "secure cookies are off (QALXAN_SECURE_COOKIES=false)",
                     "turn them on and serve over HTTPS or an onion service")
    try:
        loopback = ip_address(settings.host).is_loopback
    except ValueError:
        loopback = settings.host == "localhost"
    if not loopback:
        return Check("TLS and cookies", Severity.WARNING,
                     f"the server listens on {settings.host}, not only on this machine",
                     "listen on 127.0.0.1 and put a TLS-terminating reverse proxy or an onion "
                     "service in front (docs/deploy.md)")
    return _ok("TLS and cookies", "listens on loopback only, secure cookies on")


@service(Permission.AUDIT_READ)
def last_backup(ctx: Context) -> datetime | None:
    newest = ctx.session.execute(select(func.max(AuditEvent.at)).where(
        AuditEvent.action == "instance.backup")).scalar_one_or_none()
    return as_utc(newest) if newest else None


def check_database(platform: Platform) -> Check:
    try:
        with platform.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, head = schema.current_revision(platform.engine), schema.head_revision()
    except Exception as exc:  # any driver error: say which kind, never the URL's password
        return Check("database", Severity.PROBLEM, f"cannot reach it ({type(exc).__name__})",
                     "check QALXAN_DATABASE_URL and that the server runs")
    if current != head:
        return Check("database", Severity.PROBLEM, f"schema at {current}, code expects {head}",
                     "run `qalxan init` to upgrade the schema (take a backup first)")
    return _ok("database", f"reachable, schema at {head}")


def check_backup(platform: Platform) -> Check:
    newest = platform.run(SYSTEM, last_backup)
    if newest is None:
        return Check("backups", Severity.WARNING, "no backup was ever made of this instance",
                     "run `qalxan backup PATH` on a schedule, and keep the key apart")
    age = platform.clock() - newest
    found = f"last backup {newest:%Y-%m-%d %H:%M} UTC ({age.days} days ago)"
    if age > BACKUP_WARNING_AGE:
        return Check("backups", Severity.WARNING, found, "back up at least once a week")
    return _ok("backups", found)


def check_audit_chain(platform: Platform) -> Check:
    result = platform.run(SYSTEM, audit_log.verify_chain)
    if not result.ok:
        return Check("audit chain", Severity.PROBLEM,
                     f"broken at event {result.first_bad_seq}: {result.problem}",
                     "keep the server as it is and investigate (docs/threat-model.md)")
    return _ok("audit chain", f"{result.events} events, intact")


def check_one_time_passwords(settings: Settings) -> Check:
    """Files that ``qalxan init`` or ``user add`` wrote a one-time password into when their
    output was not a terminal (``cli/handover.py``): to be deleted once used."""
    folder = settings.data_dir / ONE_TIME_PASSWORDS_FOLDER
    left = sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []
    if left:
        return Check("one-time passwords", Severity.WARNING,
                     f"{len(left)} file(s) holding a one-time password remain in {folder}",
                     "delete each once its account has signed in and changed the password")
    return _ok("one-time passwords", "no password files left")


FILE_CHECKS: tuple[Callable[[Settings], Check], ...] = (
    check_settings, check_key, check_data_dir, check_disk, check_exposure,
    check_one_time_passwords)
DATABASE_CHECKS: tuple[Callable[[Platform], Check], ...] = (
    check_database, check_backup, check_audit_chain)


def examine(settings: Settings) -> list[Check]:
    """Every check, in order; the database checks only when the instance opens."""
    checks = [check(settings) for check in FILE_CHECKS]
    try:
        platform = instance.open_platform(settings)
    except QalxanError as exc:
        return [*checks, Check("instance", Severity.PROBLEM, exc.detail, "run `qalxan init`")]
    try:
        database = check_database(platform)
        checks.append(database)
        if database.severity is not Severity.PROBLEM:
            checks += [check(platform) for check in DATABASE_CHECKS[1:]]
    finally:
        platform.dispose()
    return checks
