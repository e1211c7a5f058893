"""The period of an instant under a cron in a zone: [latest fire time <= t, next fire time). Pure."""

from datetime import UTC, datetime

import pytest

from bot.retros.periods import Period, period_of


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "period"),
    [
        (utc(10, 25, 0, 45), Period(utc(10, 25, 0, 30), utc(10, 26, 1, 30))),  # 02:30 CEST, first time
        (utc(10, 25, 1, 45), Period(utc(10, 25, 0, 30), utc(10, 26, 1, 30))),  # 02:30 CET, the repeat: same period
        (utc(3, 29, 1, 0), Period(utc(3, 28, 1, 30), utc(3, 29, 1, 30))),  # 02:30 does not exist: fires at 03:30
        (utc(3, 29, 1, 30), Period(utc(3, 29, 1, 30), utc(3, 30, 0, 30))),
    ],
)
def test_a_daily_run_at_half_past_two_happens_once_a_day_across_daylight_saving(at: datetime, period: Period) -> None:
    assert period_of("30 2 * * *", "Europe/Berlin", at) == period


def test_a_weekly_period_runs_from_one_fire_time_to_the_next() -> None:
    assert period_of("0 15 * * fri", "Europe/Berlin", utc(10, 30, 13, 59)) == Period(utc(10, 23, 13), utc(10, 30, 14))
