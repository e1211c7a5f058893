"""retrospectives: schedules, retros, entries, action items

Revision ID: 0004_retros
Revises: 0003_sla_alerts
Create Date: 2026-11-23 13:19:44.866649
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004_retros"
down_revision: str | None = "0003_sla_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retro_schedule",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("cron", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("window", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "retro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("period_start", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("period_end", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("facts_since", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("prompt_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("prompt_claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("summary_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("summary_claimed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["retro_schedule.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("schedule_id", "period_start", name="uq_retro_schedule_period"),
    )
    with op.batch_alter_table("retro", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retro_closes_at"), ["closes_at"], unique=False)

    op.create_table(
        "retro_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retro_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("owner_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("done_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("nudged_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("carried_into", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(anonymous AND author_id IS NULL) OR (NOT anonymous AND author_id IS NOT NULL)",
            name="ck_retro_action_anonymous",
        ),
        sa.ForeignKeyConstraint(
            ["carried_into"],
            ["retro.id"],
        ),
        sa.ForeignKeyConstraint(
            ["retro_id"],
            ["retro.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retro_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retro_action_retro_id"), ["retro_id"], unique=False)

    op.create_table(
        "retro_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retro_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.CheckConstraint(
            "(anonymous AND author_id IS NULL) OR (NOT anonymous AND author_id IS NOT NULL)",
            name="ck_retro_entry_anonymous",
        ),
        sa.ForeignKeyConstraint(
            ["retro_id"],
            ["retro.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retro_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retro_entry_retro_id"), ["retro_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retro_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retro_entry_retro_id"))

    op.drop_table("retro_entry")
    with op.batch_alter_table("retro_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retro_action_retro_id"))

    op.drop_table("retro_action")
    with op.batch_alter_table("retro", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retro_closes_at"))

    op.drop_table("retro")
    op.drop_table("retro_schedule")
