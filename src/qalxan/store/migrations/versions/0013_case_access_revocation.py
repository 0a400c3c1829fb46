"""Case grants can end and consent can be withdrawn: when, by whom and why are kept.

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-08 01:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_by', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=30), nullable=True))
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=60), nullable=True))


def downgrade() -> None:
    # an ended grant must not come back to life: rows of revoked grants go with the columns,
    # and a withdrawn consent becomes a refusal
    op.execute(sa.text("DELETE FROM case_access WHERE revoked_at IS NOT NULL"))
    op.execute(sa.text("UPDATE consents SET granted = :no WHERE withdrawn_at IS NOT NULL")
               .bindparams(no=False))
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_by')
        batch_op.drop_column('withdrawn_at')
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revoked_by')
        batch_op.drop_column('revoked_at')
