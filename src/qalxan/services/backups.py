"""Backup and restore of a whole instance (see ``qalxan.store.backup`` for the format).

A backup is sealed with the key of its epoch (``qalxan.security.keyfiles``); the retention
purge destroys the keys of epochs past the backup retention period. A restore deletes again
every case and watch-list entry the shred ledger names, in the restore's own transaction, so
one deleted after the backup was taken does not come back.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from qalxan.config import Settings
from qalxan.errors import InvalidInput
from qalxan.security import audit, keyfiles
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import instance, watchlists
from qalxan.services.context import Context, Platform, service
from qalxan.services.deletion import delete_case_rows
from qalxan.store import backup
from qalxan.store.tables import Case, WatchEntry


@dataclass
class RestoreReport:
    rows: dict[str, int]  # per table, as the backup held them
    deleted_again: list[str] = field(default_factory=list)  # ids of the ledger's cases
    watch_entries_deleted_again: list[str] = field(default_factory=list)


@service(Permission.SYSTEM)
def record_instance_event(ctx: Context, /, action: str, **details: str) -> None:
    ctx.audit(action, "instance", None, **details)


def create_backup(platform: Platform, path: Path) -> dict[str, int]:
    """Write a sealed backup of one consistent snapshot, crash-safely (temp file + rename)."""
    if path.exists():
        raise InvalidInput(f"{path} exists already; choose a new file name")
    now = platform.clock()
    keys = backup.BackupKeys(platform.keyring,
                             keyfiles.backup_keys_for_writing(platform.settings, now),
                             keyfiles.epoch_of(now, platform.settings))
    tmp = path.with_name(path.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            with platform.engine.begin() as conn:
                counts = backup.write_backup(conn, keys, platform.files, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        platform.run(SYSTEM, record_instance_event, "instance.backup", epoch=str(keys.epoch))
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return counts


def restore_backup(settings: Settings, path: Path) -> RestoreReport:
    """Restore into an empty instance that holds the instance's key files."""
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    instance.prepare(settings)
    platform = instance.open_platform(settings)
    try:
        keys = backup.BackupKeys(platform.keyring, keyfiles.load_backup_keys(settings))
        with path.open("rb") as source:
            return platform.run(SYSTEM, restore_into, keys, source, Shredded(
                keyfiles.shredded(settings, "case"), keyfiles.shredded(settings, "watch_entry")))
    finally:
        platform.dispose()


@dataclass(frozen=True, slots=True)
class Shredded:
    """What the shred ledger names: ids of cases and of watch-list entries."""

    cases: set[str]
    watch_entries: set[str]


@service(Permission.SYSTEM)
def restore_into(ctx: Context, keys: backup.BackupKeys, source: BinaryIO,
                 shredded: Shredded) -> RestoreReport:
    """Insert a backup's rows and files, then delete again what ``shredded`` (the shred
    ledger) names and it holds: one transaction, so none of it is ever committed."""
    rows = backup.read_backup(ctx.session.connection(), keys, ctx.files, source)
    # the data keys are now wrapped by this instance's key, whatever the backup's head noted
    audit.record_wrap_key(ctx.session, ctx.keyring)
    report = RestoreReport(rows)
    for case in _restored(ctx, Case, shredded.cases):
        delete_case_rows(ctx, case, ledger=False)
        ctx.audit("case.delete_reapplied", "case", case.id, org_id=case.org_id)
        report.deleted_again.append(case.id)
    for entry in _restored(ctx, WatchEntry, shredded.watch_entries):
        watchlists.delete_entry_rows(ctx, entry, ledger=False)
        ctx.audit("watchlist.remove_reapplied", "watch_entry", entry.id, org_id=entry.org_id)
        report.watch_entries_deleted_again.append(entry.id)
    ctx.audit("instance.restore", "instance", None,
              deleted_again=str(len(report.deleted_again)),
              watch_entries_deleted_again=str(len(report.watch_entries_deleted_again)))
    return report


def _restored(ctx: Context, model: type[Case] | type[WatchEntry],
              ids: set[str]) -> list[Any]:
    """The restored rows of ``model`` among ``ids``, in id order."""
    present = set(ctx.session.execute(select(model.id)).scalars())
    return [ctx.session.get_one(model, object_id) for object_id in sorted(ids & present)]


def backup_audit_head(settings: Settings, path: Path) -> audit.ChainHead:
    """The audit chain's head written into a backup's header (needs the key files)."""
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    keys = backup.BackupKeys(instance.open_keyring(settings), keyfiles.load_backup_keys(settings))
    with path.open("rb") as source:
        return backup.read_audit_head(keys, source)
