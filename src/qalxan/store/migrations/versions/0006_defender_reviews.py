"""Defenders review the help received: one review per case, its comment sealed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:35:27.149422
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('defender_reviews',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('comment_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_defender_reviews_case_id_cases'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['key_id'], ['data_keys.id'], name=op.f('fk_defender_reviews_key_id_data_keys'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defender_reviews')),
    sa.UniqueConstraint('case_id', name=op.f('uq_defender_reviews_case_id'))
    )
    with op.batch_alter_table('defender_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defender_reviews_key_id'), ['key_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('defender_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defender_reviews_key_id'))

    op.drop_table('defender_reviews')
