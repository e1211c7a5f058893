"""requests remember the modal they were filed from: a view submitted twice files one request

``request.view_id`` is unique (NULL for requests filed before this revision, from the CLI, or in tests), so a double
submit of the same modal while Slack is slow cannot file a second request, whatever the workers.

Revision ID: 0008_request_view
Revises: 0007_anonymous_feedback
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_request_view"
down_revision: str | None = "0007_anonymous_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("request", sa.Column("view_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index("ix_request_view_id", "request", ["view_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_request_view_id", table_name="request")
    with op.batch_alter_table("request") as batch:
        batch.drop_column("view_id")
