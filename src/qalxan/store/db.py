"""Engine set-up for the embedded default (SQLite) and production (PostgreSQL).

SQLite runs with WAL, ``secure_delete`` (deleted bytes are zeroed), foreign keys, full
fsync on commit, and write transactions that take the write lock up front (``BEGIN
IMMEDIATE``) so concurrent writers queue instead of failing. Its connections are pooled:
a connection opened per transaction would start with a cold page cache and, being the last
one to close, checkpoint the WAL into the database file every time (about 10 ms each, more
than the commit itself). The WAL is still fsynced on every commit and checkpointed
automatically; :meth:`Engine.dispose` closes the pool and checkpoints. Automatic
checkpoints leave the WAL file's old frames in place, so after data keys are shredded
:func:`truncate_write_ahead_log` copies the log into the database file and truncates it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=30000",
)
READ_ONLY = "qalxan_read_only"  # execution option: a SQLite read snapshot, no write lock
SQLITE_POOL_SIZE = 5  # connections kept open (writers queue on the write lock anyway)
SQLITE_OVERFLOW = 10
CHECKPOINT_TRIES = 20  # a reader's snapshot holds a truncating checkpoint back: try again
CHECKPOINT_PAUSE_SECONDS = 0.05


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class _TurnTakingConnection(sqlite3.Connection):
    """Holds an exclusive lock on a file beside the database for each transaction.

    Server processes (``qalxan serve --workers``) then queue for SQLite's write lock in the
    kernel and the next one starts as soon as a transaction ends, instead of polling in
    SQLite's busy handler, which sleeps 1, 2, 5, 10 ... up to 100 ms between tries. The lock
    goes with the process if it dies. SQLite's own locking is unchanged underneath.
    """

    lock_path = ""
    _lock_fd = -1

    def take_turn(self) -> None:
        if self._lock_fd < 0:
            self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    def _end_turn(self) -> None:
        if self._lock_fd >= 0:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._lock_fd >= 0:
                os.close(self._lock_fd)  # also releases the lock
                self._lock_fd = -1


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
    pooled: dict[str, Any] = {}
    if parsed.database and ":memory:" not in url:
        pooled = {"poolclass": QueuePool, "pool_size": SQLITE_POOL_SIZE,
                  "max_overflow": SQLITE_OVERFLOW}
        connect_args["factory"] = type("TurnTakingConnection", (_TurnTakingConnection,),
                                       {"lock_path": f"{parsed.database}-turn"})
    engine = create_engine(url, connect_args=connect_args, **pooled)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")  # deferred: a WAL snapshot that waits on no writer
            return
        dbapi_conn = conn.connection.dbapi_connection
        if isinstance(dbapi_conn, _TurnTakingConnection):
            dbapi_conn.take_turn()
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _locks_on_begin(engine: Engine) -> bool:
    """Whether a transaction takes the write lock when it begins (a SQLite file)."""
    database = engine.url.database
    return is_sqlite(engine) and bool(database) and database != ":memory:"


def read_only_connection(engine: Engine) -> Connection:
    """A connection for reads that take no lock and wait on no writer: on a SQLite file a
    deferred ``BEGIN`` (a snapshot of the last commit, no write lock, no turn); elsewhere
    autocommit (each statement sees the last commit; no transaction to begin and end, which
    on PostgreSQL saves two round trips). For reads only: a write on it would bypass the
    turn and the caller's transaction."""
    if _locks_on_begin(engine):
        return engine.connect().execution_options(**{READ_ONLY: True})
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def truncate_write_ahead_log(engine: Engine) -> bool:
    """Empty SQLite's write-ahead log: its frames are copied into the database file (where
    ``secure_delete`` has zeroed deleted rows) and the file is truncated to zero bytes, so
    no older copy of a deleted row (a shredded data key) stays in it. True when done (and
    at once where there is no such log: PostgreSQL, an in-memory database); False when
    readers kept it busy through every try (the next shred or purge tries again)."""
    if not _locks_on_begin(engine):
        return True
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        for _ in range(CHECKPOINT_TRIES):
            busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy == 0:
                return True
            time.sleep(CHECKPOINT_PAUSE_SECONDS)
    return False
