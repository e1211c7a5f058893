"""How long a request took in business time, waiting on the requester excluded. Pure.

A request's clock for a metric starts when its current provider got it (filed, or transferred in) and, for the
resolution, again when it is reopened. Time waiting on the requester (from a pause until it is resumed, resolved
or transferred) does not count.
"""

from collections.abc import Sequence
from datetime import datetime

from bot.domain.alerts import Metric
from bot.domain.lifecycle import Event, EventKind
from bot.domain.sla import BusinessCalendar, business_minutes_between

_WAIT_ENDS = frozenset({EventKind.RESUMED, EventKind.RESOLVED, EventKind.TRANSFERRED})
_STARTS = {
    Metric.FIRST_RESPONSE: frozenset({EventKind.CREATED, EventKind.TRANSFERRED}),
    Metric.RESOLUTION: frozenset({EventKind.CREATED, EventKind.TRANSFERRED, EventKind.REOPENED}),
}


def started(events: Sequence[Event], metric: Metric) -> datetime:
    """When the clock of ``metric`` last started: the last event that starts it."""
    return next(event.at for event in reversed(events) if event.kind in _STARTS[metric])


def waits(events: Sequence[Event]) -> list[tuple[datetime, datetime | None]]:
    """The stretches spent waiting on the requester, in order; the last one's end is None while it goes on."""
    stretches: list[tuple[datetime, datetime | None]] = []
    since: datetime | None = None
    for event in events:
        if event.kind is EventKind.PAUSED:
            since = event.at
        elif since is not None and event.kind in _WAIT_ENDS:
            stretches.append((since, event.at))
            since = None
    if since is not None:
        stretches.append((since, None))
    return stretches


def worked_minutes(calendar: BusinessCalendar, events: Sequence[Event], start: datetime, end: datetime) -> float:
    """Business minutes in ``[start, end)`` on ``calendar``, less those spent waiting on the requester."""
    total = business_minutes_between(calendar, start, end)
    for wait_start, wait_end in waits(events):
        low, high = max(wait_start, start), min(wait_end or end, end)
        if high > low:
            total -= business_minutes_between(calendar, low, high)
    return total
