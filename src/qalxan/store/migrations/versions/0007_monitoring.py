"""Monitoring: watch-lists, sources, the posts that concern watched defenders, and alerts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:36:57.777886
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitor_sources',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('params_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('checkpoint_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('posts_seen', sa.Integer(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['data_keys.id'], name=op.f('fk_monitor_sources_key_id_data_keys'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_monitor_sources_org_id_organisations'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_sources')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_monitor_sources_org_id'))
    )
    with op.batch_alter_table('monitor_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_sources_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitor_sources_org_id'), ['org_id'], unique=False)

    op.create_table('watch_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('defender_id', sa.String(length=36), nullable=True),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('details_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['defender_id'], ['defenders.id'], name=op.f('fk_watch_entries_defender_id_defenders'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['key_id'], ['data_keys.id'], name=op.f('fk_watch_entries_key_id_data_keys'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_watch_entries_org_id_organisations'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_entries'))
    )
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_entries_defender_id'), ['defender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_entries_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watch_entries_org_id'), ['org_id'], unique=False)

    op.create_table('monitored_posts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('source_id', sa.String(length=36), nullable=True),
    sa.Column('post_digest', sa.String(length=64), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attack', sa.Boolean(), nullable=False),
    sa.Column('doxing', sa.Boolean(), nullable=False),
    sa.Column('codes', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('post_sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entries.id'], name=op.f('fk_monitored_posts_entry_id_watch_entries'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['key_id'], ['data_keys.id'], name=op.f('fk_monitored_posts_key_id_data_keys'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_monitored_posts_org_id_organisations'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['source_id'], ['monitor_sources.id'], name=op.f('fk_monitored_posts_source_id_monitor_sources'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitored_posts')),
    sa.UniqueConstraint('entry_id', 'post_digest', name=op.f('uq_monitored_posts_entry_id'))
    )
    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.create_index('ix_monitored_posts_entry_time', ['entry_id', 'posted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitored_posts_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitored_posts_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitored_posts_source_id'), ['source_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('physical_risk', sa.Boolean(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('first_post_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_post_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('key_id', sa.String(length=36), nullable=False),
    sa.Column('detail_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('incident_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_alerts_case_id_cases'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['watch_entries.id'], name=op.f('fk_alerts_entry_id_watch_entries'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_alerts_incident_id_incidents'), ondelete='SET NULL', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['key_id'], ['data_keys.id'], name=op.f('fk_alerts_key_id_data_keys'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_alerts_org_id_organisations'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_key_id'), ['key_id'], unique=False)
        batch_op.create_index('ix_alerts_queue', ['org_id', 'status', 'last_post_at'], unique=False)

    op.create_table('alert_posts',
    sa.Column('alert_id', sa.String(length=36), nullable=False),
    sa.Column('post_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_posts_alert_id_alerts'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['post_id'], ['monitored_posts.id'], name=op.f('fk_alert_posts_post_id_monitored_posts'), ondelete='CASCADE', initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('alert_id', 'post_id', name=op.f('pk_alert_posts'))
    )
    with op.batch_alter_table('alert_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_posts_post_id'), ['post_id'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    with op.batch_alter_table('alert_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_posts_post_id'))

    op.drop_table('alert_posts')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_queue')
        batch_op.drop_index(batch_op.f('ix_alerts_key_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_incident_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_entry_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_case_id'))

    op.drop_table('alerts')
    with op.batch_alter_table('monitored_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitored_posts_source_id'))
        batch_op.drop_index(batch_op.f('ix_monitored_posts_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitored_posts_key_id'))
        batch_op.drop_index('ix_monitored_posts_entry_time')

    op.drop_table('monitored_posts')
    with op.batch_alter_table('watch_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_entries_org_id'))
        batch_op.drop_index(batch_op.f('ix_watch_entries_key_id'))
        batch_op.drop_index(batch_op.f('ix_watch_entries_defender_id'))

    op.drop_table('watch_entries')
    with op.batch_alter_table('monitor_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_sources_org_id'))
        batch_op.drop_index(batch_op.f('ix_monitor_sources_key_id'))

    op.drop_table('monitor_sources')
    # ### end Alembic commands ###
