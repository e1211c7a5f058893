"""check-ups: the schedules from the org file, each check-up, the answers while it is open, what survives the close

Revision ID: 0011_checkups
Revises: 0010_customer_clock
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0011_checkups"
down_revision: str | None = "0010_customer_clock"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "checkup_schedule",
        sa.Column("id", _text(64), nullable=False),
        sa.Column("cron", _text(100), nullable=False),
        sa.Column("timezone", _text(64), nullable=False),
        sa.Column("window", _text(16), nullable=False),
        sa.Column("calendar_id", _text(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "checkup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", _text(64), nullable=False),
        sa.Column("period_start", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("nudge_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("nudged_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("traffic", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["checkup_schedule.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("schedule_id", "period_start", name="uq_checkup_schedule_period"),
    )
    op.create_index("ix_checkup_closes_at", "checkup", ["closes_at"])
    op.create_table(
        "checkup_response",
        sa.Column("checkup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", _text(32), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["checkup_id"], ["checkup.id"]),
        sa.PrimaryKeyConstraint("checkup_id", "user_id"),
    )
    op.create_table(
        "checkup_answer",
        sa.Column("checkup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", _text(32), nullable=False),
        sa.Column("about_id", _text(64), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("obstacle", _text(), nullable=True),
        sa.ForeignKeyConstraint(["checkup_id"], ["checkup.id"]),
        sa.PrimaryKeyConstraint("checkup_id", "user_id", "about_id"),
    )
    op.create_table(
        "checkup_result",
        sa.Column("checkup_id", sa.Integer(), nullable=False),
        sa.Column("department_id", _text(64), nullable=False),
        sa.Column("about_id", _text(64), nullable=False),
        sa.Column("question", _text(32), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["checkup_id"], ["checkup.id"]),
        sa.PrimaryKeyConstraint("checkup_id", "department_id", "about_id", "question"),
    )
    op.create_table(
        "checkup_seed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkup_id", sa.Integer(), nullable=False),
        sa.Column("department_id", _text(64), nullable=False),
        sa.Column("about_id", _text(64), nullable=False),
        sa.Column("provider_id", _text(64), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.Column("retro_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["checkup_id"], ["checkup.id"]),
        sa.ForeignKeyConstraint(["retro_id"], ["retro.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_checkup_seed_checkup_id", "checkup_seed", ["checkup_id"])
    op.create_index("ix_checkup_seed_retro_id", "checkup_seed", ["retro_id"])


def downgrade() -> None:
    op.drop_index("ix_checkup_seed_retro_id", table_name="checkup_seed")
    op.drop_index("ix_checkup_seed_checkup_id", table_name="checkup_seed")
    op.drop_table("checkup_seed")
    op.drop_table("checkup_result")
    op.drop_table("checkup_answer")
    op.drop_table("checkup_response")
    op.drop_index("ix_checkup_closes_at", table_name="checkup")
    op.drop_table("checkup")
    op.drop_table("checkup_schedule")
