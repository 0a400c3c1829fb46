"""Monitoring sources forget the detailed errors recorded before staff were shown only a
coarse one: "cannot connect", "HTTP 404" and "not a feed" told apart made the sources page
a port and file scanner. The next failure of a source records the coarse error.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-08 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    sources = sa.table('monitor_sources', sa.column('last_error_sealed', sa.LargeBinary()))
    op.execute(sources.update().values(last_error_sealed=None))


def downgrade() -> None:
    """Nothing to restore: the detailed errors are gone, and the column stays."""
