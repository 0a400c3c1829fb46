"""The tamper-evident audit trail: append-only events chained by keyed MACs (HMAC-SHA256).

Each event's MAC covers its fields and the previous event's MAC, under a key derived from
the instance key. Editing, inserting or removing any event breaks the chain, and someone
holding only the database cannot recompute it. Events carry ids and codes, never report
content. Appends are serialised through the single ``audit_head`` row.

What an event may hold is enforced here, for every caller: its id fields (the object's id,
the organisation's, and details that name a record) hold record ids (UUIDs, or a case
reference) and nothing else, and its other fields are short codes. :func:`event` turns an id
that is not one (an unknown "case id" of 8,000 characters typed into a URL) into no id and
the mark ``malformed``, so a probe is recorded as a probe without its text; :func:`append`
refuses any event that does not fit, whoever built it.

Appends are Core statements on the transaction's connection (lock the head row, one insert
of the events, one update of the head; on PostgreSQL, for a call's single event, the last
two are one statement) rather than ORM objects and a flush: every service call ends with
one, so it is on the path of every request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from qalxan.errors import KeyUnavailable
from qalxan.security.crypto import Keyring
from qalxan.store.tables import AuditEvent, AuditHead

GENESIS = "0" * 64
_HEAD_ID = 1
_HEAD = cast(Table, AuditHead.__table__)
_EVENTS = cast(Table, AuditEvent.__table__)
# the statements are built once: building and caching a statement costs more than running it
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.mac, _HEAD.c.wrap_key).where(
    _HEAD.c.id == _HEAD_ID).with_for_update()
_NEW_HEAD = insert(_HEAD).values(id=_HEAD_ID, seq=0, mac=GENESIS)
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.id == _HEAD_ID).values(
    seq=bindparam("head_seq"), mac=bindparam("head_mac"))
_INSERT_EVENTS = insert(_EVENTS)
# PostgreSQL, a call with one event (nearly every call): the event's insert and the head's
# update in one statement and one round trip, the update as a data-modifying WITH
_INSERT_EVENT_MOVING_HEAD = insert(_EVENTS).values(
    {column.key: bindparam(f"event_{column.key}", type_=column.type) for column in _EVENTS.c}
).add_cte(_MOVE_HEAD.cte("head_moved"))


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_REFERENCE = re.compile(r"Q-[0-9A-Z]{8}")
_ACTOR = re.compile(r"(?:user|token):[0-9a-f-]{36}|[a-z]{1,20}")
_NAME = re.compile(r"[a-z][a-z0-9_.]{0,79}")  # actions, object types, detail keys
_CODE = re.compile(r"[A-Za-z0-9_.,:;+=/@ -]{0,400}")  # detail values: codes, counts, digests
# details that name a record hold its id (or nothing)
ID_DETAILS = frozenset({"case", "case_id", "user", "user_id", "assignee", "note_id",
                        "referral_id", "entry_id", "alert_id", "source_id"})
MALFORMED = "malformed"


def is_record_id(value: object) -> bool:
    """Whether ``value`` has the form of a record id (or a case reference): nothing else may
    be looked up by id, nor written to an audit event's id fields."""
    return isinstance(value, str) and bool(_UUID.fullmatch(value) or _REFERENCE.fullmatch(value))


@dataclass(frozen=True, slots=True)
class PendingEvent:
    actor: str
    org_id: str | None
    action: str
    object_type: str
    object_id: str | None
    details: dict[str, str]


def event(actor: str, org_id: str | None, action: str, object_type: str,
          object_id: str | None, details: Mapping[str, str]) -> PendingEvent:
    """An event fit for the trail: an id field that holds no record id is left empty and a
    detail that is not a code is replaced, each with the mark ``malformed``."""
    marks: dict[str, str] = {}
    if object_id is not None and not is_record_id(object_id):
        object_id, marks["object_id"] = None, MALFORMED
    if org_id is not None and not is_record_id(org_id):
        org_id, marks["org_id"] = None, MALFORMED
    kept = {}
    for key, value in details.items():
        if not _NAME.fullmatch(key):
            marks["detail"] = MALFORMED
        elif not _detail_fits(key, value):
            kept[key] = MALFORMED
        else:
            kept[key] = value
    return PendingEvent(actor, org_id, action, object_type, object_id, kept | marks)


def _detail_fits(key: str, value: object) -> bool:
    if not isinstance(value, str):
        return False
    if key in ID_DETAILS:
        return value in ("", MALFORMED) or is_record_id(value)
    return bool(_CODE.fullmatch(value))


