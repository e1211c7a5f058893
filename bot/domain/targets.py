"""A target to propose from what was observed: the time within which most requests were answered, rounded up to a
duration people write in an org file (``4h``, ``2d``). Pure."""

import math
from typing import Final

from bot.domain.durations import Duration, Unit

MINUTE_STEPS: Final = (15, 30, 60, 120, 180, 240, 360, 480, 720)  # 15m, 30m, 1h … 12h
DAY_STEPS: Final = (1, 2, 3, 4, 5, 7, 10, 15, 20, 30)


def proposed(minutes: float, day_minutes: int) -> Duration:
    """``minutes`` of business time rounded up to the next sensible step: minutes and hours shorter than a working
    day of ``day_minutes``, then whole working days (past 30, tens of days)."""
    for step in MINUTE_STEPS:
        if step >= day_minutes:
            break
        if minutes <= step:
            return Duration(step, Unit.MINUTES) if step < 60 else Duration(step // 60, Unit.HOURS)
    days = max(1, math.ceil(minutes / day_minutes))
    step = next((d for d in DAY_STEPS if d >= days), 10 * math.ceil(days / 10))
    return Duration(step, Unit.WORKING_DAYS)


def working_minutes_a_day(shifts: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> int:
    """How long a working day of these shifts is (minutes since midnight, start and end)."""
    return sum(end - start for start, end in shifts)
