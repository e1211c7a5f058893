"""intake from conversation: the message a request was turned from, and each department's intake emoji

``request.source_channel``, ``source_ts`` and ``source_link`` name the message a request was turned from (the
message shortcut, or a reaction), NULL for the others. ``department.intake_emoji`` is the reaction that files a
message in the department's channel as a request to it (NULL: none). A request filed by a reaction has
``view_id`` ``reaction:{channel}:{ts}``, so the same message is filed once however often people react.

Revision ID: 0013_intake
Revises: 0012_service_catalog
Create Date: 2026-12-10 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_intake"
down_revision: str | None = "0012_service_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.add_column("request", sa.Column("source_channel", _text(32), nullable=True))
    op.add_column("request", sa.Column("source_ts", _text(32), nullable=True))
    op.add_column("request", sa.Column("source_link", _text(500), nullable=True))
    op.add_column("department", sa.Column("intake_emoji", _text(100), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not batch mode: batch mode copies and drops the table,
    # which SQLite refuses while other tables' rows refer to it (every department has some).
    op.drop_column("department", "intake_emoji")
    op.drop_column("request", "source_link")
    op.drop_column("request", "source_ts")
    op.drop_column("request", "source_channel")
