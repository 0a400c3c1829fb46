"""Database tables. Sensitive values are stored only sealed (``*_sealed`` columns, bytes).

Plaintext columns hold what queues, filters and aggregates need and nothing more: ids,
statuses, taxonomy codes, TLP labels, country codes, timestamps, sizes and hashes.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_48_BITS = (1 << 48) - 1
_MINUTE_MS = 60_000
# set while a defender's writes are prepared (see :func:`ids_to_the_minute`)
_ids_to_the_minute: ContextVar[bool] = ContextVar("ids_to_the_minute", default=False)


def new_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): the millisecond of its making, then 74
    random bits from the system's random source.

    New rows' keys then sit at the right edge of every index that holds them, instead of
    at random places: a transaction dirties a few pages per index rather than one per row,
    and SQLite's write-ahead log (and PostgreSQL's) carry that much less per commit. The
    time an id tells is no secret (every such row has its ``created_at``); the random part
    keeps ids unguessable. Inside :func:`ids_to_the_minute` (a defender's writes, whose
    times are stored to the minute) the time part is the minute, not the millisecond.
    """
    milliseconds = time.time_ns() // 1_000_000 & _48_BITS
    if _ids_to_the_minute.get():
        milliseconds -= milliseconds % _MINUTE_MS
    rand_a, rand_b = secrets.randbits(12), secrets.randbits(62)
    # unix_ts_ms (48 bits) | ver = 7 (4) | rand_a (12) | var = 0b10 (2) | rand_b (62)
    return str(uuid.UUID(int=milliseconds << 80 | 7 << 76 | rand_a << 64 | 2 << 62 | rand_b))


def new_random_id() -> str:
    """A random UUID (version 4) for the rows a defender makes whose ids leave the database
    (cases, defenders, incidents, evidence, the defender's messages): in links, exports and
    the audit trail such an id tells nothing of when the defender wrote."""
    return str(uuid.uuid4())


@contextmanager
def ids_to_the_minute() -> Iterator[None]:
    """Within the block, :func:`new_id` tells the minute only (the time a defender's rows
    are stamped with), keeping its place at the right edge of each index."""
    token = _ids_to_the_minute.set(True)
    try:
        yield
    finally:
        _ids_to_the_minute.reset(token)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def fk(target: str, cascade: bool = False, nullify: bool = False) -> ForeignKey:
    """Foreign keys are checked at commit, so rows of one transaction may go in any order.
    ``cascade`` deletes the row with its target; ``nullify`` empties the column instead."""
    ondelete = "CASCADE" if cascade else "SET NULL" if nullify else None
    return ForeignKey(target, ondelete=ondelete, deferrable=True, initially="DEFERRED")


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, always read back with its time zone (UTC). SQLite keeps no zone, so
    what it returns would otherwise be naive, and an API answer would carry a timestamp that
    means nothing; PostgreSQL's ``timestamptz`` comes back aware already."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _ts() -> Mapped[datetime]:
    return mapped_column(UtcDateTime())


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    accepts_intake: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _ts()


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    clearance: Mapped[str] = mapped_column(String(20), default="amber", server_default="amber")
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_key_id: Mapped[str | None] = mapped_column(fk("data_keys.id"), nullable=True,
                                                    index=True)
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _ts()
    # wrong TOTP codes (or confirmations) since the last right one: back-off, then a lock
    second_factor_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    second_factor_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(),
                                                                     nullable=True)
    # wrong codes the account holder has not yet been told of (at their next sign-in)
    second_factor_unseen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # a one-time password stops working at this time; None for a password the user chose
    password_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(),
                                                                 nullable=True)


class DataKeyRow(Base):
    """A wrapped data key. Deleting the row crypto-shreds whatever it sealed."""

    __tablename__ = "data_keys"
    id: Mapped[str] = _id()
    case_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()


