"""Backup and restore of a whole instance (see ``qalxan.store.backup`` for the format)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from qalxan.config import Settings
from qalxan.errors import InvalidInput
from qalxan.security.access import SYSTEM, Permission
from qalxan.services import instance
from qalxan.services.context import Context, Platform, service
from qalxan.store import backup


@service(Permission.SYSTEM)
def record_instance_event(ctx: Context, /, action: str, **details: str) -> None:
    ctx.audit(action, "instance", None, **details)


def create_backup(platform: Platform, path: Path) -> dict[str, int]:
    """Write a sealed backup of one consistent snapshot, crash-safely (temp file + rename)."""
    if path.exists():
        raise InvalidInput(f"{path} exists already; choose a new file name")
    tmp = path.with_name(path.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            with platform.engine.begin() as conn:
                counts = backup.write_backup(conn, platform.keyring, platform.files, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        platform.run(SYSTEM, record_instance_event, "instance.backup")
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return counts


def restore_backup(settings: Settings, path: Path) -> dict[str, int]:
    """Restore into an empty instance that holds the same instance key."""
    if not path.is_file():
        raise InvalidInput(f"no backup file at {path}")
    instance.prepare(settings)
    platform = instance.open_platform(settings)
    try:
        with path.open("rb") as source, platform.engine.begin() as conn:
            counts = backup.read_backup(conn, platform.keyring, platform.files, source)
        platform.run(SYSTEM, record_instance_event, "instance.restore")
    finally:
        platform.dispose()
    return counts
