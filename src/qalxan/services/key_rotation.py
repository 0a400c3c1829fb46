"""Rotating the instance key: every data key re-wrapped by a new key, the old one gone.

The steps, each safe to be interrupted (``qalxan.services.instance.open_keyring`` finishes or
undoes a rotation that a crash cut short):

1. the new key file is written beside the old one (``instance.key.next``, fsynced);
2. one transaction re-wraps every data key, records ``instance.key_rotated`` and notes the
   new key's fingerprint in the audit head, so a process still holding the old key can no
   longer commit a write (it is told to restart);
3. the new key file is renamed over the old one (the old key is no longer on disk);
4. SQLite's write-ahead log is emptied, so it keeps no data key wrapped by the old key.

At no point is a committed data key wrapped by a key that is not on disk. Stop the instance
first all the same: its requests fail until it is restarted. The keyed digests (receipt
codes, the audit chain, look-ups) keep their key.
Backups do not depend on the key that wraps the data keys (``qalxan.store.backup``);
``forget_backups`` also destroys every backup key, so no backup written before can be read.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update

from qalxan.config import Settings
from qalxan.errors import InvalidInput
from qalxan.security import audit, crypto, keyfiles
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import instance
from qalxan.services.backups import record_instance_event
from qalxan.services.context import Context, Platform, service
from qalxan.store.db import truncate_write_ahead_log
from qalxan.store.tables import DataKeyRow

_KEYS = cast(Table, DataKeyRow.__table__)
_REWRAP = update(_KEYS).where(_KEYS.c.id == bindparam("key_id")).values(
    wrapped=bindparam("rewrapped"))
BATCH = 1000


@dataclass(frozen=True, slots=True)
class RotationReport:
    data_keys: int
    old_fingerprint: str  # of the key that wrapped the data keys (not a secret)
    new_fingerprint: str
    backup_keys_destroyed: bool


def rotate_instance_key(settings: Settings, forget_backups: bool = False) -> RotationReport:
    """Rotate the key that wraps the data keys (see the module's doc)."""
    if settings.instance_key:
        raise InvalidInput("the instance key is set by QALXAN_INSTANCE_KEY: a rotation writes "
                           "a key file; move the key into one (QALXAN_KEY_FILE) first")
    old = instance.open_keyring(settings)  # finishes an interrupted rotation first
    new = old.with_new_wrap_key()
    platform = Platform(settings, new)
    try:
        pending = keyfiles.pending_key_path(settings)
        with contextlib.suppress(FileNotFoundError):
            pending.unlink()  # left by a rotation that never committed
        keyfiles.write_new(pending, crypto.instance_key_file_text(new))
        count = platform.run(SYSTEM, rewrap_data_keys, old)
        keyfiles.move_into_place(pending, settings.resolved_key_file())
        truncate_write_ahead_log(platform.engine)
        if forget_backups:
            keyfiles.forget_all_backup_keys(settings, platform.clock())
            platform.run(SYSTEM, record_instance_event, "instance.backup_keys_destroyed")
    finally:
        platform.dispose()
    return RotationReport(count, old.wrap_fingerprint, new.wrap_fingerprint, forget_backups)


@service(Permission.SYSTEM)
def rewrap_data_keys(ctx: Context, old: crypto.Keyring) -> int:
    """Re-wrap every data key wrapped by ``old`` by the call's keyring, in the call's
    transaction; returns how many."""
    new = ctx.keyring
    connection = ctx.session.connection()
    if connection.dialect.name == "postgresql":  # no data key is added while this runs
        connection.exec_driver_sql("LOCK TABLE data_keys IN EXCLUSIVE MODE")
    rows = connection.execute(select(_KEYS.c.id, _KEYS.c.wrapped)).all()
    for start in range(0, len(rows), BATCH):
        connection.execute(_REWRAP, [
            {"key_id": row.id, "rewrapped": new.wrap(row.id, old.unwrap(row.id, row.wrapped))}
            for row in rows[start:start + BATCH]])
    audit.record_wrap_key(ctx.session, new)
    ctx.audit("instance.key_rotated", "instance", None, data_keys=str(len(rows)),
              old=old.wrap_fingerprint, new=new.wrap_fingerprint)
    return len(rows)
