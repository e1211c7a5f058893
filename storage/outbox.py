"""The outbox: every message owed to Slack, written with the change that owes it, delivered once.

Rows of one ``lane`` go out in the order they were written (a card before its thread notes, an update after
the post it updates). A sender claims one lane's first row at a time (with the rows of the same kind behind
it that can go out as one message), under a lease of its own: a sender that dies leaves the row ``sending``
until the lease ends, and the next sender takes it over, checking Slack first.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, exists, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, col, select

from storage.models import Outbox, Request
from storage.types import UTCDateTime

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"
STALE_AFTER = timedelta(minutes=3)  # a due message nobody has tried for this long means no sender is running


def enqueue_many(session: Session, rows: list[dict[str, Any]]) -> int:
    """Add many messages in one statement; a key already there is skipped. How many were added."""
    if not rows:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(Outbox).on_conflict_do_nothing(index_elements=["key"]).returning(col(Outbox.id))
    values = [{"status": PENDING, "attempts": 0, "lane": row["recipient"], **row} for row in rows]
    # render_nulls: rows with and without, say, a parent go in one INSERT instead of one per shape
    return len(session.execute(statement.execution_options(render_nulls=True), values).all())


@dataclass(frozen=True)
class Claimed:
    row: Outbox
    recovering: bool  # a sender took it before and its lease ran out: it may have reached Slack already


def _blocks_lane() -> Any:
    """The condition on an earlier row of the lane that holds the later ones back."""
    earlier = aliased(Outbox)
    waiting = (col(earlier.status) == PENDING) & ((col(earlier.attempts) > 0) | (col(earlier.deliver_after) <= _NOW))
    return exists().where(
        col(earlier.lane) == col(Outbox.lane),
        col(earlier.id) < col(Outbox.id),
        (col(earlier.status) == SENDING) | waiting,
    )


def _parent_done() -> Any:
    parent = aliased(Outbox)
    return or_(
        col(Outbox.parent_key).is_(None),
        exists().where(col(parent.key) == col(Outbox.parent_key), col(parent.status).in_([SENT, DEAD])),
    )


_NOW = bindparam("now", type_=UTCDateTime)
_PAUSED: BindParameter[str] = bindparam("paused", expanding=True)
_BATCHABLE: BindParameter[str] = bindparam("batchable", expanding=True)
_DUE = (col(Outbox.status) == PENDING) & (col(Outbox.deliver_after) <= _NOW)
_LAPSED = (col(Outbox.status) == SENDING) & (col(Outbox.lease_until) <= _NOW)


@cache
def _heads() -> Any:
    """The claim's query, built once: building it costs milliseconds, which would be spent in the writer's turn."""
    # Digests (a person's alerts) first: few messages for many rows, and what people are waiting for.
    first = case((col(Outbox.kind).in_(_BATCHABLE), 0), else_=1)
    return (
        select(Outbox)
        .where(or_(_DUE, _LAPSED), ~_blocks_lane(), _parent_done(), col(Outbox.recipient).not_in(_PAUSED))
        .order_by(first, col(Outbox.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    )


@cache
def _same_digest() -> Any:
    head: BindParameter[int] = bindparam("head_id")
    return (
        select(Outbox)
        .where(
            col(Outbox.lane) == bindparam("lane"),
            col(Outbox.kind) == bindparam("kind"),
            col(Outbox.id) > head,
            _DUE,
        )
        .order_by(col(Outbox.id))
        .limit(bindparam("more"))
        .with_for_update(skip_locked=True)
    )


def claim(
    session: Session,
    now: datetime,
    *,
    sender: str,
    lease: timedelta,
    paused: Collection[str] = (),
    batchable: Collection[str] = (),
    batch: int = 20,
) -> list[Claimed]:
    """The first due row of one lane, for ``sender`` alone until ``now + lease``; [] when nothing is due.

    A row of a ``batchable`` kind comes with the due rows of the same kind and lane behind it (a digest), and is
    claimed before rows of other kinds.
    Rows to ``paused`` recipients (Slack asked us to wait) are left for later.
    """
    params = {"now": now, "paused": list(paused), "batchable": list(batchable)}
    head: Outbox | None = session.exec(_heads(), params=params).first()
    if head is None:
        return []
    rows = [head]
    if head.kind in batchable and head.status == PENDING:
        more = {"now": now, "head_id": head.id, "lane": head.lane, "kind": head.kind, "more": batch - 1}
        rows += list(session.exec(_same_digest(), params=more))
    claimed = [Claimed(row, recovering=row.status == SENDING) for row in rows]
    for row in rows:
        row.status, row.sender, row.claimed_at = SENDING, sender, now
        row.lease_until, row.attempts = now + lease, row.attempts + 1
        session.add(row)
    session.flush()
    return claimed


def has_due(session: Session, now: datetime) -> bool:
    """Whether any row is due or was left by a sender whose lease ran out (a cheap check before claiming)."""
    due = (col(Outbox.status) == PENDING) & (col(Outbox.deliver_after) <= now)
    lapsed = (col(Outbox.status) == SENDING) & (col(Outbox.lease_until) <= now)
    return session.exec(select(Outbox.id).where(or_(due, lapsed)).limit(1)).first() is not None


def by_key(session: Session, key: str) -> Outbox | None:
    return session.exec(select(Outbox).where(col(Outbox.key) == key)).first()


def renew(session: Session, ids: Collection[int], *, sender: str, now: datetime, lease: timedelta) -> bool:
    """Extend this sender's lease on its rows; False if another sender has taken any of them over."""
    statement = (
        update(Outbox)
        .where(col(Outbox.id).in_(list(ids)), col(Outbox.sender) == sender, col(Outbox.status) == SENDING)
        .values(lease_until=now + lease)
    )
    renewed: int = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return renewed == len(ids)


