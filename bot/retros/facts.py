"""The facts a retro opens with: what happened between the departments since the last one. No Slack.

For one department: its service to everyone. For a pair: each one's service to the other. Average
ratings are shown only when at least ``anonymity_min`` different people gave them, so that an average
never narrows down to a few people's scores.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.alerts import Level, Metric
from bot.domain.feedback import Direction
from bot.domain.lifecycle import EventKind
from storage import feedback as feedback_store
from storage.checkup_models import CheckupSeed
from storage.feedback_models import Rating
from storage.models import Department, Request, RequestEvent, SlaAlert

Facts = dict[str, Any]


def gather(session: Session, departments: list[str], since: datetime, until: datetime) -> list[Facts]:
    """One block of figures per direction of service: ``provider`` serving ``customer`` (None: everyone)."""
    if len(departments) == 1:
        return [_service(session, departments[0], None, since, until)]
    first, second = departments
    return [_service(session, first, second, since, until), _service(session, second, first, since, until)]


def checkup(session: Session, seeds: list[CheckupSeed]) -> list[Facts]:
    """What people of one department wrote in the check-up about what gets in the way with another, without names,
    per (department, other department), in the order the close left them (sorted, which says nothing of who)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for seed in sorted(seeds, key=lambda seed: seed.id or 0):
        grouped.setdefault((seed.department_id, seed.about_id), []).append(seed.text)
    return [
        {"from": _name(session, department), "about": _name(session, about), "texts": texts}
        for (department, about), texts in sorted(grouped.items())
    ]


def _service(session: Session, provider: str, customer: str | None, since: datetime, until: datetime) -> Facts:
    query = select(Request).where(Request.provider_id == provider)
    if customer is not None:
        query = query.where(Request.requester_department_id == customer)
    mine = list(session.exec(query))
    responded = [r for r in mine if _within(r.first_response_at, since, until)]
    resolved = [r for r in mine if _within(r.resolved_at, since, until)]
    numbers = [r.id for r in mine if r.id is not None]
    minimum = feedback_store.anonymity_min(session)
    return {
        "provider": _name(session, provider),
        "customer": _name(session, customer) if customer else None,
        "received": sum(1 for r in mine if _within(r.created_at, since, until)),
        "resolved": len(resolved),
        "first_response": _attainment(session, Metric.FIRST_RESPONSE, responded),
        "resolution": _attainment(session, Metric.RESOLUTION, resolved),
        "breaches": _breaches(session, numbers, since, until),
        "waiting_minutes": _waiting_minutes(session, numbers, since, until),
        "rating_of_provider": _average(
            session, Direction.CUSTOMER_TO_PROVIDER, provider, customer, since, until, minimum
        ),
        "rating_of_customers": _average(
            session, Direction.PROVIDER_TO_CUSTOMER, provider, customer, since, until, minimum
        ),
        "anonymity_min": minimum,
    }


def _within(instant: datetime | None, since: datetime, until: datetime) -> bool:
    return instant is not None and since <= instant < until


def _name(session: Session, department_id: str) -> str:
    department = session.get(Department, department_id)
    return department.name if department is not None else department_id


def _attainment(session: Session, metric: Metric, measured: list[Request]) -> list[int]:
    """[met, out of]: late if it came after its due time or a breach of it was raised.

    Both, because a pause moves a clock's due time even after the target was met.
    """
    numbers = [r.id for r in measured if r.id is not None]
    query = select(SlaAlert.request_id).where(
        col(SlaAlert.request_id).in_(numbers), SlaAlert.metric == metric, SlaAlert.level == Level.BREACH
    )
    breached = set(session.exec(query)) if numbers else set()
    late = 0
    for request in measured:
        at, due = (
            (request.first_response_at, request.first_response_due)
            if metric is Metric.FIRST_RESPONSE
            else (request.resolved_at, request.resolution_due)
        )
        late += request.id in breached or (at is not None and due is not None and at > due)
    return [len(measured) - late, len(measured)]


def _breaches(session: Session, numbers: list[int], since: datetime, until: datetime) -> int:
    """The provider's own breaches (not its requesters' late answers)."""
    if not numbers:
        return 0
    query = select(SlaAlert).where(
        col(SlaAlert.request_id).in_(numbers),
        col(SlaAlert.metric).in_((Metric.FIRST_RESPONSE, Metric.RESOLUTION)),
        SlaAlert.level == Level.BREACH,
        col(SlaAlert.raised_at) >= since,
        col(SlaAlert.raised_at) < until,
    )
    return len(list(session.exec(query)))


def _waiting_minutes(session: Session, numbers: list[int], since: datetime, until: datetime) -> int:
    """Minutes the requests spent paused, waiting on their requesters, inside [since, until)."""
    if not numbers:
        return 0
    kinds = (EventKind.PAUSED, EventKind.RESUMED, EventKind.RESOLVED)
    query = (
        select(RequestEvent)
        .where(col(RequestEvent.request_id).in_(numbers), col(RequestEvent.kind).in_(kinds))
        .order_by(col(RequestEvent.request_id), col(RequestEvent.id))
    )
    paused: dict[int, datetime] = {}
    total = 0.0
    for event in session.exec(query):
        start = paused.pop(event.request_id, None)
        if start is not None:
            total += _overlap(start, event.at, since, until)
        if event.kind == EventKind.PAUSED:
            paused[event.request_id] = event.at
    total += sum(_overlap(start, until, since, until) for start in paused.values())
    return round(total)


def _overlap(start: datetime, end: datetime, since: datetime, until: datetime) -> float:
    return max(0.0, (min(end, until) - max(start, since)).total_seconds() / 60)


def _average(
    session: Session,
    direction: Direction,
    provider: str,
    customer: str | None,
    since: datetime,
    until: datetime,
    minimum: int,
) -> dict[str, Any]:
    """{"average": x or None, "count": n, "shown": whether enough people rated to show it}."""

    def concerns(row: Rating) -> bool:
        ours, theirs = (row.to_department_id, row.from_department_id)
        if direction is Direction.PROVIDER_TO_CUSTOMER:
            ours, theirs = theirs, ours
        return ours == provider and (customer is None or theirs == customer)

    rows = [
        row
        for row in feedback_store.ratings_between(session, since, until)
        if row.direction == direction and row.score is not None and concerns(row)
    ]
    people = {row.rater_id for row in rows}
    scores = [row.score for row in rows if row.score is not None]
    shown = bool(scores) and len(people) >= minimum
    return {"average": round(sum(scores) / len(scores), 1) if shown else None, "count": len(scores), "shown": shown}
