"""The files beside the instance key: the key file itself, the backup key chain and the
shred ledger. None of them is ever in the database or in a backup.

- ``instance.key``: the instance key (see :mod:`qalxan.security.crypto`); rewritten by a
  rotation, which stages the new key in ``instance.key.next`` first.
- ``backup.key``: the seed of the oldest backup epoch still readable (JSON, mode 0600),
  made by the first backup and moved forward by the retention purge.
- ``shred-ledger``: one line per case or watch-list entry deleted for good (its kind, its id
  and the day), appended once the deletion is committed; a restore deletes them again.
  Lines go once no backup that could hold their object can be opened any more.

Every rewrite is a new file made beside the old one (mode 0600, fsynced) and renamed over it,
with the directory fsynced: a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

from qalxan.config import Settings
from qalxan.errors import KeyUnavailable
from qalxan.security import crypto

BACKUP_KEYS_FORMAT = "qalxan-backup-keys/1"


# paths ------------------------------------------------------------------------------------
def key_dir(settings: Settings) -> Path:
    """Where the files beside the instance key live (the data directory when the key is an
    environment secret)."""
    return settings.data_dir if settings.instance_key else settings.resolved_key_file().parent


def backup_keys_path(settings: Settings) -> Path:
    return key_dir(settings) / "backup.key"


def ledger_path(settings: Settings) -> Path:
    return key_dir(settings) / "shred-ledger"


def pending_key_path(settings: Settings) -> Path:
    key_file = settings.resolved_key_file()
    return key_file.with_name(key_file.name + ".next")


# writing ----------------------------------------------------------------------------------
def _sync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new(path: Path, text: str) -> None:
    """Write a new secret file (mode 0600, fsynced, with its directory); refuses to
    overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    _sync_dir(path.parent)


def replace(path: Path, text: str) -> None:
    """Replace a secret file whole (see the module's doc)."""
    staged = path.with_name(f".{path.name}.part")
    with contextlib.suppress(FileNotFoundError):
        staged.unlink()
    write_new(staged, text)
    os.replace(staged, path)
    _sync_dir(path.parent)


def move_into_place(staged: Path, path: Path) -> None:
    """Rename a fully written ``staged`` file over ``path`` (the old one is gone)."""
    os.replace(staged, path)
    _sync_dir(path.parent)


# backup keys ------------------------------------------------------------------------------
def epoch_of(day: date | datetime, settings: Settings) -> int:
    """The backup epoch of a day: days since 1970-01-01 in steps of the epoch length."""
    as_date = day.date() if isinstance(day, datetime) else day
    return (as_date - date(1970, 1, 1)).days // settings.backup_epoch_days


def load_backup_keys(settings: Settings) -> crypto.BackupKeys | None:
    path = backup_keys_path(settings)
    if not path.exists():
        return None
    crypto.check_secret_file_mode(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != BACKUP_KEYS_FORMAT:
            raise ValueError(data.get("format"))
        return crypto.BackupKeys(int(data["epoch"]), bytes.fromhex(data["seed"]))
    except (ValueError, KeyError, TypeError):
        raise KeyUnavailable(f"backup key file {path} is in an unknown format") from None


def save_backup_keys(settings: Settings, keys: crypto.BackupKeys) -> None:
    replace(backup_keys_path(settings), json.dumps(
        {"format": BACKUP_KEYS_FORMAT, "epoch": keys.first_epoch, "seed": keys.seed.hex()})
        + "\n")


def backup_keys_for_writing(settings: Settings, now: datetime) -> crypto.BackupKeys:
    """The backup key chain, started at ``now``'s epoch by the first backup."""
    keys = load_backup_keys(settings)
    if keys is None:
        keys = crypto.BackupKeys.new(epoch_of(now, settings))
        save_backup_keys(settings, keys)
    return keys


def forget_expired_backup_keys(settings: Settings, now: datetime, dry_run: bool = False) -> int:
    """Move the chain past every epoch whose newest backup is older than the backup
    retention period, and drop the ledger lines no readable backup needs; returns how many
    epochs' keys were destroyed (``dry_run``: would be)."""
    keys = load_backup_keys(settings)
    if keys is None:
        return 0
    # the epoch of the day the retention period began may hold younger backups; every
    # epoch before it ended that day or earlier
    oldest = epoch_of(now - timedelta(days=settings.backup_retention_days), settings)
    kept = keys.forget_before(oldest)
    if kept.first_epoch == keys.first_epoch or dry_run:
        return kept.first_epoch - keys.first_epoch
    save_backup_keys(settings, kept)
    _prune_ledger(settings, kept.first_epoch)
    return kept.first_epoch - keys.first_epoch


def forget_all_backup_keys(settings: Settings, now: datetime) -> None:
    """A new random chain from ``now``'s epoch: no backup written before can be opened."""
    save_backup_keys(settings, crypto.BackupKeys.new(epoch_of(now, settings)))


# the shred ledger -------------------------------------------------------------------------
LEDGER_KINDS = frozenset({"case", "watch_entry"})


def record_shredded(settings: Settings, kind: str, object_id: str, day: date) -> None:
    """Append a committed deletion to the ledger (fsynced before returning)."""
    if kind not in LEDGER_KINDS:
        raise ValueError(f"the shred ledger keeps no {kind}")
    path = ledger_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"kind": kind, "id": object_id, "day": day.isoformat()}) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _ledger_lines(settings: Settings) -> list[dict[str, str]]:
    path = ledger_path(settings)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def shredded(settings: Settings, kind: str) -> set[str]:
    """The ids of the objects of ``kind`` deleted for good that a backup may still hold."""
    return {line["id"] for line in _ledger_lines(settings) if line["kind"] == kind}


def _prune_ledger(settings: Settings, first_epoch: int) -> None:
    lines = _ledger_lines(settings)
    kept = [line for line in lines
            if epoch_of(date.fromisoformat(line["day"]), settings) >= first_epoch]
    if len(kept) != len(lines):
        replace(ledger_path(settings), "".join(json.dumps(line) + "\n" for line in kept))
