"""The outbox: messages owed to Slack, claimed by one sender at a time, delivered once."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import Outbox

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> int:
    """Add many messages in one statement; a key already there is skipped. How many were added."""
    if not rows:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(Outbox).on_conflict_do_nothing(index_elements=["key"]).returning(col(Outbox.id))
    values = [{"status": PENDING, "attempts": 0, **row} for row in rows]
    return len(session.execute(statement, values).all())


@dataclass(frozen=True)
class Claimed:
    row: Outbox
    recovering: bool  # a sender took it before and vanished: it may have reached Slack already


def claim(session: Session, now: datetime, *, lease: timedelta, limit: int = 100) -> list[Claimed]:
    """Take the rows due now, and rows whose sender vanished mid-send, for this sender alone."""
    stale = now - lease
    query = (
        select(Outbox)
        .where(
            ((col(Outbox.status) == PENDING) & (col(Outbox.deliver_after) <= now))
            | ((col(Outbox.status) == SENDING) & (col(Outbox.claimed_at) <= stale))
        )
        .order_by(col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = [Claimed(row, recovering=row.status == SENDING) for row in session.exec(query)]
    for row in (c.row for c in claimed):
        row.status, row.claimed_at, row.attempts = SENDING, now, row.attempts + 1
        session.add(row)
    session.flush()
    return claimed


def settle(
    session: Session,
    row_id: int,
    status: str,
    now: datetime,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    row = session.get(Outbox, row_id, with_for_update=True)
    if row is None:
        return
    row.status = status
    row.last_error = error[:200] if error else None
    if status == SENT:
        row.sent_at = now
    if retry_at is not None:
        row.deliver_after = retry_at
    session.add(row)
    session.flush()


def by_status(session: Session, status: str) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(Outbox.status == status).order_by(col(Outbox.id))))
