"""The service context (actor, unit of work, keyring, clock) and the ``service`` decorator.

A service function takes a :class:`Context` first and declares the permission it needs with
``@service(Permission.X)``. The decorator checks the permission before the body runs; the body
records audit events with :meth:`Context.audit`, which are appended to the hash chain in the
same transaction as the change they describe (:class:`Platform.run`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, Concatenate, NoReturn, ParamSpec, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from qalxan.config import Settings
from qalxan.errors import PermissionDenied, QalxanError, ReauthenticationRequired
from qalxan.security import audit
from qalxan.security.access import Actor, Permission
from qalxan.security.crypto import Keyring
from qalxan.security.vault import Vault
from qalxan.services.group_commit import GroupCommit, Rows
from qalxan.services.intake_capacity import IntakeCapacity
from qalxan.services.stamps import minute_clock
from qalxan.store.db import (
    make_engine,
    read_only_connection,
    session_factory,
    truncate_write_ahead_log,
)
from qalxan.store.files import FileStore
from qalxan.store.tables import Organisation, ids_to_the_minute

REAUTH_MINUTES = 5
SHORT_TOKEN_MINUTES = 15  # API tokens for sensitive actions: made this recently, live this long
NOT_HOST = "only admins of the organisation that runs this instance may do this"
P = ParamSpec("P")
R = TypeVar("R")
Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Timestamps read back from SQLite are naive; every stored timestamp is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class Context:
    actor: Actor
    session: Session
    keyring: Keyring
    settings: Settings
    files: FileStore
    clock: Clock = utcnow
    events: list[audit.PendingEvent] = field(default_factory=list)
    _vault: Vault | None = None
    _after_commit: list[Callable[[], None]] = field(default_factory=list)
    _keep_on_error: bool = False
    kept_rows: list[Any] = field(default_factory=list)
    _handed_over: Rows | None = None
    _log_truncation_due: bool = False
    to_the_minute: bool = False  # see record_to_the_minute
    _exact_clock: Clock = utcnow
    _ids_to_the_minute: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def record_to_the_minute(self, not_before: datetime | None = None) -> None:
        """This call writes what a defender sent: from here on its times (rows, data keys,
        audit events) are to the minute, yet after ``not_before`` (the last change of the
        case written to), and the time-ordered ids it makes tell the minute only
        (:mod:`qalxan.services.stamps`). Call it before any row is built."""
        if not self.to_the_minute:
            self.to_the_minute = True
            self._exact_clock = self.clock
            self._ids_to_the_minute.enter_context(ids_to_the_minute())
        self.clock = minute_clock(self._exact_clock, not_before)

    def refuse(self, error: QalxanError) -> NoReturn:
        """Refuse the call, yet commit what it wrote and its audit events (a wrong code
        counted, a session ended); the caller gets ``error`` once that is committed.

        Unlike :meth:`keep_events_on_error`, the writes happen in the call's own transaction,
        under the locks it took, so concurrent attempts cannot overtake the count.
        """
        raise _Refusal(error)

    def keep_events_on_error(self) -> None:
        """Keep this call's audit events even though it fails (failed sign-ins, denials)."""
        self._keep_on_error = True

    def commit_with_others(self, rows: Rows) -> None:
        """Hand this call's writes to the group commit (:mod:`qalxan.services.group_commit`):
        ``rows`` (per table) are inserted with this call's audit events once the call has
        returned; :meth:`Platform.run` returns when they are committed.

        For calls that prepare every row first: a call that hands its writes over makes no
        write of its own in ``session`` (which then commits nothing).
        """
        if self._handed_over is not None:
            raise RuntimeError("this call's writes were already handed over")
        self._handed_over = rows

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction has committed (e.g. removing shredded files)."""
        self._after_commit.append(action)

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            self._vault = Vault(self.session, self.keyring, self.files, self.now(),
                                on_shred=self.truncate_log_after_commit)
        return self._vault

    def truncate_log_after_commit(self) -> None:
        """Once this call has committed, empty the database's write-ahead log (SQLite), so
        what it deleted (shredded data keys above all) leaves no copy there; once a call."""
        if self._log_truncation_due:
            return
        self._log_truncation_due = True
        engine = self.session.get_bind()
        if isinstance(engine, Engine):
            self.after_commit(lambda: _truncate_log(engine))

    def audit(self, action: str, object_type: str, object_id: str | None,
              org_id: str | None = None, **details: str) -> None:
        """Record an audit event (ids and codes only: never report content)."""
        self.events.append(audit.event(
            self.actor.label, org_id if org_id is not None else self.actor.org_id,
            action, object_type, object_id, details))

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def reads_before_writing(self) -> Iterator[Connection]:
        """A connection for the reads a call makes before its first write, which take no
        lock (:func:`qalxan.store.db.read_only_connection`).

        On SQLite every transaction takes the write lock when it begins (``store/db.py``),
        so these reads get a short read-only transaction of their own (a snapshot of the
        last commit, waiting on no writer) and the call's writes take the lock later; on
        PostgreSQL they run in autocommit. They do not see this call's own writes.
        """
        engine = self.session.get_bind()
        if not isinstance(engine, Engine):
            yield self.session.connection()
            return
        with read_only_connection(engine) as connection:
            yield connection

    def require_recent_authentication(self) -> None:
        """Sensitive actions (those that grant access, export or delete) need a sign-in or
        confirmation in the last few minutes from a web session, or, from the API, a token
        made in the last minutes (making one needs a recent sign-in; tokens with the scopes
        of such actions live no longer). The system (the shell) is trusted."""
        if self.actor.kind == "token":
            made = self.actor.authenticated_at
            if made is None or self.now() - made > timedelta(minutes=SHORT_TOKEN_MINUTES):
                raise ReauthenticationRequired(
                    f"this action needs an API token made in the last {SHORT_TOKEN_MINUTES} "
                    f"minutes; make a new one after signing in")
            return
        if self.actor.kind != "user":
            return
        since = self.actor.authenticated_at
        if since is None or self.now() - since > timedelta(minutes=REAUTH_MINUTES):
            raise ReauthenticationRequired(
                f"confirm your password and code; this action needs a sign-in within the "
                f"last {REAUTH_MINUTES} minutes")


class _Refusal(Exception):
    """Carries a refusal out of the service function to :meth:`Platform.run`."""

    def __init__(self, error: QalxanError) -> None:
        super().__init__(error.detail)
        self.error = error


def host_organisation(session: Session) -> str | None:
    """The organisation that runs the instance and receives the defenders' reports: the
    oldest one that accepts intake."""
    return session.execute(
        select(Organisation.id).where(Organisation.accepts_intake.is_(True))
        .order_by(Organisation.created_at, Organisation.id).limit(1)).scalar_one_or_none()


def _require_host_organisation(ctx: Context) -> None:
    """``instance:manage`` is for the system and the admins of the host organisation only;
    an admin of a partner organisation holds the role, not the instance."""
    if ctx.actor.kind == "system" or ctx.actor.org_id == host_organisation(ctx.session):
        return
    ctx.audit("instance.denied", "organisation", ctx.actor.org_id)
    ctx.keep_events_on_error()
    raise PermissionDenied(NOT_HOST)


def _run_after_commit(actions: list[Callable[[], None]]) -> None:
    """Run every action (one that fails does not keep the others from running: a deletion
    whose ledger line cannot be written still removes its files), then raise the first
    failure."""
    failures: list[Exception] = []
    for action in actions:
        try:
            action()
        except Exception as exc:  # raised below, after the others ran
            failures.append(exc)
    if failures:
        raise failures[0]


def _truncate_log(engine: Engine) -> None:
    truncate_write_ahead_log(engine)  # a log readers kept busy is emptied by the next purge


def service(permission: Permission) -> Callable[
    [Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]
]:
    """Declare the permission a service function needs; checked before it runs (for
    ``instance:manage``, with the host organisation's, which the role alone does not give)."""

    def decorate(fn: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        @wraps(fn)
        def wrapper(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            ctx.actor.require(permission)
            if permission is Permission.INSTANCE_MANAGE:
                _require_host_organisation(ctx)
            return fn(ctx, *args, **kwargs)

        wrapper.__qalxan_permission__ = permission  # type: ignore[attr-defined]
        return wrapper

    return decorate


class Platform:
    """One running instance: database, keyring, file store and settings, built once."""

    def __init__(self, settings: Settings, keyring: Keyring, engine: Engine | None = None,
                 clock: Clock = utcnow) -> None:
        self.settings = settings
        self.keyring = keyring
        self.engine = engine or make_engine(settings.resolved_database_url())
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self.files = FileStore(settings.data_dir / "files")
        self.clock = clock
        self.group_commit = GroupCommit(self.sessions, keyring, clock)
        self.intake_capacity = IntakeCapacity(settings, clock)
        # SQLite's writers (threads and processes alike) take turns on the lock file of
        # ``store/db.py`` when their transaction begins; PostgreSQL runs them side by side.

    def run(self, actor: Actor, fn: Callable[Concatenate[Context, P], R],
            *args: P.args, **kwargs: P.kwargs) -> R:
        """Run one service call in one transaction, with its audit events."""
        ctx: Context | None = None
        refusal: QalxanError | None = None
        try:
            with self.sessions() as session, session.begin():
                ctx = Context(actor, session, self.keyring, self.settings, self.files, self.clock)
                try:
                    with ctx._ids_to_the_minute:
                        result = fn(ctx, *args, **kwargs)
                except _Refusal as refused:
                    refusal = refused.error
                if ctx._handed_over is None:
                    if not ctx.events and ctx._vault is not None and ctx._vault.made_keys:
                        audit.check_wrap_key(session, self.keyring)
                    audit.append(session, self.keyring, ctx.events, ctx.now())
                elif session.new or session.dirty or session.deleted:
                    raise RuntimeError("a call that hands its writes to the group commit "
                                       "changed objects in its own session")
            if ctx._handed_over is not None:
                self.group_commit.commit(ctx._handed_over, ctx.events, ctx.to_the_minute)
        except Exception:
            if ctx is not None and ctx._keep_on_error:
                self._record_failure(ctx)
            raise
        _run_after_commit(ctx._after_commit)
        if refusal is not None:
            raise refusal
        return result

    async def run_async(self, actor: Actor, fn: Callable[Concatenate[Context, P], R],
                        *args: P.args, **kwargs: P.kwargs) -> R:
        """:meth:`run` from async code: the transaction runs in a worker thread, so the
        event loop keeps serving other requests while this one waits on the database."""
        call: Callable[[], R] = functools.partial(self.run, actor, fn, *args, **kwargs)
        return await anyio.to_thread.run_sync(call)

    def _record_failure(self, failed: Context) -> None:
        """Write a failed call's audit events (and throttling records) in their own transaction."""
        with self.sessions() as session, session.begin():
            for row in failed.kept_rows:
                session.merge(row)
            audit.append(session, self.keyring, failed.events, self.clock())

    def dispose(self) -> None:
        self.group_commit.close()
        self.engine.dispose()