class Defender(Base):
    __tablename__ = "defenders"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    identity_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    contact_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _ts()


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"))
    defender_id: Mapped[str] = mapped_column(fk("defenders.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(30), nullable=True)
    tlp: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(20))
    risk_score: Mapped[int] = mapped_column(Integer, default=0)
    physical_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[str | None] = mapped_column(fk("users.id"), nullable=True, index=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    receipt_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # keyed MAC over (id, org_id, defender_id): a case pointed at another defender fails
    defender_binding: Mapped[str] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    tags: Mapped[list[CaseTag]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        Index("ix_cases_queue", "org_id", "status", "risk_score", "created_at"),
        # covers the queue's visibility test and sort order: counting and paging the
        # queue read this index alone, not every case row
        Index("ix_cases_visible", "org_id", "restricted", "assignee_id", "risk_score",
              "created_at", "id"),
    )


class CaseTag(Base):
    __tablename__ = "case_tags"
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)

    # the queue filtered by threat type looks cases up by code
    __table_args__ = (Index("ix_case_tags_code", "code", "case_id"),)


class CaseAccess(Base):
    """An explicit per-case grant (a restricted case, or a coordinator of another organisation).
    A grant that ends is kept, with when, by whom and why (``revoked``, or
    ``consent_withdrawn`` for another organisation's grant when the defender withdraws their
    consent to share); granting again reopens it."""

    __tablename__ = "case_access"
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), primary_key=True)
    user_id: Mapped[str] = mapped_column(fk("users.id"), primary_key=True, index=True)
    granted_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = _ts()
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(30), nullable=True)


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    source: Mapped[str] = mapped_column(String(20))
    threat_codes: Mapped[list[str]] = mapped_column(JSON)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    report_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    incident_id: Mapped[str | None] = mapped_column(fk("incidents.id", cascade=True),
                                                    nullable=True)
    kind: Mapped[str] = mapped_column(String(10))
    tlp: Mapped[str] = mapped_column(String(20))
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)  # files only
    # keyed digest for look-ups (no SHA-256 in the clear: see services/evidence.py)
    content_digest: Mapped[str] = mapped_column(String(64))
    sha256_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    blob_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    added_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = _ts()


class FindingRow(Base):
    __tablename__ = "findings"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    incident_id: Mapped[str | None] = mapped_column(fk("incidents.id", cascade=True),
                                                    nullable=True)
    evidence_id: Mapped[str | None] = mapped_column(fk("evidence.id", cascade=True),
                                                    nullable=True)
    detector: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    physical_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    detail_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[str | None] = mapped_column(fk("users.id"), nullable=True, index=True)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()


class TimelineEvent(Base):
    __tablename__ = "timeline_events"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _ts()


class Referral(Base):
    __tablename__ = "referrals"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    mechanism: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = _ts()


class Consent(Base):
    __tablename__ = "consents"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = _ts()
    # a consent given and later withdrawn (on the defender's word): when, and who recorded it
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(60), nullable=True)


class DefenderReview(Base):
    """The defender's review of the help received: one per case, revisable until the case is
    deleted or purged (its rows cascade; its key belongs to the case and is shredded with it).
    The rating and the answers are codes; the optional comment is sealed."""

    __tablename__ = "defender_reviews"
    id: Mapped[str] = _id()
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), unique=True)
    rating: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    comment_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class WatchEntry(Base):
    """A defender on an organisation's watch-list. Names, handles, aliases and contact details
    are sealed with the entry's own key (no case owns it); removing the entry shreds it."""

    __tablename__ = "watch_entries"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"), index=True)
    defender_id: Mapped[str | None] = mapped_column(fk("defenders.id", nullify=True),
                                                    nullable=True, index=True)
    label: Mapped[str] = mapped_column(String(40))  # a pseudonym, shown in lists
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    details_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class MonitorSource(Base):
    """A public source an organisation monitors. What it watches (URLs, hashtags, accounts)
    and where it has got to (the checkpoint) are sealed: they say whom the organisation
    protects."""

    __tablename__ = "monitor_sources"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    params_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    checkpoint_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    posts_seen: Mapped[int] = mapped_column(Integer, default=0)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # the last failure's message names files, hosts and paths: sealed like the params
    last_error_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = _ts()

    __table_args__ = (UniqueConstraint("org_id", "name"),)


