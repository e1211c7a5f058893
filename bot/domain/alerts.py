"""Which SLA alerts a request has earned by a given instant. Pure: timestamps in, alerts out.

A request has, per metric, a due instant, a warning instant before it, and for the resolution a
reminder a working day after it. Each (metric, level) is raised once per cycle; a cycle starts
when a clock restarts (a reopen restarts the resolution clock, a transfer both). The customer's
clock (the requester's answer while the request waits on them) has cycles of its own: one per wait.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Metric(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"
    CUSTOMER_RESPONSE = "customer_response"  # the requester's answer, owed while the request waits on them


class Level(StrEnum):
    WARNING = "warning"
    BREACH = "breach"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Clocks:
    """The instants that matter for one request now; None where a clock is stopped or met."""

    first_response_warn: datetime | None = None
    first_response_due: datetime | None = None
    resolution_warn: datetime | None = None
    resolution_due: datetime | None = None
    resolution_reminder: datetime | None = None
    customer_response_warn: datetime | None = None
    customer_response_due: datetime | None = None


@dataclass(frozen=True)
class Milestone:
    metric: Metric
    level: Level
    at: datetime


def milestones(clocks: Clocks) -> list[Milestone]:
    candidates = [
        (Metric.FIRST_RESPONSE, Level.WARNING, clocks.first_response_warn),
        (Metric.FIRST_RESPONSE, Level.BREACH, clocks.first_response_due),
        (Metric.RESOLUTION, Level.WARNING, clocks.resolution_warn),
        (Metric.RESOLUTION, Level.BREACH, clocks.resolution_due),
        (Metric.RESOLUTION, Level.REMINDER, clocks.resolution_reminder),
        (Metric.CUSTOMER_RESPONSE, Level.WARNING, clocks.customer_response_warn),
        (Metric.CUSTOMER_RESPONSE, Level.BREACH, clocks.customer_response_due),
    ]
    return [Milestone(metric, level, at) for metric, level, at in candidates if at is not None]


def reached(clocks: Clocks, raised: Iterable[tuple[Metric, Level]], now: datetime) -> list[Milestone]:
    """Milestones reached by ``now`` and not raised yet, oldest first: all of them get recorded."""
    done = set(raised)
    return sorted(
        (m for m in milestones(clocks) if m.at <= now and (m.metric, m.level) not in done), key=lambda m: m.at
    )


def worth_announcing(newly: list[Milestone], raised: Iterable[tuple[Metric, Level]]) -> list[Milestone]:
    """Drop a warning whose breach is reached too: nobody needs "about to be late" and "late" at once."""
    breached = {m.metric for m in newly if m.level is Level.BREACH}
    breached |= {metric for metric, level in raised if level is Level.BREACH}
    return [m for m in newly if not (m.level is Level.WARNING and m.metric in breached)]


def next_check(clocks: Clocks, raised: Iterable[tuple[Metric, Level]]) -> datetime | None:
    """The earliest milestone not raised yet: the sweep looks at the request again then."""
    done = set(raised)
    pending = [m.at for m in milestones(clocks) if (m.metric, m.level) not in done]
    return min(pending, default=None)
