"""Encrypted logical backups: every table and every stored file, in one sealed archive.

A backup is a tar stream (``tables/<name>.jsonl`` and ``files/<name>``) sealed with a fresh
archive key. Format 2 (``QALXAN-BACKUP-2``): the archive key is wrapped by the key of the
backup's epoch (:class:`qalxan.security.crypto.BackupKeys`: made from the instance key and
the epoch's seed, so useless without either), and every data key inside is
re-wrapped by a key derived from the archive key, so the backup does not depend on the
instance key that wraps the live data keys (a rotation leaves it readable) and becomes
unreadable for good once its epoch's key is destroyed. Sealed columns and files stay sealed
inside. The header also holds the audit chain's head at the snapshot, sealed with the
archive key. Format 1 (archive key wrapped by the instance key) is still read. A backup
taken from SQLite restores into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO

from sqlalchemy import Connection, Table, func, insert, select

from qalxan.errors import Conflict, IntegrityFailure, InvalidInput, KeyUnavailable
from qalxan.security import audit, crypto
from qalxan.store.files import FileStore
from qalxan.store.tables import Base, DataKeyRow, Evidence, new_id

MAGIC_V1 = b"QALXAN-BACKUP-1\n"
MAGIC = b"QALXAN-BACKUP-2\n"
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class BackupKeys:
    """The keys a backup is written or read with."""

    instance: crypto.Keyring  # wraps the live data keys
    backups: crypto.BackupKeys | None  # the epoch chain (None: only format 1 can be read)
    epoch: int = 0  # the epoch a new backup belongs to


@dataclass(frozen=True, slots=True)
class _Opened:
    reader: crypto.SealedReader
    rewrap: Callable[[Row], Row]  # a data key row as the restoring instance stores it
    audit_head: audit.ChainHead | None


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"$dt": aware.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$b64" in value:
        return base64.b64decode(value["$b64"])
    if isinstance(value, dict) and "$dt" in value:
        return datetime.fromisoformat(value["$dt"])
    return value


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _table_lines(conn: Connection, table: Table, transform: Callable[[Row], Row]) -> bytes:
    rows = conn.execute(select(table)).mappings()
    return b"".join(json.dumps({k: _encode(v) for k, v in transform(dict(row)).items()})
                    .encode() + b"\n" for row in rows)


def _unchanged(row: Row) -> Row:
    return row


def write_backup(conn: Connection, keys: BackupKeys, files: FileStore,
                 out: BinaryIO) -> dict[str, int]:
    """Write a sealed backup of the consistent snapshot ``conn`` sees; returns row counts."""
    if keys.backups is None:
        raise RuntimeError("a backup is written with the backup key chain")
    backup_id = new_id()
    key, wrapped = keys.backups.new_archive_key(keys.instance, keys.epoch, backup_id)
    head = audit.head(conn)
    header = {"id": backup_id, "epoch": keys.epoch, "key": base64.b64encode(wrapped).decode(),
              "audit_head": base64.b64encode(crypto.seal_backup_header(
                  key, backup_id, str(head).encode())).decode()}
    out.write(MAGIC + json.dumps(header).encode() + b"\n")

    def for_backup(row: Row) -> Row:
        data_key = keys.instance.unwrap(row["id"], row["wrapped"])
        return row | {"wrapped": crypto.wrap_for_backup(key, row["id"], data_key)}

    writer = crypto.SealedWriter(key, out, f"backup:{backup_id}")
    counts: dict[str, int] = {}
    with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
        for table in Base.metadata.sorted_tables:
            data = _table_lines(conn, table, for_backup if table.name == DataKeyRow.__tablename__
                                else _unchanged)
            counts[table.name] = data.count(b"\n")
            _add(tar, f"tables/{table.name}.jsonl", data)
        for name in conn.execute(select(Evidence.blob_name)).scalars():
            if name:
                _add(tar, f"files/{name}", files.raw(name))
    writer.close()
    return counts


def _open(keys: BackupKeys, source: BinaryIO) -> _Opened:
    magic = source.read(len(MAGIC))
    if magic not in (MAGIC, MAGIC_V1):
        raise InvalidInput("this file is not a Qalxan backup")
    try:
        header = json.loads(source.readline())
        backup_id, wrapped = str(header["id"]), base64.b64decode(header["key"])
        if magic == MAGIC:
            epoch, sealed_head = int(header["epoch"]), base64.b64decode(header["audit_head"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("this Qalxan backup's header is damaged") from None
    context = f"backup:{backup_id}"
    if magic == MAGIC_V1:  # the archive key and the data keys wrapped by the instance key
        key = keys.instance.unwrap(backup_id, wrapped)
        return _Opened(crypto.SealedReader(key, source, context), _unchanged, None)
    if keys.backups is None:
        raise KeyUnavailable("this backup needs the backup key file (backup.key, kept beside "
                             "the instance key); copy it there")
    key = keys.backups.open_archive_key(keys.instance, epoch, backup_id, wrapped)
    head = audit.ChainHead.parse(crypto.open_backup_header(key, backup_id, sealed_head).decode())

    def for_instance(row: Row) -> Row:
        data_key = crypto.unwrap_from_backup(key, row["id"], row["wrapped"])
        return row | {"wrapped": keys.instance.wrap(row["id"], data_key)}

    return _Opened(crypto.SealedReader(key, source, context), for_instance, head)


def read_audit_head(keys: BackupKeys, source: BinaryIO) -> audit.ChainHead:
    """The audit chain's head a backup's header holds (format 2; the archive is not read)."""
    head = _open(keys, source).audit_head
    if head is None:
        raise InvalidInput("this backup's format (1) holds no audit head")
    return head


def _is_empty(conn: Connection) -> bool:
    for table in Base.metadata.sorted_tables:
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    return True


def read_backup(conn: Connection, keys: BackupKeys, files: FileStore,
                source: BinaryIO) -> dict[str, int]:
    """Restore a backup into an empty instance (schema at head); returns row counts."""
    if not _is_empty(conn):
        raise Conflict("restore only into an empty instance (run `qalxan init --no-admin` first)")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    counts: dict[str, int] = {}
    opened = _open(keys, source)
    with tarfile.open(fileobj=opened.reader, mode="r|") as tar:  # type: ignore[call-overload]
        for member in tar:
            data = _member_bytes(tar, member)
            if member.name.startswith("tables/"):
                table = tables[member.name.removeprefix("tables/").removesuffix(".jsonl")]
                transform = (opened.rewrap if table.name == DataKeyRow.__tablename__
                             else _unchanged)
                counts[table.name] = _insert_rows(conn, table, data, transform)
            elif member.name.startswith("files/"):
                files.put_raw(member.name.removeprefix("files/"), data)
    return counts


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise IntegrityFailure(f"backup member {member.name} is not a file")
    return handle.read()


def _insert_rows(conn: Connection, table: Table, data: bytes,
                 transform: Callable[[Row], Row]) -> int:
    rows = [transform({k: _decode(v) for k, v in json.loads(line).items()})
            for line in data.splitlines() if line]
    if rows:
        conn.execute(insert(table), rows)
    return len(rows)

