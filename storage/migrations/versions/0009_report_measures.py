"""what reports aggregate: events per pair, waits on the requester, and how each SLA target went

``request_event`` gets the provider in charge when the event happened (``department_id``) and the requester's
department (``customer_id``), filled in here for the events already stored by replaying each request's log,
and ``waited_minutes`` (NULL for waits that ended before this revision). ``sla_outcome`` holds each request's
first response and resolution per SLA cycle; it starts empty, so reports count targets from this revision on.

Revision ID: 0009_report_measures
Revises: 0008_request_view
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009_report_measures"
down_revision: str | None = "0008_request_view"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5_000
OPEN_REQUEST = "state IN ('open', 'acknowledged', 'waiting')"  # as storage.models has it


def upgrade() -> None:
    with op.batch_alter_table("request_event") as batch:
        batch.add_column(sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column("customer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column("waited_minutes", sa.Float(), nullable=True))
    _fill_in_departments()
    # Reports read only these indexes: each holds every column its queries read (storage/reports.py).
    department_at = ["department_id", "at", "kind", "customer_id", "waited_minutes"]
    op.create_index("ix_request_event_department_at", "request_event", department_at)
    op.create_index("ix_request_event_provider_at", "request_event", ["provider_id", "at", "kind", "customer_id"])
    at = ["at", "kind", "department_id", "provider_id", "customer_id", "waited_minutes"]
    op.create_index("ix_request_event_at", "request_event", at)
    op.create_index("ix_request_provider_state", "request", ["provider_id", "state", "resolved_at"])
    op.create_index("ix_request_resolved_at", "request", ["resolved_at"])
    open_request = sa.text(OPEN_REQUEST)
    op.create_index(
        "ix_request_open",
        "request",
        ["provider_id", "requester_department_id", "created_at"],
        sqlite_where=open_request,
        postgresql_where=open_request,
    )
    op.create_table(
        "sla_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("customer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("due_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("decided_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("minutes", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "metric", "cycle"),
    )
    provider_decided_at = ["provider_id", "decided_at", "metric", "outcome", "customer_id"]
    op.create_index("ix_sla_outcome_provider_decided_at", "sla_outcome", provider_decided_at)
    provider_done_at = ["provider_id", "done_at", "metric", "customer_id", "minutes"]
    op.create_index("ix_sla_outcome_provider_done_at", "sla_outcome", provider_done_at)
    decided_at = ["decided_at", "provider_id", "customer_id", "metric", "outcome"]
    op.create_index("ix_sla_outcome_decided_at", "sla_outcome", decided_at)
    done_at = ["done_at", "provider_id", "customer_id", "metric", "minutes"]
    op.create_index("ix_sla_outcome_done_at", "sla_outcome", done_at)
    op.create_index("ix_request_rating_to_rated_at", "request_rating", ["to_department_id", "rated_at"])
    op.create_index("ix_request_rating_from_rated_at", "request_rating", ["from_department_id", "rated_at"])
    op.create_index("ix_request_rating_rated_at", "request_rating", ["rated_at"])


def _fill_in_departments() -> None:
    """Replay each request's log: an event happens with the provider the last CREATED or TRANSFERRED named."""
    connection = op.get_bind()
    events = connection.execute(
        sa.text(
            "SELECT e.id, e.request_id, e.kind, e.provider_id, r.requester_department_id "
            "FROM request_event e JOIN request r ON r.id = e.request_id ORDER BY e.request_id, e.id"
        )
    )
    update = sa.text("UPDATE request_event SET department_id = :department, customer_id = :customer WHERE id = :id")
    current: tuple[int, str | None] | None = None  # (request, its provider so far)
    pending: list[dict[str, object]] = []
    for event_id, request_id, kind, provider_id, customer_id in events.fetchall():
        if current is None or current[0] != request_id:
            current = (request_id, provider_id)
        pending.append({"id": event_id, "department": current[1], "customer": customer_id})
        if kind == "transferred":
            current = (request_id, provider_id)  # the events after it happen with the new provider
        if len(pending) >= _BATCH:
            connection.execute(update, pending)
            pending = []
    if pending:
        connection.execute(update, pending)


def downgrade() -> None:
    op.drop_index("ix_request_rating_rated_at", table_name="request_rating")
    op.drop_index("ix_request_rating_from_rated_at", table_name="request_rating")
    op.drop_index("ix_request_rating_to_rated_at", table_name="request_rating")
    op.drop_index("ix_sla_outcome_done_at", table_name="sla_outcome")
    op.drop_index("ix_sla_outcome_decided_at", table_name="sla_outcome")
    op.drop_index("ix_sla_outcome_provider_done_at", table_name="sla_outcome")
    op.drop_index("ix_sla_outcome_provider_decided_at", table_name="sla_outcome")
    op.drop_table("sla_outcome")
    op.drop_index("ix_request_open", table_name="request")
    op.drop_index("ix_request_resolved_at", table_name="request")
    op.drop_index("ix_request_provider_state", table_name="request")
    op.drop_index("ix_request_event_at", table_name="request_event")
    op.drop_index("ix_request_event_provider_at", table_name="request_event")
    op.drop_index("ix_request_event_department_at", table_name="request_event")
    with op.batch_alter_table("request_event") as batch:
        batch.drop_column("waited_minutes")
        batch.drop_column("customer_id")
        batch.drop_column("department_id")