def refusal(event: PendingEvent) -> str | None:
    """What in an event is not an id or a code (None: it fits the trail)."""
    if not _ACTOR.fullmatch(event.actor):
        return "actor"
    if not (_NAME.fullmatch(event.action) and _NAME.fullmatch(event.object_type)):
        return "action or object type"
    for name, value in (("object id", event.object_id), ("organisation id", event.org_id)):
        if value is not None and not is_record_id(value):
            return name
    for key, value in event.details.items():
        if not _NAME.fullmatch(key) or not _detail_fits(key, value):
            return f"detail {key[:40]!r}"
    return None


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The newest event's sequence number and MAC. A copy kept elsewhere (a backup's header,
    a note on paper) proves later that the chain still holds that event unchanged."""

    seq: int
    mac: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.mac}"

    @classmethod
    def parse(cls, text: str) -> ChainHead:
        """Read ``SEQ:MAC`` (as printed by ``qalxan audit head``); ValueError otherwise."""
        seq, _, mac = text.strip().partition(":")
        if not seq.isdigit() or len(mac) != 64 or any(c not in "0123456789abcdef" for c in mac):
            raise ValueError("an audit head reads SEQ:MAC (a number, a colon and 64 hex digits)")
        return cls(int(seq), mac)


def _canonical(seq: int, at: datetime, event: PendingEvent, prev_mac: str) -> bytes:
    body = {
        "seq": seq, "at": at.isoformat(), "actor": event.actor, "org": event.org_id,
        "action": event.action, "type": event.object_type, "id": event.object_id,
        "details": event.details, "prev": prev_mac,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _lock_head(connection: Connection, keyring: Keyring) -> tuple[int, str]:
    """The newest sequence number and MAC, with the head row locked until commit; refuses
    a keyring whose key that wraps data keys is not the one a rotation recorded."""
    head = connection.execute(_LOCK_HEAD).first()
    if head is None:
        connection.execute(_NEW_HEAD)
        return 0, GENESIS
    if head.wrap_key is not None and head.wrap_key != keyring.wrap_fingerprint:
        raise KeyUnavailable("the instance key was rotated since this process started; "
                             "restart it")
    return int(head.seq), str(head.mac)


def check_wrap_key(session: Session, keyring: Keyring) -> None:
    """:func:`_lock_head`'s check for a call that records no event but made data keys."""
    _lock_head(session.connection(), keyring)


def record_wrap_key(session: Session, keyring: Keyring) -> None:
    """Note ``keyring``'s key that wraps data keys as the instance's (a rotation, in its
    transaction): processes holding another one can no longer commit a write."""
    connection = session.connection()
    if connection.execute(_LOCK_HEAD).first() is None:
        connection.execute(_NEW_HEAD)
    connection.execute(update(_HEAD).where(_HEAD.c.id == _HEAD_ID).values(
        wrap_key=keyring.wrap_fingerprint))


def append(session: Session, keyring: Keyring, events: list[PendingEvent], at: datetime) -> None:
    """Append events in order, inside the caller's transaction."""
    if not events:
        return
    for pending in events:
        if (problem := refusal(pending)) is not None:
            raise ValueError(f"an audit event holds ids and codes only; its {problem} does not")
    # the call's own pending ORM rows go first: on PostgreSQL the head row stays locked
    # from here to the commit, and every other writer waits on it
    session.flush()
    connection = session.connection()
    seq, prev = _lock_head(connection, keyring)
    rows: list[dict[str, Any]] = []
    for event in events:
        seq += 1
        mac = keyring.audit_mac(_canonical(seq, at, event, prev))
        rows.append({
            "seq": seq, "at": at, "actor": event.actor, "org_id": event.org_id,
            "action": event.action, "object_type": event.object_type,
            "object_id": event.object_id, "details": event.details, "prev_mac": prev,
            "mac": mac,
        })
        prev = mac
    head = {"head_seq": seq, "head_mac": prev}
    if len(rows) == 1 and connection.dialect.name == "postgresql":
        event_row = {f"event_{key}": value for key, value in rows[0].items()}
        connection.execute(_INSERT_EVENT_MOVING_HEAD, event_row | head)
        return
    connection.execute(_INSERT_EVENTS, rows)  # SQLite has no data-modifying WITH
    connection.execute(_MOVE_HEAD, head)


def _as_pending(row: AuditEvent) -> PendingEvent:
    return PendingEvent(row.actor, row.org_id, row.action, row.object_type, row.object_id,
                        dict(row.details))


def _normalise(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def head(connection: Connection | Session) -> ChainHead:
    """The chain's head as the database holds it (0 and the genesis MAC when empty)."""
    row = connection.execute(select(_HEAD.c.seq, _HEAD.c.mac)
                             .where(_HEAD.c.id == _HEAD_ID)).first()
    return ChainHead(int(row.seq), str(row.mac)) if row else ChainHead(0, GENESIS)


def verify(session: Session, keyring: Keyring, expected: ChainHead | None = None) -> VerifyResult:
    """Walk the chain from the first event; report the first event that does not fit.

    ``expected``: a head recorded earlier elsewhere; the chain must still hold that event
    with that MAC, which proves that no event up to it was removed or rewritten, even by
    someone who holds the key and rebuilt the chain and its head after cutting it short.
    """
    prev, expected_seq, count = GENESIS, 1, 0
    for row in _rows(session):
        if row.seq != expected_seq:
            return VerifyResult(False, count, expected_seq, f"event {expected_seq} is missing")
        mac = keyring.audit_mac(_canonical(row.seq, _normalise(row.at), _as_pending(row), prev))
        if row.prev_mac != prev or row.mac != mac:
            return VerifyResult(False, count, row.seq, f"event {row.seq} was altered")
        if expected is not None and row.seq == expected.seq and row.mac != expected.mac:
            return VerifyResult(False, count, row.seq, f"event {row.seq} differs from the "
                                "head recorded earlier (the chain was rewritten)")
        prev, expected_seq, count = row.mac, expected_seq + 1, count + 1
    recorded = head(session)
    if recorded.seq != count or recorded.mac != prev:
        return VerifyResult(False, count, count + 1,
                            "the newest events were removed (chain shorter than its head)")
    if expected is not None and expected.seq > count:
        return VerifyResult(False, count, count + 1, f"events {count + 1} to {expected.seq} "
                            "were removed (chain shorter than the head recorded earlier)")
    return VerifyResult(True, count)


def _rows(session: Session) -> Iterator[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    yield from session.execute(stmt).scalars()