class MonitoredPost(Base):
    """A public post that concerns a watched defender: kept (sealed) as evidence and counted
    for the defender's baseline. ``post_digest`` (keyed) makes storing a post idempotent."""

    __tablename__ = "monitored_posts"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"), index=True)
    entry_id: Mapped[str] = mapped_column(fk("watch_entries.id", cascade=True))
    source_id: Mapped[str | None] = mapped_column(fk("monitor_sources.id", nullify=True),
                                                  nullable=True, index=True)
    post_digest: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = _ts()
    captured_at: Mapped[datetime] = _ts()
    attack: Mapped[bool] = mapped_column(Boolean, default=False)
    doxing: Mapped[bool] = mapped_column(Boolean, default=False)
    codes: Mapped[list[str]] = mapped_column(JSON)
    # keyed digest of the post's canonical JSON; its SHA-256 is taken from the sealed post
    content_digest: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    post_sealed: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        UniqueConstraint("entry_id", "post_digest"),
        Index("ix_monitored_posts_entry_time", "entry_id", "posted_at"),
    )


class Alert(Base):
    """Signals about one watched defender in one episode, merged. ``reasons`` are codes;
    the details (numbers, coordinated groups) are sealed. Once turned into an incident,
    ``case_id`` and ``incident_id`` say where."""

    __tablename__ = "alerts"
    id: Mapped[str] = _id()
    org_id: Mapped[str] = mapped_column(fk("organisations.id"))
    entry_id: Mapped[str] = mapped_column(fk("watch_entries.id", cascade=True), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    physical_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    first_post_at: Mapped[datetime] = _ts()
    last_post_at: Mapped[datetime] = _ts()
    key_id: Mapped[str] = mapped_column(fk("data_keys.id"), index=True)
    detail_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    case_id: Mapped[str | None] = mapped_column(fk("cases.id", nullify=True), nullable=True,
                                                index=True)
    incident_id: Mapped[str | None] = mapped_column(fk("incidents.id", nullify=True),
                                                    nullable=True, index=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()

    __table_args__ = (Index("ix_alerts_queue", "org_id", "status", "last_post_at"),)


class AlertPost(Base):
    """The posts behind an alert (its evidence)."""

    __tablename__ = "alert_posts"
    alert_id: Mapped[str] = mapped_column(fk("alerts.id", cascade=True), primary_key=True)
    post_id: Mapped[str] = mapped_column(fk("monitored_posts.id", cascade=True),
                                         primary_key=True, index=True)


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie value
    user_id: Mapped[str] = mapped_column(fk("users.id", cascade=True), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    totp_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _ts()
    last_seen_at: Mapped[datetime] = _ts()
    authenticated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(),
                                                              nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(fk("users.id", cascade=True), index=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_digest: Mapped[str] = mapped_column(String(64), index=True)
    address_digest: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = _ts()


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"
    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_digest: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str] = mapped_column(fk("cases.id", cascade=True), index=True)
    # None: the response is sealed under a key derived from the Idempotency-Key itself;
    # records from before 0009 name the data key that sealed theirs
    key_id: Mapped[str | None] = mapped_column(fk("data_keys.id"), index=True, nullable=True)
    response_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = _ts()


class AuditHead(Base):
    """One row: the sequence number and MAC of the newest audit event (serialises appends)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str] = mapped_column(String(64))
    # fingerprint of the key that wraps the data keys, set by a rotation (None before one):
    # a process still holding an older key cannot commit a write
    wrap_key: Mapped[str | None] = mapped_column(String(16), nullable=True)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = _ts()
    actor: Mapped[str] = mapped_column(String(60))
    org_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    details: Mapped[dict[str, str]] = mapped_column(JSON)
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("mac"), Index("ix_audit_object", "object_type", "object_id"))


