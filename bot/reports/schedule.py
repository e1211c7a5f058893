"""When a department's periodic report is due: 09:00 on the first working day of the month (or week), on the
department's calendar, reporting the month (or week) before. Pure.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.calendars import BusinessCalendar

MONTHLY, WEEKLY, OFF = "monthly", "weekly", "off"
CADENCES = (MONTHLY, WEEKLY, OFF)
DEFAULT_CADENCE = MONTHLY
POSTED_AT = time(9, 0)
_LOOK_AHEAD_DAYS = 31  # a month with no working day at all posts nothing


@dataclass(frozen=True)
class Due:
    """A report due now: of the days ``first`` to ``last``, posted from ``at`` on."""

    first: date
    last: date
    at: datetime


def due(calendar: BusinessCalendar, cadence: str, now: datetime) -> Due | None:
    """The report of the period just ended, if its posting time has come in the current period; else None."""
    if cadence == OFF:
        return None
    today = now.astimezone(calendar.zone).date()
    if cadence == WEEKLY:
        start = today - timedelta(days=today.weekday())
        first, last = start - timedelta(weeks=1), start - timedelta(days=1)
    else:
        start = today.replace(day=1)
        last = start - timedelta(days=1)
        first = last.replace(day=1)
    working = next(
        (
            start + timedelta(days=n)
            for n in range(_LOOK_AHEAD_DAYS)
            if calendar.is_working_day(start + timedelta(days=n))
        ),
        None,
    )
    if working is None:
        return None
    at = datetime.combine(working, POSTED_AT, calendar.zone)
    return Due(first, last, at) if now >= at else None
