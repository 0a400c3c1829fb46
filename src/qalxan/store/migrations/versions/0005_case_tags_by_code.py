"""An index for the queue filtered by threat type (case tags by code).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:59:00.330133
"""

from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_tags', schema=None) as batch_op:
        batch_op.create_index('ix_case_tags_code', ['code', 'case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_case_tags_code')

