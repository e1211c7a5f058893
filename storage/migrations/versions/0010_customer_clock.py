"""the customer's clock: how soon a requester owes an answer while a request waits on them

``agreement.customer_response`` is the org file's target for it (NULL: none). A request keeps the clock of its
current wait: its warning and due instants, when the requester answered, and ``customer_cycle`` (one per wait
with a clock), which numbers its alerts and outcomes. ``sla_alert.metric`` and ``sla_outcome.metric`` widen to
hold "customer_response".

Revision ID: 0010_customer_clock
Revises: 0009_report_measures
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0010_customer_clock"
down_revision: str | None = "0009_report_measures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement") as batch:
        batch.add_column(sa.Column("customer_response", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    with op.batch_alter_table("request") as batch:
        batch.add_column(sa.Column("customer_response_warn_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("customer_response_due", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("customer_response_at", storage.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("customer_cycle", sa.Integer(), nullable=False, server_default="0"))
    for table in ("sla_alert", "sla_outcome"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "metric",
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
                type_=sqlmodel.sql.sqltypes.AutoString(length=32),
                existing_nullable=False,
            )


def downgrade() -> None:
    op.execute("DELETE FROM sla_alert WHERE metric = 'customer_response'")
    op.execute("DELETE FROM sla_outcome WHERE metric = 'customer_response'")
    for table in ("sla_outcome", "sla_alert"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "metric",
                existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
                type_=sqlmodel.sql.sqltypes.AutoString(length=16),
                existing_nullable=False,
            )
    with op.batch_alter_table("request") as batch:
        batch.drop_column("customer_cycle")
        batch.drop_column("customer_response_at")
        batch.drop_column("customer_response_due")
        batch.drop_column("customer_response_warn_at")
    with op.batch_alter_table("agreement") as batch:
        batch.drop_column("customer_response")
