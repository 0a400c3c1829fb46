"""Encrypted logical backups: every table and every stored file, in one sealed archive.

A backup is a tar stream (``tables/<name>.jsonl`` and ``files/<name>``) sealed with a fresh
data key that is wrapped by the instance key; the instance key itself is never in it. Sealed
columns and files stay sealed inside, so a backup is useless without the instance key, and a
backup taken from SQLite restores into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
from datetime import UTC, datetime
from typing import Any, BinaryIO

from sqlalchemy import Connection, Table, func, insert, select

from qalxan.errors import Conflict, IntegrityFailure, InvalidInput
from qalxan.security import crypto
from qalxan.store.files import FileStore
from qalxan.store.tables import Base, Evidence, new_id

MAGIC = b"QALXAN-BACKUP-1\n"


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


def _table_lines(conn: Connection, table: Table) -> bytes:
    rows = conn.execute(select(table)).mappings()
    return b"".join(json.dumps({k: _encode(v) for k, v in row.items()}).encode() + b"\n"
                    for row in rows)


def write_backup(conn: Connection, keyring: crypto.Keyring, files: FileStore,
                 out: BinaryIO) -> dict[str, int]:
    """Write a sealed backup of the consistent snapshot ``conn`` sees; returns row counts."""
    backup_id = new_id()
    key, wrapped = keyring.new_data_key(backup_id)
    header = {"id": backup_id, "key": base64.b64encode(wrapped).decode()}
    out.write(MAGIC + json.dumps(header).encode() + b"\n")
    writer = crypto.SealedWriter(key, out, f"backup:{backup_id}")
    counts: dict[str, int] = {}
    with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
        for table in Base.metadata.sorted_tables:
            data = _table_lines(conn, table)
            counts[table.name] = data.count(b"\n")
            _add(tar, f"tables/{table.name}.jsonl", data)
        for name in conn.execute(select(Evidence.blob_name)).scalars():
            if name:
                _add(tar, f"files/{name}", files.raw(name))
    writer.close()
    return counts


def _reader(keyring: crypto.Keyring, source: BinaryIO) -> crypto.SealedReader:
    if source.read(len(MAGIC)) != MAGIC:
        raise InvalidInput("this file is not a Qalxan backup")
    header = json.loads(source.readline())
    key = keyring.unwrap(header["id"], base64.b64decode(header["key"]))
    return crypto.SealedReader(key, source, f"backup:{header['id']}")


def _is_empty(conn: Connection) -> bool:
    for table in Base.metadata.sorted_tables:
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    return True


def read_backup(conn: Connection, keyring: crypto.Keyring, files: FileStore,
                source: BinaryIO) -> dict[str, int]:
    """Restore a backup into an empty instance (schema at head); returns row counts."""
    if not _is_empty(conn):
        raise Conflict("restore only into an empty instance (run `qalxan init --no-admin` first)")
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    counts: dict[str, int] = {}
    with tarfile.open(fileobj=_reader(keyring, source), mode="r|") as tar:  # type: ignore[call-overload]
        for member in tar:
            data = _member_bytes(tar, member)
            if member.name.startswith("tables/"):
                table = tables[member.name.removeprefix("tables/").removesuffix(".jsonl")]
                counts[table.name] = _insert_rows(conn, table, data)
            elif member.name.startswith("files/"):
                files.put_raw(member.name.removeprefix("files/"), data)
    return counts


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise IntegrityFailure(f"backup member {member.name} is not a file")
    return handle.read()


def _insert_rows(conn: Connection, table: Table, data: bytes) -> int:
    rows = [{k: _decode(v) for k, v in json.loads(line).items()}
            for line in data.splitlines() if line]
    if rows:
        conn.execute(insert(table), rows)
    return len(rows)

