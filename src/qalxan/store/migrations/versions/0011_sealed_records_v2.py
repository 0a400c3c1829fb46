"""Sealed records bound to the fields that give them meaning, padded; no SHA-256 in the clear.

- Every sealed record is opened under its old associated data (purpose and id) and sealed
  again under the new one (purpose, id and the row's bound fields, ``security/vault.py``),
  its plaintext padded to a size bucket.
- Evidence and kept posts lose their plaintext ``sha256`` column: a keyed digest
  (``content_digest``) takes its place; evidence keeps its SHA-256 sealed
  (``sha256_sealed``); a kept post's is taken from the sealed post.
- A text or URL evidence item's exact size is no longer stored (a file's still is).
- A case's link to its defender gets a keyed MAC (``cases.defender_binding``).

Converting needs the instance key: ``qalxan init`` (``store.schema.upgrade`` with the
keyring) hands it over. On a database without rows none is needed.

The list of sealed columns below is this migration's own copy, as the schema stood at it.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-08 01:15:00
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from qalxan.security import crypto

revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None

# table, id column, key column, sealed column, purpose, bound fields
SEALED: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("users", "id", "totp_key_id", "totp_secret_sealed", "totp", ()),
    ("defenders", "id", "key_id", "identity_sealed", "defender-identity", ("org_id",)),
    ("defenders", "id", "key_id", "contact_sealed", "defender-contact", ("org_id",)),
    ("incidents", "id", "key_id", "report_sealed", "report", ("case_id", "source")),
    ("evidence", "id", "key_id", "content_sealed", "evidence",
     ("case_id", "incident_id", "kind")),
    ("findings", "id", "key_id", "detail_sealed", "finding",
     ("case_id", "code", "evidence_id", "incident_id")),
    ("notes", "id", "key_id", "body_sealed", "note", ("author_id", "case_id", "kind")),
    ("defender_reviews", "id", "key_id", "comment_sealed", "review", ("case_id",)),
    ("watch_entries", "id", "key_id", "details_sealed", "watch-entry", ("org_id",)),
    ("monitor_sources", "id", "key_id", "params_sealed", "source-params", ("kind", "org_id")),
    ("monitor_sources", "id", "key_id", "checkpoint_sealed", "source-checkpoint",
     ("kind", "org_id")),
    ("monitor_sources", "id", "key_id", "last_error_sealed", "source-error",
     ("kind", "org_id")),
    ("monitored_posts", "id", "key_id", "post_sealed", "monitored-post",
     ("entry_id", "org_id")),
    ("alerts", "id", "key_id", "detail_sealed", "alert-detail", ("entry_id", "org_id")),
    ("idempotency_keys", "key_digest", "key_id", "response_sealed", "idempotent-receipt", ()),
)
EVIDENCE_SHA256 = "evidence-sha256"
EVIDENCE_BOUND = ("case_id", "incident_id", "kind")

Reseal = Callable[[crypto.DataKey, bytes, str, str, dict[str, Any]], tuple[bytes, bytes]]


class _Keys:
    """Unwrapped data keys, each read once."""

    def __init__(self, connection: sa.Connection, keyring: crypto.Keyring) -> None:
        self._connection, self._keyring = connection, keyring
        self._cache: dict[str, crypto.DataKey] = {}

    def __call__(self, key_id: str) -> crypto.DataKey:
        if key_id not in self._cache:
            wrapped = self._connection.execute(
                sa.text("SELECT wrapped FROM data_keys WHERE id = :id"), {"id": key_id}).scalar()
            if wrapped is None:
                raise RuntimeError(f"data key {key_id} is missing; the database is damaged")
            self._cache[key_id] = self._keyring.unwrap(key_id, bytes(wrapped))
        return self._cache[key_id]


def _has_sealed_rows(connection: sa.Connection) -> bool:
    for table, _, _, column, _, _ in SEALED:
        t = sa.table(table, sa.column(column))
        found = connection.execute(
            sa.select(sa.literal(1)).select_from(t).where(t.c[column].is_not(None)).limit(1)
        ).first()
        if found is not None:
            return True
    return connection.execute(sa.text("SELECT 1 FROM cases LIMIT 1")).first() is not None


def _keyring(connection: sa.Connection) -> crypto.Keyring | None:
    config = op.get_context().config
    keyring: crypto.Keyring | None = config.attributes.get("keyring") if config else None
    if keyring is None and _has_sealed_rows(connection):
        raise RuntimeError(
            "migration 0011 seals every record again and needs the instance key: run "
            "`qalxan init` (or store.schema.upgrade/downgrade with the keyring)")
    return keyring


def _reseal_all(connection: sa.Connection, keys: _Keys, reseal: Reseal,
                on_plaintext: Callable[[str, str, str, bytes], None] | None = None) -> None:
    for table, id_column, key_column, column, purpose, bound in SEALED:
        names = list(dict.fromkeys([id_column, key_column, column, *bound]))
        t = sa.table(table, *(sa.column(name) for name in names))
        # a value without a data key (an idempotent receipt sealed under a key derived
        # from its Idempotency-Key) is not a record of the vault's: left as it is
        rows = connection.execute(sa.select(*(t.c[name] for name in names))
                                  .where(t.c[column].is_not(None), t.c[key_column].is_not(None))
                                  ).mappings().all()
        for row in rows:
            record_id = row[id_column]
            plaintext, sealed = reseal(keys(row[key_column]), bytes(row[column]), purpose,
                                       record_id, {name: row[name] for name in bound})
            connection.execute(sa.update(t).where(t.c[id_column] == record_id)
                               .values({column: sealed}))
            if on_plaintext is not None:
                on_plaintext(table, column, record_id, plaintext)


def _checks_now(connection: sa.Connection) -> None:
    """PostgreSQL: run the deferred foreign-key checks the updates queued, so a later step of
    the same transaction may alter or drop the tables."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET CONSTRAINTS ALL IMMEDIATE"))


