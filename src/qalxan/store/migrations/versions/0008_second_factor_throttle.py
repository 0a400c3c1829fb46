"""Staff accounts count failed second-factor attempts (back-off, lock, notice at the next
sign-in), and one-time passwords expire.

Revision ID: 0008
Revises: 0013
Create Date: 2026-12-08 01:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_failures', sa.Integer(),
                                      server_default='0', nullable=False))
        batch_op.add_column(sa.Column('second_factor_failed_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('second_factor_unseen', sa.Integer(),
                                      server_default='0', nullable=False))
        batch_op.add_column(sa.Column('password_expires_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_expires_at')
        batch_op.drop_column('second_factor_unseen')
        batch_op.drop_column('second_factor_failed_at')
        batch_op.drop_column('second_factor_failures')
