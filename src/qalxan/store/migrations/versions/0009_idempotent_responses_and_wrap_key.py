"""Idempotency records seal their response under a key derived from the Idempotency-Key:
they need no data key of their own, so ``key_id`` may be empty. Records made before keep
their data key and are read as before. The audit head records the fingerprint of the key
that wraps the data keys (``wrap_key``, set by a key rotation).

Going down, the records without a data key go (an older version cannot open them); a retry
of one of those submissions then makes a new case instead of returning the first receipt.

Revision ID: 0009
Revises: 0011
Create Date: 2026-12-08 01:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.alter_column('key_id', existing_type=sa.String(length=36), nullable=True)
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wrap_key', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('wrap_key')
    op.execute("DELETE FROM idempotency_keys WHERE key_id IS NULL")
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.alter_column('key_id', existing_type=sa.String(length=36), nullable=False)
