"""feedback and request ratings

Revision ID: 0002_feedback
Revises: 0001_initial
Create Date: 2026-11-23 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0002_feedback"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANONYMOUS_ROWS_UNLINKED = (
    "NOT anonymous OR (author_id IS NULL AND created_at IS NULL AND request_id IS NULL"
    " AND reply_token_hash IS NOT NULL)"
)
SIGNED_ROWS_NAMED = "anonymous OR (author_id IS NOT NULL AND reply_token_hash IS NULL)"


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("from_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("went_well", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("could_be_better", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("reply_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.CheckConstraint(ANONYMOUS_ROWS_UNLINKED, name="ck_feedback_anonymous_unlinked"),
        sa.CheckConstraint(SIGNED_ROWS_NAMED, name="ck_feedback_signed_named"),
        sa.CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="ck_feedback_rating"),
        sa.ForeignKeyConstraint(["from_department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.ForeignKeyConstraint(["to_department_id"], ["department.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_created_on"), ["created_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_to_department_id"), ["to_department_id"], unique=False)

    op.create_table(
        "request_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("from_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("to_department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("rater_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("asked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rated_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="ck_request_rating_score"),
        sa.ForeignKeyConstraint(["from_department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.ForeignKeyConstraint(["to_department_id"], ["department.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "direction", name="uq_request_rating_request_direction"),
    )


def downgrade() -> None:
    op.drop_table("request_rating")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_to_department_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_created_on"))
    op.drop_table("feedback")
