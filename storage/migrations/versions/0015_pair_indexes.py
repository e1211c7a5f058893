"""reports' indexes: by pair on SQLite, covering for ratings, and SQLite's planner statistics

SQLite has no hash aggregate: every GROUP BY that an index's order does not give is a sort, and sorting the whole
org's 90 days (430,000 events, 250,000 outcomes) was most of a report's time there. On SQLite only, indexes by
(provider, customer) then instant give the pairs in order (read by a skip-scan), so each pair is summed as it is
read; the times' index leads with the metric, the percentiles being per metric. The ratings' indexes now hold what
reports read of a rating. Then, on SQLite, ANALYZE: it plans a skip-scan only from the statistics ANALYZE gathers
(``storage.planner_statistics``; PostgreSQL's autovacuum keeps its own).

Revision ID: 0015_pair_indexes
Revises: 0014_directory
Create Date: 2026-12-12 10:00:00
"""

from collections.abc import Sequence

from alembic import op

from storage import planner_statistics

revision: str = "0015_pair_indexes"
down_revision: str | None = "0014_directory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RATED = ["rated_at", "direction", "rater_id", "score"]
RATINGS_BEFORE = {
    "ix_request_rating_to_rated_at": ["to_department_id", "rated_at"],
    "ix_request_rating_from_rated_at": ["from_department_id", "rated_at"],
    "ix_request_rating_rated_at": ["rated_at"],
}
RATINGS_AFTER = {
    "ix_request_rating_to_rated_at": ["to_department_id", *RATED],
    "ix_request_rating_from_rated_at": ["from_department_id", *RATED],
    "ix_request_rating_rated_at": RATED,
}
OUTCOMES_BY_INSTANT = ["done_at", "provider_id", "customer_id", "metric", "minutes"]
SQLITE_ONLY = [  # (table, name, columns)
    ("request_event", "ix_request_event_pair_at", ["department_id", "customer_id", "at", "kind", "waited_minutes"]),
    ("request_event", "ix_request_event_provider_pair_at", ["provider_id", "customer_id", "at", "kind"]),
    ("sla_outcome", "ix_sla_outcome_pair_decided_at", ["provider_id", "customer_id", "decided_at", "metric", "outcome"]),
    ("sla_outcome", "ix_sla_outcome_pair_metric_done_at", ["provider_id", "customer_id", "metric", "done_at", "minutes"]),
    ("sla_outcome", "ix_sla_outcome_metric_done_at", ["metric", "done_at", "provider_id", "customer_id", "minutes"]),
    ("request_rating", "ix_request_rating_pair_rated_at", ["to_department_id", "from_department_id", *RATED]),
]


def upgrade() -> None:
    for name, columns in RATINGS_AFTER.items():
        op.drop_index(name, table_name="request_rating")
        op.create_index(name, "request_rating", columns)
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_sla_outcome_done_at", table_name="sla_outcome")  # SQLite's is by metric first
    for table, name, columns in SQLITE_ONLY:
        op.create_index(name, table, columns)
    planner_statistics.refresh(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, name, _ in reversed(SQLITE_ONLY):
            op.drop_index(name, table_name=table)
        op.create_index("ix_sla_outcome_done_at", "sla_outcome", OUTCOMES_BY_INSTANT)
    for name, columns in RATINGS_BEFORE.items():
        op.drop_index(name, table_name="request_rating")
        op.create_index(name, "request_rating", columns)
