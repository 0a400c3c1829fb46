"""Group commit: the writes of concurrent calls made durable by one commit.

A durable commit waits for the disk (an fsync of SQLite's write-ahead log, or of
PostgreSQL's), and writers take turns around it: SQLite has one writer at a time, and every
writer holds the head of the audit chain from its append to its commit. One commit per call
therefore caps the calls per second at one over the commit's latency, however many cores
there are. A call that has prepared all its rows (intake: analysed, sealed and built before
any write) hands them to this queue instead; one thread per process writes what has queued
up meanwhile (one insert per table for all of them), then their audit events in call
order, and commits once.

Nothing is acknowledged before its commit: :meth:`GroupCommit.commit` returns only after the
transaction holding the call's rows has committed, and raises the call's own error
otherwise. Failures are rare (a unique key taken by a concurrent retry, a foreign key checked
at commit), so calls get no savepoints: when a group's transaction fails, while writing or at
its commit, nothing of it is stored and each of its calls is tried again in a transaction of
its own, so that one call cannot sink the others.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from qalxan.security import audit
from qalxan.security.crypto import Keyring
from qalxan.services.stamps import to_the_minute

log = logging.getLogger(__name__)

MAX_GROUP: Final[int] = 64  # calls per transaction; a long transaction holds the lock long
Rows = Mapping[Table, Sequence[dict[str, Any]]]  # rows to insert, per table


@dataclass
class _Call:
    rows: Rows
    events: list[audit.PendingEvent]
    to_the_minute: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    error: Exception | None = None


class GroupCommit:
    """One process's queue of prepared writes and the thread that commits them."""

    def __init__(self, sessions: sessionmaker[Session], keyring: Keyring,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._keyring = keyring
        self._clock = clock
        self._queue: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0  # of the process that started the thread (a forked child starts its own)
        self._lock = threading.Lock()
        self._closed = False

    def commit(self, rows: Rows, events: list[audit.PendingEvent],
               to_the_minute: bool = False) -> None:
        """Insert ``rows``, append ``events`` to the audit chain and commit; returns once
        committed, or raises this call's error. ``to_the_minute``: the events are a
        defender's, stamped with the commit's minute (:mod:`qalxan.services.stamps`)."""
        call = _Call(rows, events, to_the_minute)
        with self._lock:
            if self._closed:
                raise RuntimeError("the platform is closed")
            if self._thread is None or self._pid != os.getpid():
                self._queue, self._pid = queue.SimpleQueue(), os.getpid()
                self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                                name="group-commit", daemon=True)
                self._thread.start()
            self._queue.put(call)
        call.done.wait()
        if call.error is not None:
            raise call.error

    def close(self) -> None:
        """Commit what is queued, then stop the thread."""
        with self._lock:
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join()

    def _run(self, calls: queue.SimpleQueue[_Call | None]) -> None:
        while True:
            first = calls.get()
            group = [] if first is None else [first]
            stop = first is None
            while not stop and len(group) < MAX_GROUP:
                try:
                    call = calls.get_nowait()
                except queue.Empty:
                    break
                if call is None:
                    stop = True
                else:
                    group.append(call)
            if group:
                self._commit_group(group)
            if stop:
                return

    def _commit_group(self, group: list[_Call]) -> None:
        try:
            self._commit(group)
        finally:
            for call in group:
                call.done.set()

    def _commit(self, group: list[_Call]) -> None:
        """Commit the group, or give each call its own error: a group that fails stores
        nothing, and is committed again call by call."""
        try:
            self._transaction(group)
        except Exception as exc:
            if len(group) == 1:
                group[0].error = exc
                return
            log.warning("a group of %d writes failed (%s); committing them one by one",
                        len(group), type(exc).__name__)
            for call in group:
                self._commit([call])

    def _transaction(self, group: list[_Call]) -> None:
        merged: dict[Table, list[dict[str, Any]]] = {}
        for call in group:
            for table, rows in call.rows.items():
                if rows:
                    merged.setdefault(table, []).extend(rows)
        for table, rows in merged.items():
            # one statement per table takes its columns from the first row: a row with
            # other keys would lose values silently
            if any(row.keys() != rows[0].keys() for row in rows):
                raise ValueError(f"rows for {table.name} do not all name the same columns")
        with self._sessions() as session, session.begin():
            connection = session.connection()
            # one statement per table for the whole group; foreign keys are checked at
            # commit, so the order of the tables does not matter
            with _pipelined(connection):
                for table, rows in merged.items():
                    connection.execute(_insert_into(table), rows)
            # the group's events in call order, in one append per run of calls stamped
            # alike (a defender's to the minute): mostly one, reading and moving the head once
            at = self._clock()
            for minute, calls in itertools.groupby(group, key=lambda call: call.to_the_minute):
                events = [event for call in calls for event in call.events]
                audit.append(session, self._keyring, events, to_the_minute(at) if minute else at)


@contextlib.contextmanager
def _pipelined(connection: Connection) -> Iterator[None]:
    """psycopg's pipeline mode on PostgreSQL: the inserts go out together and their results
    come back together, one round trip instead of one per table; nothing elsewhere. An error
    surfaces at the end of the block, raised as SQLAlchemy raises it (an ``IntegrityError``
    for a taken key), and fails the group."""
    driver = connection.connection.driver_connection
    pipeline = getattr(driver, "pipeline", None)
    if not callable(pipeline):
        yield
        return
    error: type[Exception] = connection.dialect.loaded_dbapi.Error
    try:
        with pipeline():
            yield
    except error as exc:
        raise DBAPIError.instance(None, None, exc, error, dialect=connection.dialect) from exc


@functools.cache
def _insert_into(table: Table) -> Insert:
    """One statement per table, built once (building one costs about as much as running it)."""
    return insert(table)