def settle(
    session: Session,
    row_id: int,
    status: str,
    now: datetime,
    *,
    sender: str,
    ts: str | None = None,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> Outbox | None:
    """Record how a send went, if the row is still this sender's; the row, or None if it was taken over."""
    row = session.get(Outbox, row_id, with_for_update=True)
    if row is None or row.status != SENDING or row.sender != sender:
        return None
    row.status, row.lease_until = status, None
    row.last_error = error[:200] if error else None
    if status == SENT:
        row.sent_at, row.ts = now, ts
    if retry_at is not None:
        row.deliver_after = retry_at
    session.add(row)
    session.flush()
    return row


def last_id(session: Session) -> int:
    """The newest row's id (0 when empty): rows written after this call have larger ids."""
    newest = session.exec(select(func.max(Outbox.id))).one()
    return newest or 0


def by_status(session: Session, status: str) -> list[Outbox]:
    return list(session.exec(select(Outbox).where(Outbox.status == status).order_by(col(Outbox.id))))


def retry_dead(session: Session, now: datetime, row_id: int | None = None) -> int:
    """Put dead rows (one, or all) back to pending, due now; how many."""
    statement = update(Outbox).where(col(Outbox.status) == DEAD)
    if row_id is not None:
        statement = statement.where(col(Outbox.id) == row_id)
    values = {"status": PENDING, "deliver_after": now, "attempts": 0, "last_error": None, "created_at": now}
    return int(session.execute(statement.values(**values)).rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Backlog:
    """What the outbox holds, for ``/healthz`` and ``inhouse outbox``."""

    pending: int
    due: int
    dead: int
    overdue: int  # due for longer than STALE_AFTER without a sender trying it
    sweep_overdue: int  # requests whose SLA check is that late

    @property
    def stale(self) -> bool:
        return bool(self.overdue or self.sweep_overdue)


def backlog(session: Session, now: datetime) -> Backlog:
    def count(*conditions: Any) -> int:
        return int(session.exec(select(func.count()).select_from(Outbox).where(*conditions)).one())

    late = now - STALE_AFTER
    overdue = count(
        or_(
            and_(col(Outbox.status) == PENDING, col(Outbox.deliver_after) <= late),
            and_(col(Outbox.status) == SENDING, col(Outbox.lease_until) <= late),
        )
    )
    sweep_overdue = int(
        session.exec(select(func.count()).select_from(Request).where(col(Request.next_check_at) <= late)).one()
    )
    return Backlog(
        pending=count(col(Outbox.status).in_([PENDING, SENDING])),
        due=count(col(Outbox.status) == PENDING, col(Outbox.deliver_after) <= now),
        dead=count(col(Outbox.status) == DEAD),
        overdue=overdue,
        sweep_overdue=sweep_overdue,
    )
