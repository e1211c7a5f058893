"""reports' indexes: the whole org's by pair on SQLite, covering ones for ratings, and SQLite's planner statistics

SQLite has no hash aggregate: every GROUP BY that an index's order does not give is a sort, and sorting the whole
org's 90 days (430,000 events, 250,000 outcomes) was most of a report's time there. On SQLite, the indexes by
instant (which serve PostgreSQL's whole-org queries: it has no skip-scan) give way to indexes by (provider,
customer) then instant: SQLite reads the pairs in order (a skip-scan) and sums each as it reads it. The times' index
leads with the metric, the percentiles being per metric. The ratings' indexes now hold what reports read of a
rating. Then, on SQLite, the planner statistics: it plans a skip-scan only from them (``storage.planner_statistics``;
PostgreSQL's autovacuum keeps its own).

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
# (table, name, columns)
BY_INSTANT = [  # PostgreSQL's only, from now on
    ("request_event", "ix_request_event_at", ["at", "kind", "department_id", "provider_id", "customer_id", "waited_minutes"]),
    ("sla_outcome", "ix_sla_outcome_decided_at", ["decided_at", "provider_id", "customer_id", "metric", "outcome"]),
    ("sla_outcome", "ix_sla_outcome_done_at", ["done_at", "provider_id", "customer_id", "metric", "minutes"]),
]
BY_PAIR = [  # SQLite's only
    ("request_event", "ix_request_event_pair_at", ["department_id", "customer_id", "at", "kind", "waited_minutes"]),
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
    for table, name, _ in BY_INSTANT:
        op.drop_index(name, table_name=table)
    for table, name, columns in BY_PAIR:
        op.create_index(name, table, columns)
    planner_statistics.refresh(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, name, _ in reversed(BY_PAIR):
            op.drop_index(name, table_name=table)
        for table, name, columns in BY_INSTANT:
            op.create_index(name, table, columns)
    for name, columns in RATINGS_BEFORE.items():
        op.drop_index(name, table_name="request_rating")
        op.create_index(name, "request_rating", columns)
