"""An index covering the case queue's visibility test and sort order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 07:50:00
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

COLUMNS = ['org_id', 'restricted', 'assignee_id', 'risk_score', 'created_at', 'id']


def upgrade() -> None:
    op.create_index('ix_cases_visible', 'cases', COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index('ix_cases_visible', table_name='cases')
