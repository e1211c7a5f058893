"""How each SLA target of a request went (``SlaOutcome``): written when it is met or breached, read by reports."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from storage.models import SlaOutcome

BREACHED, MET = "breached", "met"


def breached(
    session: Session, request_id: int, metric: str, cycle: int, *, provider: str, customer: str | None, due: datetime
) -> None:
    """The sweep raised the target's breach: recorded once, whatever happens to the request later."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(SlaOutcome).on_conflict_do_nothing(index_elements=["request_id", "metric", "cycle"])
    values = {
        "request_id": request_id,
        "metric": metric,
        "cycle": cycle,
        "provider_id": provider,
        "customer_id": customer,
        "due_at": due,
        "outcome": BREACHED,
        "decided_at": due,
    }
    session.connection().execute(statement, values)


def done(
    session: Session,
    request_id: int,
    metric: str,
    cycle: int,
    *,
    provider: str,
    customer: str | None,
    at: datetime,
    minutes: float,
    due: datetime | None,
    outcome: str | None,
) -> None:
    """The response or resolution happened: when and in how long. A breach already raised stays a breach."""
    keep_breach = (
        update(SlaOutcome)
        .where(col(SlaOutcome.request_id) == request_id, col(SlaOutcome.metric) == metric)
        .where(col(SlaOutcome.cycle) == cycle)
        .values(done_at=at, minutes=minutes)
    )
    if session.connection().execute(keep_breach).rowcount:
        return
    session.add(
        SlaOutcome(
            request_id=request_id,
            metric=metric,
            cycle=cycle,
            provider_id=provider,
            customer_id=customer,
            due_at=due,
            outcome=outcome,
            decided_at=(at if outcome == MET else due) if outcome else None,
            done_at=at,
            minutes=minutes,
        )
    )
