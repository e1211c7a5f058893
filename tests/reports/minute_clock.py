"""Business time counted minute by minute: each UTC minute read on the calendar's wall clock (a working day, not a
holiday, inside a shift), as tests/domain's oracle does; the brute force's clock, never bot.domain's.
"""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo

import holidays

MINUTE = timedelta(minutes=1)
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Calendar:
    timezone: str
    weekdays: frozenset[int]
    shifts: tuple[tuple[int, int], ...]  # minutes from local midnight
    holidays: str


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


class MinuteCalendar:
    """Each UTC minute from ``origin`` on, read on the calendar's wall clock: business time or not."""

    def __init__(self, calendar: Calendar, origin: datetime, until: datetime) -> None:
        self.zone, self.origin = ZoneInfo(calendar.timezone), origin
        self.open = [self._is_open(calendar, origin + i * MINUTE) for i in range((until - origin) // MINUTE)]
        self.count = [0, *accumulate(self.open)]  # count[i]: business minutes before minute i

    def _is_open(self, calendar: Calendar, minute: datetime) -> bool:
        local = minute.astimezone(self.zone)
        day = local.date()
        if day.weekday() not in calendar.weekdays or day in _holidays(calendar.holidays, day.year):
            return False
        return any(start <= local.hour * 60 + local.minute < end for start, end in calendar.shifts)

    def index(self, at: datetime) -> int:
        minutes, rest = divmod(at - self.origin, MINUTE)
        assert not rest, f"{at} is not on a whole minute"
        return minutes

    def instant(self, index: int) -> datetime:
        return self.origin + index * MINUTE

    def between(self, start: datetime, end: datetime) -> int:
        """Business minutes in [start, end)."""
        return max(0, self.count[self.index(end)] - self.count[self.index(start)])

    def add(self, start: datetime, minutes: int) -> datetime | None:
        """The first instant by which ``minutes`` of business time have passed since ``start`` (None: too far)."""
        first = self.index(start)
        reached = bisect_left(self.count, self.count[first] + minutes, lo=first)
        return self.instant(reached) if reached < len(self.count) else None

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The rule of the org file's ``d``: from the first business minute at or after ``start``, the same wall
        clock time ``days`` working days later (the first business minute at or after it that day, else the day's
        last closing); when that is an opening, the closing before it instead.
        """
        anchor = self.index(start)
        while not self.open[anchor]:
            anchor += 1
        local = self.instant(anchor).astimezone(self.zone)
        day, clock = local.date(), local.hour * 60 + local.minute
        for _ in range(days):
            day += timedelta(days=1)
            while not self._minutes_of(day):
                day += timedelta(days=1)
        minutes = self._minutes_of(day)
        later = [i for i in minutes if self._clock(i) >= clock]
        if not later:
            return self.instant(minutes[-1] + 1)
        due = later[0]
        if not self.open[due - 1]:  # an opening: the closing before it is the same business time
            due = max(i for i in range(due) if self.open[i]) + 1
        return self.instant(due)

    def _minutes_of(self, day: date) -> list[int]:
        """The business minutes whose wall clock reads ``day``."""
        first = self.index(datetime.combine(day, time(), self.zone).astimezone(UTC))
        last = self.index(datetime.combine(day + timedelta(days=1), time(), self.zone).astimezone(UTC))
        return [i for i in range(first, last) if self.open[i]]

    def _clock(self, index: int) -> int:
        local = self.instant(index).astimezone(self.zone)
        return local.hour * 60 + local.minute
