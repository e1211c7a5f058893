"""one outbox for every message: lanes, parents, per-row leases

Revision ID: 0005_one_outbox
Revises: 0004_retros
Create Date: 2026-12-02 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0005_one_outbox'
down_revision: str | None = '0004_retros'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('lane', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('outbox', sa.Column('parent_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('outbox', sa.Column('ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.add_column('outbox', sa.Column('lease_until', storage.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column('outbox', sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    # Rows owed before this revision (SLA alerts) keep their order per recipient.
    op.execute("UPDATE outbox SET lane = recipient WHERE lane IS NULL")
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('lane', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False)
    op.create_index('ix_outbox_lane_id', 'outbox', ['lane', 'id'], unique=False)
    op.create_index('ix_outbox_status_lease_until', 'outbox', ['status', 'lease_until'], unique=False)
    op.add_column('request', sa.Column('card_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('request') as batch:
        batch.drop_column('card_key')
    op.drop_index('ix_outbox_status_lease_until', table_name='outbox')
    op.drop_index('ix_outbox_lane_id', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        for column in ('sender', 'lease_until', 'ts', 'parent_key', 'lane'):
            batch.drop_column(column)
