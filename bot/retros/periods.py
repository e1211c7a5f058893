"""When retros run: the period of an instant under a cron in a time zone.

The period of ``t`` is [the latest fire time <= t, the next fire time). A wall-clock time that
happens twice (the hour repeated when daylight saving ends) is one occurrence, the first; a time the
spring skips fires at the same instant an hour later, as APScheduler does. Nothing here reads a clock.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

TICK = timedelta(microseconds=1)
LOOKBACKS = (timedelta(hours=2), timedelta(days=2), timedelta(days=8), timedelta(days=32), timedelta(days=367))
NEVER_AGAIN = timedelta(days=3650)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def trigger(cron: str, timezone: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone=ZoneInfo(timezone))


def _wall(cron: CronTrigger, instant: datetime) -> datetime:
    return instant.astimezone(cron.timezone).replace(tzinfo=None)


def _fire_from(cron: CronTrigger, start: datetime) -> datetime | None:
    """Instants are kept in UTC: adding to a zoned datetime is wall-clock arithmetic, wrong in a doubled hour."""
    fire: datetime | None = cron.get_next_fire_time(None, start.astimezone(UTC))
    return fire.astimezone(UTC) if fire is not None else None


def next_fire(cron: CronTrigger, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after``; the repeat of a doubled wall time is not one."""
    fire = _fire_from(cron, after + TICK)
    while fire is not None and _wall(cron, fire) == _wall(cron, after):
        fire = _fire_from(cron, fire + TICK)
    return fire


def _first_of_wall(cron: CronTrigger, fire: datetime) -> datetime:
    earlier = _fire_from(cron, fire - timedelta(hours=3))
    while earlier is not None and earlier < fire:
        if _wall(cron, earlier) == _wall(cron, fire):
            return earlier
        earlier = _fire_from(cron, earlier + TICK)
    return fire


def latest_fire(cron: CronTrigger, at: datetime) -> datetime | None:
    """The start of the occurrence ``at`` falls in, or None if the cron never fired in the last year."""
    for lookback in LOOKBACKS:
        fire = _fire_from(cron, at - lookback)
        if fire is None or fire > at:
            continue
        while True:
            following = next_fire(cron, fire)
            if following is None or following > at:
                return _first_of_wall(cron, fire)
            fire = following
    return None


def period_of(cron: str, timezone: str, at: datetime) -> Period | None:
    schedule = trigger(cron, timezone)
    start = latest_fire(schedule, at.astimezone(UTC))
    if start is None:
        return None
    end = next_fire(schedule, start)
    return Period(start, end if end is not None else start + NEVER_AGAIN)


def previous_start(cron: str, timezone: str, period: Period) -> datetime | None:
    """Where the period before ``period`` started: the facts of a retro cover [that, period.start)."""
    earlier = period_of(cron, timezone, period.start - TICK)
    return earlier.start if earlier is not None else None
