"""Users have a clearance: the most restricted TLP label they may receive in a share.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:34:10.363766
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clearance', sa.String(length=20), server_default='amber', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('clearance')