def _canonical_sha256(record: bytes) -> str:
    """SHA-256 over a kept post's canonical JSON (as ``monitoring.posts`` makes it)."""
    canonical = json.dumps(json.loads(record), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return crypto.sha256_hex(canonical.encode("utf-8"))


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('defender_binding', sa.String(length=64), nullable=True))
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sha256_sealed', sa.LargeBinary(), nullable=True))
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_digest', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    keyring = _keyring(connection)
    if keyring is not None:
        _convert_up(connection, keyring)
        _checks_now(connection)

    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.alter_column('content_digest', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.drop_column('sha256')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('content_digest', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.alter_column('sha256_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('sha256')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('defender_binding', existing_type=sa.String(length=64),
                              nullable=False)


def _convert_up(connection: sa.Connection, keyring: crypto.Keyring) -> None:
    keys = _Keys(connection, keyring)
    _reseal_all(connection, keys, crypto.reseal_legacy_record)
    for case in connection.execute(sa.text(
            "SELECT id, org_id, defender_id FROM cases")).mappings().all():
        connection.execute(sa.text("UPDATE cases SET defender_binding = :b WHERE id = :id"), {
            "b": keyring.binding_mac("case-defender", case["id"], case["org_id"],
                                     case["defender_id"]),
            "id": case["id"]})
    for item in connection.execute(sa.text(
            "SELECT id, key_id, kind, case_id, incident_id, sha256 FROM evidence")
            ).mappings().all():
        bound = {name: item[name] for name in EVIDENCE_BOUND}
        connection.execute(sa.text(
            "UPDATE evidence SET content_digest = :digest, sha256_sealed = :sealed, "
            "size = CASE WHEN kind = 'file' THEN size ELSE NULL END WHERE id = :id"), {
            "digest": keyring.content_digest_of_sha256(item["sha256"]),
            "sealed": crypto.seal_record(keys(item["key_id"]), item["sha256"].encode(),
                                         EVIDENCE_SHA256, item["id"], bound),
            "id": item["id"]})
    for post in connection.execute(sa.text(
            "SELECT id, sha256 FROM monitored_posts")).mappings().all():
        connection.execute(sa.text(
            "UPDATE monitored_posts SET content_digest = :digest WHERE id = :id"),
            {"digest": keyring.content_digest_of_sha256(post["sha256"]), "id": post["id"]})


def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))
    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    keyring = _keyring(connection)
    if keyring is not None:
        _convert_down(connection, keyring)
        _checks_now(connection)

    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('content_digest')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('size', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('sha256_sealed')
        batch_op.drop_column('content_digest')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('defender_binding')


def _convert_down(connection: sa.Connection, keyring: crypto.Keyring) -> None:
    keys = _Keys(connection, keyring)
    sizes: dict[str, int] = {}
    posts: dict[str, str] = {}

    def remember(table: str, column: str, record_id: str, plaintext: bytes) -> None:
        if (table, column) == ("evidence", "content_sealed"):
            sizes[record_id] = len(plaintext)
        elif table == "monitored_posts":
            posts[record_id] = _canonical_sha256(plaintext)

    items: Sequence[Any] = connection.execute(sa.text(
        "SELECT id, key_id, kind, case_id, incident_id, sha256_sealed FROM evidence")
        ).mappings().all()
    hashes = {item["id"]: crypto.open_record(
        keys(item["key_id"]), bytes(item["sha256_sealed"]), EVIDENCE_SHA256, item["id"],
        {name: item[name] for name in EVIDENCE_BOUND}).decode() for item in items}
    _reseal_all(connection, keys, crypto.reseal_as_legacy_record, remember)
    for item in items:
        connection.execute(sa.text(
            "UPDATE evidence SET sha256 = :sha256, "
            "size = CASE WHEN kind = 'file' THEN size ELSE :size END WHERE id = :id"),
            {"sha256": hashes[item["id"]], "size": sizes[item["id"]], "id": item["id"]})
    for post_id, digest in posts.items():
        connection.execute(sa.text("UPDATE monitored_posts SET sha256 = :d WHERE id = :id"),
                           {"d": digest, "id": post_id})
