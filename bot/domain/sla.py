"""The business-hours clock: due times and elapsed business time on a :class:`BusinessCalendar`.

What counts as business time is defined in :mod:`bot.domain.calendars` (the wall clock of the
calendar's zone shows a working day and a time inside a shift; each real instant counts once).
All functions take aware datetimes in any zone and return UTC. Business time is measured in real
elapsed time, so a shift that spans a daylight-saving change is shorter or longer accordingly.
Searches never look further than :data:`HORIZON` ahead; beyond it they raise :class:`BeyondHorizon`
(a ValueError that says so), never an error from deep inside.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from bot.domain.calendars import BusinessCalendar, Interval, wall_midnight, wall_spans_to_utc
from bot.domain.durations import Duration, Unit

__all__ = [
    "HORIZON",
    "BeyondHorizon",
    "BusinessCalendar",
    "add_business_minutes",
    "add_working_days",
    "business_minutes_between",
    "due_at",
    "next_business_instant",
    "working_intervals",
]

HORIZON = timedelta(days=3653)
"""About ten years: how far ahead a due time may be, and how long a measured stretch may be."""


class BeyondHorizon(ValueError):
    """A due time or a measured stretch further ahead than the clock looks (:data:`HORIZON`)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: the business-hours clock looks at most {HORIZON.days} days (about ten years) ahead")


_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)


def working_intervals(calendar: BusinessCalendar, start: datetime, end: datetime) -> Iterator[Interval]:
    """The business time inside ``[start, end)``, as sorted, disjoint UTC intervals clipped to it.

    Intervals of consecutive days are not merged even when they touch (at midnight of a 00:00-24:00
    calendar); an always-open calendar yields ``[start, end)`` as one interval.
    Day windows are built in local wall-clock time and converted to UTC as documented in
    :mod:`bot.domain.calendars`: a non-existent local time (spring gap) maps forward to the jump, an
    ambiguous start uses its first occurrence (``fold=0``), and no instant is ever yielded twice.
    """
    start, end = _utc(start), _utc(end)
    if end <= start:
        return
    if calendar.is_always_open:
        yield start, end
        return
    zone = calendar.zone
    # A day earlier than the start's date, in case a clock falls back across midnight.
    day = start.astimezone(zone).date() - _DAY
    last = end.astimezone(zone).date() + _DAY
    while day <= last:
        for lo, hi in calendar.periods(day):
            if hi <= start:
                continue
            if lo >= end:
                return
            yield max(lo, start), min(hi, end)
        day += _DAY


def add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The instant at which ``minutes`` of business time have elapsed since ``start`` (UTC).

    Outside business hours the count starts at the next opening. ``0`` minutes returns ``start``
    itself (in UTC), open or not. Completing exactly at a closing returns that closing, not the
    next opening.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    start = _utc(start)
    if minutes == 0:
        return start
    remaining = timedelta(minutes=minutes)
    horizon = start + HORIZON
    if calendar.is_always_open:
        if remaining > HORIZON:
            raise BeyondHorizon(f"{minutes} business minutes is further ahead than that")
        return start + remaining
    for lo, hi in working_intervals(calendar, start, horizon):
        if remaining <= hi - lo:
            return lo + remaining
        remaining -= hi - lo
    raise BeyondHorizon(f"{minutes} business minutes from {start:%Y-%m-%d %H:%M} UTC end further ahead")


def business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Minutes of business time in ``[start, end)``; 0 when ``end <= start``.

    Summed exactly (to the microsecond) and converted to minutes once, so whole-minute results are
    exact: ``business_minutes_between(c, s, add_business_minutes(c, s, n)) == n``.
    Raises :class:`BeyondHorizon` when the stretch is longer than :data:`HORIZON` (unless always open).
    """
    start, end = _utc(start), _utc(end)
    if end - start > HORIZON and not calendar.is_always_open:
        raise BeyondHorizon("cannot measure business time over a longer stretch")
    total = sum((hi - lo for lo, hi in working_intervals(calendar, start, end)), timedelta())
    return total / _MINUTE


def add_working_days(calendar: BusinessCalendar, start: datetime, days: int) -> datetime:
    """``days`` working days after ``start``: the same local clock time that many working days later.

    The exact rule:

    1. The anchor is ``start`` if it is business time, otherwise the next opening (Saturday 10:00
       on a Monday-Friday calendar anchors at Monday's opening; 07:00 at that day's opening;
       a lunch break at the afternoon opening). Its local date is day 0.
    2. Count ``days`` working days after day 0 (days with business time; holidays and closed days
       are skipped). On that day take the first business instant whose wall clock shows the
       anchor's time or later (DST: a non-existent time maps forward, an ambiguous one is its first
       occurrence); if the day closes before that, its last closing (end of the last shift).
    3. If that instant is an opening, return the closing just before it instead: no business
       time passes in between, and completing exactly at a closing returns the closing, as in
       :func:`add_business_minutes`. So a start outside hours (or exactly at an opening) plus 2d
       is the end of the second working day: Saturday 10:00 + 2d is Tuesday 17:00.

    ``0`` days returns ``start`` itself (in UTC).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    start = _utc(start)
    if days == 0:
        return start
    horizon = start + HORIZON
    zone = calendar.zone
    anchor, day = _first_business_instant(calendar, start, horizon)
    clock = anchor.astimezone(zone).replace(tzinfo=UTC) - wall_midnight(day)  # wall-clock time of day
    last_close = calendar.periods(day)[-1][1]
    for _ in range(days):
        previous_close = last_close
        day = _next_day(day, horizon)
        while not calendar.periods(day):
            day = _next_day(day, horizon)
        last_close = calendar.periods(day)[-1][1]
    # Business time of ``day`` from the anchor's clock time on, or the day's last closing.
    later = [(max(clock, s * _MINUTE), e * _MINUTE) for s, e in calendar.shifts if e * _MINUTE > clock]
    candidates = wall_spans_to_utc(zone, day, later)
    due = candidates[0][0] if candidates else last_close
    for lo, hi in calendar.periods(day):
        if lo == due:  # an opening: the closing before it is the same amount of business time
            return previous_close
        if lo > due:
            break
        previous_close = hi
    return due


def due_at(calendar: BusinessCalendar, start: datetime, duration: Duration) -> datetime:
    """When ``duration`` is up: m/h count business minutes, d counts working days."""
    if duration.unit is Unit.WORKING_DAYS:
        return add_working_days(calendar, start, duration.amount)
    return add_business_minutes(calendar, start, duration.business_minutes)


def next_business_instant(calendar: BusinessCalendar, start: datetime) -> datetime:
    """``start`` if it is business time, else the next opening (when people are at work to read a message)."""
    start = _utc(start)
    return _first_business_instant(calendar, start, start + HORIZON)[0]


def _first_business_instant(calendar: BusinessCalendar, start: datetime, horizon: datetime) -> tuple[datetime, date]:
    """``start`` if it is business time, else the next opening; with the local date it belongs to."""
    day = start.astimezone(calendar.zone).date() - 2 * _DAY  # the first day looked at is the one before
    while True:
        day = _next_day(day, horizon)
        for lo, hi in calendar.periods(day):
            if hi > start:
                return max(lo, start), day


def _next_day(day: date, horizon: datetime) -> date:
    day += _DAY
    if wall_midnight(day) - timedelta(hours=15) > horizon:
        raise BeyondHorizon(f"no working day found before {horizon:%Y-%m-%d}")
    return day


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business time needs aware datetimes (with a time zone)")
    return moment.astimezone(UTC)
