"""Keep a request's SLA clocks on its row: start, pause, resume, restart; and when to look at it next.

Per metric the row holds the due instant, the warning instant, the target and, while waiting on the
requester, the business minutes left. Waiting time is not counted: a pause stores what is left and a
resume starts a new due instant from there.
"""

from datetime import datetime

from sqlmodel import Session, col, select

from bot.agreements.promises import Promise
from bot.domain import alerts
from bot.domain.alerts import Clocks, Level, Metric
from bot.domain.lifecycle import State
from bot.domain.sla import BusinessCalendar, add_business_minutes, add_working_days, business_minutes_between, due_at
from storage.models import Request, SlaAlert

METRICS = (Metric.FIRST_RESPONSE, Metric.RESOLUTION)

Raised = set[tuple[Metric, Level]]


def promise_of(request: Request) -> Promise | None:
    return Promise.from_dict(request.promise) if request.promise else None


def start(request: Request, metrics: tuple[Metric, ...], now: datetime) -> None:
    """Start the clocks of ``metrics`` from ``now`` with their full targets."""
    promise = promise_of(request)
    if promise is None:
        return
    calendar = promise.business_calendar()
    for metric in metrics:
        due = due_at(calendar, now, promise.target(metric))
        target = business_minutes_between(calendar, now, due)
        setattr(request, f"{metric}_target", target)
        _run_for(request, metric, calendar, promise.warn_at, now, left=target, due=due)


def pause(request: Request, now: datetime) -> None:
    promise = promise_of(request)
    if promise is None:
        return
    calendar = promise.business_calendar()
    for metric in _running(request):
        due: datetime | None = getattr(request, f"{metric}_due")
        if due is not None:
            setattr(request, f"{metric}_left", business_minutes_between(calendar, now, due))


def _running(request: Request) -> tuple[Metric, ...]:
    """The metrics not met yet: a met first response keeps its due time through pauses."""
    met = {
        Metric.FIRST_RESPONSE: request.first_response_at is not None,
        Metric.RESOLUTION: request.resolved_at is not None,
    }
    return tuple(metric for metric in METRICS if not met[metric])


def resume(request: Request, now: datetime) -> None:
    promise = promise_of(request)
    if promise is None:
        return
    calendar = promise.business_calendar()
    for metric in METRICS:
        left: float | None = getattr(request, f"{metric}_left")
        if left is not None:
            _run_for(request, metric, calendar, promise.warn_at, now, left=left)
            setattr(request, f"{metric}_left", None)


def retarget(request: Request, promise: Promise | None, now: datetime) -> None:
    """Apply another agreement (a priority change): what was used of each target stays used.

    The new target's length is measured from now on the provider's calendar; the business time
    already consumed (waiting excluded) is taken from it, and the rest runs from now.
    """
    previous = promise_of(request)
    request.promise = promise.to_dict() if promise else None
    if promise is None:
        return
    if previous is None:
        start(request, METRICS, now)
        return
    calendar = promise.business_calendar()
    for metric in METRICS:
        due: datetime | None = getattr(request, f"{metric}_due")
        target: float | None = getattr(request, f"{metric}_target")
        if due is None or target is None:
            continue
        waiting_left: float | None = getattr(request, f"{metric}_left")
        left = waiting_left if waiting_left is not None else business_minutes_between(calendar, now, due)
        new_target = business_minutes_between(calendar, now, due_at(calendar, now, promise.target(metric)))
        new_left = max(0.0, new_target - (target - left))
        setattr(request, f"{metric}_target", new_target)
        if waiting_left is not None:
            setattr(request, f"{metric}_left", new_left)
        else:
            _run_for(request, metric, calendar, promise.warn_at, now, left=new_left)


def _run_for(
    request: Request,
    metric: Metric,
    calendar: BusinessCalendar,
    warn_at: float,
    now: datetime,
    *,
    left: float,
    due: datetime | None = None,
) -> None:
    target: float = getattr(request, f"{metric}_target") or left
    due = due or add_business_minutes(calendar, now, round(left))
    warn = add_business_minutes(calendar, now, max(0, round(left - (1 - warn_at) * target)))
    setattr(request, f"{metric}_due", due)
    setattr(request, f"{metric}_warn_at", warn)
    if metric is Metric.RESOLUTION:
        request.resolution_reminder_at = add_working_days(calendar, due, 1)


def clocks(request: Request) -> Clocks:
    """The instants the sweep watches: a metric's only until it is met; while waiting, the customer's clock only."""
    if request.promise is None:
        return Clocks()
    if request.state == State.WAITING:  # bot.agreements.customer_clock keeps these None unless it runs
        return Clocks(
            customer_response_warn=request.customer_response_warn_at,
            customer_response_due=request.customer_response_due,
        )
    first = request.first_response_at is None
    resolving = request.state != State.RESOLVED
    return Clocks(
        first_response_warn=request.first_response_warn_at if first else None,
        first_response_due=request.first_response_due if first else None,
        resolution_warn=request.resolution_warn_at if resolving else None,
        resolution_due=request.resolution_due if resolving else None,
        resolution_reminder=request.resolution_reminder_at if resolving else None,
    )


def cycle_of(request: Request, metric: Metric) -> int:
    """The cycle a metric's alerts and outcomes count in: the current wait's for the customer's clock."""
    return request.customer_cycle if metric is Metric.CUSTOMER_RESPONSE else request.sla_cycle


def raised(session: Session, request: Request) -> Raised:
    """The milestones already raised in the request's current cycles."""
    return raised_by_request(session, [request]).get(request.id, set())


def raised_by_request(session: Session, batch: list[Request]) -> dict[int | None, Raised]:
    """The milestones already raised in the current cycles of the batch's requests, by request, in one query."""
    by_id = {request.id: request for request in batch}
    query = select(SlaAlert.request_id, SlaAlert.cycle, SlaAlert.metric, SlaAlert.level).where(
        col(SlaAlert.request_id).in_(list(by_id))
    )
    raised: dict[int | None, Raised] = {}
    for request_id, cycle, metric, level in session.exec(query):
        if cycle == cycle_of(by_id[request_id], Metric(metric)):
            raised.setdefault(request_id, set()).add((Metric(metric), Level(level)))
    return raised


def first_check(request: Request) -> datetime | None:
    """When the sweep first looks at a new request, which has raised nothing yet."""
    return alerts.next_check(clocks(request), set())


def schedule_next_check(session: Session, request: Request) -> None:
    request.next_check_at = alerts.next_check(clocks(request), raised(session, request))
