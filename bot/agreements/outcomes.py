"""What a change of a request measured, for reports: how long it waited on the requester, and how its first
response and resolution went against their targets (``storage/outcomes.py``), in the transaction of the change.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlmodel import Session

from bot.agreements.clocks import promise_of
from bot.domain import timing
from bot.domain.alerts import Metric
from bot.domain.lifecycle import Event, EventKind, State, Status
from bot.domain.sla import BusinessCalendar, business_minutes_between
from storage import org_snapshot, outcomes
from storage.models import Request


def provider_calendar(session: Session, request: Request) -> BusinessCalendar:
    """The calendar the request's time is measured on: its promise's, else its provider's (no agreement)."""
    promise = promise_of(request)
    if promise is not None:
        return promise.business_calendar()
    org = org_snapshot.current(session)
    department = org.departments[request.provider_id]
    spec = org.calendar_spec(department.calendar_id)
    assert spec is not None  # the org file names every department's calendar
    return BusinessCalendar.from_dict(spec)


def waited(session: Session, request: Request, before: Status, event: Event) -> float | None:
    """The business minutes of the wait on the requester that ``event`` ends, if it ends one (before it applies)."""
    if before.state is not State.WAITING or before.waiting_since is None:
        return None
    if event.kind not in (EventKind.RESUMED, EventKind.RESOLVED, EventKind.TRANSFERRED):
        return None
    return business_minutes_between(provider_calendar(session, request), before.waiting_since, event.at)


def record(
    session: Session, request: Request, before: Status, event: Event, log: Callable[[], Sequence[Event]]
) -> None:
    """Record the targets ``event`` (already applied to ``request``) met or missed; ``log`` reads its events."""
    assert request.id is not None
    _passed_unseen(session, request, before, event)
    metrics = []
    if before.first_response_at is None and request.first_response_at is not None:
        metrics.append(Metric.FIRST_RESPONSE)
    if event.kind is EventKind.RESOLVED:
        metrics.append(Metric.RESOLUTION)
    if not metrics:
        return
    calendar, events = provider_calendar(session, request), log()
    for metric in metrics:
        minutes = timing.worked_minutes(calendar, events, timing.started(events, metric), event.at)
        due, outcome = _against_target(request, metric, before, event.at)
        outcomes.done(
            session, request.id, metric, request.sla_cycle,
            provider=request.provider_id, customer=request.requester_department_id,
            at=event.at, minutes=minutes, due=due, outcome=outcome,
        )  # fmt: skip


# The clocks a change stops: a pause stops the resolution's (it is itself a first response, judged as done),
# a transfer both.
_STOPS = {EventKind.PAUSED: (Metric.RESOLUTION,), EventKind.TRANSFERRED: (Metric.FIRST_RESPONSE, Metric.RESOLUTION)}


def _passed_unseen(session: Session, request: Request, before: Status, event: Event) -> None:
    """A target that passed before a pause or a transfer stopped its clock is breached, even if the sweep has not
    raised it yet: a waiting request, or the next provider's cycle, hides it from the sweep for good.
    """
    assert request.id is not None
    if request.promise is None or before.state is State.WAITING:
        return
    for metric in _STOPS.get(event.kind, ()):
        due: datetime | None = getattr(request, f"{metric}_due")
        met = metric is Metric.FIRST_RESPONSE and before.first_response_at is not None
        if due is not None and due <= event.at and not met:
            outcomes.breached(
                session, request.id, metric, request.sla_cycle,
                provider=before.provider, customer=request.requester_department_id, due=due,
            )  # fmt: skip


def _against_target(
    request: Request, metric: Metric, before: Status, at: datetime
) -> tuple[datetime | None, str | None]:
    """The target's due instant and whether it was met; (None, None) without an agreement."""
    due: datetime | None = getattr(request, f"{metric}_due")
    if request.promise is None or due is None:
        return None, None
    left: float | None = getattr(request, f"{metric}_left")
    if before.state is State.WAITING and left is not None:  # resolved while waiting: what was left when paused
        return due, outcomes.MET if left > 0 else outcomes.BREACHED
    return due, outcomes.MET if at <= due else outcomes.BREACHED
