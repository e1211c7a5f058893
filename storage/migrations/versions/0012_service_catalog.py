"""the service catalog: what each department offers, and the service and answers a request was filed with

``service`` holds the org file's ``[[services]]`` as last applied (a service that leaves the file is deactivated);
``request.service_id`` names the service a request asked for and ``request.answers`` keeps its fields' answers as
they were asked (label, type, value). Both are NULL for requests filed without a service.

Revision ID: 0012_service_catalog
Revises: 0011_checkups
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_service_catalog"
down_revision: str | None = "0011_checkups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "service",
        sa.Column("id", _text(64), nullable=False),
        sa.Column("department_id", _text(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", _text(200), nullable=False),
        sa.Column("description", _text(), nullable=False),
        sa.Column("priority", _text(16), nullable=True),
        sa.Column("first_response", _text(16), nullable=True),
        sa.Column("resolution", _text(16), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("requester_provides", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("request", sa.Column("service_id", _text(64), nullable=True))
    op.add_column("request", sa.Column("answers", sa.JSON(), nullable=True))
    op.create_index("ix_request_service_id", "request", ["service_id"])


def downgrade() -> None:
    op.drop_index("ix_request_service_id", table_name="request")
    with op.batch_alter_table("request") as batch:
        batch.drop_column("answers")
        batch.drop_column("service_id")
    op.drop_table("service")
